"""The rewrites, keyed by the fix kind the analysis puts into ``FixHint.kind``.

Adding a rewrite is one function decorated with ``@rewrite("kind")`` (in ``rewrites.py``)
and one golden fixture pair in ``fixtures/fix/``.
"""

from __future__ import annotations

from typing import Callable, Dict

from .model import Edit
from .site import Site

Rewrite = Callable[[Site], Edit]
REWRITES: Dict[str, Rewrite] = {}


def rewrite(kind: str) -> Callable[[Rewrite], Rewrite]:
    """Register ``function`` as the rewrite of findings whose fix hint has ``kind``."""

    def register(function: Rewrite) -> Rewrite:
        if kind in REWRITES:
            raise ValueError(f"two rewrites for {kind!r}")
        REWRITES[kind] = function
        return function

    return register
