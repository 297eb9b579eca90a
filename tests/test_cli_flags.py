"""The flags flake8 and ruff users reach for first, on the real command (and real flake8)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import List

import pytest

from samples import STATE_WRITE

SECOND = textwrap.dedent(
    """\
    import json


    def save_settings(cfg):
        with open("settings.json", "w") as f:
            json.dump(cfg, f)


    def save_prefs(text):
        with open("prefs.json", "w") as f:
            f.write(text)
    """
)


def run(cwd: Path, *args: str, stdin: str = "") -> "subprocess.CompletedProcess[str]":
    command = [sys.executable, "-m", "flake8_atomic_writes", *args]
    return subprocess.run(command, cwd=cwd, input=stdin, capture_output=True, text=True, timeout=120)


def flake8(cwd: Path, *args: str, stdin: str = "") -> "subprocess.CompletedProcess[str]":
    command = [sys.executable, "-m", "flake8", "--isolated", "--select=AW", *args]
    return subprocess.run(command, cwd=cwd, input=stdin, capture_output=True, text=True, timeout=120)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "state.py").write_text(STATE_WRITE)
    (tmp_path / "app" / "store.py").write_text(SECOND)
    return tmp_path


@pytest.mark.parametrize(
    "flags",
    [["--statistics", "--count"], ["--show-source"], ["-q"], ["-qq"], ["--count", "--show-source", "--statistics"]],
    ids=" ".join,
)
def test_report_flags_print_what_flake8_prints(project: Path, flags: List[str]) -> None:
    ours, theirs = run(project, "check", "--isolated", *flags, "app"), flake8(project, *flags, "app")
    assert theirs.returncode == 1 and ours.returncode == 1, (ours.stderr, theirs.stderr)
    assert ours.stdout == theirs.stdout
    assert ours.stdout or flags == ["-qq"]


def test_stdin_display_name_is_flake8s_spelling(project: Path) -> None:
    args = ("--stdin-display-name", "pkg/state.py", "-")
    ours = run(project, "check", "--isolated", *args, stdin=STATE_WRITE)
    theirs = flake8(project, *args, stdin=STATE_WRITE)
    assert ours.stdout == theirs.stdout and ours.stdout.startswith("pkg/state.py:")


def test_exit_zero_and_output_file(project: Path) -> None:
    proc = run(project, "check", "--exit-zero", "-o", "report.sarif", "--format", "sarif", "app")
    assert proc.returncode == 0 and proc.stdout == "", proc.stderr
    assert '"ruleId": "AW101"' in (project / "report.sarif").read_text()
    proc = run(project, "check", "--output-file", "report.txt", "--count", "--statistics", "app")
    theirs = flake8(project, "--output-file", "flake8.txt", "--count", "--statistics", "app")
    assert proc.returncode == 1 and proc.stdout == theirs.stdout == "3\n", "the count goes where flake8 prints it"
    assert (project / "report.txt").read_text() == (project / "flake8.txt").read_text()


@pytest.mark.parametrize("jobs", ["auto", "1", "2"])
def test_jobs_auto_or_a_number(project: Path, jobs: str) -> None:
    for i in range(6):
        (project / "app" / f"copy{i}.py").write_text(STATE_WRITE)
    proc = run(project, "check", "-j", jobs, "app")
    assert proc.returncode == 1 and proc.stdout.count("AW101") == 7, proc.stderr


@pytest.mark.parametrize("jobs", ["0", "lots"])
def test_bad_jobs_is_a_usage_error(project: Path, jobs: str) -> None:
    proc = run(project, "check", "-j", jobs, "app")
    assert proc.returncode == 2 and "-j" in proc.stderr and repr(jobs) in proc.stderr


def test_force_exclude_applies_to_files_named_explicitly(project: Path) -> None:
    (project / "app" / "migrations").mkdir()
    (project / "app" / "migrations" / "0001.py").write_text(STATE_WRITE)
    (project / "setup.cfg").write_text("[flake8]\nextend-exclude = migrations\n")
    named = ["app/migrations/0001.py", "app/state.py"]
    assert "0001.py" in run(project, "check", *named).stdout
    forced = run(project, "check", "--force-exclude", *named)
    assert "0001.py" not in forced.stdout and "app/state.py:" in forced.stdout
    assert "0001.py" not in run(project, "check", ".").stdout


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=cwd, check=True, capture_output=True)


def test_gitignore_is_respected(project: Path) -> None:
    _git(project, "init", "-q")
    (project / ".gitignore").write_text("generated/\n*_pb2.py\n")
    (project / "app" / "generated").mkdir()
    (project / "app" / "generated" / "model.py").write_text(STATE_WRITE)
    (project / "app" / "api_pb2.py").write_text(STATE_WRITE)
    out = run(project, "check", ".").stdout
    assert "generated" not in out and "api_pb2" not in out and "app/state.py:" in out
    everything = run(project, "check", "--no-respect-gitignore", ".").stdout
    assert "generated/model.py:" in everything and "api_pb2.py:" in everything
    assert "api_pb2.py:" in run(project, "check", "app/api_pb2.py").stdout, "a file named explicitly is checked"
    assert run(project, "check", "--force-exclude", "app/api_pb2.py").stdout == ""


def test_environments_are_never_walked(project: Path) -> None:
    for env in ("tools/py311", "vendor/site-packages/pkg", "__pypackages__/3.11/lib"):
        (project / env).mkdir(parents=True)
        (project / env / "mod.py").write_text(STATE_WRITE)
    (project / "tools" / "py311" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    out = run(project, "check", ".").stdout
    assert out.count("AW101") == 1 and "./app/state.py:" in out, out


def test_unknown_codes_are_warned_about(project: Path) -> None:
    proc = run(project, "check", "--select", "AW110,AW1", "--ignore", "X9", "app")
    warnings = [line for line in proc.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 2, proc.stderr
    assert "--select: AW110 matches no rule" in warnings[0] and "--ignore: X9 matches no rule" in warnings[1]
    (project / "setup.cfg").write_text("[flake8]\nextend-ignore = E501, W6, AW99\n")
    proc = run(project, "check", "--select", "AW,E9", "app")
    assert proc.stderr.splitlines() == [
        "flake8-atomic-writes: warning: extend-ignore: AW99 matches no rule (`flake8-atomic-writes rules` lists them)"
    ]


@pytest.mark.parametrize("command", [["rules"], ["explain", "AW101"], ["check", "app"]])
def test_closed_pipe_exits_quietly(project: Path, command: List[str]) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "flake8_atomic_writes", *command],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # before the command writes anything: its first write hits a closed pipe
    error = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141 and error == ""
