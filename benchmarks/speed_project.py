"""Speed of the project index: flake8 over the standard library as one project.

The standard library (less its tests) is copied to a temporary directory with a
``pyproject.toml``, so it is one project with its own cache. Prints ``flake8 -j 2`` wall
time without the plugin, with it and a cold cache (no ``.atomic_writes_cache``), with it
and a warm one, and with ``atomic-writes-project-analysis = false``, as ratios of the time
without the plugin (targets: cold <= 1.25x, warm <= 1.05x).

Usage: ``python benchmarks/speed_project.py [--runs N] [--project DIR]`` (the median of N runs,
default 3; ``--project`` copies and times DIR instead, e.g. one large package's source).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from typing import Callable, List

from speed import WITH_PLUGIN, WITHOUT_PLUGIN

SKIP = shutil.ignore_patterns("test", "tests", "idle_test", "lib2to3", "site-packages", "__pycache__", "*.pyc")
CACHE = ".atomic_writes_cache"


def copy_project(source: str, target: Path) -> Path:
    project = target / "project"
    shutil.copytree(source, project, ignore=SKIP, symlinks=True)
    marker = project / "pyproject.toml"
    if not marker.exists():
        marker.write_text("[project]\nname = 'benchmark'\n")
    shutil.rmtree(project / CACHE, ignore_errors=True)
    return project


def flake8(program: str, project: Path, *options: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", program, "--isolated", "-j", "2", *options, "."],
        cwd=project,
        capture_output=True,
        check=False,
    )
    return time.perf_counter() - start


def median(runs: int, before: Callable[[], None], measure: Callable[[], float]) -> float:
    samples: List[float] = []
    for _ in range(runs):
        before()
        samples.append(measure())
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (the median is printed)")
    parser.add_argument("--project", help="time this directory instead of the standard library")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        project = copy_project(args.project or sysconfig.get_paths()["stdlib"], Path(scratch))
        files = sum(1 for _ in project.rglob("*.py"))
        print(f"project: {args.project or 'the standard library'}, {files} files ({sys.version.split()[0]})")

        def cold() -> None:
            shutil.rmtree(project / CACHE, ignore_errors=True)

        def warm() -> None:
            pass

        flake8(WITHOUT_PLUGIN, project)  # untimed: read every file once, so all runs start alike
        without = median(args.runs, warm, lambda: flake8(WITHOUT_PLUGIN, project))
        cold_time = median(args.runs, cold, lambda: flake8(WITH_PLUGIN, project))
        warm_time = median(args.runs, warm, lambda: flake8(WITH_PLUGIN, project))
        off = median(args.runs, warm, lambda: flake8(WITH_PLUGIN, project, "--atomic-writes-project-analysis=false"))
        entries = sum(1 for _ in (project / CACHE).glob("*.json")) if (project / CACHE).is_dir() else 0
    print(f"flake8 -j2 without plugin:        {without:6.2f} s")
    print(f"with plugin, cold cache:          {cold_time:6.2f} s   ratio {cold_time / without:.3f}x (target <= 1.25x)")
    print(f"with plugin, warm cache:          {warm_time:6.2f} s   ratio {warm_time / without:.3f}x (target <= 1.05x)")
    print(f"with plugin, project analysis off: {off:5.2f} s   ratio {off / without:.3f}x")
    print(f"cache entries:                    {entries}")


if __name__ == "__main__":
    main()
