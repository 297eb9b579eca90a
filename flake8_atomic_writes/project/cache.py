"""Summaries on disk, under ``<root>/.atomic_writes_cache/``, never trusted blindly.

Where there is no project (a loose file: no marker above it, no configured root) or its
root cannot hold that directory (a read-only checkout, or a file in its place), the cache
lives in the user cache directory instead, one subdirectory per root (``$XDG_CACHE_HOME``,
else ``~/.cache``, ``~/Library/Caches`` or ``%LOCALAPPDATA%``, then
``flake8-atomic-writes/<hash of the root>``). ``atomic-writes-cache-dir`` (``--cache-dir``)
names the directory instead; ``atomic-writes-no-cache`` (``--no-cache``) turns it off.

One file per summary, named by a hash of the module's path, its content hash, our version
and the configuration, written atomically with our own ``atomic_write_bytes``: concurrent
flake8 workers and runs only ever replace whole entries, and share no mutable file. An
entry that is corrupt, truncated or from another version is discarded and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Optional

from .. import __version__
from ..analysis.fingerprint import analysis_fingerprint
from ..atomic import atomic_write_bytes
from ..config import Config
from .root import CACHE_DIR, is_marked
from .summary import ModuleSummary

FORMAT = 5
VERSION = f"{__version__}/{FORMAT}"
STALE_SECONDS = 30 * 24 * 3600  # entries not rewritten for this long are removed


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

    __slots__ = ("directory", "_writable")

    def __init__(self, root: Path, directory: Optional[Path] = None) -> None:
        self.directory = directory if directory is not None else cache_directory(root)
        self._writable: Optional[bool] = None

    def load(self, key: str) -> Optional[ModuleSummary]:
        """The stored summary, or None when there is none or it cannot be trusted."""
        try:
            data = json.loads((self.directory / f"{key}.json").read_bytes())
            if data["version"] != VERSION or data["key"] != key:
                return None
            return ModuleSummary.from_json(data["summary"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def store(self, key: str, summary: ModuleSummary) -> None:
        """Write the entry atomically; a read-only or missing directory disables the cache."""
        if self._writable is False or not self._prepare():
            return
        payload = {"version": VERSION, "key": key, "summary": summary.to_json()}
        data = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode("utf-8")
        try:
            atomic_write_bytes(self.directory / f"{key}.json", data, durable=False)
        except OSError:
            self._writable = False

    def _prepare(self) -> bool:
        """Create the directory with a ``.gitignore`` of ``*`` (it ignores itself, as ruff's does)."""
        if self._writable:
            return True
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
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
