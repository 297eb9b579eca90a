"""Hand-rolled atomic writes with a flaw (AW201-AW204) and without fsync (AW302).

A *move* (``os.replace``, ``os.rename``, ``Path.replace``/``rename``, ``shutil.move`` or a
module function that moves one parameter onto another) of a *temp* onto a target that is
not itself temporary is an atomic-write attempt. A temp is a file written in the same
function, one made by ``tempfile``, or one with a temporary name or suffix.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Dict, Iterator, Optional, Set

from .apis import mode_effect
from .evidence import Classifier, target_text
from .facts import TEMP_FUNCS, ModuleFacts, Move, Scope, WriteSite, bind_arguments, guarded_absent, holds_no_handle
from .targets import describe, identity

# Where the ``dir`` argument sits positionally in each tempfile constructor.
_DIR_POSITION = {
    "tempfile.NamedTemporaryFile": 6,
    "tempfile.mkstemp": 2,
    "tempfile.mkdtemp": 2,
    "tempfile.TemporaryDirectory": 2,
    "tempfile.mktemp": 2,
}
_RENAMES = frozenset({"os.rename", "Path.rename"})
_FILE_TEMPS = frozenset({"tempfile.NamedTemporaryFile", "tempfile.TemporaryFile"})  # file objects
_BUILTIN_MOVES = frozenset({"os.replace", "os.rename", "Path.replace", "Path.rename", "shutil.move"})


@dataclass(frozen=True)
class Flaw:
    """A finding before formatting: where, which code, and the message fields."""

    node: ast.AST
    code: str
    fields: Dict[str, str]


@dataclass
class _Temp:
    """What is known about the source of a move."""

    written: Optional[WriteSite]  # the write of the temp in this function
    origin: Optional[ast.Call]  # the tempfile call it comes from
    named: bool  # a temporary name or suffix

    @property
    def is_temp(self) -> bool:
        return bool(self.written or self.origin or self.named)


class FlawFinder:
    """Finds the AW2xx and AW302 flaws of one module."""

    def __init__(self, facts: ModuleFacts, classifier: Classifier) -> None:
        self.facts = facts
        self.classifier = classifier
        self.moves = list(facts.moves) + list(self._wrapper_moves())

    def find(self) -> Iterator[Flaw]:
        reported: Set[int] = set()
        for move in self.moves:
            for flaw in self._move_flaws(move):
                if id(flaw.node) not in reported or flaw.code == "AW302":
                    reported.add(id(flaw.node))
                    yield flaw
        yield from self._copy_flaws()

    # Moves -------------------------------------------------------------------

    def _wrapper_moves(self) -> Iterator[Move]:
        """Calls of module functions whose body moves one parameter onto another."""
        for move in self.facts.moves:
            scope = move.scope
            src, dst = _param_of(move.src, scope), _param_of(move.dst, scope)
            if scope.kind != "function" or src is None or dst is None:
                continue
            for call, caller in self.facts.calls.get(scope.name, ()):
                args = bind_arguments(scope, call)
                if src in args and dst in args:
                    yield Move(call, scope.name, args[src], args[dst], caller, ())

    def _move_flaws(self, move: Move) -> Iterator[Flaw]:
        temp = self._temp(move.src, move.scope)
        if not temp.is_temp or move.api == "os.renames":
            return
        if (
            temp.origin is not None
            and _qual(self.facts, temp.origin) in ("tempfile.mkdtemp", "tempfile.TemporaryDirectory")
            and temp.written is None
        ):
            return  # a directory is being published, not a file
        verdict = self.classifier.judge_target(move.dst, move.scope)
        if verdict.status == "ephemeral":
            return
        fields = {"temp": target_text(move.src), "target": target_text(move.dst), "call": move.api}
        outside = self._outside_where(temp, move.scope)
        if outside:
            node = temp.origin if temp.origin is not None else temp.written.call  # type: ignore[union-attr]
            yield Flaw(node, "AW202", {**fields, "where": outside})
        still_open = self._still_open(move, temp)
        if still_open:
            yield Flaw(move.call, "AW203", {**fields, "why": still_open})
        removed = self._removed_before(move)
        if removed is not None:
            gone = "moved out of the way" if any(m.call is removed for m in self.moves) else "removed"
            how = f"{target_text(move.dst)} is {gone} before {target_text(move.src)} is moved onto it"
            yield Flaw(removed, "AW204", {**fields, "how": how})
        elif move.api in _RENAMES and not self._provably_new(move):
            replacement = "os.replace()" if move.api == "os.rename" else "Path.replace()"
            yield Flaw(move.call, "AW201", {**fields, "replacement": replacement})
        if not self._fsynced(move) and move.api in _BUILTIN_MOVES:  # a wrapper is judged inside
            yield Flaw(move.call, "AW302", fields)

    def _temp(self, src: ast.expr, scope: Scope) -> _Temp:
        origin = self._temp_origin(src, scope, 0)
        named = self.classifier.judge_target(src, scope).status == "ephemeral"
        return _Temp(self._written_here(src, scope, origin), origin, named)

    def _written_here(self, src: ast.expr, scope: Scope, origin: Optional[ast.Call]) -> Optional[WriteSite]:
        """The write of ``src`` in this function: the same variable or expression (not whatever
        it may alias), or a descriptor from the same ``mkstemp()`` call."""
        keys = identity(src, scope, self.facts, follow=False)
        for site in self.facts.sites:
            if site.scope is not scope or holds_no_handle(site):
                continue
            if keys & identity(site.target, scope, self.facts, follow=False):
                return site
            if origin is not None and self._temp_origin(site.target, scope, 0) is origin:
                return site
        return None

    def _temp_origin(self, expr: ast.expr, scope: Scope, depth: int) -> Optional[ast.Call]:
        """The ``tempfile`` call ``expr`` is made from, following names and ``.name``."""
        if depth > 3:
            return None
        for node in ast.walk(expr):
            if isinstance(node, ast.Call) and _qual(self.facts, node) in TEMP_FUNCS:
                return node
            if isinstance(node, ast.Name):
                for value in scope.assigns.get(node.id, ()):
                    found = self._temp_origin(value, scope, depth + 1)
                    if found is not None:
                        return found
        return None

    def _outside_where(self, temp: _Temp, scope: Scope) -> str:
        if temp.origin is not None:
            qual = _qual(self.facts, temp.origin) or ""
            if qual == "tempfile.gettempdir":
                return "tempfile.gettempdir()"
            position = _DIR_POSITION.get(qual)
            has_dir = any(kw.arg == "dir" for kw in temp.origin.keywords) or (
                position is not None and len(temp.origin.args) > position
            )
            if position is not None and not has_dir:
                return f"{qual}() without dir="
        if temp.written is not None:
            for node in ast.walk(temp.written.target):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and node.value.startswith(("/tmp/", "/var/tmp/"))
                ):
                    return f"a {node.value!r} literal"
        return ""

    def _still_open(self, move: Move, temp: _Temp) -> str:
        src_keys = identity(move.src, move.scope, self.facts)
        for with_node in move.withs:
            for item in getattr(with_node, "items", ()):
                handle = item.optional_vars
                opened = item.context_expr
                if temp.written is not None and opened is temp.written.call:
                    return "inside its with block"
                if (
                    isinstance(handle, ast.Name)
                    and isinstance(opened, ast.Call)
                    and _qual(self.facts, opened) in TEMP_FUNCS
                ):
                    if f"x:{handle.id}.name" in src_keys or any(k.endswith(f"{handle.id}.name')") for k in src_keys):
                        return "inside its with block"
        handle = self._plain_handle(temp, move.scope)
        if handle is None:
            return ""
        closed = [
            sync.call.lineno
            for sync in self.facts.syncs
            if sync.scope is move.scope
            and sync.api in ("close", "os.close")  # f.close(), or os.close(fd) of an os.open()
            and isinstance(sync.arg, ast.Name)
            and sync.arg.id == handle
        ]
        closed += [  # with handle: ... closes it when the block ends
            getattr(w, "end_lineno", None) or w.lineno
            for w in _withs_of(move.scope)
            if any(isinstance(item.context_expr, ast.Name) and item.context_expr.id == handle for item in w.items)
            and not any(node is move.call for node in ast.walk(w))
        ]
        if not any(line < move.call.lineno for line in closed):
            closing = f"os.close({handle})" if temp.written and temp.written.api == "os.open" else f"{handle}.close()"
            return f"before {closing}"
        return ""

    def _plain_handle(self, temp: _Temp, scope: Scope) -> Optional[str]:
        """The variable holding the temp's open file when it is not managed by a ``with``:
        ``f = open(tmp, "w")`` or ``f = NamedTemporaryFile(...)``."""
        origin = temp.origin
        file_object = origin if origin is not None and _qual(self.facts, origin) in _FILE_TEMPS else None
        for call in (temp.written.call if temp.written else None, file_object):
            if call is None or any(call is item.context_expr for w in _withs_of(scope) for item in w.items):
                continue
            for name, values in scope.assigns.items():
                if any(value is call for value in values):
                    return name
        return None

    def _is_lock(self, dst: ast.expr, scope: Scope) -> bool:
        """A rename onto a lock name is an exclusive-create protocol: failing is the point."""
        return "lock" in describe(dst, scope, self.facts).words

    def _provably_new(self, move: Move) -> bool:
        """The destination cannot exist: checked absent, or named like a lock to be created."""
        return guarded_absent(move.scope, move.call, move.dst) or self._is_lock(move.dst, move.scope)

    def _removed_before(self, move: Move) -> Optional[ast.Call]:
        """An earlier delete of the target, or a move of it out of the way, in the function."""
        dst_keys = identity(move.dst, move.scope, self.facts)
        earlier = [(d.call, d.arg, d.scope) for d in self.facts.deletes]
        earlier += [(m.call, m.src, m.scope) for m in self.moves]
        for call, path, scope in earlier:
            if scope is move.scope and call.lineno < move.call.lineno:
                if dst_keys & identity(path, scope, self.facts):
                    return call
        return None

    def _fsynced(self, move: Move) -> bool:
        scopes = {id(move.scope)} | {id(caller) for _, caller in self.facts.calls.get(move.scope.name, ())}
        return any(sync.api in ("os.fsync", "os.fdatasync") and id(sync.scope) in scopes for sync in self.facts.syncs)

    # Copies ------------------------------------------------------------------

    def _copy_flaws(self) -> Iterator[Flaw]:
        for copy in self.facts.copies:
            temp = self._temp(copy.src, copy.scope)
            fields = {"temp": target_text(copy.src), "target": target_text(copy.dst), "call": copy.api}
            if temp.is_temp and self.classifier.judge_target(copy.dst, copy.scope).status != "ephemeral":
                how = f"temp {target_text(copy.src)} is copied onto {target_text(copy.dst)} with {copy.api}()"
                yield Flaw(copy.call, "AW204", {**fields, "how": how})
            elif self._truncated_after_backup(copy):
                how = f"a backup of {target_text(copy.src)} is made, then it is still rewritten in place"
                yield Flaw(copy.call, "AW204", {**fields, "target": target_text(copy.src), "how": how})

    def _truncated_after_backup(self, copy: Move) -> bool:
        src_keys = identity(copy.src, copy.scope, self.facts)
        return any(
            site.scope is copy.scope
            and site.kind != "writer"
            and mode_effect(site.mode) != "append"
            and site.call.lineno > copy.call.lineno
            and src_keys & identity(site.target, site.scope, self.facts)
            for site in self.facts.sites
        )


def _qual(facts: ModuleFacts, call: ast.Call) -> Optional[str]:
    return facts.imports.qualname(call.func)


def _param_of(expr: ast.expr, scope: Scope) -> Optional[str]:
    if isinstance(expr, ast.Name) and expr.id in scope.params and expr.id not in scope.assigns:
        return expr.id
    return None


def _withs_of(scope: Scope) -> Iterator[ast.With]:
    """The ``with`` statements of a function (not of functions nested in it)."""
    for node in ast.walk(scope.node):
        if isinstance(node, (ast.With, ast.AsyncWith)):
            yield node  # type: ignore[misc]
