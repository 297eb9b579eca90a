"""Check a diff with the real ``git apply --check`` in a throwaway repository."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Mapping, Union

import pytest


def git(cwd: Path, *args: str, stdin: Union[str, bytes] = "") -> "subprocess.CompletedProcess[str]":
    """Run git; ``stdin`` as bytes goes to it unchanged (a diff is bytes)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    proc = subprocess.run(["git", *args], cwd=cwd, input=data, capture_output=True, timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode(), proc.stderr.decode())


def init_repo(root: Path) -> None:
    """Make ``root`` a git repository with everything in it committed."""
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "before")


def assert_applies(root: Path, diff: Union[str, bytes]) -> None:
    """``git apply --check`` accepts ``diff`` in the repository at ``root``."""
    assert diff, "no diff to check"
    result = git(root, "apply", "--check", "-", stdin=diff)
    assert result.returncode == 0, result.stderr + (diff if isinstance(diff, str) else diff.decode(errors="replace"))


def assert_applies_to(tmp: Path, files: Mapping[str, str], diff: Union[str, bytes]) -> None:
    """Write ``files`` (path -> text, byte for byte) into a new repository and check ``diff`` there."""
    for name, text in files.items():
        path = tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    init_repo(tmp)
    assert_applies(tmp, diff)
