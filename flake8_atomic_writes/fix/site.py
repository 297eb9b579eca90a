"""One flagged call inside a snippet, with the few facts about names the rewrites ask for.

A snippet (``snippets.py``) is a small libcst module: the file's top-level imports followed by
the top-level statement that holds the findings, so metadata is resolved for a few lines
instead of the whole file. What lies outside the snippet is asked of the file's ``ast`` tree.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Callable, List, Mapping, Optional, Set, cast

import libcst as cst
from libcst._metadata_dependent import LazyValue
from libcst.helpers import get_full_name_for_node
from libcst.metadata import QualifiedName, QualifiedNameSource, Scope

from ..rules import Finding
from .model import Unfixable

Node = cst.CSTNode


@dataclass
class Snippet:
    """A parsed snippet with its resolved metadata and a view of the rest of the file."""

    module: cst.Module
    parents: Mapping[Node, Node]
    scopes: Mapping[Node, Optional[Scope]]
    names: Mapping[Node, Set[QualifiedName]]
    mentioned_outside: Callable[[str], bool]  # the name occurs in the file outside the snippet
    bound_outside: Callable[[str, str], bool]  # (name, module): bound outside, not from module


@dataclass
class Site:
    """A finding, the calls that start at its position and the snippet they belong to."""

    finding: Finding
    calls: List[cst.Call]
    snippet: Snippet
    helper_module: str

    def pick(self, matches: Callable[[cst.Call], bool]) -> cst.Call:
        for call in self.calls:
            if matches(call):
                return call
        raise Unfixable("no call of the expected shape at the reported position")

    def parent(self, node: Node) -> Optional[Node]:
        return self.snippet.parents.get(node)

    def qualified(self, node: Node) -> Set[str]:
        return {q.name for q in self._names(node)}

    def imported(self, node: Node) -> bool:
        """True when ``node`` names something imported (``gzip.open``), not a method of a value."""
        return any(q.source is QualifiedNameSource.IMPORT for q in self._names(node))

    def _names(self, node: Node) -> Set[QualifiedName]:
        value: object = self.snippet.names.get(node, set())
        if isinstance(value, LazyValue):  # the provider resolves qualified names lazily
            value = value()
        return cast(Set[QualifiedName], value)

    def code(self, node: Node) -> str:
        return self.snippet.module.code_for_node(node)

    def check_free(self, node: Node, name: str, module: str) -> None:
        """Refuse when ``name`` is bound at ``node`` to anything but ``from module import name``."""
        scope = self.snippet.scopes.get(node)
        for assignment in scope[name] if scope is not None else ():
            source = getattr(assignment, "node", None)
            if not (
                isinstance(source, cst.ImportFrom)
                and not source.relative
                and source.module is not None
                and get_full_name_for_node(source.module) == module
            ):
                raise Unfixable(f"the name {name} is already bound to something else here")
        if self.snippet.mentioned_outside(name) and self.snippet.bound_outside(name, module):
            raise Unfixable(f"the name {name} is already bound to something else here")

    def used_elsewhere(self, handle: cst.Name, use: Node) -> bool:
        """The handle name is used anywhere but at ``use`` (in its scope, or outside the snippet)."""
        scope = self.snippet.scopes.get(handle)
        if scope is None:
            return True
        if any(access.node is not use for access in scope.accesses[handle.value]):
            return True
        return isinstance(scope, cst.metadata.GlobalScope) and self.snippet.mentioned_outside(handle.value)


def binds_otherwise(tree: ast.AST, name: str, module: str) -> bool:
    """``name`` is bound somewhere in ``tree`` other than by ``from module import name``."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return True
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            return True
        if isinstance(node, ast.arg) and node.arg == name:
            return True
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            helper = isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == module
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                if bound == name and not (helper and alias.name == name and alias.asname is None):
                    return True
    return False


def mentions(text: str, name: str) -> bool:
    """``name`` occurs in ``text`` as a whole word."""
    return re.search(rf"(?<![\w.]){re.escape(name)}\b", text) is not None
