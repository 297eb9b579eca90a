"""The catalogue drives the docs: rule pages, README table, explain, and fixture coverage."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from flake8_atomic_writes.docs import (
    EVIDENCE_END,
    EVIDENCE_START,
    TABLE_END,
    TABLE_START,
    render_evidence,
    render_rule,
    render_table,
)
from flake8_atomic_writes.rules import RULES
from flake8_runner import EXPECT, ROOT, fixture_files

SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety", "## Options")


def test_readme_table_matches_catalogue() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split(TABLE_START)[1].split(TABLE_END)[0].strip()
    assert table == render_table(), "run: python -m flake8_atomic_writes.docs"


def test_readme_evidence_table_matches_the_kinds() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split(EVIDENCE_START)[1].split(EVIDENCE_END)[0].strip()
    assert table == render_evidence(), "run: python -m flake8_atomic_writes.docs"
    assert "| `read` | persistent |" in table and "| `temp-origin` | temporary |" in table


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_page_matches_catalogue(code: str) -> None:
    page = (ROOT / "docs" / "rules" / f"{code}.md").read_text(encoding="utf-8")
    assert page == render_rule(RULES[code]), "run: python -m flake8_atomic_writes.docs"
    for section in SECTIONS:
        assert section in page


def test_no_stray_rule_pages() -> None:
    assert {p.stem for p in (ROOT / "docs" / "rules").glob("*.md")} == set(RULES)


def test_codes_are_valid_flake8_codes() -> None:
    for code in RULES:
        assert re.fullmatch(r"[A-Z]{1,3}[0-9]{0,3}", code)


def test_every_rule_has_fixtures_both_ways() -> None:
    expected_codes = set()
    for path in fixture_files():
        for line in path.read_text(encoding="utf-8").splitlines():
            match = EXPECT.search(line)
            if match:
                expected_codes.update(c.split(":")[0] for c in re.split(r"[,\s]+", match["codes"].strip()))
    assert expected_codes == set(RULES)


@pytest.mark.parametrize("code", ["AW101", "AW204", "AW303"])
def test_explain_prints_the_page(code: str) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "flake8_atomic_writes", "explain", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == render_rule(RULES[code]).strip()
