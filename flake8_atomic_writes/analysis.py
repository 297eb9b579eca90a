"""Entry point of the analysis: source tree -> facts about write sites -> findings."""

from __future__ import annotations

import ast
from typing import List, Sequence

from .config import Config
from .rules import Finding


def analyze(tree: ast.AST, lines: Sequence[str], filename: str, config: Config) -> List[Finding]:
    """Return the findings for one module, sorted by position (work in progress)."""
    return []


def analyze_source(source: str, filename: str, config: Config) -> List[Finding]:
    """Parse ``source`` and analyze it; raises ``SyntaxError`` when it does not parse."""
    tree = ast.parse(source, filename=filename)
    return analyze(tree, source.splitlines(keepends=True), filename, config)
