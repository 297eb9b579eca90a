"""Unified diffs of two files' bytes that ``git apply`` takes, in time linear in the file.

``difflib`` compares whole files in time that grows with the number of changes times the
file's length. A fix changes a file in many small places among lines that are unique (a
``def`` line names its function), so the two files are first aligned on the lines that occur
once in each (the longest increasing run of them, as git's patience diff does), and
``difflib`` only compares what lies between two such anchors. Lines are split at ``\\n`` only,
as git splits them.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter
from typing import Iterator, List, Sequence, Tuple

CONTEXT = 3
SMALL = 64  # ranges this long (or shorter) on both sides go to difflib directly
_LINE = re.compile(rb"[^\n]*\n|[^\n]+")
_NO_NEWLINE = b"\n\\ No newline at end of file\n"
Block = Tuple[int, int, int]  # (start in a, start in b, length) of equal lines
Opcode = Tuple[str, int, int, int, int]


def unified_diff(old: bytes, new: bytes, name: bytes) -> bytes:
    """The diff from ``old`` to ``new`` with ``a/name`` and ``b/name`` headers; empty when equal."""
    a, b = _LINE.findall(old), _LINE.findall(new)
    groups = list(_grouped(_opcodes(a, b, _blocks(a, b, 0, len(a), 0, len(b)))))
    if not groups:
        return b""
    out = [b"--- a/" + name + b"\n", b"+++ b/" + name + b"\n"]
    for group in groups:
        first, last = group[0], group[-1]
        out.append(b"@@ -%s +%s @@\n" % (_range(first[1], last[2]), _range(first[3], last[4])))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [_terminated(b" " + line) for line in a[i1:i2]]
                continue
            out += [_terminated(b"-" + line) for line in a[i1:i2]]
            out += [_terminated(b"+" + line) for line in b[j1:j2]]
    return b"".join(out)


def _blocks(a: Sequence[bytes], b: Sequence[bytes], alo: int, ahi: int, blo: int, bhi: int) -> List[Block]:
    """The equal blocks of ``a[alo:ahi]`` and ``b[blo:bhi]``, in order."""
    head: List[Block] = []
    while alo < ahi and blo < bhi and a[alo] == b[blo]:
        head.append((alo, blo, 1))
        alo, blo = alo + 1, blo + 1
    tail: List[Block] = []
    while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
        ahi, bhi = ahi - 1, bhi - 1
        tail.append((ahi, bhi, 1))
    middle: List[Block] = []
    if alo < ahi and blo < bhi:
        anchors = _anchors(a, b, alo, ahi, blo, bhi) if ahi - alo > SMALL or bhi - blo > SMALL else []
        if anchors:
            i, j = alo, blo
            for ai, bj in anchors:
                middle += _blocks(a, b, i, ai, j, bj)
                middle.append((ai, bj, 1))
                i, j = ai + 1, bj + 1
            middle += _blocks(a, b, i, ahi, j, bhi)
        else:
            matcher = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
            middle = [(alo + i, blo + j, n) for i, j, n in matcher.get_matching_blocks() if n]
    return head + middle + tail[::-1]


def _anchors(a: Sequence[bytes], b: Sequence[bytes], alo: int, ahi: int, blo: int, bhi: int) -> List[Tuple[int, int]]:
    """Lines that occur once in each range, in the longest run whose order both agree on."""
    in_a, in_b = Counter(a[alo:ahi]), Counter(b[blo:bhi])
    where_b = {line: j for j, line in enumerate(b[blo:bhi], blo) if in_b[line] == 1 and in_a[line] == 1}
    pairs = [(i, where_b[line]) for i, line in enumerate(a[alo:ahi], alo) if line in where_b]
    # The longest increasing subsequence of the b positions (patience sorting).
    tops: List[int] = []
    top_index: List[int] = []
    previous: List[int] = []
    for index, (_, j) in enumerate(pairs):
        pile = bisect.bisect_left(tops, j)
        previous.append(top_index[pile - 1] if pile else -1)
        if pile == len(tops):
            tops.append(j)
            top_index.append(index)
        else:
            tops[pile], top_index[pile] = j, index
    run: List[Tuple[int, int]] = []
    index = top_index[-1] if top_index else -1
    while index >= 0:
        run.append(pairs[index])
        index = previous[index]
    return run[::-1]


def _opcodes(a: Sequence[bytes], b: Sequence[bytes], blocks: List[Block]) -> List[Opcode]:
    """``difflib``'s opcodes for these equal blocks."""
    codes: List[Opcode] = []
    i = j = 0
    for ai, bj, size in [*blocks, (len(a), len(b), 0)]:
        tag = "replace" if i < ai and j < bj else "delete" if i < ai else "insert" if j < bj else ""
        if tag:
            codes.append((tag, i, ai, j, bj))
        i, j = ai + size, bj + size
        if size:
            if codes and codes[-1][0] == "equal":
                _, i1, _, j1, _ = codes.pop()
                codes.append(("equal", i1, i, j1, j))
            else:
                codes.append(("equal", ai, i, bj, j))
    return codes


def _grouped(codes: List[Opcode], n: int = CONTEXT) -> Iterator[List[Opcode]]:
    """The changes with ``n`` lines of context, as ``difflib.SequenceMatcher.get_grouped_opcodes``."""
    if not codes or all(code[0] == "equal" for code in codes):
        return
    if codes[0][0] == "equal":
        tag, i1, i2, j1, j2 = codes[0]
        codes[0] = tag, max(i1, i2 - n), i2, max(j1, j2 - n), j2
    if codes[-1][0] == "equal":
        tag, i1, i2, j1, j2 = codes[-1]
        codes[-1] = tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n)
    group: List[Opcode] = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > 2 * n:
            group.append((tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n)))
            yield group
            group = []
            i1, j1 = max(i1, i2 - n), max(j1, j2 - n)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        yield group


def _range(start: int, stop: int) -> bytes:
    """A hunk's line range as unified diffs write it (``difflib._format_range_unified``)."""
    beginning, length = start + 1, stop - start
    if length == 1:
        return b"%d" % beginning
    if not length:
        beginning -= 1  # an empty range begins at the line before it
    return b"%d,%d" % (beginning, length)


def _terminated(line: bytes) -> bytes:
    return line if line.endswith(b"\n") else line + _NO_NEWLINE
