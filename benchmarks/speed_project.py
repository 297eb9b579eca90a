"""Speed of the project index: flake8 over the standard library as one project.

The standard library (less its tests) is copied to a temporary directory with a
``pyproject.toml``, so it is one project with its own cache. Prints ``flake8 -j 2`` wall
time without the plugin, with it and a cold cache (no ``.atomic_writes_cache``), with it
and a warm one, and with ``atomic-writes-project-analysis = false``, as ratios of the time
without the plugin (targets: cold <= 1.25x, warm <= 1.05x); then ``flake8-atomic-writes
check`` over the same tree, cold and warm. For each: the CPU time of all its processes
(steadier than wall time on a shared machine) and the peak memory (the largest process's
maximum RSS), as ratios of flake8's without the plugin. The kinds of run take turns, round
after round, so that drift in the machine's speed hits all of them alike.

Usage: ``python benchmarks/speed_project.py [--runs N] [--project DIR | --package NAME==VERSION]``
(N interleaved rounds, default 5, the median time of each kind; ``--project`` copies and
times DIR instead, ``--package`` downloads that wheel from the package index with pip and
times its unpacked source).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import zipfile
from pathlib import Path
from statistics import median
from typing import Dict, List, Tuple

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


# Runs a command; prints its wall time, its processes' CPU time and the largest one's peak RSS (KiB).
PEAK = (
    "import json, resource, subprocess, sys, time; t = time.perf_counter(); "
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
    "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print(json.dumps([time.perf_counter() - t, u.ru_utime + u.ru_stime, u.ru_maxrss]))"
)
CHECK = "import sys; from flake8_atomic_writes.cli import main; sys.exit(main())"


Sample = Tuple[float, float, float]  # wall seconds, CPU seconds, peak MiB


def run(program: str, project: Path, *options: str) -> Sample:
    """Wall and CPU seconds and peak MiB of ``python -c program options --isolated -j 2 .`` in ``project``."""
    command = [sys.executable, "-c", PEAK, sys.executable, "-c", program, *options, "--isolated", "-j", "2", "."]
    out = subprocess.run(command, cwd=project, capture_output=True, text=True, check=True).stdout
    wall, cpu, kib = json.loads(out)
    return wall, cpu, kib / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="interleaved rounds (the median of each is printed)")
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
        results, entries = measure(project, args.runs)
    show(results, entries)


def measure(project: Path, runs: int) -> Tuple[Dict[str, Sample], int]:
    """Each kind of run once per round, in order, so that drift in the machine's speed hits
    all alike; per kind the median wall and CPU times (a lone lucky run moves no figure) and
    the largest peak memory."""

    def cold() -> None:
        shutil.rmtree(project / CACHE, ignore_errors=True)

    kinds: List[Tuple[str, bool, str, Tuple[str, ...]]] = [  # name, cold cache first, program, options
        ("flake8 without plugin", False, WITHOUT_PLUGIN, ()),
        ("flake8, cold cache", True, WITH_PLUGIN, ()),
        ("flake8, warm cache", False, WITH_PLUGIN, ()),
        ("flake8, project analysis off", False, WITH_PLUGIN, ("--atomic-writes-project-analysis=false",)),
        ("check, cold cache", True, CHECK, ("check",)),
        ("check, warm cache", False, CHECK, ("check",)),
    ]
    run(WITHOUT_PLUGIN, project)  # untimed: read every file once, so all runs start alike
    samples: Dict[str, List[Sample]] = {name: [] for name, *_ in kinds}
    entries = 0
    for _ in range(runs):
        for name, clear, program, options in kinds:
            if clear:
                cold()
            samples[name].append(run(program, project, *options))
            if name == "flake8, cold cache":
                entries = sum(1 for _ in (project / CACHE).glob("*.json")) if (project / CACHE).is_dir() else 0
    middle = {
        name: (median(s[0] for s in found), median(s[1] for s in found), max(s[2] for s in found))
        for name, found in samples.items()
    }
    return middle, entries


def show(results: Dict[str, Sample], entries: int) -> None:
    base_wall, base_cpu, base_memory = results["flake8 without plugin"]
    targets = {"flake8, cold cache": "  (target <= 1.25x)", "flake8, warm cache": "  (target <= 1.05x)"}
    print(f"cache entries after a cold run: {entries}")
    print(f"{'':32} {'wall':>8} {'ratio':>7}  {'CPU':>8} {'ratio':>7}  {'peak RSS':>9} {'ratio':>6}")
    for name, (wall, cpu, mib) in results.items():
        print(
            f"{name + ':':32} {wall:7.2f}s {wall / base_wall:6.3f}x  {cpu:7.2f}s {cpu / base_cpu:6.3f}x  "
            f"{mib:6.1f}MiB {mib / base_memory:5.2f}x{targets.get(name, '')}"
        )


if __name__ == "__main__":
    main()
