"""End-to-end behaviour of the plugin inside the real flake8 executable."""

from __future__ import annotations

from pathlib import Path

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
    assert result.stdout.splitlines() == [
        "app.py:8:5: AW101 Path.write_text() rewrites 'STATE' in place (persistent: under "
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


def test_ephemeral_patterns_option(project: Path) -> None:
    (project / "setup.cfg").write_text("[flake8]\nselect = AW\natomic-writes-ephemeral-patterns = ^STATE$\n")
    assert flake8(["app.py"], cwd=project).stdout == ""


def test_persistent_patterns_option(project: Path) -> None:
    (project / "export.py").write_text(EXPORT_WRITE)
    (project / "setup.cfg").write_text("[flake8]\nselect = AW\natomic-writes-persistent-patterns = ^out$\n")
    assert "export.py:2:10: AW102" in flake8(["export.py"], cwd=project).stdout


def test_bad_option_value_is_a_clear_error(project: Path) -> None:
    (project / "setup.cfg").write_text("[flake8]\natomic-writes-enable = AW101\n")
    result = flake8(["app.py"], cwd=project)
    assert result.returncode != 0
    assert "atomic-writes-enable: AW101 is not an opt-in code" in result.stderr


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
    before = flake8(["--isolated", "--select=AW", "store.py"], cwd=tmp_path).stdout
    assert [line.split()[1] for line in before.splitlines()] == ["AW103", "AW102"]
    (tmp_path / "setup.cfg").write_text(
        "[flake8]\nselect = AW\n"
        "atomic-writes-helpers = myproj.fsutil.publish, myproj.store.write_config_atomically\n"
    )
    assert flake8(["store.py"], cwd=tmp_path).stdout == ""
