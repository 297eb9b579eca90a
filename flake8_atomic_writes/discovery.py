"""Which files the command line checks: flake8's walk, plus what ruff users expect.

Directories are walked like flake8's ``discover_files`` (``exclude`` patterns match a
directory's or file's name or its absolute path). On top of that: virtualenvs and
installed packages are never walked (a directory holding ``pyvenv.cfg``, or named
``site-packages`` or ``__pypackages__``), files git ignores are skipped (``.gitignore``,
as ruff does), and ``force_exclude`` applies ``exclude`` to files passed explicitly too
(pre-commit passes every file by name). What is not a regular file (a FIFO named ``*.py``)
is never walked into the list; a dangling symlink is, and a path named on the command line
always is, so that what cannot be read is reported (E902), as flake8 does.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from dataclasses import dataclass
from typing import Iterator, List, Sequence, Set

from .files import is_special_file

_LOG = logging.getLogger(__name__)
INSTALL_DIRS = ("site-packages", "__pypackages__")
GIT_TIMEOUT = 60


@dataclass(frozen=True)
class Discovery:
    """How to turn the paths on the command line into files to check."""

    exclude: Sequence[str]
    stdin_display_name: str = "stdin"
    force_exclude: bool = False
    respect_gitignore: bool = True

    def files(self, paths: Sequence[str]) -> List[str]:
        """The files to check, sorted, ``-`` (stdin) last."""
        found: List[str] = []
        walked: List[str] = []
        for path in paths:
            if path == "-":
                if not (self.force_exclude and self._excluded_with_parents(self.stdin_display_name)):
                    found.append(path)
            elif os.path.isdir(path):
                walked.extend(self._walk(path))
            elif not self._explicitly_excluded(path):
                found.append(path)
        if self.respect_gitignore:
            ignored = git_ignored(walked + (found if self.force_exclude else []))
            walked = [f for f in walked if f not in ignored]
            found = [f for f in found if f not in ignored]
        return sorted(set(found + walked), key=lambda p: (p == "-", p))

    def _excluded(self, path: str) -> bool:
        from flake8 import utils

        matched: bool = utils.matches_filename(
            path, patterns=self.exclude, log_message='"%(path)s" has %(whether)sbeen excluded', logger=_LOG
        )
        return matched

    def _explicitly_excluded(self, path: str) -> bool:
        return self._excluded_with_parents(path) if self.force_exclude else self._excluded(path)

    def _excluded_with_parents(self, path: str) -> bool:
        """``force_exclude``: the file, or any directory above it, matches ``exclude``."""
        parts = os.path.normpath(path).split(os.sep)
        prefixes = (os.sep.join(parts[: i + 1]) for i in range(len(parts)))
        return any(self._excluded(p) or (p != path and is_environment(p)) for p in prefixes if p not in ("", "."))

    def _walk(self, top: str) -> Iterator[str]:
        if self._excluded(top) or is_environment(top):
            return
        for root, dirs, names in os.walk(top):
            dirs[:] = sorted(d for d in dirs if not self._skip_dir(os.path.join(root, d)))
            for name in names:
                joined = os.path.join(root, name)
                if name.endswith(".py") and not self._excluded(joined) and not is_special_file(joined):
                    yield joined

    def _skip_dir(self, path: str) -> bool:
        return self._excluded(path) or is_environment(path)


def is_environment(path: str) -> bool:
    """A virtualenv or an installed-packages directory: never the project's own code."""
    return os.path.basename(path) in INSTALL_DIRS or os.path.isfile(os.path.join(path, "pyvenv.cfg"))


def git_ignored(files: Sequence[str]) -> Set[str]:
    """The subset of ``files`` that git ignores (empty when git or a repository is missing).

    Names go to git as the file system's bytes: they need not be valid UTF-8.
    """
    git = shutil.which("git")
    if not files or git is None:
        return set()
    try:
        proc = subprocess.run(
            [git, "check-ignore", "-z", "--stdin"],
            input=b"\0".join(os.fsencode(f) for f in files),
            capture_output=True,
            timeout=GIT_TIMEOUT,
        )
    except (OSError, subprocess.SubprocessError):
        return set()
    if proc.returncode not in (0, 1):  # 128: not a repository, or a path outside it
        return set()
    return {os.fsdecode(name) for name in proc.stdout.split(b"\0") if name}
