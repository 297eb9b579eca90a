"""The analysis: source tree -> facts about write sites -> evidence -> findings.

``apis`` is the one table of write APIs; ``imports`` resolves names, ``facts`` walks the tree
once, ``targets`` says what a path is built from, ``evidence`` judges a target persistent or
temporary, ``flaws`` finds broken hand-rolled atomic writes, and ``findings`` runs the
pipeline and formats the findings from the rule catalogue.
"""

from .findings import analyze, analyze_source, char_col, is_test_file

__all__ = ["analyze", "analyze_source", "char_col", "is_test_file"]
