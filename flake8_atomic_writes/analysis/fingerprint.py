"""A fingerprint of the analysis itself: the project cache and the measured weights are keyed
on it, so that a change to a word list, a write API or a detector is never served a verdict
(or fitted weights) made by the code before it."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent
# What decides the hits about a target: the write-API table, the facts, the detectors, the
# evidence table, and the project summaries and index that carry hits across modules.
# ``weights.py`` is left out: it is fitted on the hits, and is hashed apart.
_SOURCES = tuple(f"analysis/{name}.py" for name in ("apis", "imports", "facts", "targets", "flow", "evidence", "kinds"))
_SOURCES += ("project/summary.py", "project/index.py", "project/root.py")
_WEIGHTS = "analysis/weights.py"


def _digest(paths: "list[Path]") -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.relative_to(_PACKAGE).as_posix().encode())
        digest.update(path.read_bytes().replace(b"\r\n", b"\n"))
    return digest.hexdigest()[:16]


@functools.lru_cache(maxsize=None)
def analysis_fingerprint() -> str:
    """A hash of every source that decides the evidence found about a target."""
    return _digest([_PACKAGE / name for name in _SOURCES])


@functools.lru_cache(maxsize=None)
def verdict_fingerprint() -> str:
    """The analysis's fingerprint and the weights that judge its evidence."""
    return f"{analysis_fingerprint()}-{_digest([_PACKAGE / _WEIGHTS])}"
