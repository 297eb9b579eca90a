"""The fixture modules under fixtures/, checked by the real flake8 executable.

Each flagged line carries ``# expect: CODE`` (optionally ``CODE:col``); every other line
must be clean. Files with the same ``# flake8-options:`` header run in one flake8 call.
"""

from __future__ import annotations

from itertools import groupby

import pytest

from flake8_runner import ROOT, compare, fixture_files, flake8, options_of, parse_output

GROUPS = {
    options: list(files)
    for options, files in groupby(sorted(fixture_files(), key=options_of), key=options_of)
}


def test_fixtures_exist() -> None:
    assert sum(len(files) for files in GROUPS.values()) >= 10


@pytest.mark.parametrize("options", sorted(GROUPS), ids=lambda o: " ".join(o) or "defaults")
def test_fixture_group(options: tuple) -> None:
    files = GROUPS[options]
    result = flake8(["--isolated", "--select=AW", *options, *map(str, files)], cwd=ROOT)
    assert result.returncode in (0, 1), result.stderr
    problems = compare(files, parse_output(result.stdout))
    assert not problems, "\n".join(problems)
