"""Where the project is, which files belong to it, and what each file's module is called."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Dict, Iterator, Optional, Tuple

MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", "tox.ini", ".git")
EXCLUDED_DIRS = frozenset(
    {".git", ".hg", ".svn", ".tox", ".nox", "build", "dist", "site-packages", "__pycache__", "node_modules"}
)
CACHE_DIR = ".atomic_writes_cache"


def project_root(filename: str, override: str = "") -> Path:
    """The nearest directory above ``filename`` with a project marker; with none, the
    parent of its top-level package (or its own directory); ``override`` wins when it is a
    directory."""
    if override and Path(override).is_dir():
        return Path(override).resolve()
    start = Path(filename).resolve().parent
    found = _ROOTS.get(start)
    if found is None:
        found = _ROOTS[start] = _marked_root(start)
    return found


_ROOTS: Dict[Path, Path] = {}  # directory of a checked file -> its root, for this process


def _marked_root(start: Path) -> Path:
    for directory in (start, *start.parents):
        if any((directory / marker).exists() for marker in MARKERS):
            return directory
    return package_base(start)


def is_marked(root: Path) -> bool:
    """``root`` holds a project marker: a project was found there, not just a directory."""
    return any((root / marker).exists() for marker in MARKERS)


def package_base(directory: Path) -> Path:
    """The first directory above ``directory``'s packages: walk up while ``__init__.py`` exists."""
    while (directory / "__init__.py").is_file() and directory.parent != directory:
        directory = directory.parent
    return directory


def module_name(path: Path) -> Tuple[str, bool]:
    """The dotted module name of ``path`` (relative to its package base) and whether it is a
    package's ``__init__``."""
    path = path.resolve()
    base = package_base(path.parent)
    parts = list(path.relative_to(base).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return ".".join(parts), is_package


def excluded_dir(directory: Path) -> bool:
    """Virtualenvs, installed packages, build output, VCS data and our own cache."""
    name = directory.name
    return (
        name in EXCLUDED_DIRS
        or name == CACHE_DIR
        or name.endswith(".egg-info")
        or (directory / "pyvenv.cfg").exists()
    )


def inside(path: Path, root: Path) -> bool:
    """``path`` is under ``root`` and under no excluded directory between them."""
    try:
        relative = path.resolve().relative_to(root)
    except ValueError:
        return False
    directory = root
    for part in relative.parts[:-1]:
        directory = directory / part
        if excluded_dir(directory):
            return False
    return True


def python_files(root: Path) -> Iterator[Path]:
    """Every ``.py`` file of the project, excluded directories pruned, in a stable order."""
    for current, dirs, files in os.walk(root):
        here = Path(current)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not excluded_dir(here / d))
        for name in sorted(files):
            if name.endswith(".py"):
                yield here / name


def search_paths(path: Path, root: Path) -> Tuple[Path, ...]:
    """Where an absolute import in ``path`` may be found: its package base, the root, ``src``."""
    found = []
    for candidate in (package_base(path.resolve().parent), root, root / "src"):
        if candidate not in found and candidate.is_dir():
            found.append(candidate)
    return tuple(found)


def locate(dotted: str, bases: Tuple[Path, ...]) -> Optional[Path]:
    """The file of module ``dotted`` under one of ``bases`` (a module or a package)."""
    relative = Path(*dotted.split("."))
    for base in bases:
        for candidate in (base / relative.with_suffix(".py"), base / relative / "__init__.py"):
            if candidate.is_file():
                return candidate.resolve()
    return None
