"""Which findings the command line reports: ``select``/``ignore``, ``per-file-ignores`` and ``noqa``.

flake8 applies these for the plugin; the standalone command applies them here with flake8's
own decision engine and regexes, so both report exactly the same findings.
"""

from __future__ import annotations

import argparse
import logging
import tokenize
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from flake8 import defaults, utils
from flake8.style_guide import Decision, DecisionEngine

from .lines import split_lines, universal_lines
from .rules import Finding

_PLUGIN_PREFIX = "AW"
_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class CodeFilter:
    """The ``select``/``ignore`` family of options, as flake8 would apply them."""

    select: Optional[Tuple[str, ...]] = None
    ignore: Optional[Tuple[str, ...]] = None
    extend_select: Tuple[str, ...] = ()
    extend_ignore: Tuple[str, ...] = ()
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    _engines: Dict[Tuple[str, ...], DecisionEngine] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def parse_per_file_ignores(cls, value: str) -> Tuple[Tuple[str, Tuple[str, ...]], ...]:
        """Parse flake8's ``per-file-ignores`` syntax; patterns with a slash become absolute."""
        return tuple(
            (utils.normalize_path(pattern), tuple(codes))
            for pattern, codes in utils.parse_files_to_codes_mapping(value)
        )

    def selects(self, code: str, filename: str) -> bool:
        """True when flake8 would report ``code`` in ``filename``."""
        return self._engine(self._per_file_codes(filename)).decision_for(code) is Decision.Selected

    def selects_anywhere(self, code: str) -> bool:
        """True when flake8 would report ``code`` in a file no ``per-file-ignores`` entry names."""
        return self._engine(()).decision_for(code) is Decision.Selected

    def _per_file_codes(self, filename: str) -> Tuple[str, ...]:
        # flake8 uses the one matching entry with the longest pattern.
        matching = [
            (pattern, codes)
            for pattern, codes in self.per_file_ignores
            if utils.matches_filename(filename, [pattern], "%(path)s %(whether)smatches", _LOG)
        ]
        return max(matching, key=lambda item: len(item[0]))[1] if matching else ()

    def _engine(self, extra_ignore: Tuple[str, ...]) -> DecisionEngine:
        engine = self._engines.get(extra_ignore)
        if engine is None:
            options = argparse.Namespace(
                select=list(self.select) if self.select is not None else None,
                ignore=list(self.ignore) if self.ignore is not None else None,
                extend_select=list(self.extend_select),
                extend_ignore=[*self.extend_ignore, *extra_ignore],
                extended_default_select=["C90", "F", "E", "W", _PLUGIN_PREFIX],
                extended_default_ignore=[],
            )
            engine = self._engines[extra_ignore] = DecisionEngine(options)
        return engine


def file_is_noqa(lines: Sequence[str]) -> bool:
    """True when a line is just ``# flake8: noqa`` (flake8 then skips the whole file)."""
    return any(defaults.NOQA_FILE.match(line) for line in lines)


def noqa_lines(source: str, lines: Sequence[str]) -> Dict[int, str]:
    """Map each line number to the text flake8 searches for ``noqa`` (multi-line tokens joined)."""
    mapping: Dict[int, str] = {}
    low, high = len(lines) + 2, -1
    try:
        tokens = list(tokenize.generate_tokens(iter(universal_lines(source)).__next__))
    except (tokenize.TokenError, SyntaxError):
        return {number: line for number, line in enumerate(lines, start=1)}
    for token in tokens:
        if token.type in (tokenize.ENDMARKER, tokenize.DEDENT):
            continue
        low, high = min(low, token.start[0]), max(high, token.end[0])
        if token.type in (tokenize.NL, tokenize.NEWLINE):
            joined = "".join(lines[low - 1:high])
            mapping.update(dict.fromkeys(range(low, high + 1), joined))
            low, high = len(lines) + 2, -1
    return mapping


def is_inline_ignored(finding: Finding, line: str) -> bool:
    """flake8's rule: a bare ``# noqa`` covers everything, ``# noqa: AW1`` covers AW1xx."""
    match = defaults.NOQA_INLINE_REGEXP.search(line)
    if match is None:
        return False
    codes_text = match.group("codes")
    if codes_text is None:
        return True
    codes = tuple(utils.parse_comma_separated_list(codes_text))
    return finding.code in codes or finding.code.startswith(codes)


def reported(
    findings: Sequence[Finding], source: str, filename: str, code_filter: CodeFilter
) -> List[Finding]:
    """The findings flake8 would print for ``filename``: selected and not ``noqa``-ed."""
    selected = [f for f in findings if code_filter.selects(f.code, filename)]
    if not selected:
        return []
    lines = split_lines(source)
    if file_is_noqa(lines):
        return []
    mapping = noqa_lines(source, lines)
    return [f for f in selected if not is_inline_ignored(f, mapping.get(f.line, ""))]
