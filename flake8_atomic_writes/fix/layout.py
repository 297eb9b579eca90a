"""Line length: a rewritten call that no longer fits is wrapped as black and ruff format wrap it.

The limit is flake8's ``max-line-length`` (79 unless configured), so a fix never adds E501.
Only lines the rewrite produced are touched, and only a call of one of the helpers it put
there that sits on one line: first its arguments on one indented line of their own, and
when they do not fit either, one argument per line with a trailing comma.
"""

from __future__ import annotations

from typing import AbstractSet, List, Optional, Tuple

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from ..lines import split_lines

DEFAULT_LINE_LENGTH = 79  # flake8's (pycodestyle's) default max-line-length
INDENT = "    "


def wrap_long_calls(before: str, after: str, helpers: AbstractSet[str], limit: int) -> str:
    """``after`` (the rewrite of the statements ``before``) with each new line over ``limit``
    that holds a one-line call of ``helpers`` wrapped; anything else is left as it is."""
    old = {line.rstrip("\r\n") for line in split_lines(before)}
    lines = split_lines(after)
    if all(_width(line) <= limit or line.rstrip("\r\n") in old for line in lines):
        return after
    try:
        wrapper = MetadataWrapper(cst.parse_module(after))
    except cst.ParserSyntaxError:
        return after
    for number, start, end, call in reversed(_long_calls(wrapper, lines, old, helpers, limit)):
        line = lines[number]
        body = line.rstrip("\r\n")
        newline = line[len(body):] or "\n"
        wrapped = _wrap(body[:start], call, body[end:], wrapper.module, limit, newline)
        lines[number] = wrapped if line.endswith(newline) else wrapped[: -len(newline)]
    return "".join(lines)


def _width(line: str) -> int:
    return len(line.rstrip("\r\n"))


def _long_calls(
    wrapper: MetadataWrapper, lines: List[str], old: AbstractSet[str], helpers: AbstractSet[str], limit: int
) -> List[Tuple[int, int, int, cst.Call]]:
    """(0-based line, start column, end column, call): the outermost helper call of each long new line."""
    positions = wrapper.resolve(PositionProvider)
    found: List[Tuple[int, int, int, cst.Call]] = []
    taken = set()
    for node, where in positions.items():
        if not (isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value in helpers):
            continue
        number = where.start.line - 1
        if where.end.line != where.start.line or number in taken or number >= len(lines):
            continue
        line = lines[number]
        if _width(line) <= limit or line.rstrip("\r\n") in old:
            continue
        taken.add(number)
        found.append((number, where.start.column, where.end.column, node))
    return sorted(found, key=lambda item: item[0])


def _wrap(prefix: str, call: cst.Call, suffix: str, module: cst.Module, limit: int, newline: str) -> str:
    """The call split over lines: its arguments hugged on one line if they fit, else one per line."""
    indent = prefix[: len(prefix) - len(prefix.lstrip())]
    head = f"{prefix}{module.code_for_node(call.func)}("
    tail = f"{indent}){suffix}{newline}"
    arguments = [_argument(arg, module) for arg in call.args]
    hugged = _hugged(arguments, indent, limit)
    if hugged is not None:
        return f"{head}{newline}{hugged}{newline}{tail}"
    exploded = "".join(f"{indent}{INDENT}{text},{newline}" for text in arguments)
    return f"{head}{newline}{exploded}{tail}"


def _hugged(arguments: List[str], indent: str, limit: int) -> Optional[str]:
    line = f"{indent}{INDENT}{', '.join(arguments)}"
    return line if len(line) <= limit else None


def _argument(arg: cst.Arg, module: cst.Module) -> str:
    """One argument as written, without its comma and surrounding whitespace."""
    keyword = f"{arg.keyword.value}=" if arg.keyword is not None else ""
    return f"{arg.star}{keyword}{module.code_for_node(arg.value)}"
