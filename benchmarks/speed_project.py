"""Speed of the project index: flake8 over the standard library as one project.

The standard library (less its tests) is copied to a temporary directory with a
``pyproject.toml``, so it is one project with its own cache. Prints ``flake8 -j 2`` wall
time without the plugin, with it and a cold cache (no ``.atomic_writes_cache``), with it
and a warm one, and with ``atomic-writes-project-analysis = false``, as ratios of the time
without the plugin (targets: cold <= 1.25x, warm <= 1.05x). Then ``flake8-atomic-writes
check`` over the same tree, cold and warm, as ratios of flake8's time without the plugin;
and the peak memory (largest process's maximum RSS) of each, as ratios of flake8's without
the plugin.

Usage: ``python benchmarks/speed_project.py [--runs N] [--project DIR | --package NAME==VERSION]``
(the median of N runs, default 3; ``--project`` copies and times DIR instead, ``--package``
downloads that wheel from the package index with pip and times its unpacked source).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import zipfile
from pathlib import Path
from typing import Callable, List, Tuple

from speed import WITH_PLUGIN, WITHOUT_PLUGIN

SKIP = shutil.ignore_patterns("test", "tests", "idle_test", "lib2to3", "site-packages", "__pycache__", "*.pyc")
CACHE = ".atomic_writes_cache"


def unpack_package(requirement: str, target: Path) -> str:
    """Download ``requirement``'s wheel (no dependencies) with pip and unpack it; its directory."""
    wheels = target / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary",
            ":all:",
            "-d",
            str(wheels),
            requirement,
        ],
        check=True,
    )
    source = target / "source"
    for wheel in wheels.glob("*.whl"):
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(source)
    return str(source)


def copy_project(source: str, target: Path) -> Path:
    project = target / "project"
    shutil.copytree(source, project, ignore=SKIP, symlinks=True)
    marker = project / "pyproject.toml"
    if not marker.exists():
        marker.write_text("[project]\nname = 'benchmark'\n")
    shutil.rmtree(project / CACHE, ignore_errors=True)
    return project


# Runs a command and prints its wall time and the largest child's peak RSS (KiB on Linux).
PEAK = (
    "import json, resource, subprocess, sys, time; t = time.perf_counter(); "
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
    "print(json.dumps([time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))"
)
CHECK = "import sys; from flake8_atomic_writes.cli import main; sys.exit(main())"


def run(program: str, project: Path, *options: str) -> Tuple[float, float]:
    """Wall seconds and peak MiB of ``python -c program --isolated -j 2 options .`` in ``project``."""
    command = [
        sys.executable,
        "-c",
        PEAK,
        sys.executable,
        "-c",
        program,
        *options,
        "--isolated",
        "-j",
        "2",
        ".",
    ]
    out = subprocess.run(command, cwd=project, capture_output=True, text=True, check=True).stdout
    seconds, kib = json.loads(out)
    return seconds, kib / 1024


def flake8(program: str, project: Path, *options: str) -> float:
    return run(program, project, *options)[0]


def peak(program: str, project: Path, *options: str) -> float:
    return run(program, project, *options)[1]


def median(runs: int, before: Callable[[], None], measure: Callable[[], float]) -> float:
    samples: List[float] = []
    for _ in range(runs):
        before()
        samples.append(measure())
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs",
        type=int,
        default=3,
        help="runs per measurement (the median is printed)",
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--project", help="time this directory instead of the standard library")
    which.add_argument("--package", help="time this package from the index (NAME==VERSION) instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        source = unpack_package(args.package, Path(scratch)) if args.package else args.project
        project = copy_project(source or sysconfig.get_paths()["stdlib"], Path(scratch))
        files = sum(1 for _ in project.rglob("*.py"))
        name = args.package or args.project or "the standard library"
        print(f"project: {name}, {files} files ({sys.version.split()[0]})")

        def cold() -> None:
            shutil.rmtree(project / CACHE, ignore_errors=True)

        def warm() -> None:
            pass

        flake8(WITHOUT_PLUGIN, project)  # untimed: read every file once, so all runs start alike
        without = median(args.runs, warm, lambda: flake8(WITHOUT_PLUGIN, project))
        cold_time = median(args.runs, cold, lambda: flake8(WITH_PLUGIN, project))
        warm_time = median(args.runs, warm, lambda: flake8(WITH_PLUGIN, project))
        off = median(
            args.runs,
            warm,
            lambda: flake8(WITH_PLUGIN, project, "--atomic-writes-project-analysis=false"),
        )
        entries = sum(1 for _ in (project / CACHE).glob("*.json")) if (project / CACHE).is_dir() else 0
        check_cold = median(args.runs, cold, lambda: flake8(CHECK, project, "check"))
        check_warm = median(args.runs, warm, lambda: flake8(CHECK, project, "check"))
        memory = {
            "flake8 without plugin": peak(WITHOUT_PLUGIN, project),
            "flake8, cold cache": (cold(), peak(WITH_PLUGIN, project))[1],
            "flake8, warm cache": peak(WITH_PLUGIN, project),
            "check, cold cache": (cold(), peak(CHECK, project, "check"))[1],
            "check, warm cache": peak(CHECK, project, "check"),
        }
    print(f"flake8 -j2 without plugin:        {without:6.2f} s")
    print(f"with plugin, cold cache:          {cold_time:6.2f} s   ratio {cold_time / without:.3f}x (target <= 1.25x)")
    print(f"with plugin, warm cache:          {warm_time:6.2f} s   ratio {warm_time / without:.3f}x (target <= 1.05x)")
    print(f"with plugin, project analysis off: {off:5.2f} s   ratio {off / without:.3f}x")
    print(f"cache entries:                    {entries}")
    print(
        f"check, cold cache:                {check_cold:6.2f} s   ratio {check_cold / without:.3f}x no plugin"
    )
    print(
        f"check, warm cache:                {check_warm:6.2f} s   ratio {check_warm / without:.3f}x no plugin"
    )
    base = memory["flake8 without plugin"]
    for name, mib in memory.items():
        print(f"peak memory, {name + ':':24} {mib:6.1f} MiB ratio {mib / base:.2f}x")


if __name__ == "__main__":
    main()
