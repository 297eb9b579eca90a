"""``flake8-atomic-writes fix`` end to end: diffs git applies, files it must not or cannot write, output."""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterator, List, Optional

import pytest
from gitcheck import assert_applies, init_repo

ROOT = Path(__file__).resolve().parent.parent
STATE = (
    "import json\n"
    "from pathlib import Path\n\n"
    'CONFIG_PATH = Path.home() / ".myapp" / "config.json"\n\n\n'
    "def save(cfg):\n"
    "    CONFIG_PATH.write_text(json.dumps(cfg))\n\n\n"
    "def save_settings(cfg):\n"
    '    with open("settings.json", "w") as f:\n'
    "        json.dump(cfg, f)\n"
)
FIXED_LINE = '    atomic_json_dump(cfg, "settings.json")\n'


def run(
    cwd: Path, *args: str, preexec: Optional[Callable[[], None]] = None
) -> "subprocess.CompletedProcess[str]":
    env = {**os.environ, "HOME": str(cwd), "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "flake8_atomic_writes", *args],
        cwd=cwd,
        capture_output=True,
        timeout=120,
        env=env,
        preexec_fn=preexec,
    )
    # Decoded by hand: text=True would turn the \r\n of a CRLF file's diff into \n.
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode(), proc.stderr.decode())


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "state.py").write_text(STATE)
    (tmp_path / "app" / "tail.py").write_text(STATE.rstrip("\n"))  # no newline at the end
    (tmp_path / "app" / "crlf.py").write_bytes(STATE.replace("\n", "\r\n").encode())
    init_repo(tmp_path)
    return tmp_path


@pytest.mark.parametrize("spelling", [".", "app", "./app", "ABSOLUTE"])
def test_diff_paths_are_relative_and_git_applies_them(project: Path, spelling: str) -> None:
    argument = str(project / "app") if spelling == "ABSOLUTE" else spelling
    proc = run(project, "fix", "--diff", argument)
    assert proc.returncode == 1, proc.stderr
    headers = [line for line in proc.stdout.splitlines() if line.startswith(("--- ", "+++ "))]
    assert headers == [
        f"{side}/app/{name}.py" for name in ("crlf", "state", "tail") for side in ("--- a", "+++ b")
    ]
    assert_applies(project, proc.stdout)


def test_diff_of_a_file_without_final_newline_applies(project: Path) -> None:
    proc = run(project, "fix", "--diff", "app/tail.py")
    assert "\\ No newline at end of file" in proc.stdout
    assert_applies(project, proc.stdout)
    assert subprocess.run(["git", "apply", "-"], cwd=project, input=proc.stdout, text=True).returncode == 0
    assert (project / "app" / "tail.py").read_text().endswith(FIXED_LINE.rstrip("\n"))


def test_read_only_file_is_reported_and_left_alone(project: Path) -> None:
    locked = project / "app" / "crlf.py"
    before = locked.read_bytes()
    locked.chmod(0o444)  # root ignores it when writing: the fixer must not
    proc = run(project, "fix", "app")
    assert proc.returncode == 1
    assert "app/crlf.py: read-only, not fixed" in proc.stderr
    assert proc.stdout.startswith("app/crlf.py:8:5: AW101 ") and "(not fixed: the file is read-only)" in proc.stdout
    assert locked.read_bytes() == before and stat.S_IMODE(locked.stat().st_mode) == 0o444
    assert FIXED_LINE in (project / "app" / "state.py").read_text(), "the run goes on"
    assert "internal error" not in proc.stderr


@pytest.fixture()
def shared_dir() -> Iterator[Path]:
    """A directory another user can enter (pytest's tmp_path is private to root)."""
    path = Path(tempfile.mkdtemp(prefix="aw-fix-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER = 0, 1, 2, 3
PR_CAPBSET_DROP = 24


def _without_caps(caps: List[int], groups: Optional[List[int]] = None) -> Callable[[], None]:
    """Run the child as root without ``caps``: the kernel then checks permissions as for anyone."""

    def drop() -> None:
        if groups is not None:
            os.setgroups(groups)
        libc = ctypes.CDLL(None, use_errno=True)
        for cap in caps:
            if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")

    return drop


def _caps_can_be_dropped() -> bool:
    try:
        return subprocess.run(["true"], preexec_fn=_without_caps([CAP_DAC_OVERRIDE])).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def test_write_error_on_one_file_is_reported_and_the_run_goes_on(shared_dir: Path) -> None:
    locked, free = shared_dir / "locked", shared_dir / "free"
    for directory in (locked, free):
        directory.mkdir()
        (directory / "state.py").write_text(STATE)  # the file is writable, its directory is not
    locked.chmod(0o555)
    preexec = None
    if os.geteuid() == 0:
        if not _caps_can_be_dropped():
            pytest.skip("cannot drop CAP_DAC_OVERRIDE here, and root writes into any directory")
        preexec = _without_caps([CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER])
    try:
        proc = run(shared_dir, "fix", ".", preexec=preexec)
    finally:
        locked.chmod(0o755)
    assert proc.returncode == 1, proc.stderr
    assert "locked/state.py: not fixed: PermissionError" in proc.stderr
    assert "internal error" not in proc.stderr
    assert (locked / "state.py").read_text() == STATE
    assert FIXED_LINE in (free / "state.py").read_text()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown to other users needs root")
def test_owner_and_group_are_kept(shared_dir: Path) -> None:
    target = shared_dir / "state.py"
    target.write_text(STATE)
    os.chown(target, 4243, 4242)
    target.chmod(0o664)
    assert run(shared_dir, "fix", "state.py").returncode == 1
    assert FIXED_LINE in target.read_text()
    assert (target.stat().st_uid, target.stat().st_gid) == (4243, 4242)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="setting up other users' files needs root")
def test_group_is_kept_when_a_group_member_fixes_another_users_file(shared_dir: Path) -> None:
    if not _caps_can_be_dropped():
        pytest.skip("cannot drop CAP_CHOWN here")
    target = shared_dir / "state.py"
    target.write_text(STATE)
    os.chown(target, 4243, 4242)
    target.chmod(0o664)
    # A member of group 4242 that may not chown: it cannot keep the owner, but keeps the group.
    proc = run(shared_dir, "fix", "state.py", preexec=_without_caps([CAP_CHOWN], groups=[4242]))
    assert FIXED_LINE in target.read_text(), proc.stderr
    assert target.stat().st_gid == 4242, "the group of the file is kept"


def test_each_finding_is_printed_once_with_its_reason(project: Path) -> None:
    proc = run(project, "fix", "app/state.py")
    assert proc.returncode == 1
    lines = [line for line in (proc.stdout + proc.stderr).splitlines() if "AW101" in line]
    assert len(lines) == 1, proc.stdout + proc.stderr
    assert lines[0].startswith("app/state.py:8:5: AW101 ")
    assert lines[0].endswith("(not fixed: unsafe fix (without encoding= write_text() uses the locale encoding, "
                             "the helper UTF-8): use --unsafe-fixes)")


def test_json_carries_the_sites_applicability_and_note(project: Path) -> None:
    source = project / "app" / "state.py"
    source.write_text(STATE + '\n\ndef keep(cfg):\n    f = open("session.json", "w")\n    return f\n')
    items = json.loads(run(project, "fix", "--format", "json", "app/state.py").stdout)
    by_code = {item["code"]: item["fix"] for item in items}
    assert by_code["AW101"]["applicability"] == "unsafe" and "--unsafe-fixes" in by_code["AW101"]["note"]
    assert by_code["AW102"] == {
        "applicability": "none", "note": "the handle is not opened in a with statement", "fixed": False
    }


@pytest.mark.slow
def test_real_shaped_project_end_to_end(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "fixtures" / "fix" / "project", project)
    init_repo(project)
    assert _lint(project, "--select=F401").returncode == 0
    assert _ruff(project).returncode == 0
    diff = run(project, "fix", "--unsafe-fixes", "--diff", ".")
    assert diff.returncode == 1 and "would fix 4 findings in 2 files; 0 remaining" in diff.stderr
    assert_applies(project, diff.stdout)
    done = run(project, "fix", "--unsafe-fixes", ".")
    assert done.returncode == 1 and "fixed 4 findings in 2 files; 0 remaining" in done.stderr
    lint, ruff = _lint(project), _ruff(project)
    assert lint.returncode == 0, lint.stdout
    assert ruff.returncode == 0, ruff.stdout
    assert run(project, "check", ".").returncode == 0
    # The diff describes exactly what fix wrote.
    subprocess.run(["git", "stash", "-q"], cwd=project, check=True)
    subprocess.run(["git", "apply", "-"], cwd=project, input=diff.stdout, text=True, check=True)
    assert subprocess.run(["git", "diff", "--quiet", "stash@{0}"], cwd=project).returncode == 0


def _lint(cwd: Path, *args: str) -> "subprocess.CompletedProcess[str]":
    return subprocess.run([sys.executable, "-m", "flake8", *args, "."], cwd=cwd, capture_output=True, text=True)


def _ruff(cwd: Path) -> "subprocess.CompletedProcess[str]":
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed")
    return subprocess.run([ruff, "check", "--select", "I,F401", "."], cwd=cwd, capture_output=True, text=True)
