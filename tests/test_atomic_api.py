"""The helpers' API: same bytes as the non-atomic code they replace, and clean failures."""

from __future__ import annotations

import errno
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from atomic_support import temps

import flake8_atomic_writes
from flake8_atomic_writes import (
    DirectorySyncError,
    atomic_json_dump,
    atomic_open,
    atomic_write_bytes,
    atomic_write_text,
)
from flake8_atomic_writes import atomic
from flake8_atomic_writes.atomic import TargetBusyError

DOC: Any = {"b": [1, 2.5, None, True], "a": {"ü": "Grüße, 世界", "e": "\u2028"}, "z": "\x00"}


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"indent": 2},
        {"indent": 4, "sort_keys": True},
        {"ensure_ascii": False},
        {"ensure_ascii": False, "indent": "\t", "sort_keys": True},
        {"separators": (",", ":")},
        {"default": str, "indent": 1},
    ],
    ids=str,
)
def test_json_bytes_equal_json_dump(tmp_path: Path, kwargs: dict[str, Any]) -> None:
    doc = {**DOC, "path": tmp_path} if "default" in kwargs else DOC
    with open(tmp_path / "ref.json", "w", encoding="utf-8") as f:
        json.dump(doc, f, **kwargs)
    atomic_json_dump(doc, tmp_path / "ours.json", **kwargs)
    assert (tmp_path / "ours.json").read_bytes() == (tmp_path / "ref.json").read_bytes()
    atomic_json_dump(doc, tmp_path / "nl.json", trailing_newline=True, **kwargs)
    assert (tmp_path / "nl.json").read_bytes() == (tmp_path / "ref.json").read_bytes() + b"\n"


@pytest.mark.parametrize("bad", [{"x": object()}, {"x": float("nan")}, {(1, 2): 3}])
def test_json_serialisation_error_touches_nothing(tmp_path: Path, bad: Any) -> None:
    target = tmp_path / "t.json"
    target.write_text("old")
    with pytest.raises((TypeError, ValueError)):
        atomic_json_dump(bad, target, allow_nan=False)
    assert target.read_text() == "old" and temps(tmp_path) == []


def test_text_encoding_errors_newline(tmp_path: Path) -> None:
    p = tmp_path / "t.txt"
    atomic_write_text(p, "é\nx", encoding="latin-1")
    assert p.read_bytes() == "é\nx".encode("latin-1")
    atomic_write_text(p, "a\nb", newline="\r\n")
    assert p.read_bytes() == b"a\r\nb"
    atomic_write_text(p, "é", encoding="ascii", errors="replace")
    assert p.read_bytes() == b"?"
    with pytest.raises(UnicodeEncodeError):
        atomic_write_text(p, "é", encoding="ascii")
    assert p.read_bytes() == b"?" and temps(tmp_path) == []
    with pytest.raises(TypeError):
        atomic_write_text(p, b"bytes")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        atomic_write_text(p, "x", newline="\t")


@pytest.mark.parametrize("newline", [None, "", "\n", "\r", "\r\n"])
def test_text_matches_path_write_text(tmp_path: Path, newline: str | None) -> None:
    data = "one\ntwo\r\nthree\rfour"
    (tmp_path / "ref").write_bytes(b"")
    with open(tmp_path / "ref", "w", encoding="utf-16", newline=newline) as f:
        f.write(data)
    atomic_write_text(tmp_path / "ours", data, encoding="utf-16", newline=newline)
    with atomic_open(tmp_path / "ours2", "w", encoding="utf-16", newline=newline) as f:
        f.write(data)
    ref = (tmp_path / "ref").read_bytes()
    assert (tmp_path / "ours").read_bytes() == ref == (tmp_path / "ours2").read_bytes()


def test_bytes_accepts_buffers_and_path_types(tmp_path: Path) -> None:
    atomic_write_bytes(str(tmp_path / "a"), bytearray(b"ab"))
    atomic_write_bytes(tmp_path / "b", memoryview(b"xxcd")[2:])
    atomic_write_bytes(os.fsencode(tmp_path / "c"), b"ef")
    assert [(tmp_path / n).read_bytes() for n in "abc"] == [b"ab", b"cd", b"ef"]
    with pytest.raises(TypeError):
        atomic_write_bytes(tmp_path / "d", "text")  # type: ignore[arg-type]
    assert not (tmp_path / "d").exists() and temps(tmp_path) == []


def test_large_write_is_complete(tmp_path: Path) -> None:
    data = os.urandom(8 * 1024 * 1024 + 3)
    atomic_write_bytes(tmp_path / "big", data, durable=False)
    assert (tmp_path / "big").read_bytes() == data


def test_short_writes_are_looped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = os.write
    sizes: list[int] = []

    def short_write(fd: int, data: Any) -> int:
        n = real_write(fd, bytes(data)[:7])
        sizes.append(n)
        return n

    monkeypatch.setattr(atomic, "_write", short_write)
    atomic_write_bytes(tmp_path / "t", b"x" * 50)
    assert (tmp_path / "t").read_bytes() == b"x" * 50 and len(sizes) == 8


def test_atomic_open_commits_text_and_binary(tmp_path: Path) -> None:
    with atomic_open(tmp_path / "t", "w", encoding="utf-8") as f:
        assert isinstance(f, io.TextIOBase)
        f.write("hé")
        assert not (tmp_path / "t").exists()  # invisible until the block ends
    with atomic_open(tmp_path / "b", "wb") as g:
        assert isinstance(g, io.BufferedIOBase)
        g.write(b"\x00\xff")
    with atomic_open(tmp_path / "rw", "w+") as h:
        h.write("abc")
        h.seek(0)
        assert h.read() == "abc"
    assert (tmp_path / "t").read_bytes() == "hé".encode()
    assert (tmp_path / "b").read_bytes() == b"\x00\xff"
    assert (tmp_path / "rw").read_text() == "abc" and temps(tmp_path) == []


def test_atomic_open_default_encoding_is_opens(tmp_path: Path) -> None:
    with atomic_open(tmp_path / "a") as f, open(tmp_path / "b", "w") as g:
        assert f.encoding == g.encoding and f.errors == g.errors


@pytest.mark.parametrize("exc", [RuntimeError("boom"), KeyboardInterrupt()])
def test_atomic_open_discards_on_exception(tmp_path: Path, exc: BaseException) -> None:
    target = tmp_path / "t"
    target.write_text("old")
    with pytest.raises(type(exc)) as info:
        with atomic_open(target, "w") as f:
            f.write("partial new content")
            raise exc
    assert info.value is exc
    assert target.read_text() == "old" and temps(tmp_path) == []


def test_atomic_open_block_may_close_the_file(tmp_path: Path) -> None:
    with atomic_open(tmp_path / "t", "w") as f:
        f.write("done")
        f.close()
    assert (tmp_path / "t").read_text() == "done" and temps(tmp_path) == []


def test_exclusive_mode(tmp_path: Path) -> None:
    target = tmp_path / "t"
    with atomic_open(target, "x") as f:
        f.write("first")
    with pytest.raises(FileExistsError):
        with atomic_open(target, "xb"):
            pass
    with pytest.raises(FileExistsError):  # created by someone else meanwhile: no clobbering
        with atomic_open(tmp_path / "race", "x") as f:
            f.write("ours")
            (tmp_path / "race").write_text("theirs")
    assert target.read_text() == "first" and (tmp_path / "race").read_text() == "theirs"
    assert temps(tmp_path) == []


@pytest.mark.parametrize("mode", ["r", "a", "r+", "wx", "wbt", "ww", "w+b+", "", "ab"])
def test_atomic_open_rejects_other_modes(tmp_path: Path, mode: str) -> None:
    with pytest.raises(ValueError):
        atomic_open(tmp_path / "t", mode)
    assert os.listdir(tmp_path) == []


def test_binary_mode_rejects_encoding(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        with atomic_open(tmp_path / "t", "wb", encoding="utf-8"):
            pass
    assert os.listdir(tmp_path) == []


def test_bare_relative_filename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    atomic_write_text("state.txt", "a")
    atomic_json_dump([1], "state.json")
    with atomic_open("opened.txt", "w") as f:
        os.chdir("/")  # the block may change directory: the target was fixed at open
        f.write("b")
    assert (tmp_path / "state.txt").read_text() == "a"
    assert (tmp_path / "state.json").read_text() == "[1]"
    assert (tmp_path / "opened.txt").read_text() == "b"


def test_directory_target(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError) as info:
        atomic_write_text(tmp_path, "x")
    assert "directory" in str(info.value)
    (tmp_path / "link").symlink_to(tmp_path)
    with pytest.raises(IsADirectoryError):
        atomic_write_bytes(tmp_path / "link", b"x")
    assert temps(tmp_path) == []


def test_special_file_target_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(OSError) as info:
        atomic_write_bytes(fifo, b"x")
    assert info.value.errno == errno.EINVAL
    assert fifo.is_fifo()


def test_missing_parent_and_make_parents(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "c.json"
    with pytest.raises(FileNotFoundError) as info:
        atomic_json_dump({}, target)
    assert info.value.filename == str(tmp_path / "a" / "b")
    assert "make_parents" in str(info.value)
    assert os.listdir(tmp_path) == []
    atomic_json_dump({}, target, make_parents=True)
    atomic_write_text(tmp_path / "x" / "y", "1", make_parents=True, durable=False)
    with atomic_open(tmp_path / "a" / "new" / "z", "w", make_parents=True) as f:
        f.write("2")
    assert target.read_text() == "{}" and (tmp_path / "a" / "new" / "z").read_text() == "2"


def test_parent_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    with pytest.raises(NotADirectoryError):
        atomic_write_text(tmp_path / "file" / "x", "1", make_parents=True)


def test_directory_sync_failure_is_its_own_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(directory: str) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(atomic, "_fsync_dir", fail)
    target = tmp_path / "t"
    target.write_text("old")
    with pytest.raises(DirectorySyncError) as info:
        atomic_write_text(target, "new")
    assert isinstance(info.value, OSError) and info.value.errno == errno.EIO
    assert "in place but not yet durable" in str(info.value)
    assert target.read_text() == "new" and temps(tmp_path) == []
    atomic_write_text(target, "newer", durable=False)  # no directory fsync: no error
    assert target.read_text() == "newer"


def test_fsync_failure_is_not_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def fsync(fd: int) -> None:
        calls.append(fd)
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(atomic, "_fsync", fsync)
    target = tmp_path / "t"
    target.write_text("old")
    with pytest.raises(OSError):
        atomic_write_text(target, "new")
    assert len(calls) == 1 and target.read_text() == "old" and temps(tmp_path) == []


def test_ebusy_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def busy(src: str, dst: str) -> None:
        raise OSError(errno.EBUSY, "Device or resource busy")

    monkeypatch.setattr(atomic, "_replace", busy)
    target = tmp_path / "t"
    target.write_text("old")
    with pytest.raises(TargetBusyError) as info:
        with atomic_open(target, "w") as f:
            f.write("new")
    assert info.value.errno == errno.EBUSY and info.value.filename == str(target)
    assert target.read_text() == "old" and temps(tmp_path) == []


def test_long_names_get_a_short_temp(tmp_path: Path) -> None:
    name = "é" * 120 + ".json"  # 245 bytes: our prefix and suffix would exceed NAME_MAX
    atomic_write_text(tmp_path / name, "x")
    assert (tmp_path / name).read_text() == "x" and temps(tmp_path) == []


def test_public_names() -> None:
    for name in ("DirectorySyncError", "atomic_json_dump", "atomic_open", "atomic_write_bytes",
                 "atomic_write_text", "cleanup_stale_temps"):
        assert getattr(flake8_atomic_writes, name) is getattr(atomic, name)
    assert issubclass(DirectorySyncError, OSError) and issubclass(TargetBusyError, OSError)
