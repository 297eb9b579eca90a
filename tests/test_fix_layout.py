"""``fix`` keeps to flake8's ``max-line-length``: what it adds is wrapped as black and ruff
format wrap it, read from the same configuration ``check`` reads (the real commands)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CASE = Path(__file__).resolve().parent.parent / "fixtures" / "fix" / "long_calls.py"
ISSUE_LINE = (
    'atomic_json_dump(configuration_dictionary, CONFIG_DIRECTORY / "configuration.json", indent=2, sort_keys=True)'
)


def run(cwd: Path, *args: str) -> "subprocess.CompletedProcess[str]":
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    shutil.copyfile(CASE, tmp_path / "store.py")
    return tmp_path


def test_fixed_code_passes_flake8_and_ruff_format_at_the_default_length(project: Path) -> None:
    assert run(project, "flake8", "--select=E501", "store.py").stdout == ""
    fixed = run(project, "flake8_atomic_writes", "fix", "store.py")
    assert fixed.returncode == 1 and "fixed 2 findings in 1 file; 0 remaining" in fixed.stderr, fixed.stderr
    lint = run(project, "flake8", "--select=E501,F401,AW", "store.py")
    assert lint.returncode == 0, lint.stdout
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is not None:  # the wrapped calls are laid out exactly as ruff format lays them out
        proc = subprocess.run(
            [ruff, "format", "--isolated", "--line-length", "79", "--diff", "store.py"],
            cwd=project, capture_output=True, text=True,
        )
        assert proc.returncode == 0, proc.stdout


@pytest.mark.parametrize("where", ["setup.cfg", ".flake8", "flag"])
def test_a_configured_max_line_length_is_kept(project: Path, where: str) -> None:
    args = ["--max-line-length=120"] if where == "flag" else []
    if where != "flag":
        (project / where).write_text("[flake8]\nmax-line-length = 120\n")
    run(project, "flake8_atomic_writes", "fix", *args, "store.py")
    text = (project / "store.py").read_text()
    assert ISSUE_LINE in text, text
    assert run(project, "flake8", "--select=E501", *args, "store.py").stdout == ""


def test_a_bad_max_line_length_is_a_usage_error(project: Path) -> None:
    (project / "setup.cfg").write_text("[flake8]\nmax-line-length = wide\n")
    proc = run(project, "flake8_atomic_writes", "fix", "store.py")
    assert proc.returncode == 2 and "max-line-length = wide" in proc.stderr
