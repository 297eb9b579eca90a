"""Entry point of the analysis: source tree -> facts about write sites -> findings."""

from __future__ import annotations

import ast
import os
import re
from typing import List, Optional, Sequence

from .evidence import Classifier, Verdict, target_text
from ..config import Config
from .facts import WriteSite, collect
from .flaws import Flaw, FlawFinder
from ..rules import RULES, Finding, FixHint

# A module can only hold a write site if it names a writer or a temp file, or calls an
# ``open`` with a write-mode literal; every other module skips the tree walk entirely.
_WRITER_WORDS = re.compile(r"write_text|write_bytes|shutil|tempfile|ZipFile|etree|ElementTree|rename|os\.replace|fsync")
_OPEN_CALL = re.compile(r"open\(|\.open\b")
_WRITE_MODE = re.compile(r"""['"][rbt+]*[wxa][rbt+]*['"]""")
_TEST_FILE = re.compile(r"^(test_.*|.*_test|conftest)\.py$")
_TEST_DIRS = frozenset({"tests", "test", "testing"})


def is_test_file(filename: str) -> bool:
    """``test_*.py``, ``*_test.py``, ``conftest.py`` or anything under a ``tests/`` directory."""
    parts = re.split(r"[\\/]", filename)
    return bool(_TEST_FILE.match(parts[-1])) or any(part in _TEST_DIRS for part in parts[:-1])


def analyze(tree: ast.AST, lines: Sequence[str], filename: str, config: Config) -> List[Finding]:
    """Return the enabled findings for one module, sorted by position."""
    if not config.check_tests and is_test_file(os.path.normpath(filename)):
        return []
    if not _may_write("".join(lines)):
        return []
    facts = collect(tree)
    classifier = Classifier(facts, config)
    findings = [_flaw_finding(flaw, lines, config) for flaw in FlawFinder(facts, classifier).find()]
    flawed = {(f.line, f.col) for f in findings if f.code == "AW204"}
    for site in facts.sites:
        finding = _finding(site, classifier.judge(site), lines, config)
        if finding is not None and (finding.line, finding.col) not in flawed:
            findings.append(finding)
    findings = [f for f in findings if f.code in config.enabled]
    findings.sort(key=lambda f: (f.line, f.col, f.code))
    return findings


def _may_write(source: str) -> bool:
    return bool(_WRITER_WORDS.search(source) or (_OPEN_CALL.search(source) and _WRITE_MODE.search(source)))


def analyze_source(source: str, filename: str, config: Config) -> List[Finding]:
    """Parse ``source`` and analyze it; raises ``SyntaxError`` when it does not parse."""
    tree = ast.parse(source, filename=filename)
    return analyze(tree, source.splitlines(keepends=True), filename, config)


def _finding(site: WriteSite, verdict: Verdict, lines: Sequence[str], config: Config) -> Optional[Finding]:
    code = _code(site, verdict)
    if code is None:
        return None
    helper, kind, fix_helper = _helper(site)
    fields = {
        "call": site.api,
        "mode": repr(site.mode),
        "target": target_text(site.target),
        "evidence": f"persistent: {verdict.evidence}",
        "module": config.helper_module,
        "helper": helper,
        "serializer": site.serializer or "",
    }
    line, col = site.call.lineno, char_col(lines, site.call.lineno, site.call.col_offset)
    return Finding(line, col, code, RULES[code].format(fields), _fix_hint(code, kind, fix_helper))


def _flaw_finding(flaw: Flaw, lines: Sequence[str], config: Config) -> Finding:
    fields = {"module": config.helper_module, "helper": "atomic_write_bytes(path, data)", **flaw.fields}
    node = flaw.node
    line, col = node.lineno, char_col(lines, node.lineno, node.col_offset)  # type: ignore[attr-defined]
    hint = _fix_hint(flaw.code, "rename", "os.replace") if flaw.code == "AW201" else None
    return Finding(line, col, flaw.code, RULES[flaw.code].format(fields), hint)


def _fix_hint(code: str, kind: str, helper: str) -> Optional[FixHint]:
    """The site's fix hint: the rewrite ``kind``, capped at the rule's catalogue safety."""
    safety = RULES[code].fix
    if not kind or safety == "none":
        return None
    return FixHint(kind, helper, safety)


def _code(site: WriteSite, verdict: Verdict) -> Optional[str]:
    appending = "a" in site.mode and not ("w" in site.mode or "x" in site.mode)
    if verdict.status == "unknown":
        return None if appending else "AW301"
    if verdict.status != "persistent":
        return None
    if appending:
        return "AW303"
    if site.kind == "path_write":
        return "AW101"
    if site.kind == "stdlib":
        return "AW104"
    return "AW103" if site.serializer else "AW102"


def _helper(site: WriteSite) -> tuple[str, str, str]:
    """The helper the message names, the fixer's rewrite kind and the helper it produces."""
    binary = "b" in site.mode
    if site.kind == "path_write":
        name = "atomic_write_bytes" if site.api.endswith("bytes") else "atomic_write_text"
        return name, "write_text", name
    if site.serializer == "json.dump":
        return "atomic_json_dump(obj, path)", "json_dump", "atomic_json_dump"
    if site.kind == "stdlib":
        if site.api.startswith("shutil."):
            return "atomic_write_bytes(dst, src.read_bytes())", "", ""
        return "atomic_open(path, 'wb')", "", ""
    mode = "'wb'" if binary else "'w'"
    return f"atomic_open(path, {mode})", "open", "atomic_open"


def char_col(lines: Sequence[str], lineno: int, byte_col: int) -> int:
    """Convert ast's UTF-8 byte column to a character column using the source line."""
    if 0 < lineno <= len(lines):
        line = lines[lineno - 1]
        if not line.isascii():
            return len(line.encode("utf-8")[:byte_col].decode("utf-8", "replace"))
    return byte_col
