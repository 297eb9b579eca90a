"""Output formats of the command line: flake8 text, JSON, SARIF 2.1.0 and GitHub annotations."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple
from urllib.parse import quote

from . import __version__
from .docs import render_rule
from .rules import RULES

SYNTAX_ERROR = "E999"
IO_ERROR = "E902"
FORMATS = ("text", "json", "sarif", "github")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/flake8-atomic-writes/flake8-atomic-writes"
SRCROOT = "%SRCROOT%"


@dataclass(frozen=True)
class Diagnostic:
    """One reported line: a finding (or an ``E999`` error) with its file and fix applicability."""

    path: str
    line: int
    col: int  # 0-based character column, as in ``Finding``
    code: str
    message: str
    fix: str = "none"  # "safe" | "unsafe" | "none": the site's applicability
    fix_note: str = ""  # why the site is not (safely) fixable
    not_fixed: bool = False  # reported by ``fix``, which left it: the text line says why
    source_line: str = ""  # the physical line, for --show-source
    confidence: str = ""  # low, medium or high: how sure the analysis is that the target holds state
    evidence: Tuple[str, ...] = ()  # the kinds of evidence found, strongest first

    @property
    def help_uri(self) -> str:
        rule = RULES.get(self.code)
        return rule.url if rule is not None else ""

    @property
    def is_error(self) -> bool:
        """E999 and E902: the file was not checked (both are errors in SARIF and annotations)."""
        return self.code in (SYNTAX_ERROR, IO_ERROR)


def render(diagnostics: Sequence[Diagnostic], fmt: str, root: Optional[str] = None) -> str:
    """Render ``diagnostics`` (already sorted) in ``fmt``; text and github end with a newline.

    github and sarif name files relative to ``root`` (default: the repository around the
    current directory), as GitHub and SARIF consumers resolve them.
    """
    if fmt in ("github", "sarif"):
        return _RENDERERS[fmt](diagnostics, root if root is not None else repository_root(os.getcwd()))
    return _RENDERERS[fmt](diagnostics, "")


def repository_root(start: str) -> str:
    """The nearest directory at or above ``start`` holding ``.git``; else ``start``."""
    here = Path(os.path.abspath(start))
    for directory in (here, *here.parents):
        if (directory / ".git").exists():
            return str(directory)
    return str(here)


def _not_fixed(diagnostic: Diagnostic) -> str:
    return f" (not fixed: {diagnostic.fix_note})" if diagnostic.not_fixed else ""


def relative_to(path: str, root: str) -> Optional[str]:
    """``path`` relative to ``root`` with ``/`` separators and no ``./``; None when outside it."""
    try:
        relative = os.path.relpath(os.path.abspath(path), root)
    except ValueError:  # another drive on Windows
        return None
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return None
    return relative.replace(os.sep, "/")


def _text(diagnostics: Sequence[Diagnostic], root: str) -> str:
    return "".join(
        f"{d.path}:{d.line}:{d.col + 1}: {d.code} {d.message}{_not_fixed(d)}\n{_source(d)}" for d in diagnostics
    )


def _source(d: Diagnostic) -> str:
    """flake8's ``--show-source``: the line, then a caret under the column."""
    if not d.source_line:
        return ""
    line = d.source_line if d.source_line.endswith("\n") else d.source_line + "\n"
    indent = "".join(c if c.isspace() else " " for c in line[: d.col])
    return f"{line}{indent}^\n"


def statistics(diagnostics: Sequence[Diagnostic]) -> str:
    """flake8's ``--statistics``: per code, the count and the first message."""
    first: Dict[str, Diagnostic] = {}
    counts: Dict[str, int] = {}
    for d in diagnostics:
        first.setdefault(d.code, d)
        counts[d.code] = counts.get(d.code, 0) + 1
    return "".join(f"{counts[code]:<5} {code} {first[code].message}\n" for code in sorted(counts))


def _json(diagnostics: Sequence[Diagnostic], root: str) -> str:
    items = [
        {
            "path": d.path,
            "line": d.line,
            "column": d.col + 1,
            "code": d.code,
            "message": d.message,
            "fix": {"applicability": d.fix, "note": d.fix_note, **({"fixed": False} if d.not_fixed else {})},
            "helpUri": d.help_uri,
            **({"confidence": d.confidence, "evidence": list(d.evidence)} if d.confidence else {}),
        }
        for d in diagnostics
    ]
    return json.dumps(items, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github(diagnostics: Sequence[Diagnostic], root: str) -> str:
    return "".join(
        f"::{'error' if d.is_error else 'warning'} file={_escape_property(_github_path(d.path, root))},"
        f"line={d.line},col={d.col + 1},title={_escape_property(d.code)}::{_escape_data(d.message)}\n"
        for d in diagnostics
    )


def _github_path(path: str, root: str) -> str:
    relative = relative_to(path, root)
    return relative if relative is not None else os.path.abspath(path)


def _artifact_location(path: str, root: str) -> Dict[str, str]:
    """A relative URI against ``%SRCROOT%``, or an absolute ``file:`` URI outside the root."""
    relative = relative_to(path, root)
    if relative is None:
        return {"uri": Path(os.path.abspath(path)).as_uri()}
    return {"uri": quote(relative), "uriBaseId": SRCROOT}


def _sarif_rules() -> List[Dict[str, Any]]:
    rules: List[Dict[str, Any]] = []
    for rule in RULES.values():
        page = render_rule(rule)
        rules.append(
            {
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": _plain(rule.summary)},
                "fullDescription": {"text": _plain(rule.what)},
                "help": {"text": page, "markdown": page},
                "helpUri": rule.url,
                "defaultConfiguration": {"level": "warning", "enabled": rule.default_enabled},
                "properties": {"fix": rule.fix, **_precision(rule.code)},
            }
        )
    rules += [_error_rule(code, name, text) for code, (name, text) in ERROR_RULES.items()]
    return rules


def _precision(code: str) -> Dict[str, Any]:
    """A rule's precision as GitHub code scanning reads it, from the measured figure (at the
    default confidence, on labeled real code, out of sample); none where it was not measured."""
    from .analysis.weights import PRECISION

    measured = PRECISION.get(code)
    if measured is None:
        return {}
    label = "very-high" if measured >= 0.95 else "high" if measured >= 0.85 else "medium" if measured >= 0.7 else "low"
    return {"precision": label, "measured-precision": measured}


# The errors reported next to the rules, as flake8 names them: (name, what it means).
ERROR_RULES = {
    SYNTAX_ERROR: ("syntax-error", "The file does not parse, so it was not checked."),
    IO_ERROR: ("io-error", "The file cannot be read, so it was not checked."),
}


def _error_rule(code: str, name: str, text: str) -> Dict[str, Any]:
    """A descriptor for E999 or E902, with the help text code scanning shows."""
    help_text = f"{text} Fix the file (or its permissions) and run the check again; nothing else in it was reported."
    return {
        "id": code,
        "name": name,
        "shortDescription": {"text": text.rstrip(".")},
        "fullDescription": {"text": text},
        "help": {"text": help_text, "markdown": f"**{code}** {help_text}"},
        "defaultConfiguration": {"level": "error"},
    }


def _plain(markdown: str) -> str:
    return markdown.replace("`", "")


def _sarif(diagnostics: Sequence[Diagnostic], root: str) -> str:
    rules = _sarif_rules()
    index = {rule["id"]: number for number, rule in enumerate(rules)}
    results = [
        {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": rules[index[d.code]]["defaultConfiguration"]["level"],
            "message": {"text": d.message},
            **({"properties": {"confidence": d.confidence, "evidence": list(d.evidence)}} if d.confidence else {}),
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": _artifact_location(d.path, root),
                        "region": {"startLine": d.line, "startColumn": d.col + 1},
                    }
                }
            ],
        }
        for d in diagnostics
    ]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "flake8-atomic-writes",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": Path(root).as_uri().rstrip("/") + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


_RENDERERS: Dict[str, Callable[[Sequence[Diagnostic], str], str]] = {
    "text": _text,
    "json": _json,
    "sarif": _sarif,
    "github": _github,
}
