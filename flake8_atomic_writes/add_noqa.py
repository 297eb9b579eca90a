"""``check --add-noqa``: silence today's findings where they are, as ``ruff --add-noqa`` does.

Each finding's code is appended to a ``# noqa: ...`` comment on the line flake8 reads it
from (the reporting line, or the last line of a string that spans it); a line that already
has ``# noqa: CODES`` gets the code added to them. The file is rewritten atomically, with its
encoding and line endings.
"""

from __future__ import annotations

import io
import tokenize
from typing import Dict, List, Set

from flake8 import defaults, utils

from .atomic import atomic_write_text


def add_noqa(text: str, codes_by_line: Dict[int, Set[str]]) -> str:
    """``text`` with each line's codes added to its ``noqa`` comment (``codes_by_line``: 1-based)."""
    lines = text.splitlines(keepends=True)
    wanted: Dict[int, Set[str]] = {}
    for number, codes in codes_by_line.items():
        wanted.setdefault(_comment_line(text, number), set()).update(codes)
    for number, codes in wanted.items():
        if 0 < number <= len(lines):
            lines[number - 1] = _with_codes(lines[number - 1], codes)
    return "".join(lines)


def _comment_line(text: str, number: int) -> int:
    """The line a comment for a finding on ``number`` goes on: after any string spanning it."""
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.start[0] <= number < token.end[0] and token.type == tokenize.STRING:
                return token.end[0]
            if token.start[0] > number:
                break
    except (tokenize.TokenError, SyntaxError):
        pass
    return number


def _with_codes(line: str, codes: Set[str]) -> str:
    body = line.rstrip("\r\n")
    ending = line[len(body):]
    match = defaults.NOQA_INLINE_REGEXP.search(body)
    if match is not None and match.group("codes") is None:
        return line  # a bare noqa already covers everything
    if match is not None:
        existing: List[str] = utils.parse_comma_separated_list(match.group("codes").strip())
        merged = existing + sorted(c for c in codes if c not in existing)
        start, end = match.span("codes")
        return f"{body[:start]}{', '.join(merged)}{body[end:]}{ending}"
    return f"{body.rstrip()}  # noqa: {', '.join(sorted(codes))}{ending}"


def write(path: str, text: str, encoding: str, codes_by_line: Dict[int, Set[str]]) -> bool:
    """Add the comments to the file at ``path`` (decoded as ``text``); True when it changed."""
    new = add_noqa(text, codes_by_line)
    if new == text:
        return False
    atomic_write_text(path, new, encoding=encoding, newline="")
    return True
