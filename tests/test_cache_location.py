"""Where the project index keeps its cache: the project's root, the user cache directory for
a loose file (never ``$HOME`` or the file's parent), ``--cache-dir`` and ``--no-cache``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest

from flake8_runner import flake8

CACHE = ".atomic_writes_cache"
HELPER = 'def put(path, text):\n    with open(path, "w") as f:\n        f.write(text)\n'
CALLER = 'from helpers import put\n\nput("settings.json", "")\n'
FINDING = "main passes 'settings.json'"  # the evidence comes from the index: it was built


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home directory holding two loose scripts (no project marker anywhere above them)."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "helpers.py").write_text(HELPER)
    (home / "main.py").write_text(CALLER)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return home


def check(cwd: Path, *args: str) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(
        [sys.executable, "-m", "flake8_atomic_writes", "check", *args], cwd=cwd, capture_output=True, text=True
    )


def entries(directory: Path) -> List[Path]:
    return sorted(directory.rglob("*.json")) if directory.is_dir() else []


def test_flake8_on_a_loose_file_caches_in_the_user_cache_dir(home: Path, tmp_path: Path) -> None:
    run = flake8(["--select=AW", "helpers.py"], cwd=home)
    assert FINDING in run.stdout, run.stdout + run.stderr
    assert not (home / CACHE).exists() and not (tmp_path / CACHE).exists()
    assert entries(tmp_path / "xdg" / "flake8-atomic-writes")


def test_a_project_keeps_its_cache_at_its_root(home: Path) -> None:
    (home / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    assert FINDING in flake8(["--select=AW", "helpers.py"], cwd=home).stdout
    assert entries(home / CACHE)


@pytest.mark.parametrize("how", ["flag", "config", "flake8", "flake8-config"])
def test_cache_dir_names_the_directory(home: Path, tmp_path: Path, how: str) -> None:
    (home / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    target = tmp_path / "elsewhere"
    if how.endswith("config"):
        (home / "setup.cfg").write_text(f"[flake8]\natomic-writes-cache-dir = {target}\n")
    runs: Dict[str, List[str]] = {
        "flag": ["check", f"--cache-dir={target}"],
        "config": ["check"],
        "flake8": ["flake8", f"--atomic-writes-cache-dir={target}"],
        "flake8-config": ["flake8"],
    }
    tool, *args = runs[how]
    run = check(home, *args, "helpers.py") if tool == "check" else flake8(["--select=AW", *args, "helpers.py"], home)
    assert FINDING in run.stdout, run.stdout + run.stderr
    assert entries(target) and not (home / CACHE).exists()


@pytest.mark.parametrize("how", ["flag", "config", "flake8"])
def test_no_cache_writes_nothing(home: Path, tmp_path: Path, how: str) -> None:
    (home / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    if how == "config":
        (home / "setup.cfg").write_text("[flake8]\natomic-writes-no-cache = true\n")
    if how == "flake8":
        run = flake8(["--select=AW", "--atomic-writes-no-cache", "helpers.py"], home)
    else:
        run = check(home, *(["--no-cache"] if how == "flag" else []), "helpers.py")
    assert FINDING in run.stdout, run.stdout + run.stderr
    assert not (home / CACHE).exists() and not entries(tmp_path / "xdg")
    assert not any(CACHE in name for _, dirs, _ in os.walk(tmp_path) for name in dirs)
