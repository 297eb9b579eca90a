"""The autofix: rewrite flagged writes into calls of the atomic helpers, with libcst.

Only this module imports libcst, and the command line imports this module only for files
that have findings with a fix. Each finding is mapped to its call node by position, a
rewrite is planned with its safety (ruff's model: safe fixes keep behaviour, unsafe ones may
not), the chosen rewrites are applied in one pass, the helper imports are added, and the
result is kept only if it parses and no longer has the fixed findings.
"""

from __future__ import annotations

import ast
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Callable, Dict, List, Optional, Sequence, Set, Tuple, TypeVar, Union, cast

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor
from libcst.helpers import get_full_name_for_node
from libcst.metadata import (
    MetadataWrapper,
    ParentNodeProvider,
    PositionProvider,
    QualifiedNameProvider,
    QualifiedNameSource,
    ScopeProvider,
)

from .analysis import analyze_source
from .config import Config
from .rules import RULES, Finding

SAFE, UNSAFE = "safe", "unsafe"

# Functions that only write into a handle they are given (the handle's first use).
_HANDLE_WRITERS = frozenset(
    {
        "json.dump",
        "pickle.dump",
        "marshal.dump",
        "yaml.dump",
        "yaml.safe_dump",
        "yaml.dump_all",
        "yaml.safe_dump_all",
        "toml.dump",
        "tomli_w.dump",
        "tomlkit.dump",
        "plistlib.dump",
        "csv.writer",
        "csv.DictWriter",
        "builtins.print",
    }
)
_WRITE_METHODS = frozenset({"write", "writelines", "flush"})
_OPEN_PARAMS = ("file", "mode", "buffering", "encoding", "errors", "newline", "closefd", "opener")
_PATH_OPEN_PARAMS = ("mode", "buffering", "encoding", "errors", "newline")
_HELPER_OPEN_KEYWORDS = frozenset({"encoding", "errors", "newline"})
_WRITE_TEXT_PARAMS = ("data", "encoding", "errors", "newline")
_UTF8 = frozenset({"utf-8", "utf8", "utf_8", "u8"})

Node = cst.CSTNode
_N = TypeVar("_N", bound=cst.CSTNode)


@dataclass(frozen=True)
class Edit:
    """A planned rewrite of one finding."""

    finding: Finding
    applicability: str  # SAFE or UNSAFE
    reason: str  # why it is unsafe ("" when safe)
    target: Node  # the node replaced (original tree)
    replacement: Node
    imports: Tuple[Tuple[str, str], ...]  # (module, name) pairs to import


@dataclass(frozen=True)
class NotFixed:
    """A finding left as it is, and why."""

    finding: Finding
    reason: str
    applicability: str = "none"  # UNSAFE when held back only for lack of --unsafe-fixes


@dataclass
class FixResult:
    """The outcome for one file: the new source and what happened to each finding."""

    source: str
    applied: List[Edit] = field(default_factory=list)
    not_fixed: List[NotFixed] = field(default_factory=list)
    error: str = ""


class _Unfixable(Exception):
    """Raised while planning: the finding has no rewrite, for the given reason."""


def fix_source(
    source: str, findings: Sequence[Finding], *, filename: str, config: Config, unsafe: bool
) -> FixResult:
    """Rewrite the fixable ``findings`` of ``source``; unsafe rewrites only when ``unsafe``."""
    try:
        wrapper = MetadataWrapper(cst.parse_module(source))
    except cst.ParserSyntaxError as exc:
        return FixResult(source, [], [NotFixed(f, "the file does not parse") for f in findings], str(exc))
    planner = _Planner(findings, config.helper_module)
    wrapper.visit(planner)
    result = FixResult(source)
    chosen: List[Edit] = []
    for outcome in planner.results:
        if isinstance(outcome, NotFixed):
            result.not_fixed.append(outcome)
        elif outcome.applicability == SAFE or unsafe:
            chosen.append(outcome)
        else:
            result.not_fixed.append(
                NotFixed(outcome.finding, f"unsafe fix ({outcome.reason}): use --unsafe-fixes", UNSAFE)
            )
    kept, code = _apply_verified(wrapper.module, chosen, source, filename, config)
    result.applied = kept
    result.not_fixed += [
        NotFixed(e.finding, "the rewrite would not parse or would still be flagged")
        for e in chosen
        if e not in kept
    ]
    result.source = code if kept else source
    return result


def _apply_verified(
    module: cst.Module, edits: List[Edit], source: str, filename: str, config: Config
) -> Tuple[List[Edit], str]:
    """Apply ``edits``; drop the ones whose result does not parse or is still flagged."""
    if not edits:
        return [], source
    baseline = Counter(f.code for f in analyze_source(source, filename, config))
    code = _apply(module, edits)
    if _verified(code, baseline, edits, filename, config):
        return edits, code
    kept = [e for e in edits if _verified(_apply(module, [e]), baseline, [e], filename, config)]
    code = _apply(module, kept)
    if kept and _verified(code, baseline, kept, filename, config):
        return kept, code
    return [], source


def _verified(
    code: str, baseline: "Counter[str]", edits: Sequence[Edit], filename: str, config: Config
) -> bool:
    """The result parses, and each fixed code has fewer findings by the number of fixes."""
    try:
        after = Counter(f.code for f in analyze_source(code, filename, config))
    except (SyntaxError, ValueError):
        return False
    fixed = Counter(e.finding.code for e in edits)
    return all(after[c] <= max(0, baseline[c] - fixed[c]) for c in fixed) and all(
        after[c] <= baseline[c] for c in after if c not in fixed
    )


def _apply(module: cst.Module, edits: Sequence[Edit]) -> str:
    rewritten = module.visit(_Rewriter({id(e.target): e.replacement for e in edits}))
    context = CodemodContext()
    for edit in edits:
        for module_name, name in edit.imports:
            AddImportsVisitor.add_needed_import(context, module_name, name)
    return AddImportsVisitor(context).transform_module(rewritten).code


class _Rewriter(cst.CSTTransformer):
    """Swap planned nodes (by identity in the original tree) for their replacements."""

    def __init__(self, replacements: Dict[int, Node]) -> None:
        super().__init__()
        self.replacements = replacements

    def on_leave(
        self, original_node: _N, updated_node: _N
    ) -> Union[_N, cst.RemovalSentinel, cst.FlattenSentinel[_N]]:
        return cast(_N, self.replacements.get(id(original_node), updated_node))


class _Planner(cst.CSTVisitor):
    """Find the call node of each finding and plan its rewrite."""

    METADATA_DEPENDENCIES = (PositionProvider, QualifiedNameProvider, ScopeProvider, ParentNodeProvider)

    def __init__(self, findings: Sequence[Finding], helper_module: str) -> None:
        super().__init__()
        self.helper_module = helper_module
        self.pending: Dict[Tuple[int, int], List[Finding]] = {}
        for finding in findings:
            self.pending.setdefault((finding.line, finding.col), []).append(finding)
        self.calls: Dict[Tuple[int, int], List[cst.Call]] = {}
        self.module: Optional[cst.Module] = None
        self.results: List[Union[Edit, NotFixed]] = []

    def visit_Module(self, node: cst.Module) -> None:
        self.module = node

    def visit_Call(self, node: cst.Call) -> None:
        start = self.get_metadata(PositionProvider, node).start
        key = (start.line, start.column)
        if key in self.pending:
            self.calls.setdefault(key, []).append(node)

    def leave_Module(self, original_node: cst.Module) -> None:
        # Plan here: metadata is only available while the wrapper visits.
        self.results = self._plan_all()

    def _plan_all(self) -> List[Union[Edit, NotFixed]]:
        results: List[Union[Edit, NotFixed]] = []
        for key, findings in self.pending.items():
            for finding in findings:
                try:
                    results.append(_capped(self._plan(finding, self.calls.get(key, [])), finding))
                except _Unfixable as exc:
                    results.append(NotFixed(finding, str(exc)))
        return results

    # -- planning ----------------------------------------------------------------------

    def _plan(self, finding: Finding, calls: List[cst.Call]) -> Edit:
        if finding.fix is not None and finding.fix.applicability == "none":
            raise _Unfixable(finding.fix.reason)
        helper = finding.fix.helper if finding.fix is not None else ""
        if not helper:
            raise _Unfixable("the rule has no automatic fix")
        if helper in ("atomic_write_text", "atomic_write_bytes"):
            return self._plan_write_text(finding, _pick(calls, _is_write_text_call))
        if helper in ("atomic_open", "atomic_json_dump"):
            return self._plan_open(finding, _pick(calls, self._is_open_call))
        if helper == "os.replace":
            return self._plan_rename(finding, _pick(calls, self._is_rename_call))
        raise _Unfixable(f"no rewrite to {helper}")

    def _plan_write_text(self, finding: Finding, call: cst.Call) -> Edit:
        func = call.func
        assert isinstance(func, cst.Attribute)
        helper = "atomic_write_text" if func.attr.value == "write_text" else "atomic_write_bytes"
        params = _WRITE_TEXT_PARAMS if helper == "atomic_write_text" else ("data",)
        layout = call.whitespace_before_args
        comma = (
            cst.Comma(whitespace_after=layout)
            if isinstance(layout, cst.ParenthesizedWhitespace)
            else _comma()
        )
        new_args = [cst.Arg(func.value, comma=comma), *_keywordize(call.args, params, keep=1)]
        replacement = call.with_changes(func=cst.Name(helper), args=new_args)
        reason = (
            "the helper defaults to UTF-8 where write_text() uses the locale encoding, " "and returns None"
        )
        return self._edit(finding, call, replacement, helper, UNSAFE, reason)

    def _plan_open(self, finding: Finding, call: cst.Call) -> Edit:
        path, mode, keywords, new_args = self._open_arguments(call)
        parent = self.get_metadata(ParentNodeProvider, call)
        if isinstance(parent, cst.WithItem) and parent.item is call:
            with_node = self.get_metadata(ParentNodeProvider, parent)
            assert isinstance(with_node, cst.With)
            if with_node.asynchronous is not None:
                raise _Unfixable("open() in an async with statement")
            if finding.fix is not None and finding.fix.kind == "json_dump":
                collapsed = self._plan_with_json_dump(finding, with_node, path, mode, keywords)
                if collapsed is not None:
                    return collapsed
            return self._plan_swap(finding, call, parent, with_node, path, mode, new_args)
        if isinstance(parent, cst.Arg):
            dump = self.get_metadata(ParentNodeProvider, parent)
            if isinstance(dump, cst.Call) and self._is_json_dump_into(dump, parent):
                return self._plan_inline_json_dump(finding, dump, parent, path, mode, keywords)
        raise _Unfixable("the handle is not opened in a with statement")

    def _open_arguments(
        self, call: cst.Call
    ) -> Tuple[cst.BaseExpression, cst.Arg, List[cst.Arg], List[cst.Arg]]:
        """Split an open call: (path, mode argument, other keywords, arguments for atomic_open)."""
        names = self._qualified(call.func)
        if "codecs.open" in names:
            raise _Unfixable("codecs.open() takes different arguments; rewrite it with atomic_open by hand")
        if names & {"os.fdopen", "os.open"}:
            raise _Unfixable("the file is opened from a descriptor, not a path")
        func = call.func
        if names & {"builtins.open", "io.open"}:
            new_args = _keywordize(call.args, _OPEN_PARAMS, keep=2)
            if not new_args or new_args[0].keyword is not None or new_args[0].star:
                raise _Unfixable("open() is not given the path as its first argument")
            path, rest = new_args[0].value, new_args[1:]
        elif isinstance(func, cst.Attribute) and func.attr.value == "open" and not self._from_import(func):
            rest = _keywordize(call.args, _PATH_OPEN_PARAMS, keep=1)
            path, new_args = func.value, [cst.Arg(func.value, comma=_comma()), *rest]
        else:
            raise _Unfixable("the call is not the builtin open(), io.open() or Path.open()")
        mode = next((a for a in rest if a.keyword is None or a.keyword.value == "mode"), None)
        if mode is None or mode.star:
            raise _Unfixable("open() has no literal mode argument")
        keywords = [a for a in rest if a is not mode]
        for arg in keywords:
            if arg.star:
                raise _Unfixable("the call unpacks **kwargs")
            if arg.keyword is None or arg.keyword.value not in _HELPER_OPEN_KEYWORDS:
                raise _Unfixable(f"atomic_open() does not take {arg.keyword.value if arg.keyword else 'it'}=")
        return path, mode, keywords, new_args

    def _plan_swap(
        self,
        finding: Finding,
        call: cst.Call,
        item: cst.WithItem,
        with_node: cst.With,
        path: cst.BaseExpression,
        mode: cst.Arg,
        new_args: List[cst.Arg],
    ) -> Edit:
        reasons = [] if _literal_string(mode.value) is not None else ["the mode is not a string literal"]
        reasons += self._body_concerns(with_node, item, path)
        replacement = call.with_changes(func=cst.Name("atomic_open"), args=new_args)
        applicability = UNSAFE if reasons else SAFE
        return self._edit(finding, call, replacement, "atomic_open", applicability, "; ".join(reasons))

    def _body_concerns(self, with_node: cst.With, item: cst.WithItem, path: cst.BaseExpression) -> List[str]:
        """Why swapping in atomic_open could change what the body of the with sees."""
        handle = item.asname.name if item.asname is not None else None
        if handle is not None and not isinstance(handle, cst.Name):
            return ["the handle is unpacked"]
        collector = _NameUses(handle.value if handle is not None else None, self._code(path))
        with_node.body.visit(collector)
        concerns = []
        for use in collector.handle_uses:
            if not self._is_write_use(use, collector.parents):
                concerns.append(
                    f"the body uses the handle beyond writing to it ({self._code(collector.parents[id(use)])})"
                )
                break
        if collector.path_uses:
            concerns.append(
                "the body refers to the path again (the new content is visible only after the block)"
            )
        return concerns

    def _is_write_use(self, use: cst.Name, parents: Dict[int, Node]) -> bool:
        parent = parents.get(id(use))
        if isinstance(parent, cst.Attribute) and parent.value is use:
            grand = parents.get(id(parent))
            return (
                parent.attr.value in _WRITE_METHODS and isinstance(grand, cst.Call) and grand.func is parent
            )
        if isinstance(parent, cst.Arg) and parent.value is use:
            call = parents.get(id(parent))
            if isinstance(call, cst.Call):
                names = self._qualified(call.func)
                if names & {"builtins.print"}:
                    return parent.keyword is not None and parent.keyword.value == "file"
                return bool(names & _HANDLE_WRITERS)
        return False

    def _plan_with_json_dump(
        self,
        finding: Finding,
        with_node: cst.With,
        path: cst.BaseExpression,
        mode: cst.Arg,
        keywords: List[cst.Arg],
    ) -> Optional[Edit]:
        """``with open(p, "w") as f: json.dump(obj, f, **kw)`` -> ``atomic_json_dump(obj, p, **kw)``."""
        if len(with_node.items) != 1 or _has_comment(with_node):
            return None
        asname = with_node.items[0].asname
        handle = asname.name if asname is not None else None
        statement = _only_statement(with_node.body)
        if not isinstance(handle, cst.Name) or statement is None:
            return None
        line, trailing = statement
        if not isinstance(line.value, cst.Call) or not self._is_json_dump(line.value):
            return None
        dump = line.value
        fp = _fp_arg(dump)
        if fp is None or not (isinstance(fp.value, cst.Name) and fp.value.value == handle.value):
            return None
        if _literal_string(mode.value) not in ("w", "wt", "tw") or self._handle_used_elsewhere(handle, fp):
            return None
        if any(a.keyword is not None and a.keyword.value not in ("encoding", "errors") for a in keywords):
            return None
        call = dump.with_changes(func=cst.Name("atomic_json_dump"), args=_replace_fp(dump.args, fp, path))
        statement_line = cst.SimpleStatementLine(
            body=[cst.Expr(call)], leading_lines=with_node.leading_lines, trailing_whitespace=trailing
        )
        applicability, reason = _json_safety(dump, keywords)
        return self._edit(finding, with_node, statement_line, "atomic_json_dump", applicability, reason)

    def _plan_inline_json_dump(
        self,
        finding: Finding,
        dump: cst.Call,
        fp: cst.Arg,
        path: cst.BaseExpression,
        mode: cst.Arg,
        keywords: List[cst.Arg],
    ) -> Edit:
        """``json.dump(obj, open(p, "w"))`` -> ``atomic_json_dump(obj, p)``."""
        if _literal_string(mode.value) not in ("w", "wt", "tw"):
            raise _Unfixable("json.dump() into a handle that is not opened in text write mode")
        if not isinstance(self.get_metadata(ParentNodeProvider, dump), cst.Expr):
            raise _Unfixable("the result of json.dump() is used")
        if any(a.keyword is not None and a.keyword.value not in ("encoding", "errors") for a in keywords):
            raise _Unfixable("open() has arguments atomic_json_dump() does not take")
        replacement = dump.with_changes(
            func=cst.Name("atomic_json_dump"), args=_replace_fp(dump.args, fp, path)
        )
        applicability, reason = _json_safety(dump, keywords)
        return self._edit(finding, dump, replacement, "atomic_json_dump", applicability, reason)

    def _plan_rename(self, finding: Finding, call: cst.Call) -> Edit:
        func = call.func
        if isinstance(func, cst.Attribute):
            replacement = call.with_changes(func=func.with_changes(attr=cst.Name("replace")))
            return Edit(finding, SAFE, "", call, replacement, ())
        assert isinstance(func, cst.Name)
        self._check_free(call, "replace", "os")
        replacement = call.with_changes(func=cst.Name("replace"))
        return Edit(finding, SAFE, "", call, replacement, (("os", "replace"),))

    # -- helpers -----------------------------------------------------------------------

    def _edit(
        self, finding: Finding, target: Node, replacement: Node, helper: str, applicability: str, reason: str
    ) -> Edit:
        self._check_free(target, helper, self.helper_module)
        return Edit(finding, applicability, reason, target, replacement, ((self.helper_module, helper),))

    def _check_free(self, node: Node, name: str, module: str) -> None:
        """Refuse when ``name`` is bound at ``node`` to anything but ``from module import name``."""
        scope = self.get_metadata(ScopeProvider, node, None)
        if scope is None:
            return
        for assignment in scope[name]:
            source = getattr(assignment, "node", None)
            if not (
                isinstance(source, cst.ImportFrom)
                and not source.relative
                and source.module is not None
                and get_full_name_for_node(source.module) == module
            ):
                raise _Unfixable(f"the name {name} is already bound to something else here")

    def _qualified(self, node: Node) -> Set[str]:
        return {q.name for q in self.get_metadata(QualifiedNameProvider, node, set())}

    def _from_import(self, node: Node) -> bool:
        """True when ``node`` names something imported (``gzip.open``), not a method of a value."""
        names = self.get_metadata(QualifiedNameProvider, node, set())
        return any(q.source is QualifiedNameSource.IMPORT for q in names)

    def _is_open_call(self, call: cst.Call) -> bool:
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value in ("open", "fdopen"):
            return True
        return bool(self._qualified(func) & {"builtins.open", "io.open", "codecs.open", "os.fdopen"})

    def _is_rename_call(self, call: cst.Call) -> bool:
        func = call.func
        if isinstance(func, cst.Attribute):
            return func.attr.value == "rename"
        return "os.rename" in self._qualified(func)

    def _is_json_dump(self, call: cst.Call) -> bool:
        return "json.dump" in self._qualified(call.func)

    def _is_json_dump_into(self, dump: cst.Call, arg: cst.Arg) -> bool:
        return self._is_json_dump(dump) and _fp_arg(dump) is arg

    def _handle_used_elsewhere(self, handle: cst.Name, fp: cst.Arg) -> bool:
        scope = self.get_metadata(ScopeProvider, handle, None)
        if scope is None:
            return True
        return any(access.node is not fp.value for access in scope.accesses[handle.value])

    def _code(self, node: Node) -> str:
        assert self.module is not None
        return self.module.code_for_node(node)


class _NameUses(cst.CSTVisitor):
    """Collect uses of the handle name and re-mentions of the path inside a with body."""

    def __init__(self, handle: Optional[str], path_code: str) -> None:
        super().__init__()
        self.handle = handle
        self.path_code = path_code
        self.handle_uses: List[cst.Name] = []
        self.path_uses: List[Node] = []
        self.parents: Dict[int, Node] = {}
        self._stack: List[Node] = []
        self._module = cst.Module(body=[])

    def on_visit(self, node: Node) -> bool:
        if self._stack:
            self.parents[id(node)] = self._stack[-1]
        self._stack.append(node)
        if isinstance(node, cst.Name) and node.value == self.handle:
            parent = self.parents.get(id(node))
            if not (isinstance(parent, cst.Attribute) and parent.attr is node):
                self.handle_uses.append(node)
        if isinstance(
            node, (cst.Name, cst.Attribute, cst.SimpleString, cst.Call, cst.Subscript, cst.BinaryOperation)
        ):
            if self._module.code_for_node(node) == self.path_code:
                self.path_uses.append(node)
        return True

    def on_leave(self, original_node: Node) -> None:
        self._stack.pop()


def _pick(calls: List[cst.Call], matches: Callable[[cst.Call], bool]) -> cst.Call:
    for call in calls:
        if matches(call):
            return call
    raise _Unfixable("no call of the expected shape at the reported position")


def _is_write_text_call(call: cst.Call) -> bool:
    return isinstance(call.func, cst.Attribute) and call.func.attr.value in ("write_text", "write_bytes")


def _comma() -> cst.Comma:
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def _keywordize(args: Sequence[cst.Arg], params: Sequence[str], keep: int) -> List[cst.Arg]:
    """Name the positional arguments past the first ``keep`` after ``params`` (commas kept)."""
    out: List[cst.Arg] = []
    for index, arg in enumerate(args):
        if arg.star == "*":
            raise _Unfixable("the call unpacks *args")
        if arg.keyword is None and not arg.star and index >= keep:
            if index >= len(params):
                raise _Unfixable("too many positional arguments")
            arg = arg.with_changes(
                keyword=cst.Name(params[index]),
                equal=cst.AssignEqual(
                    whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
                ),
            )
        out.append(arg)
    return out


def _literal_string(node: cst.BaseExpression) -> Optional[str]:
    if isinstance(node, cst.SimpleString):
        value = ast.literal_eval(node.value)
        return value if isinstance(value, str) else None
    return None


def _fp_arg(dump: cst.Call) -> Optional[cst.Arg]:
    positional = [a for a in dump.args if a.keyword is None and not a.star]
    if len(positional) >= 2:
        return positional[1]
    return next((a for a in dump.args if a.keyword is not None and a.keyword.value == "fp"), None)


def _replace_fp(args: Sequence[cst.Arg], fp: cst.Arg, path: cst.BaseExpression) -> List[cst.Arg]:
    keyword = cst.Name("path") if fp.keyword is not None else None
    return [a.with_changes(value=path, keyword=keyword) if a is fp else a for a in args]


def _json_safety(dump: cst.Call, open_keywords: List[cst.Arg]) -> Tuple[str, str]:
    """Safe when the JSON is ASCII or the file was opened as UTF-8: the bytes are then equal."""
    encoding = next(
        (a for a in open_keywords if a.keyword is not None and a.keyword.value == "encoding"), None
    )
    if encoding is not None:
        text = _literal_string(encoding.value)
        if text is not None and text.lower() in _UTF8:
            return SAFE, ""
    if any(a.star == "**" for a in dump.args):
        return UNSAFE, "**kwargs may set ensure_ascii=False and the helper always writes UTF-8"
    ensure_ascii = next(
        (a for a in dump.args if a.keyword is not None and a.keyword.value == "ensure_ascii"), None
    )
    if ensure_ascii is not None and not (
        isinstance(ensure_ascii.value, cst.Name) and ensure_ascii.value.value == "True"
    ):
        return UNSAFE, "ensure_ascii=False without a UTF-8 encoding: the helper always writes UTF-8"
    return SAFE, ""


def _only_statement(
    body: cst.BaseSuite,
) -> Optional[Tuple[cst.Expr, cst.TrailingWhitespace]]:
    """The single expression statement of a block, with its trailing whitespace (and comment)."""
    if isinstance(body, cst.SimpleStatementSuite):
        if len(body.body) == 1 and isinstance(body.body[0], cst.Expr):
            return body.body[0], body.trailing_whitespace
        return None
    if isinstance(body, cst.IndentedBlock) and len(body.body) == 1 and not _has_footer_comment(body):
        line = body.body[0]
        if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1 and not line.leading_lines:
            expr = line.body[0]
            if isinstance(expr, cst.Expr):
                return expr, line.trailing_whitespace
    return None


def _has_footer_comment(block: cst.IndentedBlock) -> bool:
    return any(empty.comment is not None for empty in block.footer)


def _has_comment(with_node: cst.With) -> bool:
    header = getattr(with_node.body, "header", None)
    return isinstance(header, cst.TrailingWhitespace) and header.comment is not None


def _capped(edit: Edit, finding: Finding) -> Edit:
    """No fix is safer than its rule's catalogue entry allows (AW301: all unsafe)."""
    if RULES[finding.code].fix == UNSAFE and edit.applicability == SAFE:
        return replace(edit, applicability=UNSAFE, reason=f"{finding.code} fixes are unsafe (see its Fix safety)")
    return edit
