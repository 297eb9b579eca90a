"""Permission bits, umask, explicit file_mode, owner and symlinks survive an atomic write."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import Callable

import pytest
from atomic_support import child_env, run, temps

from flake8_atomic_writes import atomic_json_dump, atomic_open, atomic_write_bytes
from flake8_atomic_writes import atomic_write_text


def _via_open(p: Path, data: bytes) -> None:
    with atomic_open(p, "wb") as f:
        f.write(data)


WRITERS: dict[str, Callable[[Path, bytes], None]] = {
    "bytes": lambda p, d: atomic_write_bytes(p, d),
    "text": lambda p, d: atomic_write_text(p, d.decode()),
    "json": lambda p, d: atomic_json_dump(d.decode(), p),
    "open": _via_open,
}


def _mode(p: Path) -> int:
    return stat.S_IMODE(os.stat(p).st_mode)


@pytest.mark.parametrize("writer", sorted(WRITERS))
@pytest.mark.parametrize("mode", [0o600, 0o640, 0o644, 0o755, 0o444])
def test_existing_mode_preserved(tmp_path: Path, mode: int, writer: str) -> None:
    target = tmp_path / "f"
    target.write_bytes(b"old")
    os.chmod(target, mode)
    WRITERS[writer](target, b"new")
    assert _mode(target) == mode
    assert b"new" in target.read_bytes()


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o077, 0o002])
def test_new_file_honours_umask(tmp_path: Path, umask: int) -> None:
    """Run in a child with its own umask: the test process's umask is never touched."""
    code = (
        "import os, sys; from flake8_atomic_writes import atomic_write_bytes, atomic_open\n"
        f"os.umask({umask}); atomic_write_bytes(sys.argv[1] + '/a', b'x')\n"
        "with atomic_open(sys.argv[1] + '/b', 'w') as f: f.write('x')\n"
        "with open(sys.argv[1] + '/c', 'w') as f: f.write('x')\n"
    )
    proc = run([sys.executable, "-c", code, str(tmp_path)], env=child_env())
    assert proc.returncode == 0, proc.stderr
    assert _mode(tmp_path / "a") == 0o666 & ~umask
    assert _mode(tmp_path / "b") == _mode(tmp_path / "c") == 0o666 & ~umask


@pytest.mark.parametrize("file_mode", [0o600, 0o640, 0o755, 0o400])
def test_explicit_file_mode(tmp_path: Path, file_mode: int) -> None:
    new, existing = tmp_path / "new", tmp_path / "existing"
    existing.write_bytes(b"old")
    os.chmod(existing, 0o666)
    atomic_write_bytes(new, b"x", file_mode=file_mode)
    atomic_write_text(existing, "x", file_mode=file_mode)
    assert _mode(new) == _mode(existing) == file_mode


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_owner_preserved_as_root(tmp_path: Path, writer: str) -> None:
    target = tmp_path / "owned"
    target.write_bytes(b"old")
    os.chown(target, 1234, 4321)
    os.chmod(target, 0o640)
    WRITERS[writer](target, b"new")
    st = os.stat(target)
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (1234, 4321, 0o640)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_setgid_bit_survives_chown(tmp_path: Path) -> None:
    """fchown runs before fchmod: chown would otherwise clear the setgid bit."""
    target = tmp_path / "tool"
    target.write_bytes(b"old")
    os.chown(target, 1234, 4321)
    os.chmod(target, 0o2755)
    atomic_write_bytes(target, b"new")
    assert _mode(target) == 0o2755


def test_symlink_relative_written_through(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "config.json"
    real.write_text("old")
    os.chmod(real, 0o640)
    link = tmp_path / "config.json"
    link.symlink_to("real/config.json")
    atomic_write_text(link, "new")
    assert os.readlink(link) == "real/config.json"
    assert real.read_text() == "new" and _mode(real) == 0o640
    assert temps(tmp_path) == [] and temps(tmp_path / "real") == []


def test_symlink_absolute_and_chained(tmp_path: Path) -> None:
    real = tmp_path / "data" / "real.txt"
    real.parent.mkdir()
    real.write_text("old")
    hop = tmp_path / "hop"
    hop.symlink_to(real)  # absolute
    link = tmp_path / "link"
    link.symlink_to("hop")  # relative, to another link
    with atomic_open(link, "w") as f:
        f.write("new")
    assert link.is_symlink() and hop.is_symlink()
    assert os.readlink(hop) == str(real) and os.readlink(link) == "hop"
    assert real.read_text() == "new"


def test_dangling_symlink_creates_target(tmp_path: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to("sub/missing.txt")
    (tmp_path / "sub").mkdir()
    atomic_write_text(link, "created")
    assert link.is_symlink()
    assert (tmp_path / "sub" / "missing.txt").read_text() == "created"
    control = tmp_path / "control"  # open("w") does the same through a dangling link
    control.symlink_to("sub/control.txt")
    with open(control, "w") as f:
        f.write("created")
    assert control.is_symlink() and (tmp_path / "sub" / "control.txt").exists()


def test_symlink_loop_is_an_error(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.symlink_to("b")
    b.symlink_to("a")
    with pytest.raises(OSError):
        atomic_write_text(a, "x")
    assert a.is_symlink() and b.is_symlink()
    assert temps(tmp_path) == []


def test_follow_symlinks_false_replaces_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.write_text("untouched")
    link = tmp_path / "link"
    link.symlink_to(real)
    atomic_write_text(link, "own file", follow_symlinks=False)
    assert not link.is_symlink()
    assert link.read_text() == "own file"
    assert real.read_text() == "untouched"
