"""The pre-commit integration, exercised with the real ``pre-commit`` executable.

A copy of this checkout is committed into a temporary git repository that serves as the
hook repository (pre-commit needs a git repo and a rev), and each test makes a throwaway
"user" repository whose ``.pre-commit-config.yaml`` points at it. pre-commit builds the
hook environments with pip (from PyPI), once per module: ``PRE_COMMIT_HOME`` is shared
by every test here, so the environments are built once.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Dict, Iterator, List

import pytest
from samples import STATE_WRITE, STATE_WRITE_COL, STATE_WRITE_LINE
from toml_support import load_toml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PRE_COMMIT = BIN / "pre-commit"

# Generous: the first run pip-installs the hook environment (flake8, libcst) from PyPI.
INSTALL_TIMEOUT = 900

# What a hook repository needs to be pip-installable, plus its manifest.
PROJECT_FILES = ("pyproject.toml", "setup.cfg", "README.md", "LICENSE", ".pre-commit-hooks.yaml")
PROJECT_DIRS = ("flake8_atomic_writes",)


FIXABLE = textwrap.dedent(
    """\
    import json


    def save_settings(cfg):
        with open("settings.json", "w") as f:
            json.dump(cfg, f)
    """
)

pytestmark = [
    pytest.mark.skipif(not PRE_COMMIT.exists(), reason=f"pre-commit is not installed next to {sys.executable}"),
    pytest.mark.slow,  # builds hook environments with pip
]


def _env(pre_commit_home: Path) -> Dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        # An outer git hook or pre-commit run must not leak into the throwaway repos.
        if not k.startswith(("GIT_", "PRE_COMMIT")) and k not in ("SKIP", "VIRTUAL_ENV")
    }
    env.update(
        PRE_COMMIT_HOME=str(pre_commit_home),
        GIT_AUTHOR_NAME="test",
        GIT_AUTHOR_EMAIL="test@example.invalid",
        GIT_COMMITTER_NAME="test",
        GIT_COMMITTER_EMAIL="test@example.invalid",
        GIT_CONFIG_NOSYSTEM="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_NO_INPUT="1",
    )
    # The venv's bin first, so `git`-spawned and pre-commit-spawned tools are ours.
    env["PATH"] = os.pathsep.join([str(BIN), env.get("PATH", "")])
    return env


def _git(repo: Path, env: Dict[str, str], *args: str) -> str:
    proc = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, f"git {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


class Env:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.home = base / "pre-commit-home"
        self.home.mkdir()
        self.env = _env(self.home)
        self.hook_repo = base / "hook-repo"
        self.rev = self._make_hook_repo()
        self._n = 0

    def _make_hook_repo(self) -> str:
        repo = self.hook_repo
        repo.mkdir()
        for name in PROJECT_FILES:
            shutil.copy2(ROOT / name, repo / name)
        for name in PROJECT_DIRS:
            shutil.copytree(
                ROOT / name, repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        _git(repo, self.env, "init", "-q")
        _git(repo, self.env, "add", ".")
        _git(repo, self.env, "commit", "-q", "-m", "snapshot of the working tree")
        return _git(repo, self.env, "rev-parse", "HEAD").strip()

    def user_repo(self, config: str, files: Dict[str, str]) -> Path:
        self._n += 1
        repo = self.base / f"user-repo-{self._n}"
        repo.mkdir()
        (repo / ".pre-commit-config.yaml").write_text(config)
        for rel, text in files.items():
            path = repo / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        _git(repo, self.env, "init", "-q")
        _git(repo, self.env, "add", ".")
        _git(repo, self.env, "commit", "-q", "-m", "initial")
        return repo

    def commit_all(self, repo: Path) -> None:
        _git(repo, self.env, "add", ".")
        _git(repo, self.env, "commit", "-q", "-m", "fixed")

    def run(self, repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
        cmd: List[str] = [str(PRE_COMMIT), "run", "--all-files", "--color", "never", *args]
        return subprocess.run(
            cmd,
            cwd=repo,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT,
        )

    def this_repo_config(self, *hook_ids: str) -> str:
        hooks = "".join(f"    -   id: {h}\n" for h in hook_ids)
        return f"repos:\n-   repo: {self.hook_repo}\n    rev: {self.rev}\n    hooks:\n{hooks}"


@pytest.fixture(scope="module")
def pc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    base = tmp_path_factory.mktemp("precommit")
    yield Env(base)
    shutil.rmtree(base, ignore_errors=True)


def _out(proc: subprocess.CompletedProcess[str]) -> str:
    return f"exit {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"


def test_manifest_is_valid_for_pre_commit(pc: Env) -> None:
    proc = subprocess.run(
        [str(PRE_COMMIT), "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
        env=pc.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, _out(proc)
    import yaml

    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    # --force-exclude: pre-commit names every file, and `exclude` must still apply to them.
    assert hooks["flake8-atomic-writes"]["entry"] == "flake8-atomic-writes check --force-exclude"
    assert hooks["flake8-atomic-writes-fix"]["entry"] == "flake8-atomic-writes fix --force-exclude"
    lint_extra = load_toml(ROOT / "pyproject.toml")["project"]["optional-dependencies"]["lint"]
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["types"] == ["python"]
        # pre-commit installs the hook repository without extras: each hook lists [lint] itself.
        assert hook["additional_dependencies"] == lint_extra


def test_check_hook_fails_on_a_state_write(pc: Env) -> None:
    repo = pc.user_repo(
        pc.this_repo_config("flake8-atomic-writes"),
        {"app/state.py": STATE_WRITE, "app/clean.py": "print('hello')\n"},
    )
    proc = pc.run(repo)
    out = _out(proc)
    assert proc.returncode == 1, out
    assert "flake8-atomic-writes (check)" in proc.stdout, out
    assert "Failed" in proc.stdout, out
    assert f"app/state.py:{STATE_WRITE_LINE}:{STATE_WRITE_COL}: AW101" in proc.stdout, out
    assert "app/clean.py" not in proc.stdout, out
    # The check hook never changes files.
    assert (repo / "app/state.py").read_text() == STATE_WRITE


def test_fix_hook_rewrites_then_passes(pc: Env) -> None:
    repo = pc.user_repo(
        pc.this_repo_config("flake8-atomic-writes-fix", "flake8-atomic-writes"),
        {"app/settings.py": FIXABLE},
    )
    first = pc.run(repo, "flake8-atomic-writes-fix")
    assert first.returncode == 1, _out(first)
    fixed = (repo / "app/settings.py").read_text()
    assert fixed != FIXABLE, _out(first)
    assert "from flake8_atomic_writes import atomic_json_dump" in fixed, fixed
    assert 'atomic_json_dump(cfg, "settings.json")' in fixed, fixed
    assert "open(\"settings.json\"" not in fixed, fixed
    compile(fixed, "app/settings.py", "exec")  # the result still parses

    pc.commit_all(repo)
    second = pc.run(repo)  # both hooks: nothing left to fix or report
    assert second.returncode == 0, _out(second)
    assert "Passed" in second.stdout, _out(second)
    assert (repo / "app/settings.py").read_text() == fixed  # idempotent


def test_flake8_local_hook_with_additional_dependencies(pc: Env) -> None:
    # The common form in users' configs is flake8's own hook plus
    # `additional_dependencies: [flake8-atomic-writes]`; flake8's hook repository is not
    # reachable here, so the same thing is spelled as a local hook that installs flake8
    # and this plugin into its environment from the project copy.
    config = textwrap.dedent(
        f"""\
        repos:
        -   repo: local
            hooks:
            -   id: flake8
                name: flake8
                entry: flake8 --select=AW
                language: python
                types: [python]
                require_serial: true
                additional_dependencies: ["{pc.hook_repo}"]
        """
    )
    repo = pc.user_repo(config, {"app/state.py": STATE_WRITE})
    proc = pc.run(repo)
    assert proc.returncode == 1, _out(proc)
    assert f"app/state.py:{STATE_WRITE_LINE}:{STATE_WRITE_COL}: AW101" in proc.stdout, _out(proc)

    # The same file written with the helper passes.
    (repo / "app/state.py").write_text(
        STATE_WRITE.replace(
            "from pathlib import Path\n",
            "from pathlib import Path\n\nfrom flake8_atomic_writes import atomic_write_text\n",
        ).replace(
            "CONFIG_PATH.write_text(json.dumps(cfg))",
            "atomic_write_text(CONFIG_PATH, json.dumps(cfg))",
        )
    )
    pc.commit_all(repo)
    proc = pc.run(repo)
    assert proc.returncode == 0, _out(proc)


README_RECIPE = re.compile(r"<!-- recipe: (?P<name>[\w-]+) -->\n```yaml\n(?P<yaml>.*?)```", re.DOTALL)
CLONE = "/path/to/flake8-atomic-writes"
PLACEHOLDER_REV = "0" * 40


def _readme_recipe(name: str) -> str:
    recipes = {m["name"]: m["yaml"] for m in README_RECIPE.finditer((ROOT / "README.md").read_text(encoding="utf-8"))}
    return recipes[name]


def _flake8_stand_in(pc: Env) -> Path:
    """What ``repo: https://github.com/PyCQA/flake8`` at ``rev: 7.3.0`` gives (not reachable
    here): flake8's hook manifest in a pip-installable repository that installs flake8."""
    repo = pc.base / "flake8-stand-in"
    if not repo.exists():
        repo.mkdir()
        (repo / ".pre-commit-hooks.yaml").write_text(
            "-   id: flake8\n    name: flake8\n    entry: flake8\n    language: python\n"
            "    types: [python]\n    require_serial: true\n"
        )
        (repo / "pyproject.toml").write_text(
            '[project]\nname = "flake8-stand-in"\nversion = "7.3.0"\ndependencies = ["flake8==7.3.0"]\n'
            '[tool.setuptools]\npy-modules = []\n'
        )
        _git(repo, pc.env, "init", "-q")
        _git(repo, pc.env, "add", ".")
        _git(repo, pc.env, "commit", "-q", "-m", "flake8's hook")
        _git(repo, pc.env, "tag", "7.3.0")
    return repo


def test_readme_recipe_for_this_repositorys_hooks_works_from_a_clone(pc: Env) -> None:
    recipe = _readme_recipe("own-hooks")
    assert CLONE in recipe and PLACEHOLDER_REV in recipe
    config = recipe.replace(CLONE, str(pc.hook_repo)).replace(PLACEHOLDER_REV, pc.rev)
    repo = pc.user_repo(config, {"app/settings.py": FIXABLE})
    proc = pc.run(repo)
    assert proc.returncode == 1 and "atomic_json_dump(cfg" in (repo / "app/settings.py").read_text(), _out(proc)


def test_readme_recipe_for_the_flake8_hook_works_from_a_clone(pc: Env) -> None:
    recipe = _readme_recipe("flake8-hook")
    assert "repo: https://github.com/PyCQA/flake8" in recipe and CLONE in recipe
    config = recipe.replace("https://github.com/PyCQA/flake8", str(_flake8_stand_in(pc)))
    repo = pc.user_repo(config.replace(CLONE, str(pc.hook_repo)), {"app/state.py": STATE_WRITE})
    proc = pc.run(repo)
    assert proc.returncode == 1, _out(proc)
    assert f"app/state.py:{STATE_WRITE_LINE}:{STATE_WRITE_COL}: AW101" in proc.stdout, _out(proc)


def test_check_hook_takes_a_baseline_in_its_args(pc: Env) -> None:
    """Adoption: today's findings recorded once, the hook then fails only on new ones."""
    config = pc.this_repo_config("flake8-atomic-writes") + "        args: [--baseline, aw-baseline.json]\n"
    repo = pc.user_repo(config, {"app/state.py": STATE_WRITE})
    written = subprocess.run(
        [str(BIN / "flake8-atomic-writes"), "check", "--write-baseline", "aw-baseline.json", "."],
        cwd=repo, capture_output=True, text=True,
    )
    assert written.returncode == 0, written.stderr
    pc.commit_all(repo)
    assert pc.run(repo).returncode == 0, "the recorded finding no longer fails the hook"
    (repo / "app/other.py").write_text(STATE_WRITE)
    pc.commit_all(repo)
    proc = pc.run(repo)
    assert proc.returncode == 1 and "app/other.py:" in proc.stdout and "app/state.py:" not in proc.stdout, _out(proc)


def test_check_hook_honours_exclude_for_the_files_it_is_given(pc: Env) -> None:
    # pre-commit names every file on the command line; `exclude` must still apply (--force-exclude).
    repo = pc.user_repo(
        pc.this_repo_config("flake8-atomic-writes"),
        {"legacy/state.py": STATE_WRITE, "setup.cfg": "[flake8]\nextend-exclude = legacy\n"},
    )
    proc = pc.run(repo)
    assert proc.returncode == 0, _out(proc)


# The repository's own hooks (.pre-commit-config.yaml: format, lint, type check), run by
# real pre-commit on a copy of the package and the project's configuration files. The tests
# are linted by test_selfclean.
SELF_FILES = (
    "pyproject.toml", "setup.cfg", "README.md", "LICENSE", ".pre-commit-config.yaml", ".pre-commit-hooks.yaml",
)
SELF_DIRS = ("flake8_atomic_writes", ".github")


def test_repository_hooks_pass_on_the_project(pc: Env) -> None:
    repo = pc.base / "self"
    repo.mkdir()
    for name in SELF_FILES:
        shutil.copy2(ROOT / name, repo / name)
    for name in SELF_DIRS:
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (repo / "flake8_atomic_writes" / "bad_whitespace.py").write_text('"""Trailing blanks."""   \n\n\n')
    _git(repo, pc.env, "init", "-q")
    _git(repo, pc.env, "add", ".")
    _git(repo, pc.env, "commit", "-q", "-m", "snapshot")
    first = pc.run(repo)
    assert first.returncode == 1, _out(first)
    assert (repo / "flake8_atomic_writes" / "bad_whitespace.py").read_text() == '"""Trailing blanks."""\n', _out(first)
    for hook in ("format (trailing whitespace)", "lint (flake8, with this plugin)", "type check (mypy --strict)"):
        assert hook in first.stdout, _out(first)
    pc.commit_all(repo)
    second = pc.run(repo)
    assert second.returncode == 0, _out(second)
    assert "Failed" not in second.stdout and second.stdout.count("Passed") == 7, _out(second)
