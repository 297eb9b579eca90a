"""The built wheel ships every module of the package (an editable install hides a missing one)."""

from __future__ import annotations

import pytest

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from flake8_runner import ROOT

pytestmark = pytest.mark.slow  # builds the release and installs it

PACKAGE = ROOT / "flake8_atomic_writes"


def test_wheel_contains_every_module(tmp_path: Path) -> None:
    # Build from a clean copy: setuptools would reuse a stale build/ directory of the checkout.
    source = tmp_path / "src"
    ignore = shutil.ignore_patterns(".git", ".ci", "build", "*.egg-info", "__pycache__", ".*cache")
    shutil.copytree(ROOT, source, ignore=ignore)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (wheel,) = tmp_path.glob("flake8_atomic_writes-*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    sources = {p.relative_to(ROOT).as_posix() for p in PACKAGE.rglob("*.py")}
    assert "flake8_atomic_writes/analysis/__init__.py" in sources
    assert sources <= shipped, sorted(sources - shipped)
    assert "flake8_atomic_writes/py.typed" in shipped
