"""One answer per site: ``check --format json`` gives each finding the fix verdict ``fix``
then acts on (the real commands, on the same files)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Dict, Tuple

import pytest

CASES = Path(__file__).resolve().parent.parent / "fixtures" / "fix"
SHAPES = textwrap.dedent(
    """\
    import json
    from pathlib import Path

    STATE = Path.home() / ".app" / "state.json"
    CACHE = Path.home() / ".app" / "cache.bin"


    def save(d):
        STATE.write_text(json.dumps(d), encoding="utf-8")


    def save_bytes(blob):
        CACHE.write_bytes(blob)


    def save_locale(d):
        STATE.write_text(json.dumps(d))


    def save_count(d):
        return STATE.write_text(json.dumps(d), encoding="utf-8")


    def keep(d):
        f = open(STATE, "w")
        f.write(json.dumps(d))
        return f


    def through_with(d):
        with open(STATE, "w") as f:
            f.write(json.dumps(d))
            f.seek(0)
    """
)
Verdicts = Dict[Tuple[int, str], Tuple[str, str]]


def run(cwd: Path, *args: str) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(
        [sys.executable, "-m", "flake8_atomic_writes", *args], cwd=cwd, capture_output=True, text=True
    )


def verdicts(stdout: str) -> Verdicts:
    return {(i["line"], i["code"]): (i["fix"]["applicability"], i["fix"]["note"]) for i in json.loads(stdout)}


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (tmp_path / "shapes.py").write_text(SHAPES)
    shutil.copyfile(CASES / "not_fixable.py", tmp_path / "not_fixable.py")
    return tmp_path


@pytest.mark.parametrize("name", ["shapes.py", "not_fixable.py"])
def test_check_and_fix_give_each_site_the_same_verdict(project: Path, name: str) -> None:
    checked = verdicts(run(project, "check", "--format", "json", name).stdout)
    left = verdicts(run(project, "fix", "--format", "json", "--check", name).stdout)
    left_unsafe = verdicts(run(project, "fix", "--unsafe-fixes", "--format", "json", "--check", name).stdout)
    assert checked
    for site, (applicability, note) in checked.items():
        if applicability == "safe":
            assert site not in left, f"{site}: check says safe, fix leaves it: {left.get(site)}"
        elif applicability == "unsafe":
            assert left[site] == ("unsafe", f"unsafe fix ({note}): use --unsafe-fixes"), site
            assert site not in left_unsafe, f"{site}: check says unsafe, --unsafe-fixes leaves it"
        else:
            assert left[site] == left_unsafe[site] == ("none", note), site


def test_the_verdicts_of_the_shapes(project: Path) -> None:
    checked = verdicts(run(project, "check", "--format", "json", "shapes.py").stdout)
    assert checked[(9, "AW101")] == ("safe", ""), "a statement with an explicit encoding"
    assert checked[(13, "AW101")] == ("safe", ""), "write_bytes as a statement"
    assert checked[(17, "AW101")][0] == "unsafe" and "locale encoding" in checked[(17, "AW101")][1]
    assert checked[(21, "AW101")] == ("unsafe", "the result is used, and the helper returns None")
    assert checked[(25, "AW102")] == ("none", "the handle is not opened in a with statement")
    assert checked[(31, "AW102")][0] == "unsafe" and "beyond writing" in checked[(31, "AW102")][1]
