"""The rule docs' examples are tests: every Example is flagged with its code, every Use instead
is clean, and each rule's message is checked in full, evidence clause included."""

from __future__ import annotations

import re

from typing import List

import pytest

from flake8_atomic_writes.analysis import analyze_source
from flake8_atomic_writes.config import Config
from flake8_atomic_writes.rules import DEFAULT_ENABLED, RULES, Finding


def _findings(source: str, code: str) -> List[Finding]:
    """Findings with the defaults plus ``code`` (opt-in rules are judged alone)."""
    return analyze_source(source, "example.py", Config(enabled=DEFAULT_ENABLED | {code}))


@pytest.mark.parametrize("code", sorted(RULES))
def test_example_is_flagged_with_its_code(code: str) -> None:
    assert code in {f.code for f in _findings(RULES[code].example, code)}


@pytest.mark.parametrize("code", sorted(RULES))
def test_use_instead_is_clean(code: str) -> None:
    assert [f.text for f in _findings(RULES[code].use_instead, code)] == []


MESSAGES = {
    "AW101": (
        "Path.write_text() rewrites 'STATE_FILE' in place (persistent, high confidence: under Path.home()); a crash "
        'leaves it truncated. Use flake8_atomic_writes.atomic_write_text(path, data)'
    ),
    "AW102": (
        "open() in mode 'w' rewrites 'path' in place (persistent, medium confidence: a '.ini' file); a crash leaves "
        "it truncated. Use: with flake8_atomic_writes.atomic_open(path, 'w') as f"
    ),
    "AW103": (
        "json.dump() into open('w') rewrites 'CONFIG_PATH' in place (persistent, high confidence: a '.json' file); "
        'a crash leaves it truncated and unparseable. Use '
        'flake8_atomic_writes.atomic_json_dump(obj, path)'
    ),
    "AW104": (
        "shutil.copyfile() writes 'CONFIG' in place (persistent, high confidence: under Path.home()); a crash "
        'leaves it truncated. Write to a temp file in the same directory and os.replace() it, or '
        'use flake8_atomic_writes.atomic_write_bytes(dst, Path(src).read_bytes())'
    ),
    "AW201": (
        "os.rename() moves temp 'tmp' over 'path'; on Windows it fails when the target exists. Use "
        'os.replace()'
    ),
    "AW202": (
        "temp 'tmp' is created outside the directory of 'path' (tempfile.mkstemp() without dir=); "
        'os.replace() fails across filesystems and shutil.move() silently copies in place. Create '
        "it with dir= set to the target's directory"
    ),
    "AW203": (
        "temp 'f.name' is moved onto 'path' while it is still open (inside its with block); the "
        'target can be published incomplete. Close the temp file before replacing'
    ),
    "AW204": (
        "fake atomic write: 'path' is removed before 'tmp' is moved onto it; a crash leaves 'path' "
        'truncated or missing. Use os.replace(temp, target) or '
        'flake8_atomic_writes.atomic_write_bytes(path, data)'
    ),
    "AW301": (
        "open() rewrites 'out_path' in place; nothing shows whether it is temporary or persistent. "
        "If it holds state, use flake8_atomic_writes.atomic_open(path, 'w')"
    ),
    "AW302": (
        "temp 'tmp' is replaced onto 'path' without os.fsync(); after a power loss the target can "
        'be empty. fsync the temp before replacing, or use '
        'flake8_atomic_writes.atomic_write_bytes(path, data)'
    ),
    "AW303": (
        "open() in mode 'a' appends to 'history.jsonl' (persistent, medium confidence: read back in load()); a crash "
        'can leave a torn last record that breaks readers. Rewrite it atomically, or make readers '
        'skip a torn tail'
    ),
}


@pytest.mark.parametrize("code", sorted(RULES))
def test_full_message_of_the_example(code: str) -> None:
    findings = [f for f in _findings(RULES[code].example, code) if f.code == code]
    assert [any_level(f.message) for f in findings] == [any_level(MESSAGES[code])]
    assert all(f"{f.confidence} confidence" in f.message for f in findings if f.confidence)


def any_level(message: str) -> str:
    """The message with its confidence level left out: the levels move when the weights are
    refitted on the labeled corpus (``tests/test_confidence.py`` pins them on a sample)."""
    return re.sub(r"\b(low|medium|high) confidence\b", "<level> confidence", message)


def test_new_file_message() -> None:
    source = (
        "import json\n"
        "from pathlib import Path\n\n"
        "CONFIG = Path.home() / '.app' / 'config.json'\n\n\n"
        "def seed(defaults):\n"
        "    if not CONFIG.exists():\n"
        "        CONFIG.write_text(json.dumps(defaults))\n"
    )
    (finding,) = _findings(source, "AW101")
    assert any_level(finding.message) == any_level(
        "Path.write_text() creates 'CONFIG' without an atomic publish (persistent, high confidence: "
        "under Path.home()); "
        "a crash leaves a truncated file that is later trusted. Use flake8_atomic_writes.atomic_write_text(path, data)"
    )
