"""What the fixer plans and reports: edits, findings left alone, and the outcome for a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Tuple

import libcst as cst

from ..rules import Finding

SAFE, UNSAFE, NONE = "safe", "unsafe", "none"
_RANK = {NONE: 0, UNSAFE: 1, SAFE: 2}


class Unfixable(Exception):
    """Raised by a rewrite: the finding has no rewrite here, for the given reason."""


@dataclass(frozen=True)
class Edit:
    """A planned rewrite of one finding: ``target`` (a node of the snippet) becomes ``replacement``."""

    finding: Finding
    applicability: str  # SAFE or UNSAFE
    reason: str  # why it is unsafe ("" when safe)
    target: cst.CSTNode
    replacement: cst.CSTNode
    imports: Tuple[Tuple[str, str], ...] = ()  # (module, name) pairs to import


@dataclass(frozen=True)
class NotFixed:
    """A finding left as it is, and why."""

    finding: Finding
    reason: str
    applicability: str = NONE  # UNSAFE when held back only for lack of --unsafe-fixes


@dataclass
class FixResult:
    """The outcome for one file: the new source and what happened to each finding."""

    source: str
    applied: List[Edit] = field(default_factory=list)
    not_fixed: List[NotFixed] = field(default_factory=list)
    error: str = ""


def lowest(first: str, second: str) -> str:
    """The less safe of two applicabilities."""
    return first if _RANK[first] <= _RANK[second] else second
