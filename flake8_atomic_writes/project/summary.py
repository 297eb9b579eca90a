"""One module reduced to what other modules may ask about it: a small, JSON-able summary.

For each function: the parameters it writes, reads, moves or deletes, whether it is an
atomic writer itself (a temp written, then replaced onto a parameter), and the evidence
about what it returns; the module-level names bound to paths, with their evidence; the
names it imports (re-exports); and every call of an imported function with the evidence
about each argument. Evidence is this module's own; names imported from elsewhere are kept
as references, resolved by the index when asked, so a summary depends on its file alone.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..analysis.apis import configured_writers
from ..analysis.evidence import Classifier, short_text
from ..analysis.facts import ModuleFacts, Scope, collect
from ..analysis.findings import site_code
from ..analysis.kinds import BY_NAME
from ..analysis.targets import describe, identity, shared_name
from ..config import Config

Ref = Tuple[str, bool]  # (absolute dotted name, called)
_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) | {"builtins"}
_MAX_CALLS = 2000


@dataclass(frozen=True)
class Evidence:
    """A path expression as this module judges it, and the imported names it is built from."""

    hits: Tuple[Tuple[str, str], ...] = ()  # (kind, detail) of each hit, as ``kinds.Hit``
    text: str = ""
    refs: Tuple[Ref, ...] = ()
    param: str = ""  # the expression is this parameter of the calling function (for its callers)


@dataclass(frozen=True)
class FunctionSummary:
    """What a function does with its parameters, and what it returns."""

    params: Tuple[str, ...]
    writes: Tuple[Tuple[str, str, int], ...] = ()  # (parameter, rule code, line)
    reads: Tuple[str, ...] = ()
    moves: Tuple[str, ...] = ()  # parameters moved, replaced or deleted
    atomic: bool = False  # writes a temp and replaces it onto a parameter
    returns: Optional[Evidence] = None


@dataclass(frozen=True)
class CallSummary:
    """A call of an imported function: who calls it and what it passes."""

    callee: str  # absolute dotted name as imported (``pkg.storage.save``)
    caller: str  # the calling function, "" at module level
    line: int
    args: Tuple[Tuple[str, Evidence], ...]  # ("0", ...) for positions, keyword names otherwise


@dataclass(frozen=True)
class ModuleSummary:
    """Everything the index keeps about one module."""

    module: str
    imports: Dict[str, str] = field(default_factory=dict)  # local name -> absolute dotted name
    functions: Dict[str, FunctionSummary] = field(default_factory=dict)
    constants: Dict[str, Evidence] = field(default_factory=dict)
    calls: Tuple[CallSummary, ...] = ()
    reads: Tuple[Tuple[str, str], ...] = ()  # (absolute name of a module-level path, where it is read)
    stars: Tuple[str, ...] = ()  # absolute names of the modules imported with ``*`` (re-exports)

    def to_json(self) -> Dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "ModuleSummary":
        """Rebuild from ``to_json`` output; raises ``KeyError``/``TypeError``/``ValueError`` on junk."""
        return cls(
            module=str(data["module"]),
            imports={str(k): str(v) for k, v in data["imports"].items()},
            functions={str(k): _function(v) for k, v in data["functions"].items()},
            constants={str(k): _evidence(v) for k, v in data["constants"].items()},
            calls=tuple(_call(c) for c in data["calls"]),
            reads=tuple((str(name), str(where)) for name, where in data["reads"]),
            stars=tuple(map(str, data["stars"])),
        )


def _call(data: Any) -> CallSummary:
    args = tuple((str(key), _evidence(evidence)) for key, evidence in data["args"])
    return CallSummary(str(data["callee"]), str(data["caller"]), int(data["line"]), args)


def _evidence(data: Any) -> Evidence:
    if data is None:
        raise ValueError("missing evidence")
    refs = tuple((str(name), bool(called)) for name, called in data["refs"])
    hits = tuple((str(kind), str(detail)) for kind, detail in data["hits"])
    if any(kind not in BY_NAME for kind, _ in hits):
        raise ValueError("unknown kind of evidence")
    return Evidence(hits, str(data["text"]), refs, str(data["param"]))


def _function(data: Any) -> FunctionSummary:
    returns = data["returns"]
    return FunctionSummary(
        tuple(map(str, data["params"])),
        tuple((str(p), str(c), int(n)) for p, c, n in data["writes"]),
        tuple(map(str, data["reads"])),
        tuple(map(str, data["moves"])),
        bool(data["atomic"]),
        _evidence(returns) if returns is not None else None,
    )


def absolute(name: str, module: str, is_package: bool) -> Optional[str]:
    """``..paths.STATE`` seen from ``module`` -> ``pkg.paths.STATE``; None when it escapes."""
    level = len(name) - len(name.lstrip("."))
    if not level:
        return name
    package = module if is_package else module.rpartition(".")[0]
    parts = package.split(".") if package else []
    if len(parts) < level:
        return None
    rest = name[level:]
    return ".".join(parts[: len(parts) - level + 1] + ([rest] if rest else []))


def summarize(source: str, module: str, is_package: bool, config: Config) -> ModuleSummary:
    """Summarize one module's source (raises ``SyntaxError``/``ValueError`` when it does not parse)."""
    tree = ast.parse(source)
    facts = collect(tree, configured_writers(config.writers))
    return _Summarizer(facts, Classifier(facts, config), module, is_package).summary()


class _Summarizer:
    __slots__ = ("facts", "classifier", "module", "is_package")

    def __init__(self, facts: ModuleFacts, classifier: Classifier, module: str, is_package: bool) -> None:
        self.facts = facts
        self.classifier = classifier
        self.module = module
        self.is_package = is_package

    def summary(self) -> ModuleSummary:
        imports = dict(self.facts.imports.names)
        for local, name in self.facts.imports.relative.items():
            resolved = absolute(name, self.module, self.is_package)
            if resolved is not None:
                imports[local] = resolved
        functions = {
            scope.name: self._function(scope)
            for scope in self.facts.scopes
            if scope.kind == "function" and scope.parent is not None and scope.parent.kind in ("module", "class")
        }
        stars = tuple(
            found
            for found in (absolute(star, self.module, self.is_package) for star in self.facts.imports.stars)
            if found is not None
        )
        return ModuleSummary(
            self.module, imports, functions, self._constants(), tuple(self._calls()), tuple(self._reads()), stars
        )

    def _reads(self) -> List[Tuple[str, str]]:
        """Module-level paths (imported or this module's own) that this module reads."""
        reads = []
        for read in self.facts.reads:
            shared = shared_name(read.arg, read.scope, self.facts)
            if shared is None:
                continue
            name = f"{self.module}.{shared[0]}" if shared[1] else absolute(shared[0], self.module, self.is_package)
            if name is not None:
                reads.append((name, f"{read.scope.name}()" if read.scope.kind == "function" else "module level"))
        return reads

    def _evidence(self, expr: ast.expr, scope: Scope) -> Evidence:
        # Only the kinds that travel with a path leave the module (``kinds.Kind.travels``).
        found = self.classifier.target_hits(expr, scope)
        hits = tuple((hit.kind, hit.detail) for hit in found if BY_NAME[hit.kind].travels)
        refs = []
        for name, called in sorted(describe(expr, scope, self.facts).refs):
            resolved = absolute(name, self.module, self.is_package)
            if resolved is not None and resolved.partition(".")[0] not in _STDLIB:
                refs.append((resolved, called))
        param = ""
        if isinstance(expr, ast.Name) and expr.id in scope.params and expr.id not in scope.assigns:
            param = expr.id
        return Evidence(hits, short_text(expr), tuple(refs), param)

    def _params_of(self, expr: ast.expr, scope: Scope) -> List[str]:
        return [name for owner, name in describe(expr, scope, self.facts).params if owner is scope]

    def _function(self, scope: Scope) -> FunctionSummary:
        facts = self.facts
        writes = []
        for site in facts.sites:
            if site.scope is scope:
                params = self._params_of(site.target, scope)
                code = site_code(site, "persistent") if params else None
                if code is not None and self.classifier.judge(site).status != "ephemeral":
                    writes += [(param, code, site.anchor.lineno) for param in params]
        reads = sorted({p for read in facts.reads if read.scope is scope for p in self._params_of(read.arg, scope)})
        moved = [m for m in facts.moves if m.scope is scope]
        moves = {p for m in moved for p in self._params_of(m.src, scope)}
        moves |= {p for d in facts.deletes if d.scope is scope for p in self._params_of(d.arg, scope)}
        atomic = any(self._params_of(m.dst, scope) and self._written_temp(m.src, scope) for m in moved)
        returns = None
        for value in scope.returns[:4]:
            found = self._evidence(value, scope)
            if found.hits or found.refs:
                returns = found
                break
        return FunctionSummary(tuple(scope.params), tuple(writes), tuple(reads), tuple(sorted(moves)), atomic, returns)

    def _written_temp(self, src: ast.expr, scope: Scope) -> bool:
        """``src`` is written in ``scope``, or made by ``tempfile``: the temp of an atomic write."""
        keys = identity(src, scope, self.facts)
        if any(site.scope is scope and keys & identity(site.target, scope, self.facts) for site in self.facts.sites):
            return True
        return any(call.startswith("tempfile.") for call in describe(src, scope, self.facts).calls)

    def _constants(self) -> Dict[str, Evidence]:
        module = self.facts.module
        found = {}
        for name, values in module.assigns.items():
            value = values[-1]
            if isinstance(value, (ast.Lambda, ast.Dict, ast.Set, ast.ListComp, ast.DictComp)):
                continue
            evidence = self._evidence(value, module)
            if evidence.hits or evidence.refs:
                found[name] = evidence
        return found

    def _calls(self) -> List[CallSummary]:
        calls: List[CallSummary] = []
        named: Sequence[Tuple[str, List[Tuple[ast.Call, Scope]]]] = [
            *self.facts.qualified.items(),
            *self.facts.relative_calls.items(),
        ]
        for name, found in named:
            callee = absolute(name, self.module, self.is_package)
            if callee is None or callee.partition(".")[0] in _STDLIB:
                continue
            for call, scope in found:
                if len(calls) >= _MAX_CALLS:
                    return calls
                caller = scope.name if scope.kind == "function" else ""
                calls.append(CallSummary(callee, caller, call.lineno, self._arguments(call, scope)))
        return calls

    def _arguments(self, call: ast.Call, scope: Scope) -> Tuple[Tuple[str, Evidence], ...]:
        args: List[Tuple[str, ast.expr]] = []
        for index, arg in enumerate(call.args):
            if isinstance(arg, ast.Starred):
                break
            args.append((str(index), arg))
        args += [(kw.arg, kw.value) for kw in call.keywords if kw.arg is not None]
        return tuple((key, self._evidence(arg, scope)) for key, arg in args if not _inert(arg))


def _inert(arg: ast.expr) -> bool:
    """A number, bool or None: never a path."""
    return isinstance(arg, ast.Constant) and not isinstance(arg.value, (str, bytes))
