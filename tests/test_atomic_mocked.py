"""The helpers never publish what they did not write: not under a test suite's mocks, not
when the temp file ends up holding fewer bytes than went into it."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Callable
from unittest import mock

import pytest

from flake8_atomic_writes import atomic, atomic_json_dump, atomic_open, atomic_write_bytes, atomic_write_text


def temps(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.endswith(".tmp")]


WRITERS: dict[str, Callable[[Path], None]] = {
    "atomic_open": lambda p: _write_through_atomic_open(p),
    "atomic_open_binary": lambda p: _write_through_atomic_open(p, binary=True),
    "atomic_write_text": lambda p: atomic_write_text(p, "new"),
    "atomic_write_bytes": lambda p: atomic_write_bytes(p, b"new"),
    "atomic_json_dump": lambda p: atomic_json_dump("new", p),
}


def _write_through_atomic_open(path: Path, binary: bool = False) -> None:
    if binary:
        with atomic_open(path, "wb") as b:
            b.write(b"new")
    else:
        with atomic_open(path, "w", encoding="utf-8") as f:
            f.write("new")


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_mocked_builtin_open_does_not_reach_the_helpers(tmp_path: Path, name: str) -> None:
    """A test suite that patches ``builtins.open`` (buku's does) must not make a helper
    publish an empty temp over the real file: the helpers write the real file."""
    target = tmp_path / "precious.cfg"
    target.write_text("user settings", encoding="utf-8")
    with mock.patch("builtins.open", mock.mock_open()) as mocked:
        WRITERS[name](target)
    mocked.assert_not_called()
    expected = b'"new"' if name == "atomic_json_dump" else b"new"
    assert target.read_bytes() == expected
    assert temps(tmp_path) == []


@pytest.mark.parametrize("patched", ["os.replace", "os.write", "os.fsync", "io.open", "os.fdopen"])
def test_helpers_use_what_they_bound_at_import(tmp_path: Path, patched: str) -> None:
    """Mocks of the os functions the protocol uses (spies, no-op fsyncs) do not change it."""
    target = tmp_path / "state.json"
    target.write_text("old", encoding="utf-8")
    with mock.patch(patched) as mocked:
        atomic_json_dump({"a": 1}, target)
        with atomic_open(tmp_path / "other.txt", "w", encoding="utf-8") as f:
            f.write("text")
    mocked.assert_not_called()
    assert json.loads(target.read_text(encoding="utf-8")) == {"a": 1}
    assert (tmp_path / "other.txt").read_text(encoding="utf-8") == "text"


def test_a_write_that_claims_bytes_it_did_not_write_is_not_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that reports success but leaves the temp short (a lying mock, a full disk
    that lies) is caught before the replace: the target keeps its content."""

    def lying_write(fd: int, data: Any) -> int:
        return len(data)

    monkeypatch.setattr(atomic, "_write", lying_write)
    target = tmp_path / "t.json"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(OSError, match="holds 0 of the 3 bytes written"):
        atomic_write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "old" and temps(tmp_path) == []


def test_atomic_open_does_not_publish_a_temp_shortened_behind_its_back(tmp_path: Path) -> None:
    target = tmp_path / "t.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(OSError, match="holds 0 of the 5 bytes written"):
        with atomic_open(target, "w", encoding="utf-8") as f:
            f.write("hello")
            f.flush()
            os.ftruncate(f.fileno(), 0)
    assert target.read_text(encoding="utf-8") == "old" and temps(tmp_path) == []


def test_atomic_open_publishes_seeks_truncates_and_writes_through_the_descriptor(tmp_path: Path) -> None:
    """What the handle itself does (seek back, truncate) and bytes added through its
    descriptor (``numpy.save`` writes that way) are what was written."""
    with atomic_open(tmp_path / "a", "w+", encoding="utf-8") as f:
        f.write("hello world")
        f.seek(0)
        f.truncate(5)
        f.seek(0, os.SEEK_END)
        f.write("!")
    assert (tmp_path / "a").read_text(encoding="utf-8") == "hello!"
    with atomic_open(tmp_path / "b", "wb") as b:
        b.write(b"head:")
        b.flush()
        os.write(b.fileno(), b"tail")
        b.seek(0, os.SEEK_END)
    assert (tmp_path / "b").read_bytes() == b"head:tail"
    with atomic_open(tmp_path / "c", "w", encoding="utf-8") as c:
        c.write("closed early")
        c.close()
    assert (tmp_path / "c").read_text(encoding="utf-8") == "closed early"
    assert temps(tmp_path) == []


def test_atomic_open_handle_is_like_open(tmp_path: Path) -> None:
    with atomic_open(tmp_path / "t", "w", encoding="utf-8", newline="\r\n") as f:
        assert f.mode == "w" and f.encoding == "utf-8" and f.writable() and not f.readable()
        f.write("a\n")
    assert (tmp_path / "t").read_bytes() == b"a\r\n"
    with atomic_open(tmp_path / "u", "wb+") as g:
        assert g.mode == "rb+" and g.readable() and g.writable()
        g.write(b"xy")
        g.seek(0)
        assert g.read() == b"xy"
