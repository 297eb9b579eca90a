"""End-to-end tests of the real ``flake8-atomic-writes`` command on a temporary project."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import List

import pytest

from flake8_atomic_writes.report import Diagnostic, render
from flake8_atomic_writes.rules import RULES

BIN = Path(sys.executable).parent / "flake8-atomic-writes"
STATE = textwrap.dedent(
    """\
    import json
    from pathlib import Path

    CONFIG_PATH = Path.home() / ".myapp" / "config.json"


    def save(cfg):
        CONFIG_PATH.write_text(json.dumps(cfg))


    def save_settings(cfg):
        with open("settings.json", "w") as f:
            json.dump(cfg, f)
    """
)
FIXED_SETTINGS = '    atomic_json_dump(cfg, "settings.json")\n'


def run(cwd: Path, *args: str, stdin: str = "", module: bool = True) -> "subprocess.CompletedProcess[str]":
    command = [sys.executable, "-m", "flake8_atomic_writes"] if module else [str(BIN)]
    return subprocess.run([*command, *args], cwd=cwd, input=stdin, capture_output=True, text=True, timeout=120)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "state.py").write_text(STATE)
    (tmp_path / "app" / "clean.py").write_text("print('hi')\n")
    (tmp_path / ".venv" / "lib").mkdir(parents=True)
    (tmp_path / ".venv" / "lib" / "vendored.py").write_text(STATE)
    return tmp_path


def codes(out: str) -> List[str]:
    return [line.split(": ", 1)[1].split()[0] for line in out.splitlines() if ": " in line]


@pytest.mark.parametrize("module", [True, False], ids=["python-m", "console-script"])
def test_check_exit_codes(project: Path, module: bool) -> None:
    if not module and not BIN.exists():
        pytest.skip("console script not installed")
    found = run(project, "check", module=module)
    assert found.returncode == 1, found
    assert codes(found.stdout) == ["AW101", "AW103"]
    assert found.stdout.startswith("./app/state.py:8:5: AW101 ")
    assert run(project, "check", "app/clean.py", module=module).returncode == 0
    missing = run(project, "check", "nope.py", module=module)  # E902, as flake8 reports it
    assert missing.returncode == 1 and missing.stdout.startswith("nope.py:1:1: E902 FileNotFoundError: ")


def test_syntax_error_is_reported_and_counted(project: Path) -> None:
    (project / "app" / "bad.py").write_text("x = (\n")
    proc = run(project, "check", "app/bad.py")
    assert proc.returncode == 1
    assert proc.stdout.startswith("app/bad.py:1:6: E999 SyntaxError:")  # flake8's column
    assert "Traceback" not in proc.stderr


def test_json_round_trips(project: Path) -> None:
    proc = run(project, "check", "--format", "json", "app")
    items = json.loads(proc.stdout)
    assert [i["code"] for i in items] == ["AW101", "AW103"]
    first = items[0]
    assert (first["path"], first["line"], first["column"]) == ("app/state.py", 8, 5)
    assert first["fix"]["applicability"] == "unsafe" and first["helpUri"] == RULES["AW101"].url


def test_sarif_structure(project: Path) -> None:
    log = json.loads(run(project, "check", "--format", "sarif", "app").stdout)
    assert log["version"] == "2.1.0" and "sarif-2.1.0" in log["$schema"]
    driver = log["runs"][0]["tool"]["driver"]
    assert {"name", "version", "informationUri", "rules"} <= set(driver)
    ids = [r["id"] for r in driver["rules"]]
    assert set(RULES) <= set(ids)
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["defaultConfiguration"]["level"]
    aw101 = driver["rules"][ids.index("AW101")]
    assert aw101["helpUri"] == RULES["AW101"].url and "## Fix safety" in aw101["help"]["markdown"]
    result = log["runs"][0]["results"][0]
    assert result["ruleId"] == "AW101" and ids[result["ruleIndex"]] == "AW101"
    assert result["level"] == "warning" and result["message"]["text"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "app/state.py"
    assert location["region"] == {"startLine": 8, "startColumn": 5}


def test_github_annotation_escaping() -> None:
    diagnostic = Diagnostic("a,b:c.py", 3, 0, "AW101", "50% done\r\nnext, line: x")
    assert render([diagnostic], "github", root=os.getcwd()) == (
        "::warning file=a%2Cb%3Ac.py,line=3,col=1,title=AW101::50%25 done%0D%0Anext, line: x\n"
    )


@pytest.mark.parametrize("name", ["setup.cfg", "tox.ini", ".flake8"])
def test_config_file_takes_effect(project: Path, name: str) -> None:
    (project / name).write_text("[flake8]\nextend-ignore = AW103\natomic-writes-helper-module = myapp.io\n")
    proc = run(project, "check", "app")
    assert codes(proc.stdout) == ["AW101"] and "myapp.io.atomic_write_text" in proc.stdout


def test_select_ignore_and_per_file_ignores(project: Path) -> None:
    assert codes(run(project, "check", "--select", "AW103", "app").stdout) == ["AW103"]
    assert codes(run(project, "check", "--ignore", "AW1", "app").stdout) == []
    (project / "setup.cfg").write_text("[flake8]\nper-file-ignores =\n    app/state.py: AW101\n")
    assert codes(run(project, "check", "app").stdout) == ["AW103"]


def test_excludes(project: Path) -> None:
    assert "vendored" not in run(project, "check", ".").stdout
    assert codes(run(project, "check", "--extend-exclude", "state.py", ".").stdout) == []
    assert "vendored" in run(project, "check", "--exclude", ".git", ".").stdout


def test_stdin(project: Path) -> None:
    proc = run(project, "check", "-", "--stdin-filename", "app/state.py", stdin=STATE)
    assert proc.returncode == 1 and proc.stdout.startswith("app/state.py:8:5: AW101")
    fixed = run(project, "fix", "-", "--stdin-filename", "app/state.py", stdin=STATE)
    assert FIXED_SETTINGS in fixed.stdout and fixed.returncode == 1


@pytest.mark.slow
def test_fix_modes(project: Path) -> None:
    state = project / "app" / "state.py"
    diff = run(project, "fix", "--diff", "app")
    assert diff.returncode == 1 and "+" + FIXED_SETTINGS in diff.stdout and state.read_text() == STATE
    assert run(project, "fix", "--check", "app").returncode == 1 and state.read_text() == STATE
    done = run(project, "fix", "app")
    assert done.returncode == 1, done.stderr
    assert FIXED_SETTINGS in state.read_text() and "CONFIG_PATH.write_text" in state.read_text()
    assert "--unsafe-fixes" in done.stderr
    assert run(project, "fix", "--unsafe-fixes", "app").returncode == 1
    assert run(project, "fix", "--unsafe-fixes", "app").returncode == 0, "nothing left to do"
    assert run(project, "check", "app").returncode == 0


@pytest.mark.parametrize("mode", [0o640, 0o755])
def test_fix_keeps_mode(project: Path, mode: int) -> None:
    state = project / "app" / "state.py"
    state.chmod(mode)
    run(project, "fix", "app")
    assert stat.S_IMODE(state.stat().st_mode) == mode and FIXED_SETTINGS in state.read_text()


def test_fix_writes_through_symlinks_and_keeps_encoding(project: Path) -> None:
    real = project / "real.py"
    real.write_bytes(b"# -*- coding: latin-1 -*-\r\n# caf\xe9\r\n" + STATE.replace("\n", "\r\n").encode())
    link = project / "app" / "link.py"
    os.symlink(real, link)
    run(project, "fix", "app/link.py")
    assert link.is_symlink()
    data = real.read_bytes()
    assert b"# caf\xe9\r\n" in data and FIXED_SETTINGS.replace("\n", "\r\n").encode() in data


def test_explain_and_rules(project: Path) -> None:
    explain = run(project, "explain", "aw101")
    assert explain.returncode == 0 and explain.stdout.startswith("# non-atomic-path-write (AW101)")
    unknown = run(project, "explain", "AW999")
    assert unknown.returncode == 2 and "AW101" in unknown.stderr
    table = run(project, "rules").stdout.splitlines()
    assert table[0].split() == ["CODE", "NAME", "DEFAULT", "FIX"] and len(table) == len(RULES) + 1
