"""``[tool.flake8]`` in pyproject.toml: ``check`` reads it as flake8 does with Flake8-pyproject."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import List

import pytest

from samples import STATE_WRITE

pytest.importorskip("flake8p", reason="Flake8-pyproject (a test dependency) is not installed")

EXPORT = "def export(rows, out):\n    with open(out, 'w') as f:\n        f.writelines(rows)\n"
SETTINGS = "import json\n\n\ndef save(cfg):\n    with open('settings.json', 'w') as f:\n        json.dump(cfg, f)\n"
PYPROJECT = textwrap.dedent(
    """\
    [project]
    name = "demo"

    [tool.flake8]
    select = ["AW"]
    extend-ignore = ["AW103"]
    atomic-writes-enable = ["AW301"]
    atomic-writes-helper-module = "demo.fsutil"
    atomic-writes-check-tests = true
    per-file-ignores = ["app/legacy.py: AW101", "app/old.py: AW"]
    """
)
SETUP_CFG = "[flake8]\nselect = AW\nextend-ignore = AW101\n"


def check(cwd: Path, *args: str) -> "subprocess.CompletedProcess[str]":
    command = [sys.executable, "-m", "flake8_atomic_writes", "check", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


def flake8(cwd: Path, *args: str) -> "subprocess.CompletedProcess[str]":
    command = [sys.executable, "-m", "flake8", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


def codes(out: str) -> List[str]:
    return sorted(f"{line.split(':')[0]} {line.split()[1]}" for line in out.splitlines())


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "tests").mkdir()
    for name in ("state.py", "legacy.py", "old.py"):
        (tmp_path / "app" / name).write_text(STATE_WRITE)
    (tmp_path / "app" / "export.py").write_text(EXPORT)
    (tmp_path / "app" / "settings.py").write_text(SETTINGS)
    (tmp_path / "tests" / "test_state.py").write_text(STATE_WRITE)
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    return tmp_path


def test_check_and_flake8_read_the_same_tool_flake8_table(project: Path) -> None:
    ours, theirs = check(project, "app", "tests"), flake8(project, "app", "tests")
    assert codes(ours.stdout) == codes(theirs.stdout), (ours.stdout, theirs.stdout, theirs.stderr)
    assert codes(ours.stdout) == [
        "app/export.py AW301",
        "app/state.py AW101",
        "tests/test_state.py AW101",
    ]
    assert "Use demo.fsutil.atomic_write_text" in ours.stdout


def test_tool_flake8_wins_over_setup_cfg_as_with_flake8_pyproject(project: Path) -> None:
    (project / "setup.cfg").write_text(SETUP_CFG)
    ours, theirs = check(project, "app"), flake8(project, "app")
    assert codes(ours.stdout) == codes(theirs.stdout) and "app/state.py AW101" in codes(ours.stdout)


def test_without_the_table_setup_cfg_is_read(project: Path) -> None:
    (project / "pyproject.toml").write_text('[project]\nname = "demo"\n')
    (project / "setup.cfg").write_text(SETUP_CFG)
    ours, theirs = check(project, "app"), flake8(project, "app")
    assert codes(ours.stdout) == codes(theirs.stdout) == ["app/settings.py AW103"]


def test_config_option_reads_toml_and_ini_or_refuses(project: Path) -> None:
    other = project / "lint"
    other.mkdir()
    (other / "aw.toml").write_text('[tool.flake8]\nselect = ["AW"]\nextend-ignore = ["AW101"]\n')
    (other / "aw.ini").write_text(SETUP_CFG)
    (project / "pyproject.toml").unlink()
    assert codes(check(project, "--config", "lint/aw.toml", "app").stdout) == ["app/settings.py AW103"]
    assert codes(check(project, "--config", "lint/aw.ini", "app").stdout) == ["app/settings.py AW103"]
    (other / "empty.toml").write_text('[tool.black]\nline-length = 100\n')
    (other / "empty.cfg").write_text("[metadata]\nname = demo\n")
    (other / "broken.toml").write_text("[tool.flake8\n")
    for name, problem in [
        ("empty.toml", "has no [tool.flake8] table"),
        ("empty.cfg", "has no [flake8] section"),
        ("broken.toml", "not valid TOML"),
        ("missing.cfg", "is not a file"),
    ]:
        proc = check(project, "--config", f"lint/{name}", "app")
        assert proc.returncode == 2 and proc.stdout == "", proc
        assert proc.stderr.splitlines() == [proc.stderr.strip()] and problem in proc.stderr and name in proc.stderr


def test_toml_config_option(project: Path) -> None:
    (project / "pyproject.toml").unlink()
    (project / "custom.toml").write_text('[tool.flake8]\nselect = ["AW"]\nextend-ignore = ["AW101"]\n')
    ours = check(project, "--toml-config", "custom.toml", "app")
    theirs = flake8(project, "--toml-config", "custom.toml", "app")
    assert codes(ours.stdout) == codes(theirs.stdout) == ["app/settings.py AW103"]
