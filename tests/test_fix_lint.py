"""No lint left behind: a golden case clean under flake8 F401/E501, ruff's I/F401 and isort
before the fix is clean after, all at flake8's default line length (79), which ``fix`` keeps to.

Run with the real tools in a directory of their own, so that ruff's first-party detection sees
the user's layout (``flake8_atomic_writes`` is then a third-party package, as for our users).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CASES = Path(__file__).resolve().parent.parent / "fixtures" / "fix"
INPUTS = sorted(p for p in CASES.glob("*.py") if not p.name.endswith(".fixed.py"))
# The cases written to be clean before the fix (the others test other things and need not be).
CLEAN_BEFORE = {
    "import_sections",
    "import_removal",
    "import_merge",
    "import_none",
    "import_third_party_block",
    "import_docstring_mention",
    "import_long_merge",
    "long_calls",
}


LINE_LENGTH = "79"  # flake8's default max-line-length, the one fix reads when none is configured


def _lint(directory: Path) -> str:
    """Complaints of flake8 --select=F401,E501 and ruff check --select I,F401 ("" when clean)."""
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed")
    flake8 = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select=F401,E501", "."],
        cwd=directory, capture_output=True, text=True,
    )
    ruff_run = subprocess.run(
        [ruff, "check", "--isolated", "--line-length", LINE_LENGTH, "--select", "I,F401", "--output-format", "concise"]
        + ["."],
        cwd=directory, capture_output=True, text=True,
    )
    isort = subprocess.run(
        [sys.executable, "-m", "isort", "--profile", "black", "--line-length", LINE_LENGTH, "--check-only", "--diff"]
        + ["."],
        cwd=directory, capture_output=True, text=True,
    )
    complaints = [run.stdout + run.stderr for run in (flake8, ruff_run, isort) if run.returncode]
    return "".join(complaints)


def _only(tmp_path: Path, name: str, source: Path) -> Path:
    directory = tmp_path / name
    directory.mkdir()
    shutil.copyfile(source, directory / "module.py")
    return directory


@pytest.mark.slow
@pytest.mark.parametrize("case", INPUTS, ids=[p.stem for p in INPUTS])
def test_clean_before_means_clean_after(case: Path, tmp_path: Path) -> None:
    before = _lint(_only(tmp_path, "before", case))
    if case.stem in CLEAN_BEFORE:
        assert before == "", f"the case must be clean before the fix:\n{before}"
    elif before:
        pytest.skip("not clean before the fix")
    assert _lint(_only(tmp_path, "after", case.with_suffix(".fixed.py"))) == ""
