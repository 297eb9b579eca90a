"""Small things a new user trips on: ``dir()`` of the package, ``atomic_open(...).name``,
``explain`` by name, ``check --fix``, and ruff's RUF100 with ``# noqa: AW...`` comments."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import flake8_atomic_writes
from flake8_atomic_writes import atomic_open


def run(cwd: Path, *args: str) -> "subprocess.CompletedProcess[str]":
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True)


def test_dir_lists_the_helpers_and_import_stays_stdlib_only(tmp_path: Path) -> None:
    assert set(flake8_atomic_writes.__all__) <= set(dir(flake8_atomic_writes))
    code = (
        "import sys, flake8_atomic_writes as m; names = dir(m); "
        "assert 'atomic_write_text' in names and 'atomic_open' in names, names; "
        "assert 'flake8_atomic_writes.atomic' not in sys.modules and 'libcst' not in sys.modules; "
        "from flake8_atomic_writes import *; assert callable(atomic_json_dump)"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("mode", ["w", "wb", "x"])
def test_atomic_open_name_is_the_path_as_with_open(tmp_path: Path, mode: str) -> None:
    target = tmp_path / "state.json"
    with atomic_open(target, mode) as f:
        assert f.name == str(target)
    with open(tmp_path / "plain.json", "w") as plain:
        assert plain.name == str(tmp_path / "plain.json")
    with atomic_open(str(target), "w" if mode == "x" else mode) as f:
        assert f.name == str(target)


@pytest.mark.parametrize("rule", ["AW101", "aw101", "non-atomic-path-write"])
def test_explain_takes_a_code_or_a_name(tmp_path: Path, rule: str) -> None:
    proc = run(tmp_path, "flake8_atomic_writes", "explain", rule)
    assert proc.returncode == 0 and proc.stdout.startswith("# non-atomic-path-write (AW101)"), proc.stderr


def test_check_fix_points_at_fix(tmp_path: Path) -> None:
    proc = run(tmp_path, "flake8_atomic_writes", "check", "--fix", ".")
    assert proc.returncode == 2 and "flake8-atomic-writes fix" in proc.stderr, proc.stderr


def test_ruff_external_keeps_aw_noqa_comments(tmp_path: Path) -> None:
    """What docs/integrations.md says about RUF100, with the installed ruff: an AW-only noqa is
    left alone, but a comment whose other code is unused is deleted whole by RUF100 --fix,
    AW code and all, unless ``lint.external`` names AW."""
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed")
    source = (
        'from pathlib import Path\n\nPath("a.json").write_text("x")  # noqa: AW101\n'
        "import os  # noqa: F401, AW101\n"
    )
    for external, kept in ((False, 1), (True, 2)):
        case = tmp_path / f"external-{external}"
        case.mkdir()
        (case / "m.py").write_text(source)
        rules = 'select = ["RUF100"]\n' + ('external = ["AW"]\n' if external else "")
        (case / "pyproject.toml").write_text(f"[tool.ruff.lint]\n{rules}")
        subprocess.run([ruff, "check", "--fix", "--quiet", "m.py"], cwd=case, capture_output=True, text=True)
        assert (case / "m.py").read_text().count("# noqa: AW101") == kept, (case / "m.py").read_text()
