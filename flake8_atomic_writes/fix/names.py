"""What names mean where a rewrite happens, asked of the file's ``ast`` tree.

The rewrites ask which function a call names (the builtin ``open``, ``json.dump``), whether
a helper's name is free in the file, and whether a handle is used elsewhere in its function.
The answers come from the ``ast`` tree the analysis already has, not from libcst's scope
metadata (which costs more than the whole check): each scope's bindings are collected the
first time it is asked about, so a file's questions cost time linear in its size.

Resolution follows Python's rules: the innermost scope, then the enclosing functions (not
class bodies), then the module, then the builtins. A name bound in a comprehension or a
lambda counts as bound in the enclosing scope, which can only make a rewrite refuse.
"""

from __future__ import annotations

import ast
import builtins
from collections import Counter
from typing import Dict, Iterator, List, Optional, Sequence, Set, Tuple, Union

ScopeNode = Union[ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda]
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_BUILTINS = frozenset(dir(builtins))
Qualified = Tuple[str, bool]  # (dotted name, bound by an import)


class Names:
    """The file's bindings, scope by scope, computed on demand."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self._bindings: Dict[int, Dict[str, Set[Qualified]]] = {}
        self._loads: Dict[int, "Counter[str]"] = {}
        self._bound: Optional[Dict[str, Set[str]]] = None  # name -> modules it is imported from by name, "" else

    def qualified(self, dotted: Optional[str], scopes: Sequence[ScopeNode]) -> Set[Qualified]:
        """What ``dotted`` (``json.dump``, ``open``) names in ``scopes`` (innermost first):
        ``{("json.dump", True)}``; empty for a local value."""
        if not dotted:
            return set()
        head, _, rest = dotted.partition(".")
        suffix = f".{rest}" if rest else ""
        for index, scope in enumerate(scopes):
            if index and isinstance(scope, ast.ClassDef):
                continue  # a class body is not visible from the functions inside it
            bound = self._scope_bindings(scope).get(head)
            if bound is not None:
                return {(name + suffix, imported) for name, imported in bound if name}
        return {(f"builtins.{dotted}", False)} if head in _BUILTINS else set()

    def taken(self, name: str, module: str) -> bool:
        """``name`` is bound anywhere in the file other than by ``from module import name``."""
        if self._bound is None:
            self._bound = _bound_names(self.tree)
        return any(source != module for source in self._bound.get(name, ()))

    def loads(self, name: str, scope: ScopeNode) -> int:
        """How often ``name`` is read in ``scope``, nested functions and classes included."""
        key = id(scope)
        if key not in self._loads:
            self._loads[key] = Counter(
                node.id
                for node in ast.walk(scope)
                if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Store)
            )
        return self._loads[key][name]

    def _scope_bindings(self, scope: ScopeNode) -> Dict[str, Set[Qualified]]:
        key = id(scope)
        if key not in self._bindings:
            found: Dict[str, Set[Qualified]] = {}
            for name, qualified in _bindings(scope):
                found.setdefault(name, set()).add(qualified)
            self._bindings[key] = found
        return self._bindings[key]


def enclosing_scopes(path: Sequence[ast.AST]) -> List[ScopeNode]:
    """The scopes around the last node of ``path`` (its ancestors, the module first), innermost first."""
    scopes: List[ScopeNode] = []
    for node in path[:-1]:
        if isinstance(node, (ast.Module, *_SCOPES)):
            scopes.append(node)
    return scopes[::-1]


def _bindings(scope: ScopeNode) -> Iterator[Tuple[str, Qualified]]:
    """(name, (qualified name or "" for a local value, bound by an import)) for each binding."""
    if isinstance(scope, _FUNCTIONS):
        args = scope.args
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg):
            if arg is not None:
                yield arg.arg, ("", False)
    body: List[ast.AST] = [scope.body] if isinstance(scope, ast.Lambda) else list(scope.body)
    for node in _own_nodes(body):
        yield from _bound_by(node)


def _own_nodes(roots: List[ast.AST]) -> Iterator[ast.AST]:
    """The nodes of a scope, not those of the functions and classes it defines (their names,
    decorators and defaults are its own)."""
    stack = list(reversed(roots))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            children: List[ast.AST] = [*node.decorator_list, *node.args.defaults]
            children += [d for d in node.args.kw_defaults if d is not None]
        elif isinstance(node, ast.ClassDef):
            children = [*node.decorator_list, *node.bases, *node.keywords]
        elif isinstance(node, ast.Lambda):
            children = [node.args, node.body]  # its parameters count as bound here: refusing is safe
        else:
            children = list(ast.iter_child_nodes(node))
        stack.extend(reversed(children))


def _bound_by(node: ast.AST) -> Iterator[Tuple[str, Qualified]]:
    local = ("", False)
    if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
        yield node.id, local
    elif isinstance(node, ast.arg):  # a lambda's parameter, counted in its scope
        yield node.arg, local
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield node.name, local
    elif isinstance(node, ast.ExceptHandler) and node.name:
        yield node.name, local
    elif isinstance(node, ast.Import):
        for alias in node.names:
            if alias.asname:
                yield alias.asname, (alias.name, True)
            else:
                top = alias.name.partition(".")[0]
                yield top, (top, True)
    elif isinstance(node, ast.ImportFrom):
        for alias in node.names:
            if alias.name != "*":
                name = f"{node.module}.{alias.name}" if node.module and not node.level else ""
                yield alias.asname or alias.name, (name, True)
    elif isinstance(node, (ast.Global, ast.Nonlocal)):
        for name in node.names:
            yield name, local  # rebound elsewhere: not the builtin
    elif isinstance(node, getattr(ast, "pattern", ())):  # match patterns (Python 3.10+)
        for attribute in ("name", "rest"):
            bound = getattr(node, attribute, None)
            if isinstance(bound, str):
                yield bound, local


def _bound_names(tree: ast.AST) -> Dict[str, Set[str]]:
    """Every name bound anywhere in ``tree``: the modules that ``from module import name`` binds
    it from, and "" for any other binding (an assignment, a definition, an alias)."""
    bound: Dict[str, Set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.setdefault(node.name, set()).add("")
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.setdefault(node.id, set()).add("")
        elif isinstance(node, ast.arg):
            bound.setdefault(node.arg, set()).add("")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                bound.setdefault(alias.asname or alias.name.split(".")[0], set()).add("")
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                by_name = node.level == 0 and node.module and alias.asname is None
                bound.setdefault(alias.asname or alias.name, set()).add(node.module if by_name and node.module else "")
    return bound
