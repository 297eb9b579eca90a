"""Import edits after a rewrite: drop the imports it left unused, add the helpers' imports.

Removal uses libcst's ``RemoveImportsVisitor`` on the import statement alone, after the
file's tree has shown that the name is used nowhere else (its text is searched first, so
the tree is walked only when the name is mentioned). A new import goes where isort's
and ruff's default profile put it: into its section (future, stdlib, third-party,
first-party, local), straight imports before ``from`` imports, sorted by module; an existing
``from module import ...`` is extended instead, its names kept sorted.
"""

from __future__ import annotations

import ast
from typing import Dict, FrozenSet, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

import libcst as cst
from libcst.helpers import get_full_name_for_node

from ..lines import split_lines
from .pieces import Piece
from .sections import helper_section, name_key, section, statement_key
from .site import mentions
from .view import FileView, Span

Replacement = Tuple[int, int, str]
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def import_replacements(
    view: FileView, changed: Dict[Piece, str], needed: Sequence[Tuple[str, str]], line_length: int
) -> List[Replacement]:
    """Line replacements for the import statements (and at most one inserted statement); an
    import that does not fit in ``line_length`` is wrapped in parentheses."""
    removals = _left_unused(view, changed)
    merges: Dict[Span, List[Tuple[str, str]]] = {}
    missing: Dict[str, List[str]] = {}
    for module, name in needed:
        if _imported(view, module, name):
            continue
        target = _from_import_span(view, module)
        if target is not None:
            merges.setdefault(target, []).append((module, name))
        else:
            missing.setdefault(module, []).append(name)
    out: List[Replacement] = []
    emptied: Set[Span] = set()
    for span in set(removals) | set(merges):
        text = _edit_span(view.text(span), removals.get(span, []), merges.get(span, []), line_length)
        out.append((span.start, span.end, text))
        if not text:
            emptied.add(span)
    for module, names in sorted(missing.items()):
        out.append(_insertion(view, module, names, emptied, line_length))
    return out


# -- removal -----------------------------------------------------------------------------

Binding = Tuple[str, Optional[str], Optional[str]]  # (module, obj, asname) for RemoveImportsVisitor


def _left_unused(view: FileView, changed: Dict[Piece, str]) -> Dict[Span, List[Binding]]:
    """Imports whose names the rewritten statements used and nothing in the file uses any more."""
    gone: Set[str] = {n.id for p in changed for s in p.statements for n in ast.walk(s) if isinstance(n, ast.Name)}
    if not gone:
        return {}
    rest = _text_without(view, [(p.start, p.end) for p in changed] + [(s.start, s.end) for s in view.import_spans])
    new_trees = [_parse(("if 1:\n" if piece.indent else "") + text) for piece, text in changed.items()]
    found: Dict[Span, List[Binding]] = {}
    for span in view.import_spans:
        for statement in span.statements:
            for bound, binding in _bindings(statement):
                if bound not in gone or any(tree is None or _uses(tree, bound) for tree in new_trees):
                    continue
                if not _used(view, changed, rest, bound):
                    found.setdefault(span, []).append(binding)
    return found


def _parse(text: str) -> Optional[ast.Module]:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError):
        return None


def _used(view: FileView, changed: Dict[Piece, str], rest: str, name: str) -> bool:
    """``name`` is used outside the rewritten statements: as a name, in ``__all__`` or a string annotation.

    The text is searched first; only a mention is confirmed with the tree, where docstrings and
    comments do not count (any other string that mentions the name does, to be safe).
    """
    if not mentions(rest, name):
        return False
    module_docstring = _docstring_ids([view.tree])
    rewritten = frozenset(id(s) for piece in changed for s in piece.statements)
    for span in view.spans:
        if span.only_imports:
            continue
        if any(_uses(statement, name, module_docstring, rewritten) for statement in span.statements):
            return True
    return False


def _uses(tree: ast.AST, name: str, skip: FrozenSet[int] = frozenset(), pruned: FrozenSet[int] = frozenset()) -> bool:
    """``tree`` uses ``name``: as a name, or in a string that is not a docstring (or in ``skip``);
    the subtrees whose roots are in ``pruned`` (the rewritten statements) do not count."""
    nodes = list(_walk(tree, pruned))
    docstrings = skip | _docstring_ids(nodes)
    for node in nodes:
        if isinstance(node, ast.Name) and node.id == name:
            return True
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            if mentions(node.value, name):
                return True
    return False


def _walk(tree: ast.AST, pruned: FrozenSet[int]) -> Iterator[ast.AST]:
    stack = [tree]
    while stack:
        node = stack.pop()
        if id(node) not in pruned:
            yield node
            stack.extend(ast.iter_child_nodes(node))


def _docstring_ids(nodes: Iterable[ast.AST]) -> FrozenSet[int]:
    """The ids of the docstring constants of these modules, classes and functions."""
    found: Set[int] = set()
    for node in nodes:
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return frozenset(found)


def _bindings(statement: ast.stmt) -> List[Tuple[str, Binding]]:
    if isinstance(statement, ast.Import):
        return [(a.asname or a.name.split(".")[0], (a.name, None, a.asname)) for a in statement.names]
    assert isinstance(statement, ast.ImportFrom)
    if statement.level or statement.module in (None, "__future__"):
        return []
    module = statement.module or ""
    return [(a.asname or a.name, (module, a.name, a.asname)) for a in statement.names if a.name != "*"]


def _text_without(view: FileView, ranges: Sequence[Tuple[int, int]]) -> str:
    """The file's text without lines ``start``..``end`` of each range."""
    keep = [True] * len(view.lines)
    for start, end in ranges:
        first = start - 1
        keep[first:end] = [False] * (end - first)
    return "".join(line for line, kept in zip(view.lines, keep) if kept)


# -- additions -----------------------------------------------------------------------------


def _imported(view: FileView, module: str, name: str) -> bool:
    return any(
        isinstance(s, ast.ImportFrom) and s.level == 0 and s.module == module and any(
            a.name == name and a.asname is None for a in s.names
        )
        for span in view.import_spans
        for s in span.statements
    )


def _from_import_span(view: FileView, module: str) -> Optional[Span]:
    for span in view.import_spans:
        for s in span.statements:
            if isinstance(s, ast.ImportFrom) and s.level == 0 and s.module == module:
                if all(a.name != "*" for a in s.names) and len(span.statements) == 1:
                    return span
    return None


def _edit_span(text: str, removals: List[Binding], merges: List[Tuple[str, str]], line_length: int) -> str:
    """Add ``merges`` to the span's ``from`` import, then remove ``removals`` (libcst)."""
    module = cst.parse_module(text)
    if merges:
        module = module.visit(_AddNames(merges[0][0], [name for _, name in merges]))
    if removals:
        # libcst.codemod imports libcst.matchers, half a second: only when an import goes.
        from libcst.codemod import CodemodContext
        from libcst.codemod.visitors import RemoveImportsVisitor

        context = CodemodContext()
        for name, obj, asname in removals:
            RemoveImportsVisitor.remove_unused_import(context, name, obj, asname)
        module = RemoveImportsVisitor(context).transform_module(module)
    if not module.body:
        return ""
    return _wrapped(module.code, line_length) if merges else module.code


def render_from(module: str, names: Sequence[str], nl: str, line_length: int) -> str:
    """``from module import names`` on one line, or wrapped the way ruff (and isort's black profile) wraps it."""
    line = f"from {module} import {', '.join(names)}"
    if len(line) <= line_length:
        return line + nl
    return f"from {module} import ({nl}" + "".join(f"    {name},{nl}" for name in names) + f"){nl}"


def _wrapped(code: str, line_length: int) -> str:
    """A one-line ``from`` import that grew past the line length, wrapped; anything else as it is."""
    lines = split_lines(code)
    if len(lines) != 1 or len(lines[0].rstrip("\r\n")) <= line_length or "#" in code or "(" in code:
        return code
    statement = ast.parse(code).body[0]
    if not isinstance(statement, ast.ImportFrom) or statement.level:
        return code
    names = [a.name if a.asname is None else f"{a.name} as {a.asname}" for a in statement.names]
    nl = lines[0][len(lines[0].rstrip("\r\n")):] or "\n"
    return render_from(statement.module or "", names, nl, line_length)


class _AddNames(cst.CSTTransformer):
    """Insert names into ``from module import ...``, each at its sorted place, keeping the layout."""

    def __init__(self, module: str, names: List[str]) -> None:
        super().__init__()
        self.module = module
        self.names = names

    def leave_ImportFrom(self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom) -> cst.ImportFrom:
        if updated_node.module is None or get_full_name_for_node(updated_node.module) != self.module:
            return updated_node
        if isinstance(updated_node.names, cst.ImportStar):
            return updated_node
        aliases = list(updated_node.names)
        for name in self.names:
            aliases = _insert_alias(aliases, name)
        return updated_node.with_changes(names=aliases)


def _insert_alias(aliases: List[cst.ImportAlias], name: str) -> List[cst.ImportAlias]:
    keys = [name_key(get_full_name_for_node(a.name) or "") for a in aliases]
    index = next((i for i, k in enumerate(keys) if k > name_key(name)), len(aliases))
    default = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    separator = next((a.comma for a in aliases if isinstance(a.comma, cst.Comma)), default)
    new = cst.ImportAlias(name=cst.Name(name), comma=separator)
    if index == len(aliases):
        last = aliases[-1]
        new = new.with_changes(comma=last.comma)
        aliases = [*aliases[:-1], last.with_changes(comma=separator)]
    return [*aliases[:index], new, *aliases[index:]]


def _insertion(view: FileView, module: str, names: List[str], emptied: Set[Span], line_length: int) -> Replacement:
    """A new ``from module import names`` statement at the place isort would give it.

    Import statements the fix removes (``emptied``) are no anchors; when the fix removes them
    all, the new statement takes the place of the first.
    """
    nl = view.newline
    statement = render_from(module, sorted(names, key=name_key), nl, line_length)
    block = _first_block(view)
    if not block:
        return _insert_without_imports(view, statement)
    mine = helper_section(module)
    key = statement_key(True, module)
    entries = [(_section_of(s), _key_of(s), span) for span in block if span not in emptied for s in span.statements[:1]]
    if not entries:
        return (block[0].start, block[0].start - 1, statement)
    same = [e for e in entries if e[0] == mine]
    if same:
        after = next((e for e in same if e[1] > key), None)
        if after is not None:
            return (after[2].start, after[2].start - 1, statement)
        return (same[-1][2].end + 1, same[-1][2].end, statement)
    earlier = [e for e in entries if e[0] < mine]
    if earlier:
        return (earlier[-1][2].end + 1, earlier[-1][2].end, nl + statement)
    first = entries[0][2]
    return (first.start, first.start - 1, statement + nl)


def _section_of(statement: ast.stmt) -> int:
    if isinstance(statement, ast.ImportFrom):
        return section(statement.module or "", statement.level)
    assert isinstance(statement, ast.Import)
    return section(statement.names[0].name)


def _key_of(statement: ast.stmt) -> Tuple[bool, str]:
    if isinstance(statement, ast.ImportFrom):
        return statement_key(True, "." * statement.level + (statement.module or ""))
    assert isinstance(statement, ast.Import)
    return statement_key(False, statement.names[0].name)


def _first_block(view: FileView) -> List[Span]:
    """The first run of top-level import statements, separated only by blank lines and comments."""
    block: List[Span] = []
    for span in view.spans:
        if span.only_imports and (not block or _only_blank_or_comments(view, block[-1].end, span.start)):
            block.append(span)
        elif block:
            break
    return block


def _only_blank_or_comments(view: FileView, after: int, before: int) -> bool:
    between = view.lines[after:before - 1]
    return all(not line.strip() or line.lstrip().startswith("#") for line in between)


def _insert_without_imports(view: FileView, statement: str) -> Replacement:
    """After the docstring (or the leading comments), with the blank lines isort puts after imports."""
    nl = view.newline
    body = view.tree.body
    docstring = bool(body) and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
    line = view.spans[0].end + 1 if docstring else 1 + _leading_comment_lines(view)
    following = next((s for s in view.spans if s.start >= line), None)
    definition = following is not None and isinstance(following.statements[0], _DEFINITIONS)
    wanted = 2 if definition else 1
    blank = 0
    while line - 1 + blank < len(view.lines) and not view.lines[line - 1 + blank].strip():
        blank += 1
    before = nl if docstring else ""
    return (line, line - 1, before + statement + nl * max(0, wanted - blank) if following else before + statement)


def _leading_comment_lines(view: FileView) -> int:
    count = 0
    for line in view.lines:
        if not line.lstrip().startswith("#"):
            break
        count += 1
    return count
