"""Speed of the command line over the standard library (one run, figures printed).

    .venv/bin/python benchmarks/speed_cli.py [STDLIB_DIR]

1. ``flake8-atomic-writes check`` vs ``flake8 --select=AW`` over the same files (wall clock);
2. ``flake8-atomic-writes fix --diff --unsafe-fixes``: wall clock, and in one process
   the share of time spent in libcst (parse, metadata, transform, codegen) via cProfile.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import subprocess
import sys
import sysconfig
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import List

BIN = Path(sys.executable).parent
EXCLUDE = "site-packages,test,tests,idle_test"


def _wall(command: List[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def _libcst_share(root: str) -> tuple[float, float]:
    """(total seconds, seconds inside libcst) for fix --diff run in this process, one core."""
    from flake8_atomic_writes import cli

    profile = cProfile.Profile()
    with open(os.devnull, "w") as sink, redirect_stdout(sink), redirect_stderr(sink):
        profile.enable()
        cli.main(["fix", "--diff", "--unsafe-fixes", "--isolated", "-j", "1", "--extend-exclude", EXCLUDE, root])
        profile.disable()
    stats = pstats.Stats(profile)
    total = stats.total_tt  # type: ignore[attr-defined]
    in_libcst = sum(
        row[2]  # own time of each function defined in libcst
        for (filename, _, _), row in stats.stats.items()  # type: ignore[attr-defined]
        if "libcst" in filename
    )
    return total, in_libcst


def main() -> None:
    root = sys.argv[1] if len(sys.argv) > 1 else sysconfig.get_paths()["stdlib"]
    files = [p for p in Path(root).rglob("*.py") if not set(EXCLUDE.split(",")) & set(p.parts)]
    print(f"corpus: {root} ({len(files)} files, excluding {EXCLUDE})")
    ours = _wall([str(BIN / "flake8-atomic-writes"), "check", "--isolated", "--extend-exclude", EXCLUDE, root])
    flake8 = _wall([str(BIN / "flake8"), "--isolated", "--select=AW", "--extend-exclude", EXCLUDE, root])
    print(f"check:            {ours:6.2f} s wall")
    print(f"flake8 --select=AW {flake8:6.2f} s wall  (check / flake8 = {ours / flake8:.2f})")
    fix = _wall([str(BIN / "flake8-atomic-writes"), "fix", "--diff", "--unsafe-fixes", "--isolated",
                 "--extend-exclude", EXCLUDE, root])
    print(f"fix --diff:       {fix:6.2f} s wall (all cores)")
    sys.stdout.flush()
    total, in_libcst = _libcst_share(root)
    print(f"fix --diff, one process under cProfile: {total:.2f} s, of which libcst {in_libcst:.2f} s "
          f"({100 * in_libcst / total:.1f}%)")


if __name__ == "__main__":
    main()
