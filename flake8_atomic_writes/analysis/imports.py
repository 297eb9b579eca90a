"""Import alias resolution: turn ``d(x)`` into ``json.dump`` after ``from json import dump as d``."""

from __future__ import annotations

import ast
import builtins
from typing import Dict, List, Optional, Set, Tuple

_BUILTINS = frozenset(dir(builtins))


class ImportMap:
    """Maps local names bound by imports (anywhere in the module) to dotted names."""

    __slots__ = ("names", "modules", "shadowed", "relative", "stars")

    def __init__(self) -> None:
        self.names: Dict[str, str] = {}
        self.modules: Set[str] = set()
        self.shadowed: Set[str] = set()
        self.relative: Dict[str, str] = {}  # from ..paths import STATE -> {"STATE": "..paths.STATE"}
        self.stars: List[str] = []  # modules imported with ``*``: "pkg.storage", "..storage"

    def add(self, node: ast.AST) -> None:
        """Record an ``import`` or ``from ... import`` statement."""
        if isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.partition(".")[0]
                self.names[local] = alias.name if alias.asname else local
                self.modules.add(local)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                if alias.name == "*":
                    self.stars.append(node.module)
                else:
                    self.names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.ImportFrom) and node.level:
            prefix = "." * node.level + (f"{node.module}." if node.module else "")
            for alias in node.names:
                if alias.name == "*":
                    self.stars.append(prefix.rstrip(".") if node.module else prefix)
                else:
                    self.relative[alias.asname or alias.name] = prefix + alias.name

    def imports_package(self, package: str) -> bool:
        """The module imports ``package`` or a name from it."""
        return any(name == package or name.startswith(package + ".") for name in self.names.values())

    def shadow(self, name: str) -> None:
        """Record a module-level ``def name`` or assignment that hides a builtin."""
        if name not in self.names:
            self.shadowed.add(name)

    def qualname(self, node: ast.AST) -> Optional[str]:
        """Dotted name of a ``Name``/``Attribute`` chain, with aliases resolved, or None."""
        chain = _chain(node)
        if chain is None:
            return None
        name, attrs = chain
        head = self.names.get(name)
        if head is None:
            if name in _BUILTINS and name not in self.shadowed:
                head = f"builtins.{name}"
            else:
                return None
        return ".".join([head, *attrs])

    def imported_name(self, node: ast.AST) -> Optional[str]:
        """Dotted name of a chain whose head is imported, absolute or relative (``..paths.STATE``);
        None for builtins and local names: what a project index may know about."""
        chain = _chain(node)
        if chain is None:
            return None
        head = self.names.get(chain[0]) or self.relative.get(chain[0])
        return ".".join([head, *chain[1]]) if head is not None else None

    def is_module(self, name: str) -> bool:
        """True if ``name`` is bound to an imported module (``import os``, ``import os.path``)."""
        return name in self.modules or self.names.get(name) in _SUBMODULES


_SUBMODULES = frozenset({"os.path", "xml.etree.ElementTree", "xml.etree.cElementTree"})


def _chain(node: ast.AST) -> Optional[Tuple[str, List[str]]]:
    """``a.b.c`` -> ``("a", ["b", "c"])``; None unless a ``Name``/``Attribute`` chain."""
    attrs: List[str] = []
    while isinstance(node, ast.Attribute):
        attrs.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    attrs.reverse()
    return node.id, attrs
