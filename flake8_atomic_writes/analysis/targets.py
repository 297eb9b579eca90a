"""What a path expression is made of, followed through assignments, attributes and returns.

``describe(expr, scope, facts)`` gathers the words, literals, calls and environment
variables that build a write target, and the keys that identify it (to match a write with
a read or a replace of the same target elsewhere). The classifier turns this into evidence.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Iterator, List, Optional, Sequence, Set, Tuple

from .facts import ModuleFacts, Scope, dotted

_MAX_DEPTH = 4
PATH_MODULES = ("pathlib.", "os.path.", "os.environ", "platformdirs.", "appdirs.", "tempfile.", "xdg")
PATH_CALLS = frozenset(
    {
        "os.getenv",
        "os.fspath",
        "os.open",
        "os.fdopen",
        "builtins.str",
        "builtins.format",
        "click.get_app_dir",
        "typer.get_app_dir",
        # containers of paths: an element is made of what the container holds
        "builtins.list",
        "builtins.tuple",
        "builtins.sorted",
        "builtins.reversed",
        "builtins.map",
        "builtins.filter",
        # listings of a directory: an entry lies under it
        "os.walk",
        "os.scandir",
        "os.listdir",
        "glob.glob",
        "glob.iglob",
    }
)
PATH_METHODS = frozenset(
    {
        "joinpath",
        "with_suffix",
        "with_name",
        "with_stem",
        "format",
        "expanduser",
        "resolve",
        "absolute",
        "join",
        "get",
        "fileno",
        "makefile",
        "iterdir",
        "glob",
        "rglob",
    }
)
# A method named for the location it returns (``settings.getBaseFolder("logs")``,
# ``app.get_data_path("cache")``): its arguments say which location, so they are part of the path.
_PATH_GETTER_TAILS = frozenset({"path", "dir", "directory", "folder", "location"})
SETTING_KEY = re.compile(r"^[A-Z][A-Z0-9_]*_(DIR|DIRECTORY|HOME|PATH|FILE|ROOT)$")
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_FILENAME = re.compile(r"[\w.-]*\.\w{1,8}$|[\w-]+$")


@dataclass
class TargetInfo:
    """The parts a target path is built from, gathered across assignments."""

    words: Set[str] = field(default_factory=set)
    own_words: Set[str] = field(default_factory=set)  # the words not heard only from an object holding the path
    names: Set[str] = field(default_factory=set)
    literals: List[str] = field(default_factory=list)
    calls: Set[str] = field(default_factory=set)
    env: Set[str] = field(default_factory=set)
    params: List[Tuple[Scope, str]] = field(default_factory=list)
    self_attrs: Set[str] = field(default_factory=set)
    qualnames: Set[str] = field(default_factory=set)
    settings: Set[str] = field(default_factory=set)  # settings["CACHE_DIR"], env.get("X_HOME")
    refs: Set[Tuple[str, bool]] = field(default_factory=set)  # imported (dotted name, called)
    hidden: Set[str] = field(default_factory=set)  # dotfile names joined on as a component: ".referrers"


# Words that say "the path of": in ``self.config.path`` or ``settings.basedir`` the object the
# attribute belongs to names the file; in ``state.options.output`` the attribute does, and
# ``state`` only holds it (its words are no evidence that the file holds state).
_PATH_OF = frozenset("path paths file filename fname filepath dir dirs directory dirname folder parent name stem "
                     "root location local abs full real fs home base".split())
_PATH_OF_TAILS = ("dir", "path", "folder", "root", "home")

# A hidden file or directory name (``.gitignore``, ``.pdm-python``), not a bare suffix.
_HIDDEN = re.compile(r"^\.[A-Za-z][\w-]*(\.\w+)?$")
_JOINS = frozenset({"joinpath", "join", "Path", "PurePath"})


def _components(node: ast.AST) -> Sequence[ast.expr]:
    """The parts ``node`` joins as whole path components: the right of ``/``, the arguments
    of ``joinpath``/``os.path.join``/``Path``; not a concatenation (``path + ".txt"``)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        return (node.right,)
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in _JOINS:
            return node.args
    return ()


def _path_of(attr: str) -> bool:
    """An attribute named as the path of its object (``.path``, ``.config_dir``, ``._basedir``)."""
    return all(word in _PATH_OF or word.endswith(_PATH_OF_TAILS) for word in split_words(attr))


def _separator(part: ast.expr) -> bool:
    """A piece of an f-string that only joins the values around it (``f"{name}-{version}"``):
    no name of its own, and never the ``"-"`` that means stdout."""
    return isinstance(part, ast.Constant) and isinstance(part.value, str) and not part.value.strip("-_. ")


def split_words(identifier: str) -> List[str]:
    """``_saveConfigPath`` -> ``["save", "config", "path"]``."""
    return [w.lower() for w in _WORD.findall(identifier)]


def describe(expr: ast.expr, scope: Scope, facts: ModuleFacts) -> TargetInfo:
    info = TargetInfo()
    _Describer(facts, info).visit(expr, scope, 0)
    return info


class _Describer:
    __slots__ = ("facts", "info", "seen", "holding")

    def __init__(self, facts: ModuleFacts, info: TargetInfo) -> None:
        self.facts = facts
        self.info = info
        self.seen: Set[Tuple[int, str]] = set()
        self.holding = False  # visiting an object that only holds the path

    def visit(self, expr: ast.expr, scope: Scope, depth: int) -> None:
        if depth > _MAX_DEPTH:
            return
        called: Set[int] = set()
        separators: Set[int] = set()
        holders: Set[int] = set()
        for node in self._walk(expr):
            if isinstance(node, ast.Call):
                called.add(id(node.func))
            elif isinstance(node, ast.JoinedStr):
                separators.update(id(part) for part in node.values if _separator(part))
            if id(node) in holders:
                holders.update(id(child) for child in ast.iter_child_nodes(node))
            elif isinstance(node, ast.Attribute) and id(node) not in called and not _path_of(node.attr):
                holders.add(id(node.value))
            held, self.holding = self.holding, self.holding or id(node) in holders
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) not in separators:
                    self._literal(node.value)
            elif isinstance(node, ast.Name):
                self._name(node.id, scope, depth, id(node) in called)
            elif isinstance(node, ast.Attribute):
                self._attribute(node, scope, depth, id(node) in called)
            elif isinstance(node, ast.Call):
                self._call(node, scope, depth)
            elif isinstance(node, ast.Subscript):
                self._subscript(node)
            for part in _components(node):
                if isinstance(part, ast.Constant) and isinstance(part.value, str) and _HIDDEN.match(part.value):
                    self.info.hidden.add(part.value)
            self.holding = held

    def _words(self, identifier: str) -> None:
        words = split_words(identifier)
        self.info.words.update(words)
        if not self.holding:
            self.info.own_words.update(words)

    def _walk(self, expr: ast.expr) -> Iterator[ast.AST]:
        """Like ``ast.walk``, but enters the arguments of path-building calls only.

        ``load(path).items()`` is data read from ``path``, not a path built from it.
        """
        stack: List[ast.AST] = [expr]
        while stack:
            node = stack.pop()
            yield node
            if isinstance(node, ast.Call) and not self._builds_path(node):
                stack.append(node.func)
            elif isinstance(node, ast.Subscript) and self.facts.imports.qualname(node.value) != "os.environ":
                stack.append(node.value)  # data["state_key"] is data, not a path
            elif not isinstance(node, ast.Dict):
                stack.extend(ast.iter_child_nodes(node))

    def _builds_path(self, call: ast.Call) -> bool:
        qual = self.facts.imports.qualname(call.func)
        if qual is not None:
            return qual.startswith(PATH_MODULES) or qual in PATH_CALLS
        if not isinstance(call.func, ast.Attribute):
            return False
        return call.func.attr in PATH_METHODS or bool(set(split_words(call.func.attr)[-1:]) & _PATH_GETTER_TAILS)

    def _literal(self, text: str) -> None:
        if len(text) > 300:
            return
        self.info.literals.append(text)
        self._words(text)

    def _name(self, name: str, scope: Scope, depth: int, called: bool = False) -> None:
        info = self.info
        info.names.add(name)
        self._words(name)
        imports = self.facts.imports
        if not called and (name in imports.relative or name in imports.names) and _owner(scope, name) is None:
            info.refs.add((imports.names.get(name) or imports.relative[name], False))
        qual = imports.qualname(ast.Name(name, ast.Load()))
        if qual is not None:
            info.qualnames.add(qual)
            return
        owner = _owner(scope, name)
        if owner is None:
            return
        key = (id(owner), name)
        if key in self.seen:
            return
        self.seen.add(key)
        if owner.kind != "module" and name in owner.params and name not in owner.assigns:
            info.params.append((owner, name))
            default = owner.defaults.get(name)
            if default is not None:
                self.visit(default, owner.parent or owner, depth + 1)
            return
        for value in owner.assigns.get(name, ()) or owner.loops.get(name, ()):
            self.visit(value, owner, depth + 1)

    def _attribute(self, node: ast.Attribute, scope: Scope, depth: int, called: bool) -> None:
        info = self.info
        self._words(node.attr)
        info.names.add(node.attr)
        qual = self.facts.imports.qualname(node)
        if qual is not None:
            info.qualnames.add(qual)
        if not called and isinstance(node.value, (ast.Name, ast.Attribute)):
            ref = self.facts.imports.imported_name(node)
            if ref is not None:
                info.refs.add((ref, False))
        base = node.value
        if called or not (isinstance(base, ast.Name) and scope.cls and base.id == scope.self_name):
            return
        info.self_attrs.add(node.attr)
        key = (id(scope.cls), "." + node.attr)
        if key in self.seen:
            return
        self.seen.add(key)
        class_scope = self._class_scope(scope)
        for value in self.facts.class_attrs.get(scope.cls, {}).get(node.attr, ()):
            self.visit(value, self.facts.attr_scopes.get(id(value)) or class_scope or scope, depth + 1)
        prop = self.facts.functions.get(f"{scope.cls}.{node.attr}")
        if prop is not None:
            for value in prop.returns:
                self.visit(value, prop, depth + 1)

    def _class_scope(self, scope: Scope) -> Optional[Scope]:
        while scope.parent is not None and scope.kind == "function":
            scope = scope.parent
        return scope

    def _call(self, node: ast.Call, scope: Scope, depth: int) -> None:
        facts = self.facts
        ref = facts.imports.imported_name(node.func)
        if ref is not None:
            self.info.refs.add((ref, True))
        qual = facts.imports.qualname(node.func)
        if qual is not None:
            self.info.calls.add(qual)
            if qual in ("os.getenv", "os.environ.get") and node.args:
                self._env(node.args[0])
            return
        callee: Optional[Scope] = None
        func = node.func
        if isinstance(func, ast.Name):
            callee = facts.functions.get(func.id)
            self.info.calls.add(func.id)
        elif isinstance(func, ast.Attribute):
            self.info.calls.add("." + func.attr)
            if func.attr in ("get", "getpath", "get_path") and node.args:
                self._setting(node.args[0])
            if isinstance(func.value, ast.Name) and scope.cls and func.value.id in ("self", "cls"):
                callee = facts.functions.get(f"{scope.cls}.{func.attr}")
        if callee is not None:
            key = (id(callee), "()")
            if key not in self.seen:
                self.seen.add(key)
                for value in callee.returns:
                    self.visit(value, callee, depth + 1)

    def _subscript(self, node: ast.Subscript) -> None:
        qual = self.facts.imports.qualname(node.value)
        if qual == "os.environ":
            self._env(node.slice)
        else:
            self._setting(node.slice)

    def _setting(self, key: ast.AST) -> None:
        """A location looked up in the program's settings by a name that says so."""
        if isinstance(key, ast.Constant) and isinstance(key.value, str) and SETTING_KEY.match(key.value):
            self.info.settings.add(key.value)

    def _env(self, node: ast.AST) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            self.info.env.add(node.value)


def _owner(scope: Scope, name: str) -> Optional[Scope]:
    """The scope that binds ``name`` as seen from ``scope`` (class bodies are skipped)."""
    current: Optional[Scope] = scope
    while current is not None:
        if current.kind != "class" and (name in current.assigns or name in current.params or name in current.loops):
            return current
        current = current.parent
    return None


_PATH_WRAPPERS = {
    "pathlib.Path",
    "pathlib.PurePath",
    "builtins.str",
    "os.fspath",
    "os.path.abspath",
    "os.path.realpath",
    "os.path.normpath",
    "os.path.expanduser",
}
_PATH_METHODS = {"resolve", "expanduser", "absolute"}


def identity(expr: ast.expr, scope: Scope, facts: ModuleFacts, depth: int = 0, follow: bool = True) -> Set[str]:
    """Keys that name the file ``expr`` denotes, to match it with reads, moves and deletes.

    ``tmp = path + ".tmp"`` and ``path`` get different keys; ``CONFIG_DIR / "a.json"`` and
    ``CONFIG_DIR / "b.json"`` too, while a variable and the value assigned to it share one
    (unless ``follow`` is false: then only the expression itself and its path wrappers count).
    """
    keys = {_expression_key(expr, scope)}
    if depth > _MAX_DEPTH:
        return keys
    if isinstance(expr, ast.Name):
        owner = _owner(scope, expr.id)
        if owner is None:
            return keys
        if owner.kind == "module":
            keys.add("g:" + expr.id)
        elif expr.id in owner.params and expr.id not in owner.assigns:
            keys.add(f"p:{owner.name}:{expr.id}")
        else:
            keys.add(f"l:{owner.name}:{expr.id}")
        values = owner.assigns.get(expr.id, ()) if follow else ()
        if owner.kind == "function" and len(values) > 1:
            values = ()  # a reassigned local may name different files: follow only single bindings
        for value in values[:4]:
            keys |= identity(value, owner, facts, depth + 1)
    elif isinstance(expr, ast.Attribute):
        base = expr.value
        if isinstance(base, ast.Name) and scope.cls and base.id == scope.self_name:
            keys.add(f"a:{scope.cls}.{expr.attr}")
            for value in facts.class_attrs.get(scope.cls, {}).get(expr.attr, ())[:4] if follow else ():
                keys |= identity(value, facts.attr_scopes.get(id(value), scope), facts, depth + 1)
        elif dotted(expr):  # `self.cache.path`, `settings.STATE_FILE`; not `f().name`
            keys.add("x:" + dotted(expr))
    elif isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        name = re.split(r"[\\/]", expr.value.rstrip("/\\"))[-1]
        if name and _FILENAME.fullmatch(name):
            keys.add("s:" + name)
    elif isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Div):
        keys |= {k for k in identity(expr.right, scope, facts, depth + 1) if k.startswith("s:")}
    elif isinstance(expr, ast.Call):
        keys |= _call_identity(expr, scope, facts, depth, follow)
    return keys


def unwrapped(expr: ast.expr, facts: ModuleFacts) -> ast.expr:
    """The path an expression only converts or normalizes: ``p`` of ``Path(str(p)).resolve()``."""
    while isinstance(expr, ast.Call):
        func = expr.func
        if facts.imports.qualname(func) in _PATH_WRAPPERS and len(expr.args) == 1:
            expr = expr.args[0]
        elif isinstance(func, ast.Attribute) and func.attr in _PATH_METHODS and not expr.args:
            expr = func.value
        else:
            break
    return expr


def shared_name(expr: ast.expr, scope: Scope, facts: ModuleFacts) -> Optional[Tuple[str, bool]]:
    """The module-level name a path *is* (through ``Path()``/``str()`` and the like), that
    other modules may share: ``(dotted name as imported, False)`` for an imported one,
    ``(name, True)`` for one of this module's own; None for anything else."""
    expr = unwrapped(expr, facts)
    if isinstance(expr, ast.Call):
        return None
    if isinstance(expr, ast.Name):
        owner = _owner(scope, expr.id)
        if owner is not None:
            return (expr.id, True) if owner.kind == "module" else None
    if isinstance(expr, (ast.Name, ast.Attribute)):
        name = facts.imports.imported_name(expr)
        return (name, False) if name is not None else None
    return None


def _call_identity(call: ast.Call, scope: Scope, facts: ModuleFacts, depth: int, follow: bool) -> Set[str]:
    func = call.func
    qual = facts.imports.qualname(func)
    if qual in _PATH_WRAPPERS and len(call.args) == 1:
        return identity(call.args[0], scope, facts, depth + 1, follow)
    if qual in ("os.path.join", "pathlib.Path") and call.args:
        return {k for k in identity(call.args[-1], scope, facts, depth + 1) if k.startswith("s:")}
    if isinstance(func, ast.Attribute) and func.attr in _PATH_METHODS and not call.args:
        return identity(func.value, scope, facts, depth + 1, follow)
    if isinstance(func, ast.Attribute) and func.attr == "joinpath" and call.args:
        return {k for k in identity(call.args[-1], scope, facts, depth + 1) if k.startswith("s:")}
    callee: Optional[Scope] = None
    if isinstance(func, ast.Name):
        callee = facts.functions.get(func.id)
    elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and scope.cls:
        callee = facts.functions.get(f"{scope.cls}.{func.attr}")
    return {"c:" + callee.name} if callee is not None else set()


def _expression_key(expr: ast.expr, scope: Scope) -> str:
    """The expression's text as a key, scoped to its function if it uses a local name."""
    local = any(
        isinstance(node, ast.Name) and (_owner(scope, node.id) or scope).kind == "function" for node in ast.walk(expr)
    )
    return f"e:{scope.name}:{_dump(expr)}" if local else "e:" + _dump(expr)


def _dump(expr: ast.expr) -> str:
    """``ast.dump`` (recursive in CPython), degraded to the node's identity on absurd nesting."""
    try:
        return ast.dump(expr)
    except RecursionError:
        return f"<deep {id(expr)}>"
