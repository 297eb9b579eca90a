"""The project cache believes no entry it cannot verify: a flipped byte, nested or garbage
JSON, a FIFO, a symlink to ``/dev/zero`` or a cache directory that is a symlink are rebuilt
or refused, and flake8 reports what it reports with a clean cache."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import List, Tuple

import pytest

from flake8_runner import FIXTURES

from flake8_atomic_writes.project.cache import seal, unseal

CACHE = ".atomic_writes_cache"
TIMEOUT = 60  # a hang (a FIFO read, /dev/zero read to the end) fails the test, not the suite


def flake8(project: Path) -> str:
    """The real flake8 over the project: its report (a failure or a traceback fails the test)."""
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select=AW,E9", "-j", "2", "."],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    return result.stdout


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    target = tmp_path / "notebook"
    shutil.copytree(FIXTURES / "projects" / "notebook", target, ignore=shutil.ignore_patterns(CACHE, "__pycache__"))
    return target


@pytest.fixture()
def clean(project: Path) -> str:
    """The report with a cache built from scratch (and now warm)."""
    report = flake8(project)
    assert report.count("AW1") >= 4
    return report


def entries(project: Path) -> List[Path]:
    found = sorted((project / CACHE).glob("*.json"))
    assert len(found) >= 5
    return found


def all_regular(project: Path) -> bool:
    return all(stat.S_ISREG(os.lstat(p).st_mode) for p in entries(project))


def test_a_flipped_byte_is_not_believed(project: Path, clean: str) -> None:
    flipped = 0
    for entry in entries(project):
        data = entry.read_bytes()
        if b'"location"' in data:
            entry.write_bytes(data.replace(b'"location"', b'"locatioN"'))
            flipped += 1
    assert flipped >= 2
    assert flake8(project) == clean
    assert not any(b"locatioN" in entry.read_bytes() for entry in entries(project)), "rebuilt"


@pytest.mark.parametrize(
    "mutation",
    [
        (b'["location",', b'["locatioN",'),  # not a kind of evidence
        (b'["location",', b'[["location"],'),  # a list where a string goes
        (b'"line":', b'"line":"1",' + b'"was":'),  # a string where a number goes
        (b'"module":', b'"extra":1,"module":'),  # a field no summary has
    ],
    ids=["kind", "list", "number", "extra"],
)
def test_an_entry_with_a_valid_checksum_and_the_wrong_shape_is_not_believed(
    project: Path, clean: str, mutation: Tuple[bytes, bytes]
) -> None:
    """What the summary's schema does not allow is rejected even when the checksum holds
    (an entry written by another tool, or by a bug)."""
    old, new = mutation
    changed = 0
    for entry in entries(project):
        payload = unseal(entry.read_bytes())
        assert payload is not None
        summary = json.dumps(payload["summary"], separators=(",", ":"), sort_keys=True).encode()
        if old in summary:
            payload["summary"] = json.loads(summary.replace(old, new))
            entry.write_bytes(seal(payload))
            changed += 1
    assert changed >= 1
    assert flake8(project) == clean
    assert not any(new in entry.read_bytes() for entry in entries(project)), "rebuilt"


@pytest.mark.parametrize("depth", [100_000])
def test_deeply_nested_json_is_not_believed(project: Path, clean: str, depth: int) -> None:
    for entry in entries(project):
        entry.write_bytes(b'{"version":' + b"[" * depth + b"]" * depth + b"}")
    assert flake8(project) == clean
    assert all(b"[[[" not in entry.read_bytes() for entry in entries(project))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_entry_is_not_read(project: Path, clean: str) -> None:
    for entry in entries(project):
        entry.unlink()
        os.mkfifo(entry)
    assert flake8(project) == clean
    assert all_regular(project), "rebuilt as files"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_a_symlink_entry_is_not_followed(project: Path, clean: str) -> None:
    for entry in entries(project):
        entry.unlink()
        entry.symlink_to("/dev/zero")
    assert flake8(project) == clean
    assert all_regular(project), "rebuilt as files"
    assert os.path.getsize("/dev/zero") == 0


def test_a_cache_directory_that_is_a_symlink_is_not_followed(project: Path, clean: str, tmp_path: Path) -> None:
    shutil.rmtree(project / CACHE)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / CACHE).symlink_to(elsewhere)
    assert flake8(project) == clean
    assert list(elsewhere.iterdir()) == [], "nothing written through the link"
    (elsewhere / "planted.json").write_bytes(b"{}")
    assert flake8(project) == clean
