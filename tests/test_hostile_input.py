"""One file never aborts a run: odd names, odd files, odd paths and code too deep for the
parsers, through the real ``flake8-atomic-writes`` and ``flake8`` executables."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest

BIN = Path(sys.executable).parent / "flake8-atomic-writes"
TIMEOUT = 60  # a hang (a FIFO opened for reading) fails the test instead of the suite
SAVER = (
    "import json\n"
    "from pathlib import Path\n"
    "\n"
    "CONFIG = Path.home() / 'app.json'\n"
    "\n"
    "\n"
    "def save(d):\n"
    "    with open(CONFIG, 'w') as f:\n"
    "        json.dump(d, f)\n"
)
HELPER = "import json\n\n\ndef save(path, d):\n    with open(path, 'w') as f:\n        json.dump(d, f)\n"
CALLER = "from helpers import save\n\nsave('settings.json', {})\n"
FIXED = "    atomic_json_dump(d, CONFIG)\n"
SUM = " + ".join(["'a'"] * 600)
DEEP_SOURCES = {
    # libcst's recursion limit on files CPython compiles: not fixed, the run goes on
    "deep_sum.py": SAVER.replace("json.dump(d, f)", f"f.write({SUM})"),
    "deep_dump.py": SAVER.replace("json.dump(d, f)", f"json.dump([{SUM}], f)"),
}
DEEP_DICT = SAVER.replace("json.dump(d, f)", "json.dump(" + "{'a': " * 134 + "1" + "}" * 134 + ", f)")
TOO_DEEP_TO_PARSE = "x = " + "not " * 10000 + "1\n"  # MemoryError from CPython's own parser


def run(cwd: Path, *args: str) -> "subprocess.CompletedProcess[str]":
    """The real ``flake8-atomic-writes`` executable."""
    return _run([str(BIN), *args], cwd)


def flake8(cwd: Path, *args: str) -> "subprocess.CompletedProcess[str]":
    """The real ``flake8``, allowed to print file names that are not UTF-8."""
    return _run([sys.executable, "-m", "flake8", *args], cwd, {"PYTHONIOENCODING": "utf-8:surrogateescape"})


def _run(command: List[str], cwd: Path, env: Dict[str, str] = {}) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, errors="surrogateescape", timeout=TIMEOUT,
        env={**os.environ, **env},
    )


def lines_of(out: str) -> List[str]:
    return [line for line in out.splitlines() if line]


def codes_by_file(out: str) -> List[tuple[str, str]]:
    """(path, code) of each report line (line and column left out: flake8 puts E902 at 0:1)."""
    found = []
    for line in lines_of(out):
        path, _, rest = line.partition(":")
        code = rest.split(": ", 1)[1].split()[0]
        found.append((path, code))
    return sorted(found)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "setup.cfg").write_text("[flake8]\n")
    (tmp_path / "ok.py").write_text(SAVER)
    return tmp_path


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="the filesystem needs valid UTF-8 names")
@pytest.mark.parametrize("command", ["check", "fix"])
def test_a_file_name_that_is_not_utf8(project: Path, command: str) -> None:
    name = os.fsdecode(b"\xff_state.py")
    (project / name).write_text(SAVER)
    proc = run(project, command, ".")
    assert proc.returncode == 1, proc.stderr
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr
    if command == "check":
        assert [line.split(":")[0] for line in lines_of(proc.stdout)] == ["./ok.py", "./\\udcff_state.py"]
    else:
        assert "fixed 2 findings in 2 files" in proc.stderr
        assert (project / name).read_text().endswith(FIXED) and (project / "ok.py").read_text().endswith(FIXED)


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="the filesystem needs valid UTF-8 names")
def test_flake8_project_index_with_a_module_whose_name_is_not_utf8(project: Path) -> None:
    """The helper's callers are looked up through the index: one of them passes on its own
    parameter, so the index looks for its callers in turn, by its module's name."""
    (project / "helpers.py").write_text(HELPER)
    caller = "from helpers import save\n\n\ndef store(p):\n    save(p, {})\n"
    (project / os.fsdecode(b"\xffcaller.py")).write_text(caller)
    proc = flake8(project, "--select=AW,E9", ".")
    assert "Traceback" not in proc.stderr and "UnicodeEncodeError" not in proc.stderr, proc.stderr
    assert proc.returncode == 1 and "helpers.py:5:10: AW103" in proc.stdout


@pytest.mark.slow
def test_code_too_deep_for_libcst_is_not_fixed_and_the_run_goes_on(project: Path) -> None:
    for name, source in [*DEEP_SOURCES.items(), ("deep_dict.py", DEEP_DICT)]:
        compile(source, name, "exec")  # CPython takes them
        (project / name).write_text(source)
    diff = run(project, "fix", "--diff", ".")
    assert diff.returncode == 1 and "internal error" not in diff.stderr, diff.stderr
    assert "+++ b/ok.py" in diff.stdout and "+++ b/deep_dict.py" in diff.stdout  # libcst sees only the statement
    assert "+++ b/deep_sum.py" not in diff.stdout and "+++ b/deep_dump.py" not in diff.stdout
    assert "would fix 2 findings in 2 files; 2 remaining" in diff.stderr
    fixed = run(project, "fix", ".")
    assert fixed.returncode == 1 and "internal error" not in fixed.stderr, fixed.stderr
    assert (project / "ok.py").read_text().endswith(FIXED)
    report = fixed.stdout + fixed.stderr
    for name, source in DEEP_SOURCES.items():
        assert (project / name).read_text() == source
        assert f"./{name}:8:10: AW10" in report and "(not fixed: too deeply nested)" in report


@pytest.mark.parametrize("command", ["check", "fix"])
def test_code_too_deep_for_the_parser_is_e999(project: Path, command: str) -> None:
    (project / "deep.py").write_text(TOO_DEEP_TO_PARSE)
    proc = run(project, command, ".")
    assert "internal error" not in proc.stderr, proc.stderr
    assert proc.returncode == 1 and "./deep.py:1:1: E999 MemoryError: " in proc.stdout
    if command == "check":
        assert codes_by_file(proc.stdout) == [("./deep.py", "E999"), ("./ok.py", "AW103")]
    else:
        assert (project / "ok.py").read_text().endswith(FIXED)


def test_missing_paths_and_symlink_loops_are_e902_as_in_flake8(project: Path) -> None:
    (project / "loop_a.py").symlink_to("loop_b.py")
    (project / "loop_b.py").symlink_to("loop_a.py")
    args = ["ok.py", "nope.py", "loop_a.py"]
    ours = run(project, "check", *args)
    theirs = flake8(project, "--select=AW,E9", *args)
    assert ours.returncode == theirs.returncode == 1, ours.stderr
    expected = [("loop_a.py", "E902"), ("nope.py", "E902"), ("ok.py", "AW103")]
    assert codes_by_file(ours.stdout) == codes_by_file(theirs.stdout) == expected
    assert "No such file or directory" in ours.stdout and "Too many levels of symbolic links" in ours.stdout
    fixed = run(project, "fix", *args)
    assert fixed.returncode == 1 and (project / "ok.py").read_text().endswith(FIXED)
    assert codes_by_file(fixed.stdout) == expected[:2]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_py_is_never_opened(project: Path) -> None:
    os.mkfifo(project / "pipe.py")
    (project / "helpers.py").write_text(HELPER)
    (project / "caller.py").write_text(CALLER)
    walked = run(project, "check", ".")
    assert walked.returncode == 1 and "pipe.py" not in walked.stdout + walked.stderr
    assert codes_by_file(walked.stdout) == [("./helpers.py", "AW103"), ("./ok.py", "AW103")]
    named = run(project, "check", "pipe.py", "ok.py")
    assert codes_by_file(named.stdout) == [("ok.py", "AW103"), ("pipe.py", "E902")]
    assert "not a regular file" in named.stdout
    assert run(project, "fix", "--diff", ".").returncode == 1
    # flake8 itself opens what it is given; the project index it asks about helpers.py's
    # callers lists the project's files, and must not open the FIFO either.
    proc = flake8(project, "--select=AW,E9", "helpers.py")
    assert proc.returncode == 1 and "helpers.py:5:10: AW103" in proc.stdout, proc.stderr
