from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

ROOT = Path(__file__).resolve().parents[1]
BUILD_LEFTOVERS = (".git", "venv", "*.egg-info", "build", "dist", "__pycache__", ".*_cache", ".hypothesis")


@pytest.fixture(autouse=True)
def _user_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The project index's user cache directory (where loose files' summaries go) is a
    temporary one, so no test writes into the real ``~/.cache``; subprocesses inherit it."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "user-cache"))


@pytest.fixture(scope="session")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist, and the wheel built from it, as ``python -m build`` makes them for a release."""
    if not (ROOT / ".git").exists():
        pytest.skip("building the release needs the checkout (this is an unpacked sdist)")
    out = tmp_path_factory.mktemp("dist")
    # A clean copy: a stale *.egg-info/SOURCES.txt (pip install -e writes one) would add
    # files to the sdist that MANIFEST.in forgot.
    source = out / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*BUILD_LEFTOVERS))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out
