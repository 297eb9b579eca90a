"""Plan, apply and verify the fixes of one file.

Each finding is mapped to its call in a snippet (``snippets.py``), its fix hint picks the
rewrite from the registry, and the hint's applicability caps the edit's. The chosen edits are
applied snippet by snippet and spliced into the text, the imports are updated
(``imports.py``), and the result is kept only if it parses and no longer has the fixed findings.
"""

from __future__ import annotations

import ast
from collections import Counter
from dataclasses import replace
from typing import Dict, List, Optional, Sequence, Tuple, TypeVar, Union, cast

import libcst as cst

from ..analysis import analyze, analyze_source
from ..config import Config
from ..rules import RULES, Finding
from . import rewrites  # noqa: F401  (registers the rewrites)
from .imports import import_replacements
from .layout import DEFAULT_LINE_LENGTH, wrap_long_calls
from .model import NONE, SAFE, UNSAFE, Edit, FixResult, NotFixed, Unfixable, lowest
from .registry import REWRITES
from .site import Site
from .snippets import Cut, FileView, Span

_N = TypeVar("_N", bound=cst.CSTNode)
TOO_DEEP = "too deeply nested"  # libcst's recursion limit on code CPython compiles
Planned = Union[Edit, NotFixed]


def fix_source(
    source: str,
    findings: Sequence[Finding],
    *,
    filename: str,
    config: Config,
    unsafe: bool,
    line_length: int = DEFAULT_LINE_LENGTH,
) -> FixResult:
    """Rewrite the fixable ``findings`` of ``source``; unsafe rewrites only when ``unsafe``;
    what the rewrites add stays within ``line_length`` (flake8's ``max-line-length``)."""
    try:
        tree = ast.parse(source, filename=filename)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return FixResult(source, [], [NotFixed(f, "the file does not parse") for f in findings], str(exc))
    view = FileView(source, tree)
    cuts, planned, error = _plan_all(view, findings, config.helper_module)
    result = FixResult(source, error=error)
    chosen: List[Edit] = []
    for outcome in planned:
        if isinstance(outcome, NotFixed):
            result.not_fixed.append(outcome)
        elif outcome.applicability == SAFE or unsafe:
            chosen.append(outcome)
        else:
            note = f"unsafe fix ({outcome.reason}): use --unsafe-fixes"
            result.not_fixed.append(NotFixed(outcome.finding, note, UNSAFE))
    try:
        kept, code = _apply_verified(view, cuts, chosen, filename, config, line_length)
        rejected = "the rewrite would not parse or would still be flagged"
    except RecursionError:
        kept, code, rejected = [], source, TOO_DEEP
    result.applied = kept
    result.not_fixed += [NotFixed(e.finding, rejected) for e in chosen if e not in kept]
    result.not_fixed.sort(key=lambda n: (n.finding.line, n.finding.col, n.finding.code))
    result.source = code if kept else source
    return result


def site_verdicts(
    source: str, findings: Sequence[Finding], *, filename: str, config: Config
) -> List[Tuple[Finding, str, str]]:
    """Each finding's fix verdict, ``(finding, applicability, reason)``, as ``fix`` decides it:
    the fix itself is planned, applied and verified (with unsafe fixes), then thrown away, so
    ``check`` and ``fix`` give one answer per site."""
    result = fix_source(source, findings, filename=filename, config=config, unsafe=True)
    verdicts = [(e.finding, e.applicability, e.reason) for e in result.applied]
    verdicts += [(n.finding, NONE, n.reason) for n in result.not_fixed]
    return verdicts


def _plan_all(
    view: FileView, findings: Sequence[Finding], helper_module: str
) -> Tuple[Dict[Span, Cut], List[Planned], str]:
    by_span: Dict[Span, List[Finding]] = {}
    planned: List[Planned] = []
    for finding in findings:
        span = view.span_at(finding.line)
        refusal = "no statement at the reported position" if span is None else _refusal(finding)
        if refusal is not None:
            planned.append(NotFixed(finding, refusal))
        elif span is not None:
            by_span.setdefault(span, []).append(finding)
    cuts: Dict[Span, Cut] = {}
    error = ""
    for span, group in by_span.items():
        try:
            cuts[span] = cut = view.cut(span)
        except cst.ParserSyntaxError as exc:
            error = str(exc)
            planned += [NotFixed(f, "libcst cannot parse this statement") for f in group]
            continue
        except RecursionError:
            planned += [NotFixed(f, TOO_DEEP) for f in group]
            continue
        planned += [_plan_one(Site(f, cut.calls_at(f.line, f.col), cut.snippet, helper_module)) for f in group]
    return cuts, planned, error


def _refusal(finding: Finding) -> Optional[str]:
    """Why the finding is not even tried: no hint, a site the analysis refuses, an unknown kind."""
    hint = finding.fix
    if hint is None:
        return "the rule has no automatic fix"
    if hint.applicability == NONE:
        return hint.reason or "no automatic fix at this site"
    if hint.kind not in REWRITES:
        return f"no rewrite for {hint.kind}"
    return None


def _plan_one(site: Site) -> Planned:
    hint = site.finding.fix
    assert hint is not None
    try:
        edit = REWRITES[hint.kind](site)
    except Unfixable as exc:
        return NotFixed(site.finding, str(exc))
    return _capped(edit, hint.applicability, hint.reason)


def _capped(edit: Edit, cap: str, cap_reason: str) -> Edit:
    """No edit is safer than its site's hint or its rule's catalogue entry allows."""
    code = edit.finding.code
    cap = lowest(cap, RULES[code].fix)
    if lowest(edit.applicability, cap) == edit.applicability:
        return edit
    reason = cap_reason or f"{code} fixes are unsafe (see its Fix safety)"
    return replace(edit, applicability=cap, reason=reason)


def _apply_verified(
    view: FileView, cuts: Dict[Span, Cut], edits: List[Edit], filename: str, config: Config, line_length: int
) -> Tuple[List[Edit], str]:
    """Apply ``edits``; drop the ones whose result does not parse or is still flagged."""
    if not edits:
        return [], view.source
    baseline = Counter(f.code for f in analyze(view.tree, view.lines, filename, config))
    code = _render(view, cuts, edits, line_length)
    if _verified(code, baseline, edits, filename, config):
        return edits, code
    kept = [e for e in edits if _verified(_render(view, cuts, [e], line_length), baseline, [e], filename, config)]
    code = _render(view, cuts, kept, line_length)
    if kept and _verified(code, baseline, kept, filename, config):
        return kept, code
    return [], view.source


def _verified(code: str, baseline: "Counter[str]", edits: Sequence[Edit], filename: str, config: Config) -> bool:
    """The result parses, and each fixed code has fewer findings by the number of fixes."""
    try:
        after = Counter(f.code for f in analyze_source(code, filename, config))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    fixed = Counter(e.finding.code for e in edits)
    return all(after[c] <= max(0, baseline[c] - fixed[c]) for c in fixed) and all(
        after[c] <= baseline[c] for c in after if c not in fixed
    )


def _render(view: FileView, cuts: Dict[Span, Cut], edits: Sequence[Edit], line_length: int) -> str:
    """The file with ``edits`` applied, wrapped within ``line_length``, and its imports updated."""
    changed: Dict[Span, str] = {}
    helpers = {name for e in edits for _, name in e.imports}
    for span, cut in cuts.items():
        mine = {id(e.target): e.replacement for e in edits if span.start <= e.finding.line <= span.end}
        if mine:
            changed[span] = wrap_long_calls(view.text(span), _rewrite_cut(cut, mine), helpers, line_length)
    needed = sorted({pair for e in edits for pair in e.imports})
    replacements: List[Tuple[int, int, str]] = [(s.start, s.end, text) for s, text in changed.items()]
    replacements += import_replacements(view, changed, needed, line_length)
    return view.splice(replacements)


def _rewrite_cut(cut: Cut, replacements: Dict[int, cst.CSTNode]) -> str:
    module = cut.snippet.module.visit(_Rewriter(replacements))
    text = "".join(module.code_for_node(module.body[i]) for i in cut.statements)
    if cut.added_newline:
        text = text.rstrip("\r\n")
    return text


class _Rewriter(cst.CSTTransformer):
    """Swap planned nodes (by identity in the original snippet) for their replacements."""

    def __init__(self, replacements: Dict[int, cst.CSTNode]) -> None:
        super().__init__()
        self.replacements = replacements

    def on_leave(self, original_node: _N, updated_node: _N) -> Union[_N, cst.RemovalSentinel, cst.FlattenSentinel[_N]]:
        return cast(_N, self.replacements.get(id(original_node), updated_node))
