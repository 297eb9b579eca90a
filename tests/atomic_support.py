"""Shared helpers for the atomic-helper tests (not collected: no test_ prefix)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
CHILD = TESTS / "atomic_child.py"
TEMP_RE = re.compile(r"\..+\.[0-9a-f]{12}\.tmp\Z", re.DOTALL)
STRACE = shutil.which("strace")


def child_env(**extra: str) -> dict[str, str]:
    """Environment for a child interpreter: no .pyc writes, the checkout importable."""
    env = dict(os.environ)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def child_cmd(*args: str) -> list[str]:
    """The real interpreter (not a shim) running tests/atomic_child.py."""
    return [sys.executable, str(CHILD), *args]


def temps(directory: Path) -> list[str]:
    """Names in ``directory`` that look like our temp files."""
    return sorted(name for name in os.listdir(directory) if TEMP_RE.match(name))


def run(
    cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command with a timeout, capturing text output."""
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=env, cwd=cwd)
