"""Real kernels, real faults: a full tmpfs (ENOSPC) and a single-file bind mount (EBUSY)."""

from __future__ import annotations

import errno
import subprocess
from pathlib import Path
from typing import Iterator

import pytest
from atomic_support import temps

from flake8_atomic_writes import atomic_open, atomic_write_bytes
from flake8_atomic_writes.atomic import TargetBusyError


def _mount(*args: str) -> None:
    proc = subprocess.run(["mount", *args], capture_output=True, text=True, timeout=30)
    if proc.returncode != 0:
        pytest.skip(f"mount is not permitted here: {proc.stderr.strip() or proc.returncode}")


def _umount(path: Path) -> None:
    subprocess.run(["umount", str(path)], capture_output=True, timeout=30, check=True)


@pytest.fixture
def small_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs, unmounted afterwards whatever happens."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    _mount("-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt))
    try:
        yield mnt
    finally:
        _umount(mnt)


def test_full_disk_raises_enospc_and_keeps_target(small_tmpfs: Path) -> None:
    target = small_tmpfs / "state.json"
    target.write_bytes(b"old" * 100)
    with pytest.raises(OSError) as info:
        atomic_write_bytes(target, b"n" * 100_000)
    assert info.value.errno == errno.ENOSPC
    assert target.read_bytes() == b"old" * 100
    assert temps(small_tmpfs) == []
    atomic_write_bytes(target, b"small")  # space is back: the next write works
    assert target.read_bytes() == b"small"


def test_full_disk_atomic_open_keeps_target(small_tmpfs: Path) -> None:
    target = small_tmpfs / "state.txt"
    target.write_text("old")
    with pytest.raises(OSError) as info:
        with atomic_open(target, "w") as f:
            for _ in range(100):
                f.write("x" * 1000)
    assert info.value.errno == errno.ENOSPC
    assert target.read_text() == "old"
    assert temps(small_tmpfs) == []


def test_single_file_bind_mount_raises_target_busy(tmp_path: Path) -> None:
    host = tmp_path / "host.json"
    host.write_text('{"v": 1}')
    app = tmp_path / "app"
    app.mkdir()
    target = app / "config.json"
    target.write_text("")
    _mount("--bind", str(host), str(target))
    try:
        with pytest.raises(TargetBusyError) as info:
            atomic_write_bytes(target, b'{"v": 2}')
        assert info.value.errno == errno.EBUSY
        assert isinstance(info.value, OSError)
        assert "bind mount" in str(info.value)
        assert target.read_text() == '{"v": 1}'
        assert temps(app) == []
    finally:
        _umount(target)
    assert host.read_text() == '{"v": 1}'
