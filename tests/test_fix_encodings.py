"""``fix --diff`` of files that are not plain UTF-8 (a BOM, a latin-1 or cp1252 coding line with
non-ASCII context): the diff is made from the file's bytes, so the real ``git apply`` takes
it and gives the bytes ``fix`` writes itself; ``fix -`` answers in the file's encoding too."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict

import pytest

from gitcheck import git, init_repo

BIN = Path(sys.executable).parent / "flake8-atomic-writes"
STATE = (
    "import json\n"
    "from pathlib import Path\n\n"
    'CONFIG_PATH = Path.home() / ".myapp" / "config.json"\n\n\n'
    "def save_settings(cfg):\n"
    "    # {note}\n"
    '    with open("settings.json", "w") as f:\n'
    "        json.dump(cfg, f)\n"
    "    # {note}\n"
)
FILES: Dict[str, bytes] = {
    "bom.py": b"\xef\xbb\xbf" + STATE.format(note="caf\u00e9 \u20ac").encode("utf-8"),
    "bom_crlf.py": b"\xef\xbb\xbf" + STATE.replace("\n", "\r\n").format(note="\u00fc").encode("utf-8"),
    "latin1.py": ("# -*- coding: latin-1 -*-\n" + STATE.format(note="caf\u00e9 r\u00e9glages")).encode("latin-1"),
    "cp1252.py": ("# coding: cp1252\n" + STATE.format(note="\u20ac 5, \u201cquoted\u201d")).encode("cp1252"),
}


def run(cwd: Path, *args: str, stdin: bytes = b"") -> "subprocess.CompletedProcess[bytes]":
    return subprocess.run([str(BIN), *args], cwd=cwd, input=stdin, capture_output=True, timeout=120)


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    for name, data in FILES.items():
        (root / name).write_bytes(data)
    init_repo(root)
    return root


def fixed_in_place(repo: Path, tmp_path: Path, name: str) -> bytes:
    """What ``fix`` writes for ``name``, in a copy of the repository."""
    copy = tmp_path / "copy"
    if not copy.exists():
        shutil.copytree(repo, copy)
        assert run(copy, "fix", ".").returncode == 1
    return (copy / name).read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FILES))
def test_the_diff_applies_and_gives_what_fix_writes(repo: Path, tmp_path: Path, name: str) -> None:
    proc = run(repo, "fix", "--diff", name)
    assert proc.returncode == 1, proc.stderr
    check = subprocess.run(["git", "apply", "--check", "-"], cwd=repo, input=proc.stdout, capture_output=True)
    assert check.returncode == 0, check.stderr.decode(errors="replace") + proc.stdout.decode(errors="replace")
    assert subprocess.run(["git", "apply", "-"], cwd=repo, input=proc.stdout).returncode == 0
    after = (repo / name).read_bytes()
    assert after == fixed_in_place(repo, tmp_path, name)
    assert after != FILES[name] and b"atomic_json_dump(cfg, " in after
    assert after.startswith(FILES[name][:3])  # the BOM or the coding line is kept


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FILES))
def test_fix_from_stdin_answers_in_the_files_encoding(repo: Path, tmp_path: Path, name: str) -> None:
    fixed = run(repo, "fix", "-", "--stdin-display-name", name, stdin=FILES[name])
    assert fixed.returncode == 1, fixed.stderr
    assert fixed.stdout == fixed_in_place(repo, tmp_path, name)
    diff = run(repo, "fix", "--diff", "-", "--stdin-display-name", name, stdin=FILES[name])
    assert diff.stdout == run(repo, "fix", "--diff", name).stdout


def test_git_is_here(repo: Path) -> None:
    assert git(repo, "status", "--porcelain").stdout == ""
    assert os.listdir(repo)
