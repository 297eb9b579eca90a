"""Import alias resolution: turn ``d(x)`` into ``json.dump`` after ``from json import dump as d``."""

from __future__ import annotations

import ast
import builtins
from typing import Dict, Optional, Set

_BUILTINS = frozenset(dir(builtins))


class ImportMap:
    """Maps local names bound by imports (anywhere in the module) to dotted names."""

    __slots__ = ("names", "modules", "shadowed")

    def __init__(self) -> None:
        self.names: Dict[str, str] = {}
        self.modules: Set[str] = set()
        self.shadowed: Set[str] = set()

    def add(self, node: ast.AST) -> None:
        """Record an ``import`` or ``from ... import`` statement."""
        if isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.partition(".")[0]
                self.names[local] = alias.name if alias.asname else local
                self.modules.add(local)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                if alias.name != "*":
                    self.names[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    def shadow(self, name: str) -> None:
        """Record a module-level ``def name`` or assignment that hides a builtin."""
        if name not in self.names:
            self.shadowed.add(name)

    def qualname(self, node: ast.AST) -> Optional[str]:
        """Dotted name of a ``Name``/``Attribute`` chain, with aliases resolved, or None."""
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        head = self.names.get(node.id)
        if head is None:
            if node.id in _BUILTINS and node.id not in self.shadowed:
                head = f"builtins.{node.id}"
            else:
                return None
        parts.append(head)
        return ".".join(reversed(parts))

    def is_module(self, name: str) -> bool:
        """True if ``name`` is bound to an imported module (``import os``, ``import os.path``)."""
        return name in self.modules or self.names.get(name) in _SUBMODULES


_SUBMODULES = frozenset({"os.path", "xml.etree.ElementTree", "xml.etree.cElementTree"})
