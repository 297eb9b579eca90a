"""The file being fixed: its text, its lines (split as Python's tokenizer does) and its
top-level statements as line spans, and the splice that puts rewritten lines back."""

from __future__ import annotations

import ast
import bisect
from dataclasses import dataclass
from typing import List, Optional, Protocol, Sequence, Tuple

from ..lines import split_lines


class Lines(Protocol):
    """Anything that names a range of whole lines (a span, a piece)."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


@dataclass(frozen=True)
class Span:
    """Lines ``start``..``end`` (1-based, inclusive) holding whole top-level statements."""

    start: int
    end: int
    statements: Tuple[ast.stmt, ...]

    @property
    def only_imports(self) -> bool:
        return all(isinstance(s, (ast.Import, ast.ImportFrom)) for s in self.statements)


class FileView:
    """A source text, its lines and its top-level spans."""

    def __init__(self, source: str, tree: ast.Module) -> None:
        self.source = source
        self.tree = tree
        self.lines = split_lines(source)
        self.spans = _spans(tree)
        self._starts = [s.start for s in self.spans]
        self.import_spans = [s for s in self.spans if s.only_imports]  # the ones the fixer edits

    @property
    def newline(self) -> str:
        first = self.lines[0] if self.lines else "\n"
        return "\r\n" if first.endswith("\r\n") else "\r" if first.endswith("\r") else "\n"

    def span_at(self, line: int) -> Optional[Span]:
        index = bisect.bisect_right(self._starts, line) - 1
        if index >= 0 and self.spans[index].start <= line <= self.spans[index].end:
            return self.spans[index]
        return None

    def text(self, span: Lines) -> str:
        """The text of lines ``span.start``..``span.end``."""
        first = span.start - 1
        return "".join(self.lines[first:span.end])

    def splice(self, replacements: Sequence[Tuple[int, int, str]]) -> str:
        """The source with lines ``start``..``end`` replaced by text (``end < start``: insert
        before ``start``); the replacements do not overlap."""
        out: List[str] = []
        done = 0  # lines before this index are in ``out`` or replaced
        for start, end, text in sorted(replacements):
            out.extend(self.lines[done:start - 1])
            out.append(text)
            done = max(done, end)
        out.extend(self.lines[done:])
        return "".join(out)


def _spans(tree: ast.Module) -> List[Span]:
    """Top-level statements as line spans (decorators included), merged where they share a line."""
    spans: List[Span] = []
    for statement in tree.body:
        decorators = getattr(statement, "decorator_list", [])
        start = min([statement.lineno, *(d.lineno for d in decorators)])
        end = statement.end_lineno or statement.lineno
        if spans and start <= spans[-1].end:
            last = spans.pop()
            spans.append(Span(last.start, max(end, last.end), (*last.statements, statement)))
        else:
            spans.append(Span(start, end, (statement,)))
    return spans
