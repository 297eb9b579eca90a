"""The autofix: rewrite flagged writes into calls of the atomic helpers, with libcst.

Only this subpackage imports libcst, and the command line imports it only for files that
have findings with a fix. ``planner`` maps each finding to a rewrite of the registry
(``registry``, ``rewrites``) by its fix hint's kind, on the statements around the findings
(``pieces``; names are resolved on the ``ast`` tree, ``names``); ``imports`` updates the
imports; ``apply`` runs a fix on a file (reading, the diff of ``diff``, the write, errors).
"""

from __future__ import annotations

from .model import SAFE, UNSAFE, Edit, FixResult, NotFixed
from .planner import fix_source
from .registry import REWRITES, rewrite

__all__ = ["SAFE", "UNSAFE", "Edit", "FixResult", "NotFixed", "REWRITES", "fix_source", "rewrite"]
