"""Robustness: ``fix`` over the standard library never crashes and every result parses."""

from __future__ import annotations

import pytest

import ast
import sysconfig
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import List, Optional, Tuple

from flake8_atomic_writes.cli import Settings, _process_path
from flake8_atomic_writes.config import Config
from flake8_atomic_writes.noqa import CodeFilter

SETTINGS = Settings(Config(), CodeFilter(), fix=True, unsafe_fixes=True)
# Only library files (not the stdlib's own test suite) that mention a write go through the
# analysis and libcst: keeps this around a minute on two cores.
SKIP_DIRS = {"site-packages", "test", "tests", "idle_test"}
HINTS = ("write_text", "write_bytes", "open(", "rename(")


def _candidates() -> List[str]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files = []
    for path in sorted(stdlib.rglob("*.py")):
        if SKIP_DIRS.intersection(path.parts):
            continue
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if any(hint in text for hint in HINTS):
            files.append(str(path))
    return files


def _fix_one(path: str) -> Tuple[str, Optional[str], str]:
    outcome = _process_path(SETTINGS, path)
    try:
        if outcome.new_text is not None:
            ast.parse(outcome.new_text)
    except SyntaxError as exc:
        return path, outcome.new_text, f"does not parse: {exc}"
    return path, outcome.new_text, ""


@pytest.mark.slow
def test_fix_over_the_standard_library() -> None:
    files = _candidates()
    assert len(files) > 100
    with ProcessPoolExecutor() as pool:
        results = list(pool.map(_fix_one, files, chunksize=8))
    failures = [(path, problem) for path, _, problem in results if problem]
    assert not failures, failures[:5]
    assert any(text is not None for _, text, _ in results), "some stdlib files get fixed"
