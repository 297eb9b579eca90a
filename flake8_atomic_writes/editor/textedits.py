"""Text in LSP terms: lines, UTF-16 positions, and the line edits that turn one text into another.

LSP counts lines at ``\\n``, ``\\r\\n`` and ``\\r`` (never at the other breaks ``str.splitlines``
knows), and characters in UTF-16 code units unless the client negotiated otherwise.
"""

from __future__ import annotations

import difflib
from typing import Dict, List

from ..lines import split_lines

Position = Dict[str, int]
TextEdit = Dict[str, object]


def utf16_length(text: str) -> int:
    """How many UTF-16 code units ``text`` has (a character beyond the BMP counts two)."""
    return len(text.encode("utf-16-le")) // 2


def utf16_column(line: str, column: int) -> int:
    """The UTF-16 column of the character column ``column`` of ``line``."""
    return utf16_length(line[:column])


def line_end(line: str) -> int:
    """The UTF-16 column of the end of ``line``, before its line break."""
    return utf16_length(line.rstrip("\r\n"))


def text_edits(old: str, new: str) -> List[TextEdit]:
    """Edits (in ``old``'s positions, as LSP wants them) that turn ``old`` into ``new``:
    one per run of changed lines, so the rest of the buffer is left alone."""
    before, after = split_lines(old), split_lines(new)
    matcher = difflib.SequenceMatcher(None, before, after)
    return [
        {
            "range": {"start": _start_of(before, i1), "end": _start_of(before, i2)},
            "newText": "".join(after[j1:j2]),
        }
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def _start_of(lines: List[str], index: int) -> Position:
    """Where line ``index`` starts; ``len(lines)`` is the end of the text."""
    if index < len(lines):
        return {"line": index, "character": 0}
    if not lines or lines[-1].endswith(("\n", "\r")):
        return {"line": len(lines), "character": 0}
    return {"line": len(lines) - 1, "character": utf16_length(lines[-1])}
