"""Small libcst helpers shared by the rewrites: arguments, literals and statement shapes."""

from __future__ import annotations

import ast
from typing import List, Optional, Sequence, Tuple

import libcst as cst

from .model import Unfixable


def comma() -> cst.Comma:
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def keywordize(args: Sequence[cst.Arg], params: Sequence[str], keep: int) -> List[cst.Arg]:
    """Name the positional arguments past the first ``keep`` after ``params`` (commas kept)."""
    out: List[cst.Arg] = []
    for index, arg in enumerate(args):
        if arg.star == "*":
            raise Unfixable("the call unpacks *args")
        if arg.keyword is None and not arg.star and index >= keep:
            if index >= len(params):
                raise Unfixable("too many positional arguments")
            arg = arg.with_changes(
                keyword=cst.Name(params[index]),
                equal=cst.AssignEqual(
                    whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
                ),
            )
        out.append(arg)
    return out


def literal_string(node: cst.BaseExpression) -> Optional[str]:
    if isinstance(node, cst.SimpleString):
        value = ast.literal_eval(node.value)
        return value if isinstance(value, str) else None
    return None


def keyword(args: Sequence[cst.Arg], name: str) -> Optional[cst.Arg]:
    return next((a for a in args if a.keyword is not None and a.keyword.value == name), None)


def fp_arg(dump: cst.Call) -> Optional[cst.Arg]:
    """The file argument of a ``json.dump`` call (second positional, or ``fp=``)."""
    positional = [a for a in dump.args if a.keyword is None and not a.star]
    if len(positional) >= 2:
        return positional[1]
    return keyword(dump.args, "fp")


def replace_fp(args: Sequence[cst.Arg], fp: cst.Arg, path: cst.BaseExpression) -> List[cst.Arg]:
    name = cst.Name("path") if fp.keyword is not None else None
    return [a.with_changes(value=path, keyword=name) if a is fp else a for a in args]


def only_statement(body: cst.BaseSuite) -> Optional[Tuple[cst.Expr, cst.TrailingWhitespace]]:
    """The single expression statement of a block, with its trailing whitespace (and comment)."""
    if isinstance(body, cst.SimpleStatementSuite):
        if len(body.body) == 1 and isinstance(body.body[0], cst.Expr):
            return body.body[0], body.trailing_whitespace
        return None
    if isinstance(body, cst.IndentedBlock) and len(body.body) == 1:
        if any(empty.comment is not None for empty in body.footer):
            return None
        line = body.body[0]
        if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1 and not line.leading_lines:
            expr = line.body[0]
            if isinstance(expr, cst.Expr):
                return expr, line.trailing_whitespace
    return None


def has_header_comment(with_node: cst.With) -> bool:
    header = getattr(with_node.body, "header", None)
    return isinstance(header, cst.TrailingWhitespace) and header.comment is not None
