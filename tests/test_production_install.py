"""The plain install, as an application puts it in production: built from the wheel into a
fresh virtualenv, it brings no third-party distribution, and code the fixer produced runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Iterator, List

import pytest

pytestmark = pytest.mark.slow  # builds the release and installs it

TIMEOUT = 600
EXTRA_HINT = "pip install 'flake8-atomic-writes[lint]'"
# What `python -m venv` itself puts in a virtualenv (setuptools only before Python 3.12).
VENV_BASELINE = {"pip", "setuptools"}

PROGRAM = textwrap.dedent(
    """\
    import json
    import sys
    from pathlib import Path

    HOME = Path(sys.argv[1])
    STATE_FILE = HOME / "state.json"
    NOTES_FILE = HOME / "notes.cfg"
    CONFIG_FILE = HOME / "config.toml"


    def save_state(state):
        with open(STATE_FILE, "w") as f:
            json.dump(state, f, indent=2)


    def save_notes(lines):
        with open(NOTES_FILE, "w") as f:
            for line in lines:
                f.write(line + "\\n")


    def save_config(text):
        CONFIG_FILE.write_text(text, encoding="utf-8")


    def load_state():
        return json.loads(STATE_FILE.read_text())


    if __name__ == "__main__":
        save_state({"runs": 3})
        save_notes(["a", "b"])
        save_config("x = 1\\n")
        print(json.dumps(load_state()))
    """
)


def _run(args: List[str], **kwargs: object) -> "subprocess.CompletedProcess[str]":
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        args, capture_output=True, text=True, timeout=TIMEOUT, env=env, **kwargs
    )


def _bin(venv: Path, name: str) -> Path:
    scripts = venv / ("Scripts" if os.name == "nt" else "bin")
    return scripts / (name + (".exe" if os.name == "nt" else ""))


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory, dists: Path) -> Iterator[Path]:
    base = tmp_path_factory.mktemp("production")
    (wheel,) = dists.glob("flake8_atomic_writes-*.whl")
    made = _run([sys.executable, "-m", "venv", str(base / "venv")])
    assert made.returncode == 0, made.stderr
    installed = _run([str(_bin(base / "venv", "python")), "-m", "pip", "install", "-q", str(wheel)])
    assert installed.returncode == 0, installed.stdout + installed.stderr
    yield base / "venv"


def test_plain_install_brings_no_third_party_distribution(venv: Path) -> None:
    listed = _run([str(_bin(venv, "python")), "-m", "pip", "list", "--format", "json"])
    names = {item["name"].lower() for item in json.loads(listed.stdout)}
    assert names - VENV_BASELINE == {"flake8-atomic-writes"}, names


def test_import_loads_only_the_standard_library(venv: Path) -> None:
    probe = (
        "import sys, json; before = set(sys.modules); import flake8_atomic_writes; "
        "new = set(sys.modules) - before; names = getattr(sys, 'stdlib_module_names', None); "
        "print(json.dumps(sorted(m for m in new if names is not None and m.split('.')[0] not in names)))"
    )
    proc = _run([str(_bin(venv, "python")), "-c", probe])
    assert proc.returncode == 0, proc.stderr
    assert [m for m in json.loads(proc.stdout) if not m.startswith("flake8_atomic_writes")] == []


def test_fixed_code_runs_in_the_plain_install(venv: Path, tmp_path: Path) -> None:
    fixed = _run(
        [sys.executable, "-m", "flake8_atomic_writes", "fix", "--unsafe-fixes", "-", "--stdin-filename", "app.py"],
        input=PROGRAM,
    )
    assert "with atomic_open(NOTES_FILE, \"w\") as f:" in fixed.stdout, fixed.stdout + fixed.stderr
    assert "atomic_json_dump({" not in fixed.stdout and "atomic_json_dump(state, STATE_FILE" in fixed.stdout
    assert "atomic_write_text(CONFIG_FILE, " in fixed.stdout, fixed.stdout
    (tmp_path / "app.py").write_text(fixed.stdout)
    proc = _run([str(_bin(venv, "python")), str(tmp_path / "app.py"), str(tmp_path)], cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"runs": 3}
    assert (tmp_path / "notes.cfg").read_text() == "a\nb\n"
    assert (tmp_path / "config.toml").read_text() == "x = 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.py", "config.toml", "notes.cfg", "state.json"]


@pytest.mark.parametrize("command", ["check", "fix"])
def test_lint_commands_name_the_extra(venv: Path, tmp_path: Path, command: str) -> None:
    (tmp_path / "app.py").write_text(PROGRAM)
    proc = _run([str(_bin(venv, "flake8-atomic-writes")), command, "."], cwd=str(tmp_path))
    assert proc.returncode == 2 and proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1 and EXTRA_HINT in proc.stderr, proc.stderr
    assert (tmp_path / "app.py").read_text() == PROGRAM


def test_rules_and_explain_need_no_extra(venv: Path) -> None:
    rules = _run([str(_bin(venv, "flake8-atomic-writes")), "rules"])
    assert rules.returncode == 0 and "AW101" in rules.stdout, rules.stderr
    explain = _run([str(_bin(venv, "python")), "-m", "flake8_atomic_writes", "explain", "AW101"])
    assert explain.returncode == 0 and explain.stdout.startswith("# non-atomic-path-write (AW101)")
