"""Control flow, as far as the evidence needs it: which branch of an ``if``/``try``/``match``
each node of a function runs in, so that a delete or rename in *another* branch is not taken
as part of the same write, and source order ("later in the function").
"""

from __future__ import annotations

import ast
from typing import Dict, List, Tuple

Branch = Tuple[int, int]  # (id of the if/try/match node, which branch)


class BranchMap:
    """The branch path of every node under one function (or module) node."""

    __slots__ = ("paths", "tests")

    def __init__(self, root: ast.AST) -> None:
        self.paths: Dict[int, Tuple[Branch, ...]] = {}
        self.tests: Dict[int, ast.expr] = {}  # id of an ``if`` -> its test
        stack: List[Tuple[ast.AST, Tuple[Branch, ...]]] = [(root, ())]
        while stack:
            node, path = stack.pop()
            self.paths[id(node)] = path
            if isinstance(node, ast.If):
                self.tests[id(node)] = node.test
            for index, children in _branches(node):
                inner = path + ((id(node), index),) if index >= 0 else path
                stack.extend((child, inner) for child in children)

    def exclusive(self, a: ast.AST, b: ast.AST) -> bool:
        """Whether ``a`` and ``b`` sit in different branches of one ``if``/``try``/``match``
        (so at most one of them runs, or the second only when the first failed)."""
        branches_a = dict(self.paths.get(id(a), ()))
        return any(branches_a.get(node, index) != index for node, index in self.paths.get(id(b), ()))

    def on_every_path(self, a: ast.AST, b: ast.AST) -> bool:
        """Whether ``a`` runs on every branch path that reaches ``b`` (its branches are a
        prefix of ``b``'s: ``a`` is not inside an ``if``/``try``/``match`` branch ``b`` is out of)."""
        path_a, path_b = self.paths.get(id(a), ()), self.paths.get(id(b), ())
        return path_b[: len(path_a)] == path_a

    def guards(self, node: ast.AST) -> List[ast.expr]:
        """The tests of the ``if`` statements whose body runs ``node``."""
        return [
            self.tests[owner] for owner, index in self.paths.get(id(node), ()) if index == 0 and owner in self.tests
        ]


def _branches(node: ast.AST) -> List[Tuple[int, List[ast.AST]]]:
    """The children of ``node`` grouped by branch index (``-1``: not a branch)."""
    if isinstance(node, ast.If):
        return [(-1, [node.test]), (0, list(node.body)), (1, list(node.orelse))]
    if isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
        handlers = [(2 + i, [h]) for i, h in enumerate(getattr(node, "handlers", ()))]
        # The body and ``else`` run together; a handler runs only when the body failed.
        body = list(getattr(node, "body", ())) + list(getattr(node, "orelse", ()))
        return [(0, body), *handlers, (-1, list(getattr(node, "finalbody", ())))]
    if type(node).__name__ == "Match":
        return [(-1, [node.subject])] + [(i, [case]) for i, case in enumerate(node.cases)]  # type: ignore[attr-defined]
    return [(-1, list(ast.iter_child_nodes(node)))]


def before(a: ast.AST, b: ast.AST) -> bool:
    """``a`` starts before ``b`` in the source."""
    return (getattr(a, "lineno", 0), getattr(a, "col_offset", 0)) < (
        getattr(b, "lineno", 0),
        getattr(b, "col_offset", 0),
    )
