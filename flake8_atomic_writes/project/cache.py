"""Summaries on disk, under ``<root>/.atomic_writes_cache/``, never trusted blindly.

Where there is no project (a loose file: no marker above it, no configured root) or its
root cannot hold that directory (a read-only checkout, or a file in its place), the cache
lives in the user cache directory instead, one subdirectory per root (``$XDG_CACHE_HOME``,
else ``~/.cache``, ``~/Library/Caches`` or ``%LOCALAPPDATA%``, then
``flake8-atomic-writes/<hash of the root>``). ``atomic-writes-cache-dir`` (``--cache-dir``)
names the directory instead; ``atomic-writes-no-cache`` (``--no-cache``) turns it off.

One file per summary, named by a hash of the module's path, its content hash, our version
and the configuration, written atomically with our own ``atomic_write_bytes``: concurrent
flake8 workers and runs only ever replace whole entries, and share no mutable file.

No entry is believed that cannot be verified: only regular files of bounded size are read
(never through a symlink, never blocking on a FIFO), an entry carries a checksum of its
content, and its summary must be exactly what this version writes (``ModuleSummary``'s
schema). A cache directory that is a symlink is not followed. Anything else is a miss: the
summary is rebuilt and the entry rewritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import time
from pathlib import Path
from typing import Any, Dict, Iterator, Optional

from .. import __version__
from ..analysis.fingerprint import analysis_fingerprint
from ..analysis.kinds import BY_NAME
from ..atomic import atomic_write_bytes
from ..config import Config
from ..files import read_regular
from .root import CACHE_DIR, is_marked
from .summary import Evidence, ModuleSummary

FORMAT = 5
VERSION = f"{__version__}/{FORMAT}"
STALE_SECONDS = 30 * 24 * 3600  # entries not rewritten for this long are removed
ENTRY_LIMIT = 16 * 1024 * 1024  # bytes: a larger entry is neither written nor read


def entry_key(path: Path, digest: str, fingerprint: str) -> str:
    """The cache key of a module: its path, its content's hash, our version, the analysis
    that made the summary (a hash of its sources) and the config."""
    text = "\0".join((VERSION, analysis_fingerprint(), str(path), digest, fingerprint))
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:40]


def user_cache_dir() -> Path:
    """This user's cache directory: ``$XDG_CACHE_HOME`` when set, else as the platform names it."""
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"])
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches"
    return Path.home() / ".cache"


def cache_for(root: Path, config: Config) -> Optional["SummaryCache"]:
    """The cache of the project at ``root`` as configured: None with ``atomic-writes-no-cache``."""
    if config.no_cache:
        return None
    if config.cache_dir:
        return SummaryCache(root, Path(config.cache_dir).resolve())
    return SummaryCache(root, cache_directory(root, is_marked(root) or bool(config.project_root)))


def cache_directory(root: Path, is_project: bool = True) -> Path:
    """``<root>/.atomic_writes_cache`` when ``root`` is a project's and can hold it, else a
    directory of the user cache named after the root (a loose file's directory, ``$HOME``
    among them, never gets one)."""
    own = root / CACHE_DIR
    if not is_project:
        usable = False
    elif own.is_dir():
        usable = os.access(own, os.W_OK)
    else:
        usable = not os.path.lexists(own) and os.access(root, os.W_OK)
    if usable:
        return own
    digest = hashlib.sha256(str(root).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return user_cache_dir() / "flake8-atomic-writes" / digest


class SummaryCache:
    """Load and store summaries by key; any failure is a miss, never an error."""

    __slots__ = ("directory", "_writable", "_real")

    def __init__(self, root: Path, directory: Optional[Path] = None) -> None:
        self.directory = directory if directory is not None else cache_directory(root)
        self._writable: Optional[bool] = None
        self._real = False  # the directory was seen to be a directory, not a symlink

    def load(self, key: str) -> Optional[ModuleSummary]:
        """The stored summary, or None when there is none or it cannot be trusted."""
        if not self._real_directory():
            return None
        try:
            data = read_regular(self.directory / f"{key}.json", follow_symlinks=False, limit=ENTRY_LIMIT)
        except OSError:
            return None
        payload = unseal(data)
        if payload is None or payload.get("version") != VERSION or payload.get("key") != key:
            return None
        return _summary(payload.get("summary"))

    def store(self, key: str, summary: ModuleSummary) -> None:
        """Write the entry atomically; a read-only or missing directory disables the cache."""
        if self._writable is False or not self._prepare():
            return
        data = seal({"version": VERSION, "key": key, "summary": summary.to_json()})
        if len(data) > ENTRY_LIMIT:
            return
        path = self.directory / f"{key}.json"
        try:
            _clear_odd(path)
            atomic_write_bytes(path, data, durable=False, follow_symlinks=False)
        except OSError:
            self._writable = False

    def _real_directory(self) -> bool:
        """The cache directory is a directory of its own: a symlink (to ``/``, say) is not followed."""
        if not self._real:
            try:
                self._real = stat.S_ISDIR(os.lstat(self.directory).st_mode)
            except OSError:
                return False
        return self._real

    def _prepare(self) -> bool:
        """Create the directory with a ``.gitignore`` of ``*`` (it ignores itself, as ruff's does)."""
        if self._writable:
            return True
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            if not self._real_directory():
                self._writable = False
                return False
            ignore = self.directory / ".gitignore"
            if not ignore.exists():
                atomic_write_bytes(ignore, b"# Created by flake8-atomic-writes.\n*\n", durable=False)
            self._writable = True
            if time.time() - ignore.stat().st_mtime > STALE_SECONDS:
                self._prune()
        except OSError:
            self._writable = False
        return self._writable

    def _prune(self) -> None:
        """Remove entries not rewritten for ``STALE_SECONDS``; the ``.gitignore``'s time marks the sweep."""
        cutoff = time.time() - STALE_SECONDS
        for entry in os.scandir(self.directory):
            try:
                if entry.name.endswith(".json") and entry.stat().st_mtime < cutoff:
                    os.unlink(entry.path)
            except OSError:
                pass
        os.utime(self.directory / ".gitignore")


def seal(payload: Dict[str, Any]) -> bytes:
    """An entry's bytes: ``payload`` with the checksum of its canonical JSON."""
    return _canonical({**payload, "checksum": _checksum(_canonical(payload))})


def unseal(data: bytes) -> Optional[Dict[str, Any]]:
    """The payload of an entry whose checksum holds; None for anything else, never an error
    (garbage, JSON nested too deep to decode, a payload that is not an object)."""
    try:
        entry = json.loads(data)
        if not isinstance(entry, dict):
            return None
        checksum = entry.pop("checksum", None)
        return entry if checksum == _checksum(_canonical(entry)) else None
    except (ValueError, RecursionError, TypeError):
        return None


def _canonical(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), sort_keys=True).encode("utf-8")


def _checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _summary(data: Any) -> Optional[ModuleSummary]:
    """The summary ``data`` describes, only if it is exactly what this version writes for it."""
    try:
        summary = ModuleSummary.from_json(data)
        if _canonical(summary.to_json()) != _canonical(data):
            return None  # fields missing, extra or of another type
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError):
        return None
    return summary if all(kind in BY_NAME for e in _evidence(summary) for kind, _ in e.hits) else None


def _evidence(summary: ModuleSummary) -> Iterator[Evidence]:
    """Every piece of evidence a summary holds (each hit's kind must be one of the table's)."""
    yield from summary.constants.values()
    for function in summary.functions.values():
        if function.returns is not None:
            yield function.returns
    for call in summary.calls:
        for _, evidence in call.args:
            yield evidence


def _clear_odd(path: Path) -> None:
    """Remove an entry that is not a regular file (a FIFO, a symlink), so that it is rebuilt."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        os.unlink(path)
