"""One pass over the module's ``ast``: the facts the classifier needs, nothing decided yet.

Facts are: scopes with their assignments, parameters and returns; class attributes; write
sites (calls that open or write a file); reads; serializer calls; renames and replaces;
deletes; locks; fsync/close/flush calls; and calls between functions of the module.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Set, Tuple, Union

from .apis import BY_NAME, METHODS, RECEIVER, RECEIVER_APIS, RECEIVER_NAMES, RECEIVER_MAKERS, WRITE_APIS, Arg, WriteApi
from .apis import ALWAYS, SERIALIZERS, STRING_SERIALIZERS, flags_mode, mode_effect
from .imports import ImportMap

FunctionNode = Union[ast.FunctionDef, ast.AsyncFunctionDef]

# Serializer -> (position, keyword) of the file argument.
COPY_APIS = frozenset(api.name for api in WRITE_APIS if api.name.startswith("shutil.copy"))
REPLACE_FUNCS = {
    "os.replace": "os.replace",
    "os.rename": "os.rename",
    "os.renames": "os.renames",
    "shutil.move": "shutil.move",
}
DELETE_FUNCS = {"os.remove", "os.unlink", "shutil.rmtree"}
EXISTS_FUNCS = {"os.path.exists", "os.path.lexists", "os.path.isfile"}
EXISTS_METHODS = {"exists", "is_file"}  # not ``is_dir()``: that picks "into a directory" or "onto a file"
SUBPROCESS_PREFIXES = ("subprocess.", "os.system", "os.exec", "os.spawn", "os.posix_spawn", "asyncio.create_subprocess")
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
_BINDINGS = (
    frozenset({ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign, ast.NamedExpr, ast.Return, ast.For})
    | frozenset({ast.AsyncFor, ast.Expr})
    | _WITHS
)
# Nodes with nothing below them that the facts need: never pushed on the walk's stack.
_LEAVES = frozenset({ast.Name, ast.Constant, ast.alias, ast.Pass, ast.Break, ast.Continue, ast.Global, ast.Nonlocal})
_FIELDS: Dict[type, Tuple[str, ...]] = {}  # each node class's fields, less the skipped ones
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
    loops: Dict[str, List[ast.expr]] = field(default_factory=dict)  # for name in <iterable>

    @property
    def is_method(self) -> bool:
        """A function defined in a class body and not a ``staticmethod``: called as
        ``obj.method(...)``, its first parameter is bound by the receiver."""
        return self.kind == "function" and self.parent is not None and self.parent.kind == "class" and not any(
            isinstance(d, ast.Name) and d.id == "staticmethod" for d in getattr(self.node, "decorator_list", ())
        )

    @property
    def self_name(self) -> Optional[str]:
        """The name ``self`` (or ``cls``) has here: the first parameter of the method this
        function is, or is nested in; None outside methods and in static methods."""
        scope: Optional[Scope] = self
        while scope is not None and scope.kind == "function":
            if scope.parent is not None and scope.parent.kind == "class":
                return scope.params[0] if scope.is_method and scope.params else None
            scope = scope.parent
        return None

    def bind(self, name: str, value: ast.expr) -> None:
        self.assigns.setdefault(name, []).append(value)


@dataclass(eq=False)
class WriteSite:
    """A call that opens or writes a file: ``open(p, "w")``, ``p.write_text(s)``, ...

    ``spec`` is its row of the write-API table; ``api`` is the name messages show (the alias
    when the API is called through one, ``self._open``), and ``via`` that alias or "".
    """

    call: ast.Call
    spec: WriteApi
    api: str
    target: ast.expr
    mode: str
    scope: Scope
    withs: Tuple[ast.AST, ...]
    via: str = ""
    handle: Optional[str] = None
    serializer: Optional[str] = None  # a serializer writing into the handle (``json.dump``)
    content: Optional[str] = None  # serialized data written (``write_text(json.dumps(...))``)
    opener: Optional[ast.Call] = None  # the os.open() that opened (and truncated) an fdopen's file

    @property
    def anchor(self) -> ast.Call:
        """Where the site is reported: the call that opens the file (for ``os.fdopen`` of a
        descriptor from ``os.open``, the ``os.open``, whose flags truncate or create it)."""
        return self.opener if self.opener is not None else self.call

    @property
    def reported_at(self) -> Tuple[ast.Call, ...]:
        """Every line the site is reported on: its anchor and, for ``fd = os.open(...)`` then
        ``os.fdopen(fd)`` on another line, the ``fdopen`` too (one truncates, one writes)."""
        if self.opener is not None and self.opener.lineno != self.call.lineno:
            return (self.opener, self.call)
        return (self.anchor,)

    @property
    def kind(self) -> str:
        """The API family: ``"path_write"`` (AW101), ``"open"`` (AW102/AW103), ``"writer"`` (AW104)."""
        return self.spec.family


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
    relative_calls: Dict[str, List[Tuple[ast.Call, Scope]]] = field(default_factory=dict)  # "..x.f"
    qualified: Dict[str, List[Tuple[ast.Call, Scope]]] = field(default_factory=dict)
    new_dirs: List[PathCall] = field(default_factory=list)
    exists_checks: List[PathCall] = field(default_factory=list)  # exists()/isfile() of a path
    locked: Set[str] = field(default_factory=set)  # handles given to fcntl/msvcrt locking
    attr_handles: Dict[int, str] = field(default_factory=dict)  # open call -> "self.fh"
    attr_scopes: Dict[int, Scope] = field(default_factory=dict)  # value of self.x = ... -> its function
    touched: Set[int] = field(default_factory=set)
    discarded: Set[int] = field(default_factory=set)  # calls whose value is dropped (a bare statement)
    consumed: Set[int] = field(default_factory=set)  # os.open calls inside os.fdopen
    written_back: Set[int] = field(default_factory=set)  # writes of an object back to the file it loaded
    truncated: Set[Tuple[int, str]] = field(default_factory=set)  # (scope, handle) given .truncate()
    handoffs: List[PathCall] = field(default_factory=list)  # arguments on a subprocess command line
    apis: Dict[str, WriteApi] = field(default_factory=lambda: dict(BY_NAME))  # plus configured writers


def collect(tree: ast.AST, writers: Sequence[WriteApi] = ()) -> ModuleFacts:
    """Walk ``tree`` once and return its facts; ``writers`` are extra rows of the write-API
    table (``atomic-writes-writers``), matched by qualified name or, for relative imports
    and functions of the module, by their last name."""
    module = Scope(tree, "", "module", None, None)
    facts = ModuleFacts(ImportMap(), module, [module])
    for api in writers:
        facts.apis[api.name] = facts.apis[api.word] = api
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
        elif kind is ast.List or kind is ast.Tuple:
            _record_argv(facts, node, scope, withs)  # type: ignore[arg-type]
        fields = _FIELDS.get(kind)
        if fields is None:
            fields = _FIELDS[kind] = tuple(f for f in node._fields if f not in _SKIPPED_FIELDS)
        for name in fields:
            value = getattr(node, name, None)
            if type(value) is list:
                for item in reversed(value):
                    if type(item) not in _LEAVES and isinstance(item, ast.AST):
                        push((item, scope, withs))
            elif value is not None and type(value) not in _LEAVES and isinstance(value, ast.AST):
                push((value, scope, withs))
    for call, scope, withs in raw_calls:
        _record_call(facts, call, scope, withs)
    if facts.consumed:
        facts.sites = [site for site in facts.sites if id(site.call) not in facts.consumed]
    _link_serializers(facts)
    facts.sites = [site for site in facts.sites if _rewrites_whole_file(facts, site)]
    for site in facts.sites:
        if site.kind == "path_write" and site.call.args:
            site.content = serialized(facts, site.call.args[0], site.scope)
    return facts


def _record_argv(facts: ModuleFacts, node: ast.expr, scope: Scope, withs: Tuple[ast.AST, ...]) -> None:
    """``["--config", str(path)]``: a path after an option flag in a command line being built
    is handed to another program."""
    elts = node.elts  # type: ignore[attr-defined]
    for flag, value in zip(elts, elts[1:]):
        if (
            isinstance(flag, ast.Constant)
            and isinstance(flag.value, str)
            and flag.value.startswith("-")
            and not isinstance(value, ast.Constant)
        ):
            facts.handoffs.append(PathCall(node, "argv", value, scope, withs))  # type: ignore[arg-type]


def _rewrites_whole_file(facts: ModuleFacts, site: WriteSite) -> bool:
    """An update-mode open (``r+``) writes records in place, not a whole file, unless its
    handle is also truncated (``seek(0)``, write, ``truncate()``)."""
    if mode_effect(site.mode) != "update":
        return True
    handle = site.handle or facts.attr_handles.get(id(site.call), "")
    return bool(handle) and (id(site.scope), handle) in facts.truncated


def serialized(facts: ModuleFacts, data: ast.expr, scope: Scope, depth: int = 0) -> Optional[str]:
    """The serializer that made ``data`` (``json.dumps(...)``, or a name bound to it)."""
    if isinstance(data, ast.Name):
        owner = _binding_scope(scope, data.id)
        values = owner.assigns.get(data.id, []) if owner is not None and depth < _MAX_FOLLOW else []
        # har = json.dumps(x).encode(); har = zlib.compress(har): still serialized state
        found = (serialized(facts, value, scope, depth + 1) for value in values[:4])
        return next((name for name in found if name), None)
    while True:
        if isinstance(data, ast.Call) and isinstance(data.func, ast.Attribute) and data.func.attr in _STR_METHODS:
            data = data.func.value  # json.dumps(x).encode()
        elif isinstance(data, ast.BinOp) and isinstance(data.op, ast.Add):
            data = data.left if isinstance(data.left, ast.Call) else data.right  # json.dumps(x) + "\n"
        else:
            break
    if isinstance(data, ast.Call):
        qual = facts.imports.qualname(data.func)
        if qual in STRING_SERIALIZERS and (qual not in ("yaml.dump", "yaml.safe_dump") or len(data.args) == 1):
            return qual
    return None


_STR_METHODS = frozenset({"encode", "strip", "rstrip"})
_MAX_FOLLOW = 8  # how far names and conditional aliases are followed


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
    elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        facts.discarded.add(id(node.value))  # a bare open(p, "w"): the handle is dropped at once
    elif isinstance(node, ast.Return) and node.value is not None:
        scope.returns.append(node.value)
    elif isinstance(node, (ast.For, ast.AsyncFor)):
        # What a loop variable is made of (an element of the iterable, or a part of one:
        # ``for root, dirs, files in os.walk(top)``): evidence, never identity.
        for name in _unpacked_names(node.target):
            scope.loops.setdefault(name, []).append(node.iter)


def _unpacked_names(target: ast.expr) -> List[str]:
    """The names a loop target binds: ``x``, or each name of ``(a, (b, c))``."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for elt in target.elts for name in _unpacked_names(elt)]
    return []


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
        if isinstance(target.value, ast.Name) and scope.cls is not None and target.value.id == scope.self_name:
            facts.class_attrs[scope.cls].setdefault(target.attr, []).append(value)
            facts.attr_scopes[id(value)] = scope


def bind_arguments(owner: Scope, call: ast.Call) -> Dict[str, ast.expr]:
    """The argument of ``call`` that binds each parameter of the function ``owner`` (a method,
    called on an object or as a class, binds from its second parameter)."""
    params = owner.params[1:] if owner.is_method else owner.params
    bound: Dict[str, ast.expr] = {}
    for name, arg in zip(params, call.args):
        if isinstance(arg, ast.Starred):
            break
        bound[name] = arg
    bound.update((kw.arg, kw.value) for kw in call.keywords if kw.arg)
    return bound


def bind_argument(owner: Scope, param: str, call: ast.Call) -> Optional[ast.expr]:
    """The argument of ``call`` bound to ``owner``'s parameter ``param``, or None."""
    return bind_arguments(owner, call).get(param)


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


def _mode(
    call: ast.Call,
    position: int,
    default: str = "r",
    keyword: str = "mode",
    scope: Optional[Scope] = None,
    facts: Optional[ModuleFacts] = None,
) -> Optional[str]:
    node = _arg(call, position, keyword)
    if node is None:
        return default
    if isinstance(node, ast.Name) and scope is not None:  # mode = "w"; if binary: mode += "b"
        return _bound_mode(node.id, scope)
    if isinstance(node, ast.Attribute) and scope is not None and facts is not None:
        return _attribute_mode(facts, node, scope)
    if isinstance(node, ast.IfExp):  # 'w' if write else 'r': a write when it writes
        return _writing_mode([_const_str(branch) for branch in _branches(node)])
    return _const_str(node)


def _bound_mode(name: str, scope: Scope) -> Optional[str]:
    """The mode a local name holds: its literal values, the writing one when there are several."""
    owner = _binding_scope(scope, name)
    values = owner.assigns.get(name, []) if owner is not None else []
    modes = [_const_str(branch) for value in values for branch in _branches(value)]
    return _writing_mode(modes) if modes and all(is_mode(m) for m in modes) else None


def _branches(value: ast.expr) -> Tuple[ast.expr, ...]:
    """The values a conditional expression may take (``"w" if text else "wb"``), or itself."""
    found: List[ast.expr] = []
    stack = [value]
    while stack:  # iterative: a long chain of conditionals must not exhaust the stack
        node = stack.pop()
        if isinstance(node, ast.IfExp):
            stack += [node.orelse, node.body]
        else:
            found.append(node)
    return tuple(found)


def _attribute_mode(facts: ModuleFacts, node: ast.Attribute, scope: Scope) -> Optional[str]:
    """The mode ``self.mode`` holds, from its assignments seen so far: a literal, a local name
    holding one, or the default of an option lookup (``options.get("mode", "w")``)."""
    if not (isinstance(node.value, ast.Name) and scope.cls and node.value.id == scope.self_name):
        return None
    modes = []
    for value in facts.class_attrs.get(scope.cls, {}).get(node.attr, ()):
        owner = facts.attr_scopes.get(id(value))
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "get":
            value = value.args[1] if len(value.args) == 2 else value
        if isinstance(value, ast.Name):
            modes.append(_bound_mode(value.id, owner) if owner is not None else None)
        else:
            modes.append(_const_str(value))
    return _writing_mode(modes) if modes and all(is_mode(m) for m in modes) else None


def _writing_mode(modes: Sequence[Optional[str]]) -> Optional[str]:
    """Of the modes a call may get, the first that writes (else the first): a write when it writes."""
    return next((m for m in modes if m and set(m) & set("wxa")), modes[0])


def is_mode(text: Optional[str]) -> bool:
    return bool(text) and set(text or "") <= _MODE_CHARS


def _record_call(facts: ModuleFacts, call: ast.Call, scope: Scope, withs: Tuple[ast.AST, ...]) -> None:
    func = call.func
    qual = facts.imports.qualname(func)
    if qual is None and isinstance(func, ast.Name) and func.id in facts.apis:
        qual = func.id  # a configured writer imported relatively or defined here
    if qual == "os.close" and call.args and isinstance(call.args[0], ast.Call):
        facts.touched.add(id(call.args[0]))  # os.close(os.open(p, flags)): creates, writes nothing
    if qual is not None:
        api = facts.apis.get(qual)
        if api is not None:
            _record_api(facts, call, api, scope, withs)
        else:
            _record_qualified_call(facts, call, qual, scope, withs)
        facts.qualified.setdefault(qual, []).append((call, scope))
    else:
        if facts.imports.relative:
            relative = facts.imports.imported_name(func)
            if relative is not None:
                facts.relative_calls.setdefault(relative, []).append((call, scope))
        alias = resolve_alias(facts, func, scope)
        if alias is not None:
            api, offset = alias
            _record_api(facts, call, api, scope, withs, offset, dotted(func) or "alias")
    _record_handed_api(facts, call, qual, scope, withs)
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


# Callers that take a function and do not call it with the arguments that follow it.
_API_WORDS = frozenset(name.rpartition(".")[2] for name in BY_NAME)  # "copyfile", "open", "save", ...
_NOT_RUNNERS = frozenset({"functools.partial", "builtins.map", "builtins.filter", "builtins.sorted"})


def _record_handed_api(
    facts: ModuleFacts, call: ast.Call, qual: Optional[str], scope: Scope, withs: Tuple[ast.AST, ...]
) -> None:
    """A write API handed to a runner with its arguments, first or second
    (``run_sync(shutil.copyfile, src, dst)``, ``asyncio.to_thread(open, p, "w")``,
    ``loop.run_in_executor(None, shutil.copy, src, dst)``, ``pool.submit(...)``): a write."""
    if qual in _NOT_RUNNERS:
        return
    for index, arg in enumerate(call.args[:2]):
        word = arg.id if isinstance(arg, ast.Name) else arg.attr if isinstance(arg, ast.Attribute) else ""
        if word not in _API_WORDS:
            continue
        name = facts.imports.qualname(arg)
        api = facts.apis.get(name) if name is not None else None
        if api is not None and not api.name.startswith("."):
            _record_api(facts, call, api, scope, withs, -(index + 1), dotted(call.func) or "runner")
            return


def resolve_alias(facts: ModuleFacts, func: ast.expr, scope: Scope) -> Optional[Tuple[WriteApi, int]]:
    """The write API a local name, module name or ``self.<attr>`` is bound to, and how many
    positional arguments a ``functools.partial`` already binds (``save = torch.save``,
    ``opener = gzip.open if compress else open``, ``self._open = open``)."""
    values: Sequence[ast.expr] = ()
    if isinstance(func, ast.Name):
        owner = _binding_scope(scope, func.id)
        values = owner.assigns.get(func.id, ()) if owner is not None else ()
    elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and scope.cls:
        if func.value.id == scope.self_name:
            values = facts.class_attrs.get(scope.cls, {}).get(func.attr, ())
    for value in values[:4]:
        found = _api_value(facts, value)
        if found is not None:
            return found
    return None


def _api_value(
    facts: ModuleFacts, value: ast.expr, offset: int = 0, depth: int = 0
) -> Optional[Tuple[WriteApi, int]]:
    if depth > _MAX_FOLLOW:
        return None
    if isinstance(value, ast.IfExp):  # gzip.open if compress else open: report it as open()
        found = [f for f in (_api_value(facts, v, offset, depth + 1) for v in (value.body, value.orelse)) if f]
        return next((f for f in found if f[0].code == "AW102"), found[0] if found else None)
    if isinstance(value, ast.Call) and value.args:
        if facts.imports.qualname(value.func) == "functools.partial":
            return _api_value(facts, value.args[0], offset + len(value.args) - 1, depth + 1)
        return None
    qual = facts.imports.qualname(value)
    api = facts.apis.get(qual) if qual is not None else None
    return (api, offset) if api is not None and not api.name.startswith(".") else None


def _binding_scope(scope: Scope, name: str) -> Optional[Scope]:
    current: Optional[Scope] = scope
    while current is not None:
        if current.kind != "class" and (name in current.assigns or name in current.params):
            return current
        current = current.parent
    return None


def _shifted(arg: Arg, offset: int) -> Arg:
    return Arg(arg.position - offset, arg.keyword) if arg.position >= 0 else arg


def _record_api(
    facts: ModuleFacts,
    call: ast.Call,
    api: WriteApi,
    scope: Scope,
    withs: Tuple[ast.AST, ...],
    offset: int = 0,
    via: str = "",
) -> None:
    """Record a call of a write-API row as a write site (or a read, for the open family)."""
    if id(call) in facts.consumed:
        return
    func = call.func
    if api.target is RECEIVER:
        if not isinstance(func, ast.Attribute):
            return
        target: Optional[ast.expr] = func.value
    else:
        spot = _shifted(api.target, offset)
        target = _arg(call, spot.position, spot.keyword) if spot.position >= 0 else None
    if target is None:
        return
    opener = None
    if api.name == "os.fdopen":
        target, opener = _opened_path(facts, target, scope)
    if api.name in COPY_APIS:
        source = _arg(call, _shifted(Arg(0, "src"), offset).position, "src")
        if source is not None:
            facts.copies.append(Move(call, api.short, source, target, scope, withs))
    if opener is None:
        mode = _api_mode(facts, call, api, offset, scope)
    else:  # the os.open's flags say whether the file is truncated or only created
        mode = _api_mode(facts, opener, BY_NAME["os.open"], 0, scope)
    if mode is None:
        return
    _add_site(facts, WriteSite(call, api, via or api.short, target, mode, scope, withs, via, opener=opener))


def _opened_path(facts: ModuleFacts, fd: ast.expr, scope: Scope) -> Tuple[ast.expr, Optional[ast.Call]]:
    """``os.fdopen(os.open(path, flags))`` or ``fd = os.open(path, ...); os.fdopen(fd)``: the
    file is ``path``, opened by the ``os.open`` (whose flags say whether it truncates) and
    written through ``fdopen``: one site, the ``os.open`` consumed."""
    opened = fd
    if isinstance(fd, ast.Name):
        owner = _binding_scope(scope, fd.id)
        values = owner.assigns.get(fd.id, []) if owner is not None else []
        opened = values[0] if len(values) == 1 else fd
    if isinstance(opened, ast.Call) and facts.imports.qualname(opened.func) == "os.open":
        path = _arg(opened, 0, "path")
        if path is not None:
            facts.consumed.add(id(opened))
            return path, opened
    return fd, None


def _api_mode(facts: ModuleFacts, call: ast.Call, api: WriteApi, offset: int, scope: Scope) -> Optional[str]:
    if api.mode is None:
        return ALWAYS
    spot = _shifted(api.mode, offset)
    if api.flags:
        flags = _arg(call, spot.position, spot.keyword)
        if flags is None:
            return None
        return flags_mode(
            n.attr if isinstance(n, ast.Attribute) else n.id
            for n in ast.walk(flags)
            if isinstance(n, (ast.Attribute, ast.Name))
        )
    return _mode(call, spot.position, api.default_mode, spot.keyword, scope, facts)


def _add_site(facts: ModuleFacts, site: WriteSite) -> None:
    effect = mode_effect(site.mode)
    if effect != "read":
        facts.sites.append(site)
    elif site.kind == "open":
        facts.reads.append(PathCall(site.call, site.api, site.target, site.scope, site.withs))


def _record_qualified_call(
    facts: ModuleFacts, call: ast.Call, qual: str, scope: Scope, withs: Tuple[ast.AST, ...]
) -> None:
    if qual in SERIALIZERS:
        position, keyword = SERIALIZERS[qual]
        handle = _arg(call, position, keyword)
        if handle is not None:
            facts.serializers.append(PathCall(call, qual, handle, scope, withs))
    elif qual in REPLACE_FUNCS:
        src, dst = _arg(call, 0, "src"), _arg(call, 1, "dst")
        if src is not None and dst is not None:
            facts.moves.append(Move(call, REPLACE_FUNCS[qual], src, dst, scope, withs))
    elif qual in DELETE_FUNCS:
        target = _arg(call, 0, "path")
        if target is not None:
            facts.deletes.append(PathCall(call, qual, target, scope, withs))
    elif qual in EXISTS_FUNCS:
        target = _arg(call, 0, "path")
        if target is not None:
            facts.exists_checks.append(PathCall(call, qual, target, scope, withs))
    elif qual in ("os.makedirs", "os.mkdir"):
        target = _arg(call, 0, "name" if qual == "os.makedirs" else "path")
        if target is not None:
            facts.new_dirs.append(PathCall(call, qual, target, scope, withs))
    elif qual.startswith(SUBPROCESS_PREFIXES):
        for arg in call.args[:1]:
            for part in arg.elts if isinstance(arg, (ast.List, ast.Tuple)) else [arg]:
                facts.handoffs.append(PathCall(call, qual, part, scope, withs))
    elif qual in ("os.fsync", "os.fdatasync", "os.close"):
        if call.args:
            facts.syncs.append(PathCall(call, qual, call.args[0], scope, withs))
    elif qual.startswith(LOCK_PREFIXES):
        for arg in call.args[:1]:
            handle = arg.func.value if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) else arg
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
    api = METHODS.get(attr)
    if api is not None and _not_the_library_method(facts, api, attr, receiver, scope):
        api = None
    if api is not None and nargs + len(call.keywords) >= api.min_args:
        _record_method_api(facts, call, api, receiver, scope, withs)
    elif attr in RECEIVER_METHODS:
        _record_receiver_api(facts, call, attr, receiver, scope, withs)
    if attr in ("read_text", "read_bytes"):
        facts.reads.append(PathCall(call, f"Path.{attr}", receiver, scope, withs))
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
    elif attr in EXISTS_METHODS and nargs == 0:
        facts.exists_checks.append(PathCall(call, f"Path.{attr}", receiver, scope, withs))
    elif attr == "truncate":
        facts.truncated.add((id(scope), dotted(receiver)))
    if attr == "write" and nargs == 1 and isinstance(receiver, ast.Name) and serialized(facts, call.args[0], scope):
        facts.serializers.append(PathCall(call, f"{receiver.id}.write", receiver, scope, withs))
    if attr in ("dump", "dump_all") and nargs >= 2 and not _receiver_writes_path(facts, call, receiver, scope):
        facts.serializers.append(PathCall(call, f"{_receiver_name(receiver)}.{attr}", call.args[1], scope, withs))
    if isinstance(receiver, ast.Name) and receiver.id == scope.self_name and scope.cls:
        facts.calls.setdefault(f"{scope.cls}.{attr}", []).append((call, scope))
    elif not isinstance(receiver, ast.Call):
        facts.calls.setdefault(f".{attr}", []).append((call, scope))  # obj.m(...): some class's m


def _not_the_library_method(facts: ModuleFacts, api: WriteApi, attr: str, receiver: ast.expr, scope: Scope) -> bool:
    """A call that only shares a write method's name: ``self.to_csv(path)`` where the class
    defines ``to_csv`` (the project's method, judged where it writes), or a writer method
    called on an imported module (``plotly.io.to_json(fig)``, a function, not
    ``DataFrame.to_json``)."""
    if isinstance(receiver, ast.Name) and scope.cls and receiver.id == scope.self_name:
        return f"{scope.cls}.{attr}" in facts.functions
    head = receiver
    while isinstance(head, ast.Attribute):
        head = head.value
    return api.family == "writer" and isinstance(head, ast.Name) and head.id in facts.imports.modules


def _record_method_api(
    facts: ModuleFacts, call: ast.Call, api: WriteApi, receiver: ast.expr, scope: Scope, withs: Tuple[ast.AST, ...]
) -> None:
    if api.name != ".open":
        if not (api.family == "path_write" and _not_path_arguments(call)):
            _record_api(facts, call, api, scope, withs)
        return
    first = _const_str(call.args[0]) if call.args else None
    if not call.args or is_mode(first):  # Path.open("w"), Path.open(mode="w"), Path.open()
        if _receiver_kind(facts, receiver, scope) is None:
            _record_api(facts, call, api, scope, withs)
        return
    second = _const_str(_arg(call, 1, "mode"))  # fs.open(path, "wb"): a filesystem object's open
    if is_mode(second) and mode_effect(second or "") != "read" and _receiver_kind(facts, receiver, scope) is None:
        target = call.args[0]
        spec = BY_NAME["builtins.open"]
        facts.sites.append(
            WriteSite(call, spec, f"{dotted(receiver) or 'fs'}.open", target, second or "w", scope, withs)
        )


def _not_path_arguments(call: ast.Call) -> bool:
    """``io.write_text(filename, content)``: a method named like ``Path.write_text`` whose second
    positional argument is not a literal encoding cannot be Path's (``write_text(data,
    encoding, ...)``): some other object's writer, judged where it is defined."""
    return len(call.args) >= 2 and not (
        isinstance(call.args[1], ast.Constant) and isinstance(call.args[1].value, str)
    )


def _record_receiver_api(
    facts: ModuleFacts, call: ast.Call, attr: str, receiver: ast.expr, scope: Scope, withs: Tuple[ast.AST, ...]
) -> None:
    """``tree.write(path)`` on an ElementTree, ``image.save(path)`` on a PIL image, ..."""
    kind = _receiver_kind(facts, receiver, scope)
    for api in RECEIVER_APIS.get(kind or "", ()):
        if api.word != attr or len(call.args) + len(call.keywords) < api.min_args:
            continue
        if api.target is RECEIVER:  # ConfigObj(path).write(): the file its constructor was given
            if call.args or any(kw.arg in _REDIRECTS for kw in call.keywords):
                continue  # ConfigObj.write(outfile): into a handle opened (and judged) elsewhere
            target = _maker_argument(facts, receiver, scope)
            if _loaded(facts, receiver, scope):
                facts.written_back.add(id(call))
        else:
            target = _arg(call, api.target.position, api.target.keyword)
        if target is not None and not (attr == "dump" and _is_handle(facts, target, scope)):
            name = RECEIVER_NAMES[kind or ""].rpartition(".")[2]
            facts.sites.append(WriteSite(call, api, f"{name}.{attr}", target, "w", scope, withs))


# Keywords that send a receiver's write elsewhere (``ConfigObj.write(outfile=f)``, mutagen's
# ``save(filething=f)``); any other keyword is an option of the write (``save(v2_version=3)``).
_REDIRECTS = frozenset({"outfile", "filething", "filename", "file", "fileobj"})
RECEIVER_METHODS = frozenset(api.word for apis in RECEIVER_APIS.values() for api in apis)
_CONTAINERS = frozenset({"zipfile.ZipFile", "tarfile.open", "tarfile.TarFile"})


def _receiver_writes_path(facts: ModuleFacts, call: ast.Call, receiver: ast.expr, scope: Scope) -> bool:
    return _receiver_kind(facts, receiver, scope) == "ruamel_yaml" and not _is_handle(facts, call.args[1], scope)


def _is_handle(facts: ModuleFacts, expr: ast.expr, scope: Scope) -> bool:
    """An open file object: an ``open``-family call, or a name bound to one."""
    values: Sequence[ast.expr] = [expr]
    if isinstance(expr, ast.Name):
        owner = _binding_scope(scope, expr.id)
        values = owner.assigns.get(expr.id, ()) if owner is not None else ()
    for value in values:
        if isinstance(value, ast.Call):
            qual = facts.imports.qualname(value.func)
            api = BY_NAME.get(qual or "") or (
                METHODS.get(value.func.attr) if isinstance(value.func, ast.Attribute) else None
            )
            if api is not None and api.family == "open":
                return True
    return False


def _receiver_values(facts: ModuleFacts, receiver: ast.expr, scope: Scope) -> List[ast.Call]:
    """The calls a receiver may have been made by: itself, its assignments, a function's returns."""
    values: List[ast.expr] = [receiver]
    if isinstance(receiver, ast.Name):
        owner = _binding_scope(scope, receiver.id)
        values = list(owner.assigns.get(receiver.id, ())) if owner is not None else []
    elif isinstance(receiver, ast.Attribute) and isinstance(receiver.value, ast.Name) and scope.cls:
        if receiver.value.id == scope.self_name:
            values = list(facts.class_attrs.get(scope.cls, {}).get(receiver.attr, ()))
    calls = [node for value in values[:4] for node in ast.walk(value) if isinstance(node, ast.Call)]
    for made in list(calls):
        callee = facts.functions.get(made.func.id) if isinstance(made.func, ast.Name) else None
        if callee is not None:
            calls += [r for r in callee.returns if isinstance(r, ast.Call)]
    return calls


def _receiver_kind(facts: ModuleFacts, receiver: ast.expr, scope: Scope) -> Optional[str]:
    """``"element_tree"``, ``"image"``, ... when the receiver is made by one of
    ``RECEIVER_MAKERS`` (or is a zip or tar archive: ``"archive"``); else None."""
    for made in _receiver_values(facts, receiver, scope):
        qual = facts.imports.qualname(made.func) or ""
        if qual in _CONTAINERS:
            return "archive"
        for kind, makers in RECEIVER_MAKERS.items():
            if qual in makers or any(m.endswith(".") and qual.startswith(m) for m in makers) or (
                kind == "image" and qual.startswith("PIL.Image.") and qual[10:11].islower()
            ):
                return kind
    return None


_CREATING = frozenset({"init", "new", "clone_from"})  # makers that create the file rather than load it


def _loaded(facts: ModuleFacts, receiver: ast.expr, scope: Scope) -> bool:
    """The receiver was loaded from an existing file (``ID3(path)``, not ``git.Repo.init(path)``)."""
    for made in _receiver_values(facts, receiver, scope):
        qual = facts.imports.qualname(made.func) or ""
        if qual.rpartition(".")[2] in _CREATING:
            return False
    return True


def _maker_argument(facts: ModuleFacts, receiver: ast.expr, scope: Scope) -> Optional[ast.expr]:
    for made in _receiver_values(facts, receiver, scope):
        if made.args:
            return made.args[0]
    return None


def holds_no_handle(site: WriteSite) -> bool:
    """A writer given a path that opens, writes and closes it in one call (copies, ``torch.save``)."""
    return site.kind == "writer" and site.spec.mode is None


def guarded_absent(scope: Scope, call: ast.AST, expr: ast.expr) -> bool:
    """Whether ``call`` runs only where ``expr`` does not exist: under ``if not exists(expr):``
    or in the ``else`` of ``if exists(expr):``."""
    return absence_guard(scope, call, expr) is not None


def absence_guard(scope: Scope, call: ast.AST, expr: ast.expr) -> Optional[ast.If]:
    """The ``if`` that runs ``call`` only where ``expr`` is absent, or None."""
    wanted = ast.dump(expr)
    for node in ast.walk(scope.node):
        if not isinstance(node, ast.If):
            continue
        test, branch = node.test, node.orelse
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            test, branch = test.operand, node.body
        if not (isinstance(test, ast.Call) and isinstance(test.func, (ast.Attribute, ast.Name))):
            continue
        name = test.func.attr if isinstance(test.func, ast.Attribute) else test.func.id
        if name not in _EXISTS_TESTS:
            continue
        subjects = list(test.args) + ([test.func.value] if isinstance(test.func, ast.Attribute) else [])
        if any(ast.dump(s) == wanted for s in subjects) and any(
            inner is call for stmt in branch for inner in ast.walk(stmt)
        ):
            return node
    return None


_EXISTS_TESTS = frozenset({"exists", "isfile", "isdir", "is_file", "is_dir", "lexists"})


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
        kw.arg == name and not (isinstance(kw.value, ast.Constant) and not kw.value.value) for kw in call.keywords
    )


def _receiver_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return _receiver_name(node.func) + "()"
    return "serializer"


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
        if site is None:
            continue
        if ser.api.endswith(".write"):  # f.write(json.dumps(...))
            site.content = site.content or serialized(facts, ser.call.args[0], ser.scope)
        elif site.serializer is None:
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
