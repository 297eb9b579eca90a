"""No silent passes: a selection without AW, opt-in codes selected by name, bad and unknown
options, and files flake8 reads that Python would not (the real command and the real flake8)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flake8_runner import flake8

APPEND = textwrap.dedent(
    """\
    import json
    from pathlib import Path

    HISTORY = Path.home() / ".chat" / "history.jsonl"


    def remember(message):
        with open(HISTORY, "a", encoding="utf-8") as f:
            f.write(json.dumps(message) + "\\n")


    def replay():
        with open(HISTORY, encoding="utf-8") as f:
            return [json.loads(line) for line in f]
    """
)
STATE = (
    'import json\nfrom pathlib import Path\n\nSTATE = Path.home() / "state.json"\n\n\n'
    "def save(d):\n    STATE.write_text(json.dumps(d))\n"
)
NO_AW = "no AW rule is selected"


def check(cwd: Path, *args: str) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(
        [sys.executable, "-m", "flake8_atomic_writes", "check", *args], cwd=cwd, capture_output=True, text=True
    )


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (tmp_path / "history.py").write_text(APPEND)
    (tmp_path / "state.py").write_text(STATE)
    return tmp_path


def test_a_selection_without_aw_warns_once(project: Path) -> None:
    (project / "setup.cfg").write_text("[flake8]\nselect = E,F,W,C90\n")
    proc = check(project, "state.py", "history.py")
    assert proc.returncode == 0 and proc.stdout == ""
    assert proc.stderr.count(NO_AW) == 1 and "select = E,F,W,C90" in proc.stderr, proc.stderr
    proc = check(project, "--extend-select=AW", "state.py")
    assert proc.returncode == 1 and NO_AW not in proc.stderr and "AW101" in proc.stdout


def test_the_precommit_hook_command_warns_too(project: Path) -> None:
    """The hooks run ``check --force-exclude`` (.pre-commit-hooks.yaml) with the file names."""
    (project / "tox.ini").write_text("[flake8]\nselect = E,F\n")
    proc = check(project, "--force-exclude", "state.py")
    assert proc.returncode == 0 and NO_AW in proc.stderr


@pytest.mark.parametrize("flag", ["--select=AW303", "--extend-select=AW303", "--select=AW,E9,AW303"])
def test_an_opt_in_code_selected_by_its_full_name_is_enabled(project: Path, flag: str) -> None:
    ours = check(project, "--isolated", flag, "history.py")
    theirs = flake8(["--isolated", flag, "history.py"], cwd=project)
    assert "AW303" in ours.stdout and ours.stdout == theirs.stdout, (ours.stdout, theirs.stdout, ours.stderr)


def test_an_opt_in_code_selected_in_the_config_file_is_enabled(project: Path) -> None:
    (project / "setup.cfg").write_text("[flake8]\nextend-select = AW303\n")
    assert "AW303" in check(project, "history.py").stdout
    assert "AW303" in flake8(["history.py"], cwd=project).stdout


def test_a_prefix_does_not_enable_opt_in_rules_and_says_how(project: Path) -> None:
    proc = check(project, "--isolated", "--select=AW3", "history.py")
    assert proc.stdout == "" and NO_AW in proc.stderr and "atomic-writes-enable" in proc.stderr
    assert "AW303" not in flake8(["--isolated", "--select=AW3", "history.py"], cwd=project).stdout


def test_malformed_per_file_ignores_names_the_option(project: Path) -> None:
    (project / "setup.cfg").write_text("[flake8]\nper-file-ignores = scripts/*\n")
    proc = check(project, "state.py")
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("flake8-atomic-writes: error: per-file-ignores:"), proc.stderr
    assert "internal error" not in proc.stderr and "ExecutionError" not in proc.stderr


def test_unknown_keys_of_ours_and_a_missing_root_are_warned_about(project: Path) -> None:
    (project / "setup.cfg").write_text(
        "[flake8]\natomic-writes-enabel = AW303\natomic-writes-project-root = nowhere\nmax-complexity = 10\n"
    )
    proc = check(project, "state.py")
    assert proc.returncode == 1 and "AW101" in proc.stdout
    assert "warning: atomic-writes-enabel: not an option" in proc.stderr
    assert "warning: atomic-writes-project-root: nowhere is not a directory" in proc.stderr
    assert "max-complexity" not in proc.stderr, "other tools' keys are none of our business"
    run = flake8(["state.py"], cwd=project)
    assert "atomic-writes-project-root: nowhere is not a directory" in run.stderr and "AW101" in run.stdout


def test_a_file_that_is_not_utf8_is_checked_as_flake8_checks_it(project: Path) -> None:
    """No coding line and a latin-1 byte: flake8 falls back to latin-1 and reports findings."""
    (project / "latin.py").write_bytes(STATE.encode() + b'NAME = "caf\xe9"\n')
    ours = check(project, "--isolated", "latin.py")
    theirs = flake8(["--isolated", "--select=AW,E9", "latin.py"], cwd=project)
    assert "AW101" in ours.stdout and "E902" not in ours.stdout
    assert ours.stdout == theirs.stdout


@pytest.mark.parametrize("source", ["def f(:\n    pass\n", "x = (1,\n  2 +)\n", "print 'x'\n", "x = 1\n  y = 2\n"])
def test_a_syntax_error_is_reported_at_flake8s_column(project: Path, source: str) -> None:
    (project / "bad.py").write_text(source)
    ours = check(project, "--isolated", "bad.py")
    theirs = flake8(["--isolated", "--select=AW,E9", "bad.py"], cwd=project)
    assert ours.stdout.split(": E999")[0] == theirs.stdout.split(": E999")[0], (ours.stdout, theirs.stdout)
