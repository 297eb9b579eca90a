"""Speed of the flake8 checker, measured over the standard library in one run.

Prints:
1. the checker's own time as a ratio of ``ast.parse`` time for the same files (target <= 0.25x),
   for the per-module analysis and then with the project index (cold, in one process);
2. the import time of ``flake8_atomic_writes.checker`` in a fresh interpreter (target < 50 ms),
   and whether libcst got loaded (it must not);
3. flake8 end-to-end over the same files with and without the plugin (``-j 2``);
4. with ``--project``, the project index: flake8 over the stdlib as one project, cold and warm
   cache (``benchmarks/speed_project.py``);
5. with ``--cli``, the command line too (``benchmarks/speed_cli.py``): ``check`` against
   ``flake8 --select=AW``, and ``fix --diff`` with the share of time spent in libcst;
6. with ``--fix`` (``benchmarks/speed_fix.py``): ``fix --diff`` time and peak memory as ratios
   of ``check``'s on generated files with 1, 100, 1,000 and 3,000 findings (10k to 50k lines).

Usage: ``python benchmarks/speed.py [--files N] [--cli] [--fix] [--project]`` (N stdlib files, default all but tests).
"""

from __future__ import annotations

import argparse
import ast
import os
import statistics
import subprocess
import sys
import sysconfig
import time
import warnings
from pathlib import Path
from typing import List, Tuple

from flake8_atomic_writes.checker import Checker
from flake8_atomic_writes.config import Config

# flake8 skips plugins named in BANNED_PLUGINS: the cheapest honest way to run it without ours.
WITHOUT_PLUGIN = (
    "import sys, flake8.plugins.finder as f; f.BANNED_PLUGINS['flake8-atomic-writes'] = '0'; "
    "from flake8.main.cli import main; sys.exit(main(sys.argv[1:]))"
)
WITH_PLUGIN = "import sys; from flake8.main.cli import main; sys.exit(main(sys.argv[1:]))"
IMPORT_PROBE = (
    "import sys, time; t = time.perf_counter(); import flake8_atomic_writes.checker; "
    "print(time.perf_counter() - t, 'libcst' in sys.modules)"
)


def stdlib_files(limit: int) -> List[Path]:
    root = Path(sysconfig.get_paths()["stdlib"])
    skip = {"site-packages", "test", "tests", "idle_test", "lib2to3"}
    files = sorted(p for p in root.rglob("*.py") if not skip & set(p.relative_to(root).parts))
    return files[:limit] if limit else files


def parse_and_check(files: List[Path]) -> Tuple[float, float, int]:
    parse_time = check_time = 0.0
    findings = 0
    for path in files:
        source = path.read_bytes()
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue
        parse_end = time.perf_counter()
        lines = source.decode("utf-8", "replace").splitlines(keepends=True)  # flake8 does this anyway
        parsed = time.perf_counter()
        findings += sum(1 for _ in Checker(tree, lines, str(path)).run())
        parse_time += parse_end - start
        check_time += time.perf_counter() - parsed
    return parse_time, check_time, findings


def import_time(runs: int = 7) -> Tuple[float, bool]:
    """Median import time in fresh interpreters, from bytecode as an installed package has it
    (``PYTHONDONTWRITEBYTECODE`` is dropped and a first, uncounted run writes the ``.pyc``)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-c", IMPORT_PROBE], capture_output=True, env=env, check=True)
    samples, loaded = [], False
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", IMPORT_PROBE], capture_output=True, text=True, check=True, env=env)
        seconds, libcst = out.stdout.split()
        samples.append(float(seconds))
        loaded = loaded or libcst == "True"
    return statistics.median(samples), loaded


def flake8_time(program: str, files: List[Path]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", program, "--isolated", "-j", "2", *map(str, files)],
        capture_output=True,
        check=False,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=0, help="use only the first N stdlib files")
    parser.add_argument("--cli", action="store_true", help="also time the command line (check, fix --diff)")
    parser.add_argument(
        "--project", action="store_true", help="also time the project index (benchmarks/speed_project.py)"
    )
    parser.add_argument("--fix", action="store_true", help="also fix --diff vs check on large generated files")
    parser.add_argument("--fix-only", action="store_true", help="only the fix --diff vs check measurement")
    args = parser.parse_args()
    if args.fix_only:
        _fix_ratios()
        return
    files = stdlib_files(args.files)
    print(f"corpus: {len(files)} standard-library files ({sys.version.split()[0]})")

    # The per-module analysis first (the checker's own cost), then with the project index,
    # whose cold build in one process also reads the project's other files.
    Checker.config = Config(project_analysis=False)
    parse_time, check_time, findings = parse_and_check(files)
    print(f"ast.parse:        {parse_time:7.2f} s")
    print(f"checker (run):    {check_time:7.2f} s   ratio {check_time / parse_time:.2f}x ast.parse (target <= 0.25x)")
    print(f"findings:         {findings}   (per-module analysis)")
    Checker.config = Config()
    parse_time, check_time, findings = parse_and_check(files)
    print(f"with the index:   {check_time:7.2f} s   ratio {check_time / parse_time:.2f}x ast.parse (cold, one process)")
    print(f"findings:         {findings}")

    seconds, loaded = import_time()
    print(f"import checker:   {seconds * 1000:7.1f} ms  (median of 7 fresh interpreters; target < 50 ms)")
    print(f"libcst loaded:    {loaded}")

    # Interleaved, best of three each: other load on the machine hits both sides alike.
    without, with_plugin = float("inf"), float("inf")
    for _ in range(3):
        without = min(without, flake8_time(WITHOUT_PLUGIN, files))
        with_plugin = min(with_plugin, flake8_time(WITH_PLUGIN, files))
    print(f"flake8 -j2 without plugin: {without:6.2f} s   (best of 3, interleaved)")
    print(f"flake8 -j2 with plugin:    {with_plugin:6.2f} s   ratio {with_plugin / without:.3f}x")
    if args.project:
        sys.path.insert(0, str(Path(__file__).parent))
        import speed_project

        sys.argv[1:] = []
        speed_project.main()
    if args.cli:
        sys.path.insert(0, str(Path(__file__).parent))
        import speed_cli

        sys.argv[1:] = []
        speed_cli.main()
    if args.fix:
        _fix_ratios()


def _fix_ratios() -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    import speed_fix

    speed_fix.main([])


if __name__ == "__main__":
    main()
