"""Crash-safe whole-file writes: the readers see the old file or the new one, never a mix.

POSIX protocol (one call): resolve symlinks; create ``.{name}.{random}.tmp`` next to the real
target with ``O_EXCL|O_CLOEXEC|O_NOFOLLOW``; give it the target's owner and permission bits
(a new file gets ``0o666 & ~umask``, like ``open()``); write every byte; ``fsync``; close;
``os.replace``; ``fsync`` the directory. ``durable=False`` skips both fsyncs (atomic against
a process crash, not against power loss). On any failure before the replace the temp is
removed, the target is untouched and the original exception propagates.

Never publish what was not written: the functions the protocol calls are bound when this
module is imported (a test suite's ``mock.patch("builtins.open")`` or ``os.replace`` spy does
not reach them), and before the replace the temp's size is checked against the bytes that
went into it.

Standard library only: applications import this module in production.
"""

from __future__ import annotations

import errno
import io
import json
import os
import random
import re
import stat
import sys
import time
from contextlib import contextmanager
from typing import IO, Any, BinaryIO, Callable, ContextManager, Iterator, Literal, TextIO, Union
from typing import overload

__all__ = [
    "DirectorySyncError",
    "TargetBusyError",
    "atomic_json_dump",
    "atomic_open",
    "atomic_write_bytes",
    "atomic_write_text",
    "cleanup_stale_temps",
]

StrPath = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]

_IS_WINDOWS = os.name == "nt"
_CAN_SYNC_DIR = not _IS_WINDOWS
_BASE_FLAGS = (
    os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_BINARY", 0)
)
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
_TEMP_RE = re.compile(r"\.(.+)\.[0-9a-f]{12}\.tmp\Z", re.DOTALL)
_WIN_SHARING_ERRORS = frozenset({5, 32, 33})  # access denied, sharing / lock violation
_WIN_RETRY_SECONDS = 1.0

# Bound at import, never looked up at call time: see the module docstring.
_open_fd = os.open
_write = os.write
_fstat = os.fstat
_fsync = os.fsync
_close = os.close
_replace = os.replace
_rename = os.rename
_link = os.link
_unlink = os.unlink
_BufferedWriter = io.BufferedWriter
_BufferedRandom = io.BufferedRandom
_TextIOWrapper = io.TextIOWrapper


class DirectorySyncError(OSError):
    """The new content is in place, but the directory fsync failed: not yet durable."""


class TargetBusyError(OSError):
    """``os.replace`` failed with EBUSY: the target is a mount point (single-file bind mount)."""


# -- small steps -------------------------------------------------------------------------


def _fsync_file(fd: int) -> None:
    """fsync, with ``F_FULLFSYNC`` on macOS (plain fsync does not flush the drive cache)."""
    if sys.platform == "darwin":
        import fcntl

        try:
            fcntl.fcntl(fd, fcntl.F_FULLFSYNC)
            return
        except OSError as exc:
            if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.ENOTTY):
                raise
    _fsync(fd)


def _resolve(path: StrPath, follow_symlinks: bool) -> tuple[str, os.stat_result | None]:
    """Return the absolute path to write and its current ``lstat`` (None when missing)."""
    target = os.path.abspath(os.fsdecode(path))
    try:
        st: os.stat_result | None = os.lstat(target)
    except FileNotFoundError:
        st = None
    if st is not None and follow_symlinks and stat.S_ISLNK(st.st_mode):
        target = os.path.realpath(target)  # chains, relative links; dangling -> its target
        try:
            st = os.lstat(target)
        except FileNotFoundError:
            st = None
        if st is not None and stat.S_ISLNK(st.st_mode):
            raise OSError(errno.ELOOP, "too many levels of symbolic links", os.fsdecode(path))
    if st is not None and not stat.S_ISREG(st.st_mode) and not stat.S_ISLNK(st.st_mode):
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory, not a file", target)
        raise OSError(errno.EINVAL, "not a regular file; refusing to replace it", target)
    return target, st


def _make_parents(directory: str, durable: bool) -> None:
    """Create ``directory`` and its missing parents; fsync each new entry's parent."""
    missing = []
    while not os.path.isdir(directory):
        missing.append(directory)
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    for new in reversed(missing):
        try:
            os.mkdir(new)
        except FileExistsError:
            if not os.path.isdir(new):
                raise
            continue
        if durable and _CAN_SYNC_DIR:
            _fsync_dir(os.path.dirname(new))


def _temp_name(target: str) -> str:
    """``.{name}.{12 hex}.tmp`` in the target's directory (the name is shortened if long)."""
    directory, name = os.path.split(target)
    if len(name) > 100:
        name = os.fsdecode(os.fsencode(name)[:100])
    return os.path.join(directory, f".{name}.{os.urandom(6).hex()}.tmp")


def _copy_metadata(fd: int, st: os.stat_result | None, file_mode: int | None) -> None:
    """Give the temp the target's owner (best effort) and permission bits, through the fd."""
    if _IS_WINDOWS:
        return
    if st is not None and stat.S_ISREG(st.st_mode):
        if st.st_uid != os.geteuid() or st.st_gid != os.getegid():
            try:
                os.fchown(fd, st.st_uid, st.st_gid)  # before fchmod: chown clears setuid
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.EINVAL):
                    raise
                _keep_group(fd, st.st_gid)
        if file_mode is None:
            os.fchmod(fd, stat.S_IMODE(st.st_mode))
    if file_mode is not None:
        os.fchmod(fd, file_mode & 0o7777)


def _keep_group(fd: int, gid: int) -> None:
    """Another user's file: keep at least its group, which a member of the group may set."""
    if gid != os.getegid():
        try:
            os.fchown(fd, -1, gid)
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.EINVAL):
                raise


def _create_temp(
    target: str,
    st: os.stat_result | None,
    *,
    file_mode: int | None,
    make_parents: bool,
    durable: bool,
    access: int,
) -> tuple[str, int]:
    """Create the temp next to ``target`` with its final metadata; return (path, fd)."""
    new_file = (st is None or not stat.S_ISREG(st.st_mode)) and file_mode is None
    create_mode = 0o666 if new_file else 0o600  # 0o666: the kernel applies the umask
    tmp = _temp_name(target)
    try:
        fd = _open_fd(tmp, _BASE_FLAGS | access, create_mode)
    except FileNotFoundError:
        directory = os.path.dirname(target)
        if os.path.isdir(directory):
            raise
        if not make_parents:
            raise FileNotFoundError(
                errno.ENOENT,
                "parent directory does not exist (pass make_parents=True to create it)",
                directory,
            ) from None
        _make_parents(directory, durable)
        fd = _open_fd(tmp, _BASE_FLAGS | access, create_mode)
    try:
        _copy_metadata(fd, st, file_mode)
    except BaseException:
        _discard(fd, tmp)
        raise
    return tmp, fd


def _write_all(fd: int, data: memoryview) -> None:
    """Write every byte: ``os.write`` may write less than asked."""
    written = _write(fd, data)
    while written < len(data):
        data = data[written:]
        written = _write(fd, data)


def _check_size(fd: int, expected: int, target: str) -> None:
    """Refuse to publish a temp that holds fewer bytes than were written into it."""
    size = _fstat(fd).st_size
    if size < expected:
        raise OSError(
            errno.EIO,
            f"the temp file holds {size} of the {expected} bytes written (is os.write mocked, "
            "or was the file truncated?); not published, the target is untouched",
            target,
        )


def _discard(fd: int, tmp: str) -> None:
    """Close ``fd`` (if open) and remove the temp, ignoring errors: the caller re-raises."""
    if fd >= 0:
        try:
            _close(fd)
        except OSError:
            pass
    try:
        _unlink(tmp)
    except OSError:
        pass


def _replace_with_retry(
    src: str,
    dst: str,
    replace: Callable[[str, str], None] | None = None,
    *,
    budget: float = _WIN_RETRY_SECONDS,
    sleep: Callable[[float], None] | None = None,
    clock: Callable[[], float] | None = None,
) -> None:
    """Windows: retry ``replace`` on sharing violations (winerror 5/32/33) for ~``budget`` s.

    Antivirus, indexers and sync clients hold files open briefly; any other error, or the
    budget running out, raises the last error. ``replace``/``sleep``/``clock`` are for tests.
    """
    replace = replace or _replace
    sleep = sleep or time.sleep
    clock = clock or time.monotonic
    deadline = clock() + budget
    delay = 0.01
    while True:
        try:
            replace(src, dst)
            return
        except OSError as exc:
            remaining = deadline - clock()
            if getattr(exc, "winerror", None) not in _WIN_SHARING_ERRORS or remaining <= 0:
                raise
        sleep(min(remaining, delay * random.uniform(0.5, 1.5)))
        delay = min(delay * 2, 0.2)


def _publish(tmp: str, target: str, exclusive: bool) -> None:
    """Move the closed temp onto ``target`` (never clobbering when ``exclusive``)."""
    if exclusive:
        _publish_exclusive(tmp, target)
        return
    try:
        if _IS_WINDOWS:
            _replace_with_retry(tmp, target)
        else:
            _replace(tmp, target)
    except OSError as exc:
        if exc.errno == errno.EBUSY:
            raise TargetBusyError(
                errno.EBUSY,
                "cannot replace the file: it is busy, most likely a single-file bind mount "
                "(e.g. docker -v host.json:/app/file.json), where rename() cannot replace the "
                "mount point; mount its directory instead",
                target,
            ) from exc
        raise


def _publish_exclusive(tmp: str, target: str) -> None:
    """Publish without replacing: ``link`` + ``unlink`` (fails with EEXIST if target exists)."""
    if _IS_WINDOWS:
        _rename(tmp, target)  # Windows rename never replaces
        return
    try:
        _link(tmp, target)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        # No hard links on this filesystem: a check-then-replace with a tiny race window.
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "file exists", target) from None
        _replace(tmp, target)
        return
    try:
        _unlink(tmp)
    except OSError:
        pass  # published; the extra name is a stale temp for cleanup_stale_temps()


def _fsync_dir(directory: str) -> None:
    """fsync a directory so the entries just changed in it survive a power loss."""
    dfd = _open_fd(directory, _DIR_FLAGS)
    try:
        _fsync_file(dfd)
    finally:
        _close(dfd)


def _sync_target_dir(target: str) -> None:
    """fsync the target's directory after the replace; failure is a DirectorySyncError."""
    if not _CAN_SYNC_DIR:
        return  # Windows: no directory handles through the CRT
    directory = os.path.dirname(target)
    try:
        _fsync_dir(directory)
    except OSError as exc:
        raise DirectorySyncError(
            exc.errno,
            f"the new content of {target!r} is in place but not yet durable: "
            f"fsync of its directory failed ({exc.strerror})",
            directory,
        ) from exc


def _write_atomic(
    path: StrPath,
    data: memoryview,
    *,
    durable: bool,
    file_mode: int | None,
    follow_symlinks: bool,
    make_parents: bool,
) -> None:
    """The one-shot protocol for already encoded ``data``."""
    target, st = _resolve(path, follow_symlinks)
    tmp, fd = _create_temp(
        target, st, file_mode=file_mode, make_parents=make_parents, durable=durable,
        access=os.O_WRONLY,
    )
    try:
        _write_all(fd, data)
        _check_size(fd, len(data), target)
        if durable:
            _fsync_file(fd)
        fd, closing = -1, fd
        _close(closing)
        _publish(tmp, target, exclusive=False)
    except BaseException:
        _discard(fd, tmp)
        raise
    if durable:
        _sync_target_dir(target)


# -- public API --------------------------------------------------------------------------


def atomic_write_bytes(
    path: StrPath,
    data: bytes | bytearray | memoryview,
    *,
    durable: bool = True,
    file_mode: int | None = None,
    follow_symlinks: bool = True,
    make_parents: bool = False,
) -> None:
    """Atomically replace ``path`` with ``data`` (like ``Path.write_bytes``, crash-safe).

    ``file_mode`` sets exact permission bits (default: keep the target's, or
    ``0o666 & ~umask`` for a new file). ``follow_symlinks=False`` replaces a symlink itself.
    """
    view = memoryview(data).cast("B")
    _write_atomic(
        path, view, durable=durable, file_mode=file_mode,
        follow_symlinks=follow_symlinks, make_parents=make_parents,
    )


def _encode_text(data: str, encoding: str, errors: str | None, newline: str | None) -> bytes:
    """Encode like a text file opened with these arguments would."""
    if not isinstance(data, str):
        raise TypeError(f"data must be str, not {type(data).__name__}")
    if newline is None:
        newline = os.linesep
    elif newline not in ("", "\n", "\r", "\r\n"):
        raise ValueError(f"illegal newline value: {newline!r}")
    if newline not in ("", "\n"):
        data = data.replace("\n", newline)
    return data.encode(encoding, errors or "strict")


def atomic_write_text(
    path: StrPath,
    data: str,
    *,
    encoding: str = "utf-8",
    errors: str | None = None,
    newline: str | None = None,
    durable: bool = True,
    file_mode: int | None = None,
    follow_symlinks: bool = True,
    make_parents: bool = False,
) -> None:
    """Atomically replace ``path`` with ``data`` encoded as ``Path.write_text`` would.

    The text is encoded before the filesystem is touched (an encoding error changes nothing).
    """
    raw = _encode_text(data, encoding, errors, newline)
    _write_atomic(
        path, memoryview(raw), durable=durable, file_mode=file_mode,
        follow_symlinks=follow_symlinks, make_parents=make_parents,
    )


def atomic_json_dump(
    obj: Any,
    path: StrPath,
    *,
    durable: bool = True,
    trailing_newline: bool = False,
    file_mode: int | None = None,
    follow_symlinks: bool = True,
    make_parents: bool = False,
    **json_kwargs: Any,
) -> None:
    """Atomically write ``obj`` as JSON: the bytes ``json.dump(obj, f, **json_kwargs)`` writes.

    Serialised with ``json.dumps`` first, so a serialisation error never touches the disk.
    UTF-8 encoded; a final newline only with ``trailing_newline=True``.
    """
    text = json.dumps(obj, **json_kwargs)
    if trailing_newline:
        text += "\n"
    _write_atomic(
        path, memoryview(text.encode("utf-8")), durable=durable, file_mode=file_mode,
        follow_symlinks=follow_symlinks, make_parents=make_parents,
    )


_TextMode = Literal[
    "w", "wt", "tw", "w+", "+w", "wt+", "w+t", "x", "xt", "tx", "x+", "+x", "xt+", "x+t"
]
_BinaryMode = Literal["wb", "bw", "wb+", "w+b", "+wb", "xb", "bx", "xb+", "x+b", "+xb"]


def _parse_mode(mode: str) -> tuple[bool, int, str]:
    """Check an ``atomic_open`` mode; return (exclusive, os access flag, mode for ``open``)."""
    chars = set(mode)
    if (
        len(chars) != len(mode)
        or not chars <= set("wxbt+")
        or len(chars & set("wx")) != 1
        or chars >= set("bt")
    ):
        raise ValueError(f"atomic_open supports 'w' and 'x' modes (with b, t, +), not {mode!r}")
    access = os.O_RDWR if "+" in chars else os.O_WRONLY
    open_mode = "w" + ("b" if "b" in chars else "") + ("+" if "+" in chars else "")
    return "x" in chars, access, open_mode


@overload
def atomic_open(
    path: StrPath,
    mode: _TextMode = ...,
    *,
    encoding: str | None = ...,
    errors: str | None = ...,
    newline: str | None = ...,
    durable: bool = ...,
    file_mode: int | None = ...,
    follow_symlinks: bool = ...,
    make_parents: bool = ...,
) -> ContextManager[TextIO]: ...


@overload
def atomic_open(
    path: StrPath,
    mode: _BinaryMode,
    *,
    encoding: None = ...,
    errors: None = ...,
    newline: None = ...,
    durable: bool = ...,
    file_mode: int | None = ...,
    follow_symlinks: bool = ...,
    make_parents: bool = ...,
) -> ContextManager[BinaryIO]: ...


@overload
def atomic_open(
    path: StrPath,
    mode: str,
    *,
    encoding: str | None = ...,
    errors: str | None = ...,
    newline: str | None = ...,
    durable: bool = ...,
    file_mode: int | None = ...,
    follow_symlinks: bool = ...,
    make_parents: bool = ...,
) -> ContextManager[IO[Any]]: ...


def atomic_open(
    path: StrPath,
    mode: str = "w",
    *,
    encoding: str | None = None,
    errors: str | None = None,
    newline: str | None = None,
    durable: bool = True,
    file_mode: int | None = None,
    follow_symlinks: bool = True,
    make_parents: bool = False,
) -> ContextManager[IO[Any]]:
    """Open a temp file in place of ``path``; publish it atomically when the block exits cleanly.

    An exception in the block (even ``KeyboardInterrupt``) discards the temp and leaves
    ``path`` untouched. Arguments mean what they mean for ``open()`` (``encoding=None`` is the
    locale encoding). Modes: ``"w"``/``"x"`` with optional ``"b"``, ``"t"``, ``"+"``; ``"x"``
    raises ``FileExistsError`` if ``path`` exists at open or at publish time.
    """
    exclusive, access, open_mode = _parse_mode(mode)
    return _atomic_open(
        path, exclusive, access, open_mode, encoding=encoding, errors=errors, newline=newline,
        durable=durable, file_mode=file_mode, follow_symlinks=follow_symlinks,
        make_parents=make_parents,
    )


@contextmanager
def _atomic_open(
    path: StrPath,
    exclusive: bool,
    access: int,
    open_mode: str,
    *,
    encoding: str | None,
    errors: str | None,
    newline: str | None,
    durable: bool,
    file_mode: int | None,
    follow_symlinks: bool,
    make_parents: bool,
) -> Iterator[IO[Any]]:
    """The generator behind ``atomic_open``."""
    if exclusive and os.path.lexists(path):
        raise FileExistsError(errno.EEXIST, "file exists", os.fsdecode(path))
    target, st = _resolve(path, follow_symlinks and not exclusive)
    tmp, fd = _create_temp(
        target, st, file_mode=file_mode, make_parents=make_parents, durable=durable,
        access=access,
    )
    try:
        raw = _TempFile(fd, "w+" if "+" in open_mode else "w")
    except BaseException:
        _discard(fd, tmp)
        raise
    try:
        f = _file_object(raw, open_mode, encoding, errors, newline)
    except BaseException:
        raw.close()
        _discard(-1, tmp)
        raise
    _name_after(f, path)
    try:
        yield f
        _finish_file(f, raw, tmp, target, durable)
        _publish(tmp, target, exclusive)
    except BaseException:
        for handle in (f, raw):
            try:
                handle.close()
            except Exception:
                pass
        _discard(-1, tmp)
        raise
    if durable:
        _sync_target_dir(target)


def _name_after(f: IO[Any], path: StrPath) -> None:
    """Give the file object the target's name, as ``open(path).name`` is (not the temp's descriptor)."""
    raw: Any = getattr(f, "buffer", f)
    raw = getattr(raw, "raw", raw)
    try:
        raw.name = os.fspath(path)
    except (AttributeError, TypeError):
        pass


class _TempFile(io.FileIO):
    """The temp's raw file: it keeps the size that what went through it gives the file."""

    def __init__(self, fd: int, mode: str) -> None:
        super().__init__(fd, mode, closefd=True)
        self.expected = 0

    def write(self, data: Any) -> int:
        position = self.tell()
        written = super().write(data)
        if written:
            self.expected = max(self.expected, position + written)
        return written

    def truncate(self, size: int | None = None) -> int:
        self.expected = super().truncate(size)
        return self.expected


def _file_object(
    raw: _TempFile, open_mode: str, encoding: str | None, errors: str | None, newline: str | None
) -> IO[Any]:
    """The buffered (and, for text, decoded) layers ``open()`` would put over ``raw``."""
    if "b" in open_mode:
        for name, value in (("encoding", encoding), ("errors", errors), ("newline", newline)):
            if value is not None:
                raise ValueError(f"binary mode doesn't take an {name} argument")
    size = io.DEFAULT_BUFFER_SIZE
    blksize = _fstat(raw.fileno()).st_blksize
    if blksize > 1:
        size = blksize
    buffer = _BufferedRandom(raw, size) if "+" in open_mode else _BufferedWriter(raw, size)
    if "b" in open_mode:
        return buffer
    text = _TextIOWrapper(buffer, encoding, errors, newline)
    text.mode = open_mode  # type: ignore[misc]  # as open() sets it
    return text


def _finish_file(f: IO[Any], raw: _TempFile, tmp: str, target: str, durable: bool) -> None:
    """Flush, check the size, fsync (when durable) and close the temp file object."""
    if f.closed:  # the block closed it: check and fsync through a fresh descriptor
        fd = _open_fd(tmp, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        try:
            _check_size(fd, raw.expected, target)
            if durable:
                _fsync_file(fd)
        finally:
            _close(fd)
        return
    f.flush()
    _check_size(raw.fileno(), raw.expected, target)
    if durable:
        _fsync_file(raw.fileno())
    f.close()


def cleanup_stale_temps(directory: StrPath, older_than: float = 3600.0) -> list[str]:
    """Remove this library's leftover temps (``.{name}.{12 hex}.tmp``) older than ``older_than`` s.

    Only a crash (SIGKILL, power loss) leaves temps behind. Returns the removed paths. Only
    regular files matching the naming pattern are touched; ``older_than=0`` removes them all,
    including those of writes still in progress.
    """
    root = os.fsdecode(directory)
    now = time.time()
    removed = []
    with os.scandir(root) as entries:
        for entry in entries:
            if not _TEMP_RE.match(entry.name) or not entry.is_file(follow_symlinks=False):
                continue
            try:
                if now - entry.stat(follow_symlinks=False).st_mtime < older_than:
                    continue
                os.unlink(entry.path)
            except FileNotFoundError:
                continue
            removed.append(entry.path)
    return removed
