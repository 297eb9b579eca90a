"""One pass over the module's ``ast``: the facts the classifier needs, nothing decided yet.

Facts are: scopes with their assignments, parameters and returns; class attributes; write
sites (calls that open or write a file); reads; serializer calls; renames and replaces;
deletes; locks; fsync/close/flush calls; and calls between functions of the module.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Set, Tuple, Union

from .imports import ImportMap

FunctionNode = Union[ast.FunctionDef, ast.AsyncFunctionDef]

OPEN_FUNCS = {
    "builtins.open": "open",
    "io.open": "io.open",
    "codecs.open": "codecs.open",
    "os.fdopen": "os.fdopen",
}
# Serializer -> (position, keyword) of the file argument.
SERIALIZERS = {
    "json.dump": (1, "fp"),
    "pickle.dump": (1, "file"),
    "pickle.Pickler": (0, "file"),
    "marshal.dump": (1, "file"),
    "yaml.dump": (1, "stream"),
    "yaml.safe_dump": (1, "stream"),
    "yaml.dump_all": (1, "stream"),
    "yaml.safe_dump_all": (1, "stream"),
    "toml.dump": (1, "f"),
    "tomli_w.dump": (1, "fp"),
    "tomlkit.dump": (1, "fp"),
    "plistlib.dump": (1, "fp"),
    "csv.writer": (0, "csvfile"),
    "csv.DictWriter": (0, "f"),
}
COMPRESSED_OPENS = {"gzip.open", "bz2.open", "lzma.open", "tarfile.open"}
COPY_FUNCS = {"shutil.copyfile", "shutil.copy", "shutil.copy2"}
REPLACE_FUNCS = {
    "os.replace": "os.replace",
    "os.rename": "os.rename",
    "os.renames": "os.renames",
    "shutil.move": "shutil.move",
}
DELETE_FUNCS = {"os.remove", "os.unlink", "shutil.rmtree"}
LOCK_PREFIXES = ("fcntl.", "msvcrt.locking", "portalocker.")
TEMP_FUNCS = {
    "tempfile.NamedTemporaryFile",
    "tempfile.mkstemp",
    "tempfile.mkdtemp",
    "tempfile.TemporaryDirectory",
    "tempfile.gettempdir",
    "tempfile.TemporaryFile",
    "tempfile.SpooledTemporaryFile",
    "tempfile.mktemp",
}
_MODE_CHARS = frozenset("rwxabt+U")
_FUNCTIONS = frozenset({ast.FunctionDef, ast.AsyncFunctionDef})
_WITHS = frozenset({ast.With, ast.AsyncWith})
_BINDINGS = frozenset(
    {ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign, ast.NamedExpr, ast.Return}
) | _WITHS
_SKIPPED_FIELDS = frozenset({"ctx", "op", "type_comment", "type_ignores"})


@dataclass(eq=False)
class Scope:
    """A function (or the module, or a class body) and what is bound inside it."""

    node: ast.AST
    name: str
    kind: str  # "module", "class" or "function"
    cls: Optional[str]
    parent: Optional["Scope"]
    params: List[str] = field(default_factory=list)
    defaults: Dict[str, ast.expr] = field(default_factory=dict)
    assigns: Dict[str, List[ast.expr]] = field(default_factory=dict)
    returns: List[ast.expr] = field(default_factory=list)

    @property
    def self_name(self) -> Optional[str]:
        """The name of a method's first parameter (``self``/``cls``)."""
        return self.params[0] if self.cls and self.params else None

    def bind(self, name: str, value: ast.expr) -> None:
        self.assigns.setdefault(name, []).append(value)


@dataclass(eq=False)
class WriteSite:
    """A call that opens or writes a file: ``open(p, "w")``, ``p.write_text(s)``, ...

    ``kind`` is ``"path_write"`` (AW101), ``"open"`` (AW102/AW103) or ``"stdlib"`` (AW104).
    """

    call: ast.Call
    kind: str
    api: str
    target: ast.expr
    mode: str
    scope: Scope
    withs: Tuple[ast.AST, ...]
    handle: Optional[str] = None
    serializer: Optional[str] = None


@dataclass(eq=False)
class Move:
    """A rename, replace or move of ``src`` onto ``dst``."""

    call: ast.Call
    api: str
    src: ast.expr
    dst: ast.expr
    scope: Scope
    withs: Tuple[ast.AST, ...]


@dataclass(eq=False)
class PathCall:
    """A call that touches a path or handle without writing it (read, delete, fsync, ...)."""

    call: ast.Call
    api: str
    arg: ast.expr
    scope: Scope
    withs: Tuple[ast.AST, ...] = ()


@dataclass(eq=False)
class ModuleFacts:
    """Everything the classifier needs to know about one module."""

    imports: ImportMap
    module: Scope
    scopes: List[Scope] = field(default_factory=list)
    functions: Dict[str, Scope] = field(default_factory=dict)
    class_attrs: Dict[str, Dict[str, List[ast.expr]]] = field(default_factory=dict)
    sites: List[WriteSite] = field(default_factory=list)
    reads: List[PathCall] = field(default_factory=list)
    serializers: List[PathCall] = field(default_factory=list)
    moves: List[Move] = field(default_factory=list)
    deletes: List[PathCall] = field(default_factory=list)
    syncs: List[PathCall] = field(default_factory=list)
    copies: List[Move] = field(default_factory=list)
    calls: Dict[str, List[Tuple[ast.Call, Scope]]] = field(default_factory=dict)
    qualified: Dict[str, List[Tuple[ast.Call, Scope]]] = field(default_factory=dict)
    new_dirs: List[PathCall] = field(default_factory=list)
    locked: Set[str] = field(default_factory=set)  # handles given to fcntl/msvcrt locking
    attr_handles: Dict[int, str] = field(default_factory=dict)  # open call -> "self.fh"
    touched: Set[int] = field(default_factory=set)


def collect(tree: ast.AST) -> ModuleFacts:
    """Walk ``tree`` once and return its facts."""
    module = Scope(tree, "", "module", None, None)
    facts = ModuleFacts(ImportMap(), module, [module])
    raw_calls: List[Tuple[ast.Call, Scope, Tuple[ast.AST, ...]]] = []
    stack: List[Tuple[ast.AST, Scope, Tuple[ast.AST, ...]]] = [(tree, module, ())]
    pop, push = stack.pop, stack.append
    while stack:
        node, scope, withs = pop()
        kind = type(node)
        if kind is ast.Call:
            raw_calls.append((node, scope, withs))  # type: ignore[arg-type]
        elif kind in _FUNCTIONS:
            scope, withs = _function_scope(facts, node, scope), ()  # type: ignore[arg-type]
        elif kind is ast.ClassDef:
            scope = Scope(node, node.name, "class", node.name, scope)  # type: ignore[attr-defined]
            facts.class_attrs.setdefault(scope.name, {})
        elif kind in _BINDINGS:
            _record_binding(facts, node, scope)
            if kind in _WITHS:
                withs = withs + (node,)
        for name in node._fields:
            if name in _SKIPPED_FIELDS:
                continue
            value = getattr(node, name, None)
            if type(value) is list:
                for item in reversed(value):
                    if isinstance(item, ast.AST):
                        push((item, scope, withs))
            elif isinstance(value, ast.AST):
                push((value, scope, withs))
    for call, scope, withs in raw_calls:
        _record_call(facts, call, scope, withs)
    _link_serializers(facts)
    return facts


def _function_scope(facts: ModuleFacts, node: FunctionNode, parent: Scope) -> Scope:
    cls = parent.cls if parent.kind != "module" else None
    prefix = f"{parent.name}." if parent.kind == "class" else ""
    args = node.args
    params = [a.arg for a in args.posonlyargs + args.args]
    first_default = len(params) - len(args.defaults)
    defaults = dict(zip(params[first_default:], args.defaults))
    defaults.update((a.arg, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None)
    params += [a.arg for a in args.kwonlyargs]
    scope = Scope(node, prefix + node.name, "function", cls, parent, params, defaults)
    facts.scopes.append(scope)
    if parent.kind in ("module", "class"):
        facts.functions.setdefault(scope.name, scope)
    if parent.kind == "module":
        facts.imports.shadow(node.name)
    return scope


def _record_binding(facts: ModuleFacts, node: ast.AST, scope: Scope) -> None:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        facts.imports.add(node)
    elif isinstance(node, ast.Assign):
        for target in node.targets:
            _bind_target(facts, target, node.value, scope)
    elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and node.value is not None:
        _bind_target(facts, node.target, node.value, scope)
    elif isinstance(node, (ast.With, ast.AsyncWith)):
        empty_body = all(_is_noop(stmt) for stmt in node.body)
        for item in node.items:
            if item.optional_vars is not None:
                _bind_target(facts, item.optional_vars, item.context_expr, scope)
            if empty_body:
                facts.touched.add(id(item.context_expr))
    elif isinstance(node, ast.Return) and node.value is not None:
        scope.returns.append(node.value)


def _is_noop(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Pass) or (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant))


def _bind_target(facts: ModuleFacts, target: ast.expr, value: ast.expr, scope: Scope) -> None:
    if isinstance(target, ast.Name):
        if scope.kind == "class":
            facts.class_attrs[scope.name].setdefault(target.id, []).append(value)
        else:
            scope.bind(target.id, value)
            if scope.kind == "module":
                facts.imports.shadow(target.id)
    elif isinstance(target, (ast.Tuple, ast.List)):
        pairwise = isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(target.elts)
        for index, element in enumerate(target.elts):
            _bind_target(facts, element, value.elts[index] if pairwise else value, scope)  # type: ignore[attr-defined]
    elif isinstance(target, ast.Attribute):
        facts.attr_handles[id(value)] = dotted(target)
        if isinstance(target.value, ast.Name) and scope.cls is not None and target.value.id == _self_name(scope):
            facts.class_attrs[scope.cls].setdefault(target.attr, []).append(value)


def _self_name(scope: Optional[Scope]) -> Optional[str]:
    while scope is not None and scope.kind == "function":
        if scope.self_name is not None and scope.parent is not None and scope.parent.kind == "class":
            return scope.self_name
        scope = scope.parent
    return None


def _arg(call: ast.Call, position: int, keyword: str) -> Optional[ast.expr]:
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    if len(call.args) > position and not isinstance(call.args[position], ast.Starred):
        return call.args[position]
    return None


def _const_str(node: Optional[ast.expr]) -> Optional[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _mode(call: ast.Call, position: int, default: str = "r") -> Optional[str]:
    node = _arg(call, position, "mode")
    if node is None:
        return default
    if isinstance(node, ast.IfExp):  # 'w' if write else 'r': a write when it writes
        branches = [_const_str(node.body), _const_str(node.orelse)]
        return next((m for m in branches if m and set(m) & set("wxa")), branches[0])
    return _const_str(node)


def is_mode(text: Optional[str]) -> bool:
    return bool(text) and set(text or "") <= _MODE_CHARS


def _record_call(facts: ModuleFacts, call: ast.Call, scope: Scope, withs: Tuple[ast.AST, ...]) -> None:
    func = call.func
    qual = facts.imports.qualname(func)
    if qual is not None:
        _record_qualified_call(facts, call, qual, scope, withs)
        facts.qualified.setdefault(qual, []).append((call, scope))
    if not isinstance(func, ast.Attribute):
        if isinstance(func, ast.Name):
            facts.calls.setdefault(func.id, []).append((call, scope))
        return
    receiver = func.value
    if isinstance(receiver, ast.Name) and facts.imports.is_module(receiver.id):
        return
    if qual is not None and qual.startswith("builtins."):
        return
    _record_method_call(facts, call, func.attr, receiver, scope, withs)


def _record_qualified_call(
    facts: ModuleFacts, call: ast.Call, qual: str, scope: Scope, withs: Tuple[ast.AST, ...]
) -> None:
    if qual in OPEN_FUNCS:
        target = _arg(call, 0, "fd" if qual == "os.fdopen" else "file")
        mode = _mode(call, 1)
        if target is not None and mode is not None:
            _add_open(facts, call, OPEN_FUNCS[qual], target, mode, scope, withs)
    elif qual in SERIALIZERS:
        position, keyword = SERIALIZERS[qual]
        handle = _arg(call, position, keyword)
        if handle is not None:
            facts.serializers.append(PathCall(call, qual, handle, scope, withs))
    elif qual in REPLACE_FUNCS:
        src, dst = _arg(call, 0, "src"), _arg(call, 1, "dst")
        if src is not None and dst is not None:
            facts.moves.append(Move(call, REPLACE_FUNCS[qual], src, dst, scope, withs))
    elif qual in COPY_FUNCS:
        src, dst = _arg(call, 0, "src"), _arg(call, 1, "dst")
        if src is not None and dst is not None:
            facts.copies.append(Move(call, qual, src, dst, scope, withs))
            facts.sites.append(WriteSite(call, "stdlib", qual, dst, "w", scope, withs))
    elif qual in DELETE_FUNCS:
        target = _arg(call, 0, "path")
        if target is not None:
            facts.deletes.append(PathCall(call, qual, target, scope, withs))
    elif qual in COMPRESSED_OPENS or qual == "zipfile.ZipFile":
        target, mode = _arg(call, 0, "filename" if qual != "tarfile.open" else "name"), _mode(call, 1)
        if target is not None and mode and ("w" in mode or "x" in mode):
            facts.sites.append(WriteSite(call, "stdlib", qual, target, mode, scope, withs))
    elif qual in ("os.makedirs", "os.mkdir"):
        target = _arg(call, 0, "name" if qual == "os.makedirs" else "path")
        if target is not None:
            facts.new_dirs.append(PathCall(call, qual, target, scope, withs))
    elif qual in ("os.fsync", "os.fdatasync", "os.close"):
        if call.args:
            facts.syncs.append(PathCall(call, qual, call.args[0], scope, withs))
    elif qual.startswith(LOCK_PREFIXES):
        for arg in call.args[:1]:
            handle = (
                arg.func.value if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) else arg
            )
            facts.locked.add(dotted(handle))


def _record_method_call(
    facts: ModuleFacts,
    call: ast.Call,
    attr: str,
    receiver: ast.expr,
    scope: Scope,
    withs: Tuple[ast.AST, ...],
) -> None:
    nargs = len(call.args)
    if attr in ("write_text", "write_bytes") and (nargs or call.keywords):
        facts.sites.append(WriteSite(call, "path_write", f"Path.{attr}", receiver, "w", scope, withs))
    elif attr in ("read_text", "read_bytes"):
        facts.reads.append(PathCall(call, f"Path.{attr}", receiver, scope, withs))
    elif attr == "open":
        first = _const_str(call.args[0]) if call.args else None
        mode = first if is_mode(first) else _const_str(_arg(call, 99, "mode"))
        if mode is None and not call.args and not call.keywords:
            mode = "r"
        if mode is not None and (nargs == 0 or is_mode(first)):
            _add_open(facts, call, "Path.open", receiver, mode, scope, withs)
    elif attr in ("replace", "rename") and nargs == 1 and not call.keywords:
        facts.moves.append(Move(call, f"Path.{attr}", receiver, call.args[0], scope, withs))
    elif attr == "unlink" and nargs <= 1:
        facts.deletes.append(PathCall(call, "Path.unlink", receiver, scope, withs))
    elif attr in ("close", "flush") and nargs == 0:
        facts.syncs.append(PathCall(call, attr, receiver, scope, withs))
        if attr == "close" and isinstance(receiver, ast.Call):
            facts.touched.add(id(receiver))  # open(p, "w").close(): creates or empties
    elif attr == "mkdir":
        facts.new_dirs.append(PathCall(call, "Path.mkdir", receiver, scope, withs))
    elif attr in ("dump", "dump_all") and nargs >= 2:
        facts.serializers.append(
            PathCall(call, f"{_receiver_name(receiver)}.{attr}", call.args[1], scope, withs)
        )
    elif attr == "write" and nargs == 1 and _is_element_tree(facts, receiver, scope):
        facts.sites.append(WriteSite(call, "stdlib", "ElementTree.write", call.args[0], "w", scope, withs))
    if isinstance(receiver, ast.Name) and receiver.id == _self_name(scope) and scope.cls:
        facts.calls.setdefault(f"{scope.cls}.{attr}", []).append((call, scope))


def guarded_absent(scope: Scope, call: ast.AST, expr: ast.expr) -> bool:
    """Whether ``call`` runs only under ``if not <exists>(expr):`` (``expr`` is absent there)."""
    wanted = ast.dump(expr)
    for node in ast.walk(scope.node):
        if not (isinstance(node, ast.If) and isinstance(node.test, ast.UnaryOp)):
            continue
        test = node.test.operand
        if isinstance(node.test.op, ast.Not) and isinstance(test, ast.Call):
            subjects = list(test.args) + ([test.func.value] if isinstance(test.func, ast.Attribute) else [])
            if any(ast.dump(s) == wanted for s in subjects) and any(
                inner is call for stmt in node.body for inner in ast.walk(stmt)
            ):
                return True
    return False


def dotted(node: ast.AST) -> str:
    """``self.fh`` for an attribute chain or name, else ``""``."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return ""
    parts.append(node.id)
    return ".".join(reversed(parts))


def truthy_kw(call: ast.Call, name: str) -> bool:
    return any(
        kw.arg == name and not (isinstance(kw.value, ast.Constant) and not kw.value.value)
        for kw in call.keywords
    )


def _receiver_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return _receiver_name(node.func) + "()"
    return "serializer"


def _is_element_tree(facts: ModuleFacts, receiver: ast.expr, scope: Scope) -> bool:
    values: List[ast.expr] = [receiver]
    if isinstance(receiver, ast.Name):
        values = scope.assigns.get(receiver.id, []) or facts.module.assigns.get(receiver.id, [])
    for value in values:
        calls = [node for node in ast.walk(value) if isinstance(node, ast.Call)]  # also `a if c else b`
        for call in list(calls):
            callee = facts.functions.get(call.func.id) if isinstance(call.func, ast.Name) else None
            if callee is not None:
                calls += [r for r in callee.returns if isinstance(r, ast.Call)]
        for call in calls:
            if (facts.imports.qualname(call.func) or "").endswith(
                ("ElementTree.parse", "ElementTree.ElementTree")
            ):
                return True
    return False


def _add_open(
    facts: ModuleFacts,
    call: ast.Call,
    api: str,
    target: ast.expr,
    mode: str,
    scope: Scope,
    withs: Tuple[ast.AST, ...],
) -> None:
    if any(ch in mode for ch in "wxa"):
        facts.sites.append(WriteSite(call, "open", api, target, mode, scope, withs))
    elif "+" not in mode:
        facts.reads.append(PathCall(call, api, target, scope, withs))


def _link_serializers(facts: ModuleFacts) -> None:
    """Mark open sites whose handle a serializer writes into (AW103)."""
    by_call = {id(site.call): site for site in facts.sites if site.kind == "open"}
    handles: Dict[Tuple[int, str], List[WriteSite]] = {}
    for opened in by_call.values():
        for name, values in opened.scope.assigns.items():
            if any(value is opened.call for value in values):
                opened.handle = name
                handles.setdefault((id(opened.scope), name), []).append(opened)
    for ser in facts.serializers:
        site = _serialized_site(ser, by_call, handles)
        if site is not None and site.serializer is None:
            site.serializer = ser.api


def _serialized_site(
    ser: PathCall, by_call: Dict[int, WriteSite], handles: Dict[Tuple[int, str], List[WriteSite]]
) -> Optional[WriteSite]:
    """The open site ``ser`` writes into: its own ``with``, else the latest earlier binding."""
    arg = ser.arg
    if isinstance(arg, ast.Call):
        return by_call.get(id(arg))
    if not isinstance(arg, ast.Name):
        return None
    for with_node in reversed(ser.withs):
        for item in with_node.items:  # type: ignore[attr-defined]
            var = item.optional_vars
            if isinstance(var, ast.Name) and var.id == arg.id and id(item.context_expr) in by_call:
                return by_call[id(item.context_expr)]
    earlier = [site for site in handles.get((id(ser.scope), arg.id), ()) if site.call.lineno <= ser.call.lineno]
    return max(earlier, key=lambda site: site.call.lineno) if earlier else None
