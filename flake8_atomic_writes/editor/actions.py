"""Diagnostics and code actions for one editor buffer, as LSP dictionaries.

A buffer is checked and fixed as ``flake8-atomic-writes fix`` would check and fix the same
text in the same place: the settings come from ``cli.fix_settings`` (the config file found
from ``Buffer.cwd``), the findings from ``cli.reported_findings`` (with the project index) and
the rewrites from the fixer's ``fix_source``. A quick fix rewrites its one finding; "fix all"
rewrites every finding with a safe fix, which is exactly what ``fix`` writes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence

from ..cli import Settings, Source, reported_findings
from ..rules import RULES, Finding
from ..lines import split_lines
from .textedits import line_end, text_edits, utf16_column

SOURCE = "flake8-atomic-writes"
QUICKFIX = "quickfix"
FIX_ALL = "source.fixAll"
FIX_ALL_TITLE = "Fix all AW findings in this file"
WARNING = 2  # LSP DiagnosticSeverity.Warning

Json = Dict[str, Any]


@dataclass(frozen=True)
class Buffer:
    """An editor's unsaved text, the file it belongs to, and the directory ``fix`` would run in."""

    uri: str
    text: str
    path: str  # absolute
    cwd: str  # the workspace root when the file is in it (pylsp runs flake8 there), else its directory

    @property
    def display(self) -> str:
        """The file's name as flake8 is given it: relative to ``cwd``."""
        return os.path.relpath(self.path, self.cwd)

    def source(self) -> Source:
        return Source(self.display, self.text.encode("utf-8", "surrogatepass"), self.text, "utf-8", self.path)


def findings(buffer: Buffer, settings: Settings) -> List[Finding]:
    """What ``check`` reports for the buffer; nothing when it does not parse (other linters say so)."""
    try:
        return reported_findings(settings, buffer.source())
    except (SyntaxError, ValueError, RecursionError):
        return []


def diagnostics(buffer: Buffer, settings: Settings) -> List[Json]:
    """The buffer's findings as LSP diagnostics (warnings, UTF-16 columns, to the end of the line)."""
    lines = split_lines(buffer.text)
    return [_diagnostic(f, lines[f.line - 1] if f.line <= len(lines) else "") for f in findings(buffer, settings)]


def _diagnostic(finding: Finding, line: str) -> Json:
    start = utf16_column(line, finding.col)
    return {
        "source": SOURCE,
        "code": finding.code,
        "codeDescription": {"href": RULES[finding.code].url},
        "message": finding.message,
        "severity": WARNING,
        "range": {
            "start": {"line": finding.line - 1, "character": start},
            "end": {"line": finding.line - 1, "character": max(start, line_end(line))},
        },
    }


def code_actions(
    buffer: Buffer,
    settings: Callable[[], Settings],
    context_diagnostics: Sequence[Mapping[str, Any]],
    only: Optional[Sequence[str]] = None,
) -> List[Json]:
    """A quick fix for each AW diagnostic of the request that has a fix at its site, and
    "fix all" when asked for by kind (``only``) or next to a quick fix.

    ``settings`` is called only when there is something to compute.
    """
    aw = [d for d in context_diagnostics if str(d.get("code", "")).startswith("AW")]
    quick = wanted(QUICKFIX, only) and bool(aw)
    fix_all_asked = only is not None and wanted(FIX_ALL, only)
    if not quick and not fix_all_asked:
        return []
    current = settings()
    found = findings(buffer, current)
    if not found:
        return []
    actions: List[Json] = []
    for diagnostic in aw if quick else []:
        action = _quick_fix(buffer, current, diagnostic, found)
        if action is not None:
            actions.append(action)
    if fix_all_asked or (only is None and actions):
        actions += _fix_all(buffer, current, found)
    return actions


def wanted(kind: str, only: Optional[Sequence[str]]) -> bool:
    """LSP's ``context.only``: a kind is wanted when it is, or is below, one of the kinds asked for."""
    return only is None or any(kind == o or kind.startswith(o + ".") for o in only)


def _quick_fix(
    buffer: Buffer, settings: Settings, diagnostic: Mapping[str, Any], found: List[Finding]
) -> Optional[Json]:
    from ..fix import SAFE, fix_source  # libcst only when there is a site to fix

    finding = finding_at(diagnostic, found, buffer.text)
    if finding is None or finding.fix is None:
        return None
    result = fix_source(buffer.text, [finding], filename=buffer.display, config=settings.config, unsafe=True)
    if not result.applied:
        return None
    safe = result.applied[0].applicability == SAFE
    title = f"Fix {finding.code}: use {finding.fix.helper}" + ("" if safe else " (unsafe)")
    action = _action(title, QUICKFIX, buffer, result.source)
    action["diagnostics"] = [dict(diagnostic)]
    if safe:
        action["isPreferred"] = True
    return action


def _fix_all(buffer: Buffer, settings: Settings, found: List[Finding]) -> List[Json]:
    from ..fix import fix_source

    result = fix_source(buffer.text, found, filename=buffer.display, config=settings.config, unsafe=False)
    return [_action(FIX_ALL_TITLE, FIX_ALL, buffer, result.source)] if result.applied else []


def _action(title: str, kind: str, buffer: Buffer, new_text: str) -> Json:
    return {"title": title, "kind": kind, "edit": {"changes": {buffer.uri: text_edits(buffer.text, new_text)}}}


def finding_at(diagnostic: Mapping[str, Any], found: Sequence[Finding], text: str) -> Optional[Finding]:
    """The finding a diagnostic reports: same code, line and start column (flake8's character
    column, as pylsp passes it on, or its UTF-16 column, as this plugin publishes it)."""
    try:
        start = diagnostic["range"]["start"]
        line, character = int(start["line"]), int(start["character"])
    except (KeyError, TypeError, ValueError):
        return None
    lines = split_lines(text)
    for finding in found:
        if finding.code == diagnostic.get("code") and finding.line - 1 == line < len(lines):
            if character in (finding.col, utf16_column(lines[line], finding.col)):
                return finding
    return None
