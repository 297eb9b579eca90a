"""End-to-end behaviour of the plugin inside the real flake8 executable."""

from __future__ import annotations

import re

import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

from flake8_runner import flake8

STATE_WRITE = (
    "import json\n"
    "from pathlib import Path\n"
    "\n"
    "STATE = Path.home() / '.app' / 'state.json'\n"
    "\n"
    "\n"
    "def save(state):\n"
    "    STATE.write_text(json.dumps(state))\n"
)
EXPORT_WRITE = "def export(rows, out):\n    with open(out, 'w') as f:\n        f.writelines(rows)\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(STATE_WRITE)
    return tmp_path


def test_version_lists_plugin(tmp_path: Path) -> None:
    result = flake8(["--version"], cwd=tmp_path)
    assert "flake8-atomic-writes" in result.stdout


def test_reports_exact_position_and_message(project: Path) -> None:
    result = flake8(["--select=AW", "app.py"], cwd=project)
    assert result.returncode == 1
    level = re.compile(r"\b(low|medium|high) confidence")
    lines = [level.sub("<level> confidence", line) for line in result.stdout.splitlines()]
    assert lines == [
        "app.py:8:5: AW101 Path.write_text() rewrites 'STATE' in place (persistent, <level> confidence: under "
        "Path.home()); a crash leaves it truncated. Use flake8_atomic_writes.atomic_write_text(path, data)"
    ]


def test_noqa_on_reported_line(project: Path) -> None:
    source = STATE_WRITE.replace("json.dumps(state))", "json.dumps(state))  # noqa: AW101")
    (project / "app.py").write_text(source)
    assert flake8(["--select=AW", "app.py"], cwd=project).stdout == ""
    (project / "app.py").write_text(STATE_WRITE.replace("json.dumps(state))", "json.dumps(state))  # noqa: E501"))
    assert "AW101" in flake8(["--select=AW", "app.py"], cwd=project).stdout


@pytest.mark.parametrize("config_name", ["setup.cfg", "tox.ini", ".flake8"])
def test_options_from_config_files(project: Path, config_name: str) -> None:
    (project / "export.py").write_text(EXPORT_WRITE)
    (project / config_name).write_text(
        "[flake8]\nselect = AW\natomic-writes-enable = AW301\n"
        "atomic-writes-helper-module = myproj.fsutil\n"
    )
    out = flake8(["app.py", "export.py"], cwd=project).stdout
    assert "export.py:2:10: AW301" in out
    assert "Use myproj.fsutil.atomic_write_text(path, data)" in out


OPT_IN_CANDIDATES = (
    "import os\n"
    "JOURNAL = os.path.expanduser('~/.app/journal.jsonl')\n"
    "def export(rows, out):\n    with open(out, 'w') as f:\n        f.writelines(rows)\n"
    "def record(line):\n    with open(JOURNAL, 'a') as f:\n        f.write(line)\n"
    "def replay():\n    with open(JOURNAL) as f:\n        return f.readlines()\n"
    "def save(text):\n    tmp = JOURNAL + '.tmp'\n    with open(tmp, 'w') as f:\n        f.write(text)\n"
    "    os.replace(tmp, JOURNAL)\n"
)


def test_opt_in_rules_stay_off_when_user_sets_ignore(project: Path) -> None:
    (project / "optin.py").write_text(OPT_IN_CANDIDATES)
    (project / "setup.cfg").write_text("[flake8]\nignore = E501\n")
    out = flake8(["optin.py", "app.py"], cwd=project).stdout
    assert "AW3" not in out and "AW101" in out
    (project / "setup.cfg").write_text("[flake8]\nignore = E501\natomic-writes-enable = AW301,AW302,AW303\n")
    out = flake8(["--select=AW", "optin.py"], cwd=project).stdout
    codes = sorted(line.split()[1] for line in out.splitlines())
    assert codes == ["AW301", "AW302", "AW303"]


COPY_FROM_TEMP = (
    "import shutil\n"
    "from pathlib import Path\n"
    "STATE = Path.home() / '.config' / 'app' / 'state.json'\n"
    "def save(blob):\n"
    "    tmp = STATE.with_suffix('.tmp')\n"
    "    tmp.write_bytes(blob)\n"
    "    shutil.copyfile(tmp, STATE)\n"
)


@pytest.mark.parametrize(
    "select, shown",
    [("AW", ["AW204"]), ("AW1", ["AW104"]), ("AW2", ["AW204"]), ("AW104,AW204", ["AW204"])],
)
def test_a_flaw_hides_the_write_only_when_it_is_shown(tmp_path: Path, select: str, shown: List[str]) -> None:
    """A temp copied onto the target is one AW204; under a select that hides AW204 it is
    still the AW104 it also is, so `--select=AW1` loses no write."""
    (tmp_path / "copy.py").write_text(COPY_FROM_TEMP)
    out = flake8(["--isolated", f"--select={select}", "copy.py"], cwd=tmp_path).stdout
    assert [line.split()[1] for line in out.splitlines()] == shown


def test_ephemeral_patterns_option(project: Path) -> None:
    (project / "setup.cfg").write_text("[flake8]\nselect = AW\natomic-writes-ephemeral-patterns = ^STATE$\n")
    assert flake8(["app.py"], cwd=project).stdout == ""


def test_persistent_patterns_option(project: Path) -> None:
    (project / "export.py").write_text(EXPORT_WRITE)
    (project / "setup.cfg").write_text("[flake8]\nselect = AW\natomic-writes-persistent-patterns = ^out$\n")
    assert "export.py:2:10: AW102" in flake8(["export.py"], cwd=project).stdout


BAD_VALUES = [
    (
        "atomic-writes-persistent-patterns = (, ok, [z-a]",
        [
            "atomic-writes-persistent-patterns: '(' is not a valid regex (missing ), unterminated subpattern",
            "atomic-writes-persistent-patterns: '[z-a]' is not a valid regex (bad character range z-a",
        ],
    ),
    (
        "atomic-writes-enable = AW101, AW301, AW999",
        [
            "atomic-writes-enable: 'AW101' is on by default, not an opt-in code (opt-in codes: AW301, AW302, AW303)",
            "atomic-writes-enable: 'AW999' is not a rule code (opt-in codes: AW301, AW302, AW303)",
        ],
    ),
    (
        "atomic-writes-check-tests = maybe",
        ["atomic-writes-check-tests: 'maybe' is not a boolean (true/false, yes/no, on/off, 1/0)"],
    ),
    (
        "atomic-writes-new-files = sometimes",
        ["atomic-writes-new-files: 'sometimes' is not a boolean (true/false, yes/no, on/off, 1/0)"],
    ),
    (
        "atomic-writes-writers = mylib.save, mylib.put:1, 9bad:0",
        [
            "atomic-writes-writers: 'mylib.save' is not dotted.name:N",
            "atomic-writes-writers: '9bad:0' is not dotted.name:N",
        ],
    ),
]


@pytest.mark.parametrize("line, problems", BAD_VALUES, ids=[v[0].split()[0] for v in BAD_VALUES])
def test_bad_option_value_is_a_clear_error(project: Path, line: str, problems: List[str]) -> None:
    """flake8's way (``flake8: error: ...`` first, exit 2, no traceback); each bad item on its own line."""
    (project / "setup.cfg").write_text(f"[flake8]\n{line}\n")
    for prog, result in [
        ("flake8", flake8(["app.py"], cwd=project)),
        ("flake8", flake8(["-j", "2", "app.py", "app.py"], cwd=project)),
        ("flake8-atomic-writes", _check(project, "app.py")),
    ]:
        assert result.returncode == 2 and result.stdout == "", result
        lines = result.stderr.splitlines()
        assert len(lines) == len(problems) and "Traceback" not in result.stderr, result.stderr
        for got, problem in zip(lines, problems):
            assert got.startswith(f"{prog}: error: {problem}"), (got, problem)


@pytest.mark.parametrize("value", ["yes", "no", "on", "off", "1", "0", "true", "False"])
def test_booleans_parse_alike_in_flake8_and_check(tmp_path: Path, value: str) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_app.py").write_text(STATE_WRITE)
    (tmp_path / "setup.cfg").write_text(f"[flake8]\nselect = AW\natomic-writes-check-tests = {value}\n")
    ours, theirs = _check(tmp_path, "tests"), flake8(["tests"], cwd=tmp_path)
    assert ours.stdout == theirs.stdout
    assert ("AW101" in ours.stdout) == (value in ("yes", "on", "1", "true"))


def _check(cwd: Path, *args: str) -> "subprocess.CompletedProcess[str]":
    command = [sys.executable, "-m", "flake8_atomic_writes", "check", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


def test_stdin_with_display_name(tmp_path: Path) -> None:
    result = flake8(["--select=AW", "--stdin-display-name", "pkg/app.py", "-"], cwd=tmp_path, stdin=STATE_WRITE)
    assert result.stdout.startswith("pkg/app.py:8:5: AW101 ")


def test_stdin_display_name_of_a_test_file_is_skipped(tmp_path: Path) -> None:
    result = flake8(["--select=AW", "--stdin-display-name", "tests/test_app.py", "-"], cwd=tmp_path, stdin=STATE_WRITE)
    assert result.stdout == ""


def test_non_ascii_line_gets_character_column(tmp_path: Path) -> None:
    (tmp_path / "u.py").write_text("s = 'ééé'; f = open('settings.json', 'w')\n", encoding="utf-8")
    out = flake8(["--select=AW", "u.py"], cwd=tmp_path).stdout
    assert out.startswith("u.py:1:16: AW102 ")


def test_parallel_jobs_give_the_same_findings(tmp_path: Path) -> None:
    for i in range(8):
        (tmp_path / f"m{i}.py").write_text(STATE_WRITE)
    (tmp_path / "setup.cfg").write_text("[flake8]\nselect = AW\natomic-writes-enable = AW301\n")
    (tmp_path / "e.py").write_text(EXPORT_WRITE)
    serial = flake8(["-j", "1", "."], cwd=tmp_path).stdout
    parallel = flake8(["-j", "2", "."], cwd=tmp_path).stdout
    assert sorted(serial.splitlines()) == sorted(parallel.splitlines())
    assert serial.count("AW101") == 8 and serial.count("AW301") == 1


def test_syntax_error_does_not_crash_the_plugin(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text("def f(:\n    open('x.json', 'w')\n")
    result = flake8(["bad.py"], cwd=tmp_path)
    assert "E999" in result.stdout and "Traceback" not in result.stderr


HELPER_USER = (
    "import json\n"
    "from myproj.fsutil import publish\n"
    "CONFIG = 'config.json'\n"
    "def save(cfg):\n"
    "    staging = CONFIG + '.staging'\n"
    "    with open(staging, 'w') as f:\n"
    "        json.dump(cfg, f)\n"
    "    publish(staging, CONFIG)\n"
    "def write_config_atomically(path, text):\n"
    "    with open(path, 'w') as f:\n"
    "        f.write(text)\n"
)


def test_configured_helpers_are_trusted(tmp_path: Path) -> None:
    (tmp_path / "store.py").write_text(HELPER_USER)
    before = flake8(["--isolated", "--select=AW", "--atomic-writes-min-confidence=low", "store.py"], cwd=tmp_path)
    assert [line.split()[1] for line in before.stdout.splitlines()] == ["AW103", "AW102"]
    (tmp_path / "setup.cfg").write_text(
        "[flake8]\nselect = AW\n"
        "atomic-writes-helpers = myproj.fsutil.publish, myproj.store.write_config_atomically\n"
        "atomic-writes-min-confidence = low\n"
    )
    assert flake8(["store.py"], cwd=tmp_path).stdout == ""
