"""The project index: evidence that crosses modules.

``root`` finds the project and which files belong to it, ``summary`` reduces one module to
what other modules may ask about it, ``cache`` keeps summaries on disk, ``index`` resolves
imports to summaries and answers the classifier's questions through a per-module view.
Importing this package loads nothing else: ``lazy_view`` imports the index on first need.
"""

from __future__ import annotations

from typing import Callable, Optional, Sequence

from ..analysis.evidence import ProjectEvidence
from ..config import Config


def lazy_view(filename: str, lines: Sequence[str], config: Config) -> Callable[[], Optional[ProjectEvidence]]:
    """A maker of the project view of one module (None with project analysis off), called
    by the analysis only when the module has a write to judge."""

    def make() -> Optional[ProjectEvidence]:
        if not config.project_analysis:
            return None
        from .index import view_for

        try:
            return view_for(filename, "".join(lines), config)
        except (OSError, ValueError):  # an odd path (unresolvable, on a vanished mount): no index
            return None

    return make


__all__ = ["lazy_view"]
