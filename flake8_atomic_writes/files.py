"""Reading files that others name: regular files only, never blocking, bounded when asked.

A FIFO or a device named ``*.py`` (or a cache entry that is a symlink to ``/dev/zero``)
must neither hang a run nor fill its memory: files are opened with ``O_NONBLOCK`` and read
only when ``fstat`` says they are regular files.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import Optional, Union

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
PathLike = Union[str, "os.PathLike[str]"]


class NotRegularFile(OSError):
    """The path is a FIFO, a device, a socket or a directory: it is not read."""


def is_special_file(path: PathLike) -> bool:
    """``path`` exists and is (or links to) something other than a regular file: a FIFO, a
    device, a socket. A dangling symlink is not: reading it fails, and is reported (E902)."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def read_regular(path: PathLike, *, follow_symlinks: bool = True, limit: Optional[int] = None) -> bytes:
    """The bytes of the regular file ``path``.

    Raises ``NotRegularFile`` for anything else (``follow_symlinks=False``: a symlink too,
    as ``ELOOP``), and ``OSError`` (``EFBIG``) when the file is larger than ``limit`` bytes.
    """
    fd = os.open(path, _FLAGS | (0 if follow_symlinks else _NOFOLLOW))
    with open(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(errno.EINVAL, "not a regular file", os.fspath(path))
        data = handle.read() if limit is None else handle.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise OSError(errno.EFBIG, f"larger than {limit} bytes", os.fspath(path))
    return data
