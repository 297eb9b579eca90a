"""Adoption on an existing codebase: a baseline (bandit's -b), ``--add-noqa`` (ruff) and
``fix --show-fixes`` (ruff), through the real command."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flake8_runner import flake8

STATE = textwrap.dedent(
    """\
    import json
    from pathlib import Path

    CONFIG = Path.home() / ".app" / "config.json"


    def save(cfg):
        CONFIG.write_text(json.dumps(cfg))


    def save_again(cfg):
        CONFIG.write_text(json.dumps(cfg))


    def settings(cfg):
        with open("settings.json", "w") as f:  # noqa: E501
            json.dump(cfg, f)
    """
)


def run(cwd: Path, *args: str) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(
        [sys.executable, "-m", "flake8_atomic_writes", *args], cwd=cwd, capture_output=True, text=True
    )


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "state.py").write_text(STATE)
    return tmp_path


def test_a_baseline_survives_edits_and_reports_only_new_findings(project: Path) -> None:
    written = run(project, "check", "--write-baseline", "aw-baseline.json", ".")
    assert written.returncode == 0 and "recorded 3 findings in aw-baseline.json" in written.stderr, written.stderr
    entries = json.loads((project / "aw-baseline.json").read_text())["findings"]
    assert {(e["path"], e["code"], e["count"]) for e in entries} == {
        ("app/state.py", "AW101", 2), ("app/state.py", "AW103", 1)
    }
    assert all("line" not in e for e in entries)
    assert run(project, "check", "--baseline", "aw-baseline.json", ".").returncode == 0
    source = project / "app" / "state.py"
    moved = "# a header comment\nimport os\n\n" + source.read_text() + "\n\ndef s3(cfg):\n    CONFIG.write_text('')\n"
    source.write_text(moved.replace("def save_again", "def save_once_more"))
    inside = run(project / "app", "check", "--baseline", "../aw-baseline.json", "state.py")
    assert inside.returncode == 0, "lines moved, the working directory changed: nothing new"
    source.write_text(moved + "\n\ndef more(cfg):\n    CONFIG.write_text(json.dumps(cfg))\n")
    new = run(project, "check", "--baseline", "aw-baseline.json", "app/state.py")
    assert new.returncode == 1 and new.stdout.count("AW101") == 1, new.stdout
    assert new.stdout.startswith(f"app/state.py:{len(moved.splitlines()) + 4}:5: AW101"), new.stdout


def test_a_bad_baseline_is_a_usage_error(project: Path) -> None:
    (project / "bad.json").write_text("{}")
    proc = run(project, "check", "--baseline", "bad.json", ".")
    assert proc.returncode == 2 and "--baseline: bad.json is not a baseline" in proc.stderr
    proc = run(project, "check", "--baseline", "missing.json", ".")
    assert proc.returncode == 2 and "--baseline: cannot read missing.json" in proc.stderr


def test_add_noqa_silences_every_finding_for_flake8_too(project: Path) -> None:
    proc = run(project, "check", "--add-noqa", ".")
    assert proc.returncode == 0 and "added noqa for 3 findings in 1 file" in proc.stderr, proc.stderr
    text = (project / "app" / "state.py").read_text()
    assert text.count("CONFIG.write_text(json.dumps(cfg))  # noqa: AW101\n") == 2
    assert 'with open("settings.json", "w") as f:  # noqa: E501, AW103\n' in text, "existing codes are kept"
    assert run(project, "check", ".").returncode == 0
    assert flake8(["--select=AW,E9", "."], cwd=project).stdout == ""
    assert run(project, "check", "--add-noqa", ".").stderr.startswith("added noqa for 0 findings")


def test_fix_show_fixes_lists_what_was_rewritten(project: Path) -> None:
    proc = run(project, "fix", "--show-fixes", "--unsafe-fixes", ".")
    assert "Fixed 3 findings:\n- ./app/state.py:\n" in proc.stderr, proc.stderr
    assert "    2 \u00d7 AW101 (non-atomic-path-write)\n    1 \u00d7 AW103 (non-atomic-serializer-dump)" in proc.stderr
