"""Fixing one file: the fix, the diff git applies, and a write that respects the file.

The diff is made from the file's bytes and the bytes the fix writes (a BOM, a latin-1 file's
own bytes, a file name that is not UTF-8 all kept), so that ``git apply`` takes it.

Nothing here raises for one file's trouble: a read-only file, or an ``OSError`` while writing
(an unwritable directory, a full disk), comes back as the file's note, so a run over many files
goes on. The file is written with our own atomic helper, which keeps its mode, owner and group
and writes through symlinks.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from typing import Optional, Sequence

from ..atomic import atomic_write_text
from ..config import Config
from ..rules import Finding
from . import diff
from .model import FixResult
from .planner import fix_source

READ_ONLY = "read-only, not fixed"


@dataclass(frozen=True)
class FileFix:
    """What fixing one file did: the fixer's result, the new text and its diff, and a file-level note."""

    result: FixResult
    new_text: Optional[str]  # None when nothing changed (or nothing could be written)
    diff: bytes
    note: str = ""  # why the file was not written ("read-only, not fixed", an OSError)
    reason: str = ""  # the same, as the reason of each finding left in it


def fix_file(
    text: str,
    findings: Sequence[Finding],
    *,
    original: bytes,
    display: str,
    encoding: str,
    real_path: Optional[str],
    config: Config,
    unsafe: bool,
    write: bool,
    line_length: int,
) -> FileFix:
    """Fix ``text`` (``original``, the file ``display``, decoded); write it back to
    ``real_path`` when ``write``."""
    if write and real_path is not None and is_read_only(real_path):
        return FileFix(FixResult(text), None, b"", READ_ONLY, "the file is read-only")
    result = fix_source(text, findings, filename=display, config=config, unsafe=unsafe, line_length=line_length)
    if result.source == text:
        return FileFix(result, None, b"")
    diff = unified_diff(original, result.source.encode(encoding), diff_path(display))
    if write and real_path is not None:
        try:
            atomic_write_text(real_path, result.source, encoding=encoding, newline="")
        except OSError as exc:
            error = f"{type(exc).__name__}: {exc}"
            return FileFix(result, None, diff, f"not fixed: {error}", f"the file could not be written ({error})")
    return FileFix(result, result.source, diff)


def is_read_only(path: str) -> bool:
    """No write permission for us, or no write bit at all (which root would ignore), like black and ruff."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False  # the write reports it
    return not os.access(path, os.W_OK) or not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def diff_path(display: str) -> str:
    """The path as git writes it in a diff: relative to the working directory, with ``/``."""
    try:
        path = display if display == "-" else os.path.relpath(os.path.abspath(display))
    except ValueError:  # Windows: another drive than the working directory's
        path = display
    return path.replace(os.sep, "/")


def unified_diff(old: bytes, new: bytes, path: str) -> bytes:
    """A unified diff of two files' bytes, with ``a/`` and ``b/`` prefixes that ``git apply`` accepts."""
    return diff.unified_diff(old, new, os.fsencode(path))
