"""Plan, apply and verify the fixes of one file.

Each finding is mapped to its call in a parsed piece (``pieces.py``), its fix hint picks the
rewrite from the registry, and the hint's applicability caps the edit's. The chosen edits are
rendered piece by piece and spliced into the text, the imports are updated (``imports.py``),
and the result is checked once: it must parse, and each piece must have lost the findings it
fixed and gained none. A piece that fails is left as it was and the rest checked again, so a
file costs a few analyses whatever its number of findings.
"""

from __future__ import annotations

import ast
import bisect
from collections import Counter
from dataclasses import replace
from typing import Callable, Dict, List, Optional, Sequence, Set, Tuple, Union

from ..analysis import analyze, analyze_source
from ..config import Config
from ..lines import split_lines
from ..rules import RULES, Finding
from . import rewrites  # noqa: F401  (registers the rewrites)
from .imports import import_replacements
from .layout import DEFAULT_LINE_LENGTH, wrap_long_calls
from .model import NONE, SAFE, UNSAFE, Edit, FixResult, NotFixed, Unfixable, lowest
from .names import Names
from .pieces import CANNOT_PARSE, TOO_DEEP, Parsed, Piece, locate, match_calls, parse
from .registry import REWRITES
from .site import Site
from .view import FileView

Planned = Union[Edit, NotFixed]
MAX_ROUNDS = 3  # checks of the result, each after leaving out the pieces that failed the last
REJECTED = "the rewrite would not parse or would still be flagged"
NOT_LOCATED = "libcst's tree and the ast disagree about the calls here"


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
    planned, pieces, error = _plan_all(view, findings, config.helper_module)
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
        kept, code = _apply_verified(view, pieces, chosen, filename, config, line_length)
        rejected = REJECTED
    except RecursionError:
        kept, code, rejected = [], source, TOO_DEEP
    result.applied = kept
    applied = {id(e) for e in kept}
    result.not_fixed += [NotFixed(e.finding, rejected) for e in chosen if id(e) not in applied]
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
) -> Tuple[List[Planned], Dict[int, Parsed], str]:
    """Each finding's edit or why there is none; the parsed pieces by the id of each edit."""
    planned: List[Planned] = []
    tried: List[Finding] = []
    for finding in findings:
        refusal = _refusal(finding)
        if refusal is not None:
            planned.append(NotFixed(finding, refusal))
        else:
            tried.append(finding)
    located, missing = locate(view, tried)
    planned += [NotFixed(f, reason) for f, reason in missing]
    parsed = parse(view, list(dict.fromkeys(item.piece for item in located)))
    names = Names(view.tree)
    by_edit: Dict[int, Parsed] = {}
    error = ""
    for item in located:
        piece = parsed[item.piece]
        if isinstance(piece, str):
            if piece.startswith(CANNOT_PARSE):
                error = error or piece[len(CANNOT_PARSE) + 2:]
                piece = CANNOT_PARSE
            planned.append(NotFixed(item.finding, piece))
            continue
        try:
            calls = match_calls(view, piece, item.calls)
            site = Site(item.finding, calls, piece, names, item.scopes, helper_module) if calls else None
            outcome = _plan_one(site) if site is not None else NotFixed(item.finding, NOT_LOCATED)
        except RecursionError:
            outcome = NotFixed(item.finding, TOO_DEEP)
        if isinstance(outcome, Edit):
            by_edit[id(outcome)] = piece
        planned.append(outcome)
    return planned, by_edit, error


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


# -- applying and verifying ------------------------------------------------------------


def _apply_verified(
    view: FileView, pieces: Dict[int, Parsed], edits: List[Edit], filename: str, config: Config, line_length: int
) -> Tuple[List[Edit], str]:
    """Apply ``edits``; leave out the pieces whose result does not parse or is still flagged."""
    if not edits:
        return [], view.source
    grouped: Dict[Piece, List[Edit]] = {}
    parsed: Dict[Piece, Parsed] = {}
    for edit in edits:
        piece = pieces[id(edit)]
        grouped.setdefault(piece.piece, []).append(edit)
        parsed[piece.piece] = piece
    helpers = {name for e in edits for _, name in e.imports}
    rendered = ((p, _render_piece(parsed[p], grouped[p], helpers, line_length)) for p in grouped)
    texts = {p: t for p, t in rendered if t is not None}
    baseline = analyze(view.tree, view.lines, filename, config)
    for _ in range(MAX_ROUNDS):
        if not texts:
            break
        kept = [e for p in texts for e in grouped[p]]
        replacements: List[Tuple[int, int, str]] = [(p.start, p.end, text) for p, text in texts.items()]
        needed = sorted({pair for e in kept for pair in e.imports})
        replacements += import_replacements(view, texts, needed, line_length)
        code = view.splice(replacements)
        failed = _failed_pieces(view, code, replacements, list(texts), grouped, baseline, filename, config)
        if failed is None:
            return [], view.source
        if not failed:
            return kept, code
        texts = {p: t for p, t in texts.items() if p not in failed}
    return [], view.source


def _render_piece(parsed: Parsed, edits: List[Edit], helpers: Set[str], line_length: int) -> Optional[str]:
    """The piece's new text, its new calls wrapped within ``line_length``; None when it does
    not parse on its own."""
    replacements = {id(e.target): e.replacement for e in edits}
    text = parsed.render(replacements, lambda old, new: wrap_long_calls(old, new, helpers, line_length))
    try:
        ast.parse(("if 1:\n" if parsed.piece.indent else "") + text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return text


def _failed_pieces(
    view: FileView,
    code: str,
    replacements: List[Tuple[int, int, str]],
    pieces: List[Piece],
    grouped: Dict[Piece, List[Edit]],
    baseline: List[Finding],
    filename: str,
    config: Config,
) -> Optional[List[Piece]]:
    """The pieces that still have a finding they fixed, or gained one; None when the result
    does not parse or is worse outside the pieces (nothing to leave out then)."""
    try:
        after = analyze_source(code, filename, config)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    before_in = _by_piece(baseline, pieces, lambda line: line)
    after_in = _by_piece(after, pieces, _new_lines(replacements, pieces))
    if any(after_in[None][c] > before_in[None][c] for c in after_in[None]):
        return None
    failed = []
    for piece in pieces:
        fixed = Counter(e.finding.code for e in grouped[piece])
        before, now = before_in[piece], after_in[piece]
        if any(now[c] > max(0, before[c] - fixed[c]) for c in fixed) or any(
            now[c] > before[c] for c in now if c not in fixed
        ):
            failed.append(piece)
    return failed


def _by_piece(
    findings: List[Finding], pieces: List[Piece], where: Callable[[int], int]
) -> Dict[Optional[Piece], "Counter[str]"]:
    """Codes counted by the piece their line falls in (``where`` maps it to the old file's)."""
    ordered = sorted(pieces, key=lambda p: p.start)
    starts = [p.start for p in ordered]
    counts: Dict[Optional[Piece], "Counter[str]"] = {p: Counter() for p in ordered}
    counts[None] = Counter()
    for finding in findings:
        line = where(finding.line)
        index = bisect.bisect_right(starts, line) - 1
        owner = ordered[index] if index >= 0 and line <= ordered[index].end else None
        counts[owner][finding.code] += 1
    return counts


def _new_lines(replacements: List[Tuple[int, int, str]], pieces: List[Piece]) -> Callable[[int], int]:
    """Map a line of the new text to a line of the old one: a line a piece's new text took maps
    to the piece's first line, any other replaced or inserted line to 0 (outside every piece)."""
    starts: List[int] = []  # the new line where each replaced region starts
    regions: List[Tuple[int, int, int]] = []  # (new end, old line it maps to or 0, delta after it)
    delta = 0
    is_piece = {(p.start, p.end) for p in pieces}
    for start, end, text in sorted(replacements):
        count = len(split_lines(text))
        new_start = start + delta
        starts.append(new_start)
        delta += count - (end - start + 1)
        regions.append((new_start + count - 1, start if (start, end) in is_piece else 0, delta))

    def where(line: int) -> int:
        index = bisect.bisect_right(starts, line) - 1
        if index < 0:
            return line
        new_end, owner, after = regions[index]
        return (owner if line <= new_end else line - after)

    return where
