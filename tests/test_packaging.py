"""The project's own files agree: README set-up commands, .ci/run and pyproject.toml."""

from __future__ import annotations

import email
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from email.message import Message
from pathlib import Path
from typing import Dict, List

import pytest

import flake8_atomic_writes
from toml_support import load_toml

ROOT = Path(__file__).resolve().parents[1]


def _setup_commands() -> List[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None
    return [line.split("#", 1)[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_readme_set_up_commands_install_the_extras_ci_installs() -> None:
    lint, test = _setup_commands()
    assert lint.startswith("pip install '.[lint]' && ")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test in ci, f"{test!r} is not what .ci/run runs"
    assert test.startswith("pip install -e '.[lint,test]' && ")


# -- the release artifacts ---------------------------------------------------------------

SDIST_TESTS = ("tests/test_docs.py", "tests/test_fixtures.py", "tests/test_cli.py", "tests/test_packaging.py")


def _sdist(dists: Path) -> Path:
    (sdist,) = dists.glob("flake8_atomic_writes-*.tar.gz")
    return sdist


def _metadata(dists: Path) -> Message:
    (wheel,) = dists.glob("flake8_atomic_writes-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return email.message_from_bytes(archive.read(name))


def _tracked() -> List[str]:
    proc = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    if proc.returncode != 0 or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (this is the sdist itself)")
    return proc.stdout.splitlines()


@pytest.mark.slow
def test_sdist_holds_every_file_the_test_suite_needs(dists: Path) -> None:
    with tarfile.open(_sdist(dists)) as archive:
        members = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    needed = [
        path
        for path in _tracked()
        if path.split("/")[0] in ("flake8_atomic_writes", "tests", "fixtures", "docs", "benchmarks")
        or path.startswith(".github/")
        or path in ("README.md", "LICENSE", "pyproject.toml", "setup.cfg", ".pre-commit-hooks.yaml", ".ci/run")
        or path in (".pre-commit-config.yaml", "MANIFEST.in")
    ]
    assert [p for p in needed if p not in members] == []
    assert not [m for m in members if "__pycache__" in m or m.startswith(".ci/venv")]


@pytest.mark.slow
def test_sdist_runs_its_own_tests(dists: Path, tmp_path: Path) -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("this is the sdist itself")
    with tarfile.open(_sdist(dists)) as archive:
        archive.extractall(tmp_path)
    (root,) = tmp_path.iterdir()
    env = {**os.environ, "PYTHONPATH": str(root)}  # the sdist's package, not the checkout's
    where = subprocess.run(
        [sys.executable, "-c", "import flake8_atomic_writes as m; print(m.__file__)"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )
    assert Path(where.stdout.strip()).is_relative_to(root), where
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *SDIST_TESTS],
        cwd=root, env=env, capture_output=True, text=True, timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout.splitlines()[-1]


@pytest.mark.slow
def test_version_has_one_source(dists: Path) -> None:
    project = load_toml(ROOT / "pyproject.toml")["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert _metadata(dists)["Version"] == flake8_atomic_writes.__version__


@pytest.mark.slow
def test_metadata_says_where_and_on_what_it_works(dists: Path) -> None:
    import trove_classifiers

    metadata = _metadata(dists)
    classifiers = metadata.get_all("Classifier") or []
    assert [c for c in classifiers if c not in trove_classifiers.classifiers] == []
    versions = _python_versions(classifiers)
    assert versions == [f"3.{minor}" for minor in range(9, 14)] and metadata["Requires-Python"] == ">=3.9"
    assert "Operating System :: OS Independent" not in classifiers, "the durability guarantees are POSIX ones"
    assert "Operating System :: POSIX" in classifiers
    urls = dict(u.split(", ", 1) for u in metadata.get_all("Project-URL") or [])
    assert {"Homepage", "Repository", "Issues", "Documentation"} <= set(urls)
    assert metadata.get_all("Requires-Dist") and all("extra ==" in r for r in metadata.get_all("Requires-Dist") or [])


def test_readme_links_work_on_the_package_index() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)\s]+)\)", readme)
    assert links and [link for link in links if not link.startswith(("https://", "http://", "#"))] == []


# -- what the README promises ------------------------------------------------------------

DOCS = ("README.md", "docs/integrations.md")
PYPI_INSTALL = re.compile(r"""pip install ['"]?flake8-atomic-writes(?:\[\w+(?:,\w+)*\])?(?![\w\[-]| @)""")


def _docs_without_measured() -> Dict[str, str]:
    texts = {name: (ROOT / name).read_text(encoding="utf-8") for name in DOCS}
    texts["README.md"] = re.sub(r"\n## Measured\n.*?(?=\n## )", "\n", texts["README.md"], flags=re.DOTALL)
    return texts


def test_install_lines_work_before_the_package_is_published() -> None:
    for name, text in _docs_without_measured().items():
        for line in text.splitlines():
            if PYPI_INSTALL.search(line):
                assert "once published" in line, f"{name}: {line.strip()}"


def test_flake8_select_aw_never_hides_e9() -> None:
    for name, text in _docs_without_measured().items():
        for command in re.findall(r"flake8 [^`\n]*--select[= ]\S+", text):
            assert "E9" in command or "hides E902 and E999" in text, f"{name}: {command}"
            assert "E9" in command or command.endswith("--select=AW"), f"{name}: {command}"


def test_ruff_recipe_recommends_the_check_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ruff = readme.split("### ruff users", 1)[1].split("\n### ", 1)[0]
    assert "`flake8-atomic-writes check .`" in ruff
    assert "hides E902 and E999" in ruff and "--select=AW,E9" in ruff


# -- CI for the public repository ------------------------------------------------------------

WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"


def test_ci_workflow_is_valid_github_actions() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ci_workflow_covers_every_python_and_platform_and_runs_the_readme_commands() -> None:
    import yaml

    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    (job,) = workflow["jobs"].values()
    matrix = job["strategy"]["matrix"]
    assert matrix["python"] == _python_versions(load_toml(ROOT / "pyproject.toml")["project"]["classifiers"])
    assert {os_name.split("-")[0] for os_name in matrix["os"]} == {"ubuntu", "macos", "windows"}
    assert job["strategy"]["fail-fast"] is False
    install, test = (part.strip() for part in _setup_commands()[1].split("&&"))
    assert [s.get("run") for s in job["steps"] if s.get("run") in (install, test)] == [install, test]


def _python_versions(classifiers: List[str]) -> List[str]:
    per_version = (c for c in classifiers if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c))
    return [c.rsplit(" :: ", 1)[1] for c in per_version]


def test_ci_measures_coverage_with_a_floor() -> None:
    _, test = _setup_commands()
    assert test.endswith("python -m pytest -n auto --cov")
    report = load_toml(ROOT / "pyproject.toml")["tool"]["coverage"]
    assert report["run"]["source"] == ["flake8_atomic_writes"] and 50 <= report["report"]["fail_under"] < 100
