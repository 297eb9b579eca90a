"""Confidence on every finding, and ``atomic-writes-min-confidence``, through the real
``flake8`` and ``flake8-atomic-writes check`` executables."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

from flake8_runner import flake8

SAMPLE = """\
import json
from pathlib import Path

STATE = Path.home() / ".app" / "state.json"


def load():
    return json.loads(STATE.read_text())


def save(state):
    STATE.write_text(json.dumps(state))


def export(rows, destination):
    destination.write_text(json.dumps(rows))


def emit(rows, out):
    out.write_text("\\n".join(rows))
"""
HIGH, MEDIUM, LOW = 12, 16, 20  # the lines of save(), export() and emit()


def check(args: List[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "flake8_atomic_writes", "check", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)


def lines_of(stdout: str) -> List[int]:
    return [int(line.split(":")[1]) for line in stdout.splitlines() if ": AW1" in line]


@pytest.mark.parametrize(
    "level, expected", [("low", [HIGH, MEDIUM, LOW]), ("medium", [HIGH, MEDIUM]), ("high", [HIGH])]
)
def test_min_confidence_in_flake8_and_check(tmp_path: Path, level: str, expected: List[int]) -> None:
    (tmp_path / "app.py").write_text(SAMPLE)
    option = f"--atomic-writes-min-confidence={level}"
    assert lines_of(flake8(["--isolated", "--select=AW", option, "app.py"], cwd=tmp_path).stdout) == expected
    assert lines_of(check(["--isolated", option, "app.py"], tmp_path).stdout) == expected


def test_default_is_medium_and_config_files_set_it(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(SAMPLE)
    assert lines_of(check(["app.py"], tmp_path).stdout) == [HIGH, MEDIUM]
    (tmp_path / "setup.cfg").write_text("[flake8]\nselect = AW\natomic-writes-min-confidence = high\n")
    assert lines_of(check(["app.py"], tmp_path).stdout) == [HIGH]
    assert lines_of(flake8(["app.py"], cwd=tmp_path).stdout) == [HIGH]


def test_the_message_names_confidence_and_strongest_evidence(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(SAMPLE)
    out = check(["--isolated", "--atomic-writes-min-confidence=low", "app.py"], tmp_path).stdout
    by_line = {int(line.split(":")[1]): line for line in out.splitlines()}
    assert "(persistent, high confidence: read back in load())" in by_line[HIGH]
    assert "(persistent, medium confidence: writes json.dumps() output)" in by_line[MEDIUM]
    assert "(low confidence: no evidence either way)" in by_line[LOW]


def test_json_and_sarif_carry_confidence_and_evidence(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(SAMPLE)
    items = json.loads(check(["--isolated", "--format", "json", "app.py"], tmp_path).stdout)
    found = {item["line"]: (item["confidence"], item["evidence"]) for item in items}
    assert found[HIGH][0] == "high" and found[HIGH][1][0] == "read" and "location" in found[HIGH][1]
    assert found[MEDIUM] == ("medium", ["content"])
    log = json.loads(check(["--isolated", "--format", "sarif", "app.py"], tmp_path).stdout)
    run = log["runs"][0]
    results = {r["locations"][0]["physicalLocation"]["region"]["startLine"]: r for r in run["results"]}
    assert results[MEDIUM]["properties"] == {"confidence": "medium", "evidence": ["content"]}
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert rules["AW101"]["properties"]["precision"] in ("very-high", "high", "medium", "low")


def test_a_bad_level_is_an_error_naming_the_option(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(SAMPLE)
    result = check(["--isolated", "--atomic-writes-min-confidence=sure", "app.py"], tmp_path)
    assert result.returncode == 2
    assert "atomic-writes-min-confidence: 'sure' is not a confidence level (low, medium, high)" in result.stderr


def test_a_new_level_keeps_the_warm_cache(tmp_path: Path) -> None:
    """The level only filters findings: the project index's summaries stay valid."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "store.py").write_text("def put(path, text):\n    path.write_text(text)\n")
    (tmp_path / "app.py").write_text("from store import put\n\n\ndef keep(text):\n    put(CONFIG_FILE, text)\n")
    check(["app.py", "store.py"], tmp_path)
    entries = sorted(p.name for p in (tmp_path / ".atomic_writes_cache").glob("*.json"))
    assert entries
    check(["--atomic-writes-min-confidence=high", "app.py", "store.py"], tmp_path)
    assert sorted(p.name for p in (tmp_path / ".atomic_writes_cache").glob("*.json")) == entries


def test_an_append_with_no_evidence_is_not_reported_even_at_low(tmp_path: Path) -> None:
    """Appends matter only to a reader (AW303 needs one); a write with no evidence reaches
    ``low`` only as a whole-file rewrite."""
    (tmp_path / "app.py").write_text("def note(out, line):\n    with open(out, 'a') as f:\n        f.write(line)\n")
    options = ["--isolated", "--atomic-writes-min-confidence=low", "--atomic-writes-enable=AW303", "app.py"]
    assert check(options, tmp_path).stdout == ""
