"""The project's own files agree: README set-up commands, .ci/run and pyproject.toml."""

from __future__ import annotations

import re
from pathlib import Path
from typing import List

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
