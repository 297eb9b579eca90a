"""Physical lines as flake8 and Python's tokenizer see them.

Only ``\\n``, ``\\r\\n`` and ``\\r`` end a line. ``str.splitlines()`` also splits at a form
feed, ``\\x0b``, ``\\x1c``-``\\x1e``, ``\\x85``, ``\\u2028`` and ``\\u2029``, all of which Python
code may hold in comments, strings or indentation: every line after one would be shifted.
"""

from __future__ import annotations

import io
from typing import List


def split_lines(text: str) -> List[str]:
    """``text``'s lines, each with its line break (the last one may have none)."""
    return io.StringIO(text, newline="").readlines()


def universal_lines(text: str) -> List[str]:
    """The same lines with each break translated to ``\\n``: what flake8 reads from a file
    (and tokenizes to find ``noqa`` comments)."""
    return io.StringIO(text, newline=None).readlines()
