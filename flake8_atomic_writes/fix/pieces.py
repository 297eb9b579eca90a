"""The pieces of a file that libcst parses: for each finding, the smallest statement around its
call that has its lines to itself, parsed all together.

libcst costs far more per line than the whole check, so it sees only those statements:
the file's ``ast`` tree finds each finding's call and the statement around it, the pieces go
into small modules (an indented piece under an ``if 1:`` of its own, each followed by a marker
statement; libcst's parser slows down more than linearly on large modules), and each
finding's call is found in its piece by its rank among the piece's calls in source order,
checked against its text, walking the piece only as far as that call. A file's cost is
linear in the number of findings and in its size; a piece libcst cannot parse is reported
alone.
"""

from __future__ import annotations

import ast
import bisect
import re
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Set, Tuple, TypeVar, Union, cast

import libcst as cst

from ..rules import Finding
from .names import ScopeNode, enclosing_scopes
from .view import FileView

_N = TypeVar("_N", bound=cst.CSTNode)
Finish = Callable[[str, str], str]
MARKER = "__atomic_writes_piece_end__"
BATCH_LINES = 50  # pieces parsed together, up to about this many lines
_INDENT = re.compile(r"[ \t\f]*")
TOO_DEEP = "too deeply nested"  # libcst's recursion limit on code CPython compiles
CANNOT_PARSE = "libcst cannot parse this statement"
NOT_FOUND = "no statement at the reported position"


@dataclass(frozen=True)
class Piece:
    """Lines ``start``..``end`` holding whole statements at one indentation."""

    start: int
    end: int
    indent: str  # the first line's indentation; "" at the top level
    statements: Tuple[ast.stmt, ...] = field(compare=False, hash=False)


@dataclass
class Located:
    """A finding's calls in the ``ast`` tree (outermost first), their scopes and their piece."""

    finding: Finding
    calls: List[ast.Call]
    scopes: List[ScopeNode]
    piece: Piece


@dataclass
class Parsed:
    """A piece as libcst parsed it: its nodes, their parents, its calls in source order."""

    piece: Piece
    module: cst.Module  # the module all pieces were parsed in (its code_for_node renders)
    roots: List[cst.CSTNode]  # what renders the piece: its statements, or its ``if 1:`` wrapper
    text: str  # what was parsed for it: the wrapper's first line, the piece's lines
    prefix: str  # the wrapper's first line, dropped from the rendered text
    added_newline: bool  # the file's last line has no newline; the piece got one to parse
    parents: Dict[cst.CSTNode, cst.CSTNode] = field(default_factory=dict)  # of the nodes walked so far
    calls: List[cst.Call] = field(default_factory=list)  # walked so far, in source order
    _pending: List[cst.CSTNode] = field(default_factory=list)  # not walked yet, next last
    _ranks: Optional[Dict[int, int]] = None

    def __post_init__(self) -> None:
        self._pending = list(reversed(self.roots))  # the wrapper ``if 1:`` has no calls

    def render(self, replacements: Dict[int, cst.CSTNode], finish: Optional[Finish] = None) -> str:
        """The piece's text with the nodes whose ids are keys replaced; ``finish(old, new)`` may
        change the new text (parseable, with its wrapper) before the wrapper goes."""
        rewriter = _Rewriter(replacements, self._ancestors(replacements))
        text = "".join(self.module.code_for_node(_visited(root, rewriter)) for root in self.roots)
        if finish is not None:
            text = finish(self.text, text)
        assert text.startswith(self.prefix)
        text = text[len(self.prefix):]
        return text.rstrip("\r\n") if self.added_newline else text

    def rank(self, call: ast.Call) -> Optional[int]:
        """The rank of an ast call of the piece among its calls in source order."""
        if self._ranks is None:
            calls = [n for s in self.piece.statements for n in ast.walk(s) if isinstance(n, ast.Call)]
            calls.sort(key=lambda c: (c.lineno, c.col_offset, -(c.end_lineno or 0), -(c.end_col_offset or 0)))
            self._ranks = {id(c): index for index, c in enumerate(calls)}
        return self._ranks.get(id(call))

    def call(self, rank: int) -> Optional[cst.Call]:
        """The libcst call of that rank, walking the piece in source order up to it."""
        while len(self.calls) <= rank and self._pending:
            node = self._pending.pop()
            if isinstance(node, cst.Call):
                self.calls.append(node)
            children = node.children
            for child in children:
                self.parents[child] = node
            self._pending.extend(reversed(children))
        return self.calls[rank] if rank < len(self.calls) else None

    def _ancestors(self, replacements: Dict[int, cst.CSTNode]) -> Set[int]:
        found: Set[int] = set()
        for node, parent in self.parents.items():
            if id(node) in replacements:
                above: Optional[cst.CSTNode] = parent
                while above is not None and id(above) not in found:
                    found.add(id(above))
                    above = self.parents.get(above)
        return found


# -- finding the statements -------------------------------------------------------------


def locate(view: FileView, findings: Sequence[Finding]) -> Tuple[List[Located], List[Tuple[Finding, str]]]:
    """Each finding's calls and piece; the findings with no call at their position, with why."""
    wanted: Dict[Tuple[int, int], List[Finding]] = {}
    for finding in findings:
        line = view.lines[finding.line - 1] if 0 < finding.line <= len(view.lines) else ""
        wanted.setdefault((finding.line, len(line[:finding.col].encode("utf-8"))), []).append(finding)
    found = _calls_at(view.tree, wanted)
    located: List[Located] = []
    missing: List[Tuple[Finding, str]] = []
    for position, group in wanted.items():
        hits = found.get(position)
        if not hits:
            missing += [(f, NOT_FOUND) for f in group]
            continue
        path = hits[0][1]
        piece = _piece(view, [n for n in path if isinstance(n, ast.stmt)])
        calls = [call for call, _ in sorted(hits, key=lambda hit: len(hit[1]))]
        located += [Located(f, calls, enclosing_scopes(path), piece) for f in group]
    return _merged(located), missing


Hits = Dict[Tuple[int, int], List[Tuple[ast.Call, List[ast.AST]]]]


def _calls_at(tree: ast.Module, wanted: Dict[Tuple[int, int], List[Finding]]) -> Hits:
    """The calls that start at the wanted (line, byte column) positions, each with its ancestors
    (itself last); only the subtrees whose lines hold a wanted position are walked."""
    lines = sorted({line for line, _ in wanted})
    found: Hits = {}
    path: List[ast.AST] = []
    stack: List[Tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        first, last = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
        if first is not None and last is not None:
            index = bisect.bisect_left(lines, first)
            if index == len(lines) or lines[index] > last:
                continue
        del path[depth:]
        path.append(node)
        if isinstance(node, ast.Call) and (node.lineno, node.col_offset) in wanted:
            found.setdefault((node.lineno, node.col_offset), []).append((node, list(path)))
        stack.extend((child, depth + 1) for child in reversed(list(ast.iter_child_nodes(node))))
    return found


def _piece(view: FileView, statements: List[ast.stmt]) -> Piece:
    """The innermost statement that has its lines to itself (else its top-level span)."""
    for statement in reversed(statements):
        start = min([statement.lineno, *(d.lineno for d in getattr(statement, "decorator_list", []))])
        end = statement.end_lineno or statement.lineno
        first, last = view.lines[start - 1], view.lines[end - 1]
        indent = _INDENT.match(first)
        assert indent is not None
        alone_at_start = len(indent.group().encode("utf-8")) == statement.col_offset
        rest = last.encode("utf-8")[statement.end_col_offset or 0:].strip()
        if alone_at_start and (not rest or rest.startswith(b"#")):
            return Piece(start, end, indent.group() if statement.col_offset else "", (statement,))
    span = view.span_at(statements[0].lineno)
    assert span is not None
    return Piece(span.start, span.end, "", span.statements)


def _merged(located: List[Located]) -> List[Located]:
    """A piece inside another piece is parsed as part of it."""
    outer: List[Piece] = []
    for piece in sorted({item.piece for item in located}, key=lambda p: (p.start, -p.end)):
        if not outer or piece.start > outer[-1].end:
            outer.append(piece)
        elif piece.end > outer[-1].end:  # statements nest or are apart: never, but parse both as one
            last = outer.pop()
            outer.append(Piece(last.start, piece.end, last.indent, last.statements + piece.statements))
    starts = [p.start for p in outer]
    for item in located:
        item.piece = outer[bisect.bisect_right(starts, item.piece.start) - 1]
    return located


# -- parsing them ----------------------------------------------------------------------


def parse(view: FileView, pieces: Sequence[Piece]) -> Dict[Piece, Union[Parsed, str]]:
    """Each piece parsed (with its neighbours when they parse together), or why not."""
    parsed: Dict[Piece, Union[Parsed, str]] = {}
    for batch in _batches(pieces):
        try:
            parsed.update(zip(batch, _parse_together(view, batch)))
            continue
        except (cst.ParserSyntaxError, RecursionError, ValueError):
            pass
        for piece in batch:
            try:
                parsed[piece] = _parse_together(view, [piece])[0]
            except cst.ParserSyntaxError as exc:
                parsed[piece] = f"{CANNOT_PARSE}: {exc}"
            except RecursionError:
                parsed[piece] = TOO_DEEP
            except ValueError:
                parsed[piece] = CANNOT_PARSE
    return parsed


def _batches(pieces: Sequence[Piece]) -> List[List[Piece]]:
    batches: List[List[Piece]] = [[]]
    lines = 0
    for piece in pieces:
        if lines >= BATCH_LINES:
            batches.append([])
            lines = 0
        batches[-1].append(piece)
        lines += piece.end - piece.start + 1
    return [batch for batch in batches if batch]


def _parse_together(view: FileView, pieces: Sequence[Piece]) -> List[Parsed]:
    """Parse ``pieces`` in one module; raises ``ValueError`` when it does not split back."""
    chunks: List[str] = []
    prefixes: List[str] = []
    added: List[bool] = []
    for piece in pieces:
        text = view.text(piece)
        nl = _line_end(view.lines[piece.start - 1])
        prefixes.append("if 1:" + nl if piece.indent else "")
        added.append(not text.endswith(("\n", "\r")))
        chunks.append(prefixes[-1] + text + (nl if added[-1] else ""))
    module = cst.parse_module("".join(chunk + MARKER + _line_end(chunk) for chunk in chunks))
    groups: List[List[cst.CSTNode]] = [[]]
    for statement in module.body:
        if _is_marker(statement):
            groups.append([])
        else:
            groups[-1].append(statement)
    if len(groups) != len(pieces) + 1 or groups[-1]:
        raise ValueError("the pieces did not parse back one by one")
    parsed = []
    for piece, roots, chunk, prefix, extra in zip(pieces, groups, chunks, prefixes, added):
        if piece.indent:
            wrapper = roots[0] if len(roots) == 1 else None
            if not (isinstance(wrapper, cst.If) and isinstance(wrapper.body, cst.IndentedBlock)):
                raise ValueError("an indented piece did not parse back")
        parsed.append(Parsed(piece, module, roots, chunk, prefix, extra))
    return parsed


def _line_end(line: str) -> str:
    return "\r\n" if line.endswith("\r\n") else "\r" if line.endswith("\r") else "\n"


def _is_marker(statement: cst.CSTNode) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    expr = statement.body[0]
    return isinstance(expr, cst.Expr) and isinstance(expr.value, cst.Name) and expr.value.value == MARKER


# -- finding the calls -----------------------------------------------------------------


def match_calls(view: FileView, parsed: Parsed, wanted: List[ast.Call]) -> Optional[List[cst.Call]]:
    """The libcst calls of ``wanted`` (ast calls in ``parsed``'s piece), by their rank among the
    piece's calls in source order; None when the ranks or the texts (whitespace aside: libcst
    renders a node without its block's indentation) do not agree."""
    matched = []
    for call in wanted:
        index = parsed.rank(call)
        node = parsed.call(index) if index is not None else None
        if node is None:
            return None
        code = _squeezed(parsed.module.code_for_node(node))
        parens = len(node.lpar)  # the ast's call leaves its parentheses out
        if (code[parens:-parens] if parens else code) != _squeezed(_segment(view, call)):
            return None
        matched.append(node)
    return matched


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _segment(view: FileView, node: ast.expr) -> str:
    """The source text of ``node`` (ast columns are UTF-8 byte offsets)."""
    first, last = node.lineno, node.end_lineno or node.lineno
    data = [view.lines[i].encode("utf-8") for i in range(first - 1, last)]
    data[-1] = data[-1][: node.end_col_offset]
    data[0] = data[0][node.col_offset:]
    return b"".join(data).decode("utf-8")


class _Rewriter(cst.CSTTransformer):
    """Swap planned nodes (by identity) for their replacements, visiting only their ancestors."""

    def __init__(self, replacements: Dict[int, cst.CSTNode], ancestors: Set[int]) -> None:
        super().__init__()
        self.replacements = replacements
        self.ancestors = ancestors

    def on_visit(self, node: cst.CSTNode) -> bool:
        return id(node) in self.ancestors

    def on_leave(self, original_node: _N, updated_node: _N) -> Union[_N, cst.RemovalSentinel, cst.FlattenSentinel[_N]]:
        return cast(_N, self.replacements.get(id(original_node), updated_node))


def _visited(root: cst.CSTNode, rewriter: _Rewriter) -> cst.CSTNode:
    node = root.visit(rewriter)
    assert isinstance(node, cst.CSTNode)  # the rewrites replace nodes, never remove them
    return node
