"""The fixer: golden files in fixtures/fix/, idempotence, AW201, and files that do not parse."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

from gitcheck import assert_applies_to

from flake8_atomic_writes.cli import Outcome, Settings, Source, _process
from flake8_atomic_writes.config import Config
from flake8_atomic_writes.fix import REWRITES, FixResult
from flake8_atomic_writes.fixer import fix_source
from flake8_atomic_writes.noqa import CodeFilter
from flake8_atomic_writes.rules import Finding, FixHint

CASES = Path(__file__).resolve().parent.parent / "fixtures" / "fix"
INPUTS = sorted(p for p in CASES.glob("*.py") if not p.name.endswith(".fixed.py"))
OPEN = FixHint("open", "atomic_open", "safe")
RENAME = FixHint("rename", "os.replace", "safe")


def _fix(name: str, text: str, unsafe: bool) -> Outcome:
    settings = Settings(Config(), CodeFilter(), fix=True, unsafe_fixes=unsafe)
    return _process(settings, Source(name, text.encode("utf-8"), text, "utf-8", None))


def _fixed_text(name: str, text: str, unsafe: bool) -> str:
    outcome = _fix(name, text, unsafe)
    return outcome.new_text if outcome.new_text is not None else text


@pytest.mark.parametrize("case", INPUTS, ids=[p.stem for p in INPUTS])
def test_golden(case: Path, tmp_path: Path) -> None:
    text = case.read_text(encoding="utf-8")
    if "# fixture: read-only" in text:
        return _golden_read_only(case, tmp_path)
    unsafe = "# fixture: unsafe" in text
    expected = case.with_suffix(".fixed.py").read_text(encoding="utf-8")
    outcome = _fix(case.name, text, unsafe)
    fixed = outcome.new_text if outcome.new_text is not None else text
    assert fixed == expected
    ast.parse(fixed)
    assert _fixed_text(case.name, fixed, unsafe) == fixed, "fixing twice changes nothing"
    if outcome.new_text is not None:
        assert_applies_to(tmp_path, {case.name: text}, outcome.diff)


def _golden_read_only(case: Path, tmp_path: Path) -> None:
    """The case, made read-only (0444) on disk, goes through the real command and is left alone."""
    target = tmp_path / case.name
    shutil.copyfile(case, target)
    target.chmod(0o444)
    proc = subprocess.run(
        [sys.executable, "-m", "flake8_atomic_writes", "fix", case.name], cwd=tmp_path, capture_output=True, text=True
    )
    assert proc.returncode == 1 and f"{case.name}: read-only, not fixed" in proc.stderr
    assert target.read_bytes() == case.with_suffix(".fixed.py").read_bytes()


def test_every_fixture_has_an_expected_output() -> None:
    assert INPUTS and all(p.with_suffix(".fixed.py").is_file() for p in INPUTS)


def test_reasons_for_shapes_without_a_fix() -> None:
    text = (CASES / "not_fixable.py").read_text(encoding="utf-8")
    notes = "\n".join(d.fix_note for d in _fix("not_fixable.py", text, unsafe=True).diagnostics)
    assert "the handle is not opened in a with statement" in notes
    assert "codecs.open() takes different arguments" in notes
    assert "the name atomic_open is already bound" in notes


def test_unsafe_fixes_are_held_back_and_marked() -> None:
    text = (CASES / "write_text_held.py").read_text(encoding="utf-8")
    outcome = _fix("write_text_held.py", text, unsafe=False)
    assert outcome.new_text is None
    assert [d.fix for d in outcome.diagnostics] == ["unsafe"]
    assert _fix("write_text_held.py", text, unsafe=True).new_text is not None


def _fix_by_hand(source: str, findings: List[Finding]) -> str:
    result = fix_source(source, findings, filename="x.py", config=Config(), unsafe=False)
    return result.source


def test_rename_becomes_replace() -> None:
    source = "import os\nos.rename(tmp, path)\np.rename(target)\n"
    findings = [Finding(2, 0, "AW201", "m", RENAME), Finding(3, 0, "AW201", "m", RENAME)]
    assert _fix_by_hand(source, findings) == "import os\nos.replace(tmp, path)\np.replace(target)\n"


def test_rename_imported_by_name_imports_replace() -> None:
    source = "from os import rename as mv\nmv(tmp, path)\n"
    expected = "from os import replace\nreplace(tmp, path)\n"
    assert _fix_by_hand(source, [Finding(2, 0, "AW201", "m", RENAME)]) == expected


def test_rename_held_back_when_replace_is_taken() -> None:
    source = "from os import rename\nreplace = 1\nrename(tmp, path)\n"
    result = fix_source(
        source, [Finding(3, 0, "AW201", "m", RENAME)], filename="x.py", config=Config(), unsafe=True
    )
    assert result.source == source
    assert "already bound" in result.not_fixed[0].reason


def test_helper_module_is_configurable() -> None:
    source = "import json\nwith open('config.json', 'w') as f:\n    f.write(json.dumps(1))\n"
    config = Config(helper_module="myapp.io")
    result = fix_source(
        source, [Finding(2, 5, "AW102", "m", OPEN)], filename="x.py", config=config, unsafe=False
    )
    assert "from myapp.io import atomic_open\n" in result.source
    assert "with atomic_open('config.json', 'w') as f:" in result.source


def test_file_that_does_not_parse_is_left_alone() -> None:
    source = "with open('config.json', 'w') as f:\nf.write(\n"
    result = fix_source(
        source, [Finding(1, 5, "AW102", "m", OPEN)], filename="x.py", config=Config(), unsafe=True
    )
    assert result.source == source and result.error and not result.applied
    outcome = _fix("bad.py", source, unsafe=True)
    assert outcome.new_text is None and outcome.diagnostics[0].code == "E999"


def test_crlf_and_comments_are_kept() -> None:
    source = 'import json\r\n\r\n\r\ndef save(c):\r\n    with open("config.json", "w") as f:  # c\r\n        f.write(json.dumps(c))\r\n'  # noqa: E501
    fixed = _fixed_text("x.py", source, unsafe=False)
    assert 'with atomic_open("config.json", "w") as f:  # c\r\n' in fixed
    assert "\n" not in fixed.replace("\r\n", "")


def test_rule_marked_unsafe_in_the_catalogue_never_gets_a_safe_fix() -> None:
    # With AW301 on, a plain export gets the with-swap that is safe under AW102: the
    # catalogue says AW301's fixes are unsafe, so it is held back without --unsafe-fixes.
    text = "def export(rows, out):\n    with open(out, 'w') as f:\n        f.writelines(rows)\n"
    config = Config.from_values({"atomic_writes_enable": ["AW301"]})
    source = Source("e.py", text.encode("utf-8"), text, "utf-8", None)
    outcome = _process(Settings(config, CodeFilter(), fix=True), source)
    assert outcome.new_text is None
    assert [(d.code, d.fix) for d in outcome.diagnostics] == [("AW301", "unsafe")]
    unsafe = _process(Settings(config, CodeFilter(), fix=True, unsafe_fixes=True), source)
    assert unsafe.new_text is not None and "atomic_open(out, 'w')" in unsafe.new_text


OPEN_SOURCE = "import json\nwith open('config.json', 'w') as f:\n    f.write(json.dumps(1))\n"


def _one(hint: FixHint, unsafe: bool = False) -> FixResult:
    finding = Finding(2, 5, "AW102", "m", hint)
    return fix_source(OPEN_SOURCE, [finding], filename="x.py", config=Config(), unsafe=unsafe)


def test_kind_without_a_rewrite_is_reported() -> None:
    result = _one(FixHint("zipfile", "atomic_open", "safe"))
    assert result.source == OPEN_SOURCE and [n.reason for n in result.not_fixed] == ["no rewrite for zipfile"]


def test_site_refused_by_the_analysis_is_not_tried() -> None:
    result = _one(FixHint("open", "atomic_open", "none", "codecs.open() takes different arguments"))
    assert result.source == OPEN_SOURCE and result.not_fixed[0].reason == "codecs.open() takes different arguments"


def test_site_applicability_caps_the_rewrite() -> None:
    held = _one(FixHint("open", "atomic_open", "unsafe", "the target may be a FIFO"))
    assert held.source == OPEN_SOURCE
    assert held.not_fixed[0].applicability == "unsafe" and "the target may be a FIFO" in held.not_fixed[0].reason
    assert "atomic_open('config.json', 'w')" in _one(held.not_fixed[0].finding.fix or OPEN, unsafe=True).source


def test_every_kind_the_analysis_emits_has_a_rewrite() -> None:
    from flake8_atomic_writes.analysis.apis import fix_kinds

    assert fix_kinds() == {"write_text", "open", "json_dump", "rename"}
    assert fix_kinds() <= set(REWRITES)


def test_names_outside_the_rewritten_statement_count() -> None:
    text = (CASES / "names_outside.py").read_text(encoding="utf-8")
    notes = [d.fix_note for d in _fix("names_outside.py", text, unsafe=True).diagnostics]
    assert notes == ["the name atomic_json_dump is already bound to something else here"]


def test_check_reports_the_sites_applicability_and_reason() -> None:
    from flake8_atomic_writes.cli import _diagnostic
    from flake8_atomic_writes.report import render

    hint = FixHint("open", "atomic_open", "none", "codecs.open() takes different arguments")
    diagnostic = _diagnostic("m.py", Finding(3, 4, "AW102", "msg", hint))
    assert (diagnostic.fix, diagnostic.fix_note) == ("none", "codecs.open() takes different arguments")
    assert render([diagnostic], "text") == "m.py:3:5: AW102 msg\n", "check's text output stays flake8's"


def test_names_imported_next_to_other_code_resolve() -> None:
    source = (
        "import json, os; DEBUG = os.environ\n\n\n"
        "def save(c):\n    with open('state.json', 'w') as f:\n        json.dump(c, f)\n"
    )
    assert "    atomic_json_dump(c, 'state.json')\n" in _fixed_text("x.py", source, unsafe=False)


def test_a_rewrite_whose_result_is_still_flagged_is_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    from flake8_atomic_writes.fix.model import Edit
    from flake8_atomic_writes.fix.site import Site

    def no_op(site: Site) -> Edit:  # a registered rewrite that changes nothing that matters
        call = site.calls[0]
        return Edit(site.finding, "safe", "", call, call.with_changes(args=call.args))

    monkeypatch.setitem(REWRITES, "open", no_op)
    text = "import json\n\n\ndef save(c):\n    with open('config.json', 'w') as f:\n        f.write(json.dumps(c))\n"
    outcome = _fix("x.py", text, unsafe=False)
    assert outcome.new_text is None
    assert [d.fix_note for d in outcome.diagnostics] == ["the rewrite would not parse or would still be flagged"]
