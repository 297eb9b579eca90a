"""isort's and ruff's default import sections, and their order keys for names and modules."""

from __future__ import annotations

import os
import sys
import sysconfig
from importlib.util import find_spec
from typing import Tuple

FUTURE, STDLIB, THIRD_PARTY, FIRST_PARTY, LOCAL = range(5)


def section(module: str, level: int = 0) -> int:
    """The section of ``from module import ...`` (``level`` dots) as isort's default profile sees it."""
    top = module.split(".")[0]
    if level:
        return LOCAL
    if top == "__future__":
        return FUTURE
    if _first_party(top):
        return FIRST_PARTY
    if _stdlib(top):
        return STDLIB
    return THIRD_PARTY


def _first_party(top: str) -> bool:
    """A package or module of the project: in the working directory or its ``src/`` (both tools' default)."""
    for root in (os.curdir, "src"):
        if os.path.isdir(os.path.join(root, top)) or os.path.isfile(os.path.join(root, f"{top}.py")):
            return True
    return False


def _stdlib(top: str) -> bool:
    names = getattr(sys, "stdlib_module_names", None)
    if names is not None:
        return top in names
    if top in sys.builtin_module_names:  # Python 3.9: ask where the module lives
        return True
    spec = find_spec(top)
    origin = spec.origin if spec is not None else None
    stdlib = sysconfig.get_paths()["stdlib"]
    return bool(origin) and os.path.commonpath([stdlib, str(origin)]) == stdlib and "site-packages" not in str(origin)


def name_key(name: str) -> Tuple[int, str]:
    """isort's ``order_by_type``: CONSTANTS, then Classes, then functions, case-insensitively."""
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return kind, name.lower()


def statement_key(is_from: bool, module: str) -> Tuple[bool, str]:
    """Within a section: ``import x`` lines first, then ``from x import y``, by module name."""
    return is_from, module.lower()


def helper_section(module: str) -> int:
    """Our own helper package is a third-party dependency of the user's code; a configured one is placed by name."""
    return THIRD_PARTY if module.split(".")[0] == "flake8_atomic_writes" else section(module)
