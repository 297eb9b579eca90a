"""The file as top-level statement spans, and small libcst snippets cut from it.

libcst parses and resolves metadata only for the statements that hold findings (plus the
file's imports, for name resolution), so a large file with one finding costs a few lines of
libcst work; the rest of the file is seen through its ``ast`` tree and its text.
"""

from __future__ import annotations

import ast
import bisect
from dataclasses import dataclass
from typing import Dict, List, Mapping, Optional, Sequence, Set, Tuple, cast

import libcst as cst
from libcst.metadata import (
    CodeRange,
    QualifiedName,
    Scope,
    MetadataWrapper,
    ParentNodeProvider,
    PositionProvider,
    QualifiedNameProvider,
    ScopeProvider,
)

from ..lines import split_lines
from .site import Snippet, binds_otherwise, mentions


@dataclass(frozen=True)
class Span:
    """Lines ``start``..``end`` (1-based, inclusive) holding whole top-level statements."""

    start: int
    end: int
    statements: Tuple[ast.stmt, ...]

    @property
    def only_imports(self) -> bool:
        return all(isinstance(s, (ast.Import, ast.ImportFrom)) for s in self.statements)


@dataclass(frozen=True)
class Cut:
    """A snippet and where its statements came from."""

    snippet: Snippet
    span: Span
    statements: Tuple[int, ...]  # indexes of the span's statements in ``snippet.module.body``
    first_line: int  # the snippet line of the span's first line
    added_newline: bool  # the file's last line had no newline; the snippet adds one
    positions: Mapping[cst.CSTNode, CodeRange]

    def calls_at(self, line: int, col: int) -> List[cst.Call]:
        """The calls that start at a position of the file."""
        key = (line - self.span.start + self.first_line, col)
        return [
            node
            for node, where in self.positions.items()
            if isinstance(node, cst.Call) and (where.start.line, where.start.column) == key
        ]


class FileView:
    """A source text, its lines (split as Python's tokenizer does) and its top-level spans."""

    def __init__(self, source: str, tree: ast.Module) -> None:
        self.source = source
        self.tree = tree
        self.lines = split_lines(source)
        self.spans = _spans(tree)
        self._starts = [s.start for s in self.spans]
        self._outside: Dict[Tuple[int, int], str] = {}

    @property
    def newline(self) -> str:
        first = self.lines[0] if self.lines else "\n"
        return "\r\n" if first.endswith("\r\n") else "\r" if first.endswith("\r") else "\n"

    def span_at(self, line: int) -> Optional[Span]:
        index = bisect.bisect_right(self._starts, line) - 1
        if index >= 0 and self.spans[index].start <= line <= self.spans[index].end:
            return self.spans[index]
        return None

    def text(self, span: Span) -> str:
        first = span.start - 1
        return "".join(self.lines[first:span.end])

    @property
    def import_spans(self) -> List[Span]:
        """The spans of import statements only (the ones the fixer edits)."""
        return [s for s in self.spans if s.only_imports]

    @property
    def _importing_spans(self) -> List[Span]:
        """Every span with a top-level import (``import os; x = 1`` too): the snippets' prelude."""
        return [s for s in self.spans if any(isinstance(t, (ast.Import, ast.ImportFrom)) for t in s.statements)]

    def cut(self, span: Span) -> Cut:
        """Parse the imports and ``span`` as one libcst module; raises ``ParserSyntaxError``."""
        prelude = "".join(_terminated(self.text(s)) for s in self._importing_spans if s is not span)
        body = self.text(span)
        added = not body.endswith(("\n", "\r"))
        module = cst.parse_module(prelude + (body + self.newline if added else body))
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        data = wrapper.resolve_many([PositionProvider, ParentNodeProvider, ScopeProvider, QualifiedNameProvider])
        positions = cast(Mapping[cst.CSTNode, CodeRange], data[PositionProvider])
        first = prelude.count("\n") + prelude.count("\r") - prelude.count("\r\n") + 1
        indexes = tuple(i for i, s in enumerate(module.body) if positions[s].start.line >= first)
        snippet = Snippet(
            module=module,
            parents=cast(Mapping[cst.CSTNode, cst.CSTNode], data[ParentNodeProvider]),
            scopes=cast(Mapping[cst.CSTNode, Optional[Scope]], data[ScopeProvider]),
            names=cast(Mapping[cst.CSTNode, Set[QualifiedName]], data[QualifiedNameProvider]),
            mentioned_outside=lambda name: mentions(self.outside(span), name),
            bound_outside=lambda name, helper: binds_otherwise(self.tree, name, helper),
        )
        return Cut(snippet, span, indexes, first, added, positions)

    def outside(self, span: Span) -> str:
        """The file's text without ``span`` and the import spans (cached per span)."""
        key = (span.start, span.end)
        if key not in self._outside:
            keep = [True] * len(self.lines)
            for skipped in (span, *self.import_spans):
                first = skipped.start - 1
                keep[first:skipped.end] = [False] * (skipped.end - first)
            self._outside[key] = "".join(line for line, kept in zip(self.lines, keep) if kept)
        return self._outside[key]

    def splice(self, replacements: Sequence[Tuple[int, int, str]]) -> str:
        """The source with lines ``start``..``end`` replaced by text (``end < start``: insert)."""
        lines = list(self.lines)
        for start, end, text in sorted(replacements, reverse=True):
            first = start - 1
            lines[first:end] = [text]
        return "".join(lines)


def _terminated(text: str) -> str:
    return text if text.endswith(("\n", "\r")) else text + "\n"


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
