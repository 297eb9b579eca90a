"""Entry point of the analysis: source tree -> facts about write sites -> findings."""

from __future__ import annotations

import ast
import os
import re
from typing import TYPE_CHECKING, Callable, List, Optional, Sequence

from .apis import JSON_DUMP_FIX, RENAME_FIX, configured_writers, may_write
from .evidence import Classifier, ProjectEvidence, Verdict, target_text
from ..config import Config
from ..lines import split_lines
from .facts import ModuleFacts, WriteSite, collect

if TYPE_CHECKING:
    from .flaws import Flaw
from ..rules import RULES, Finding, FixHint, writer_remedy

_TEST_FILE = re.compile(r"^(test_.*|.*_test|conftest|setup|noxfile)\.py$")
_TEST_DIRS = frozenset({"tests", "test", "testing"})


def is_test_file(filename: str) -> bool:
    """Test and build code: ``test_*.py``, ``*_test.py``, ``conftest.py``, anything under a
    ``tests/`` directory, and the build scripts ``setup.py`` and ``noxfile.py``."""
    parts = re.split(r"[\\/]", filename)
    return bool(_TEST_FILE.match(parts[-1])) or any(part in _TEST_DIRS for part in parts[:-1])


def analyze(
    tree: ast.AST,
    lines: Sequence[str],
    filename: str,
    config: Config,
    project: Optional[Callable[[], Optional[ProjectEvidence]]] = None,
) -> List[Finding]:
    """Return the enabled findings for one module, sorted by position; ``project`` makes the
    project index's view of this module, called only when the module has a write to judge."""
    if not config.check_tests and is_test_file(os.path.normpath(filename)):
        return []
    writers = configured_writers(config.writers)
    if not may_write("".join(lines), writers):
        return []
    facts = collect(tree, writers)
    if not facts.sites and not facts.moves:
        return []
    classifier = Classifier(facts, config, project() if project is not None else None)
    findings = _flaw_findings(facts, classifier, lines, config) if facts.moves or facts.copies else []
    flawed = {(f.line, f.col) for f in findings if f.code == "AW204"}
    for site in facts.sites:
        finding = _finding(site, classifier.judge(site), lines, config)
        if finding is not None and (finding.line, finding.col) not in flawed:
            findings.append(finding)
    findings = [f for f in findings if f.code in config.enabled]
    findings.sort(key=lambda f: (f.line, f.col, f.code))
    return findings


def analyze_source(
    source: str,
    filename: str,
    config: Config,
    project: Optional[Callable[[], Optional[ProjectEvidence]]] = None,
) -> List[Finding]:
    """Parse ``source`` and analyze it; raises ``SyntaxError`` when it does not parse."""
    tree = ast.parse(source, filename=filename)
    return analyze(tree, split_lines(source), filename, config, project)


def _finding(site: WriteSite, verdict: Verdict, lines: Sequence[str], config: Config) -> Optional[Finding]:
    code = _code(site, verdict)
    if code is None or (verdict.hazard == "new-file" and not config.new_files):
        return None
    helper, kind, fix_helper = _helper(site)
    reason = site.spec.no_fix if not kind else ("the API is called through an alias" if site.via else "")
    fields = {
        "call": site.api,
        "mode": repr(site.mode),
        "target": target_text(site.target),
        "evidence": f"persistent: {verdict.evidence}",
        "module": config.helper_module,
        "helper": helper,
        "remedy": writer_remedy(helper, config.helper_module),
        "serializer": site.serializer or "",
    }
    line, col = site.call.lineno, char_col(lines, site.call.lineno, site.call.col_offset)
    message = RULES[code].format(fields, verdict.hazard)
    return Finding(line, col, code, message, _fix_hint(code, kind, fix_helper, reason))


def _flaw_findings(facts: ModuleFacts, classifier: Classifier, lines: Sequence[str], config: Config) -> List[Finding]:
    """AW2xx and AW302: every flaw needs a move or a copy, so the module is loaded only then."""
    from .flaws import FlawFinder

    return [_flaw_finding(flaw, lines, config) for flaw in FlawFinder(facts, classifier).find()]


def _flaw_finding(flaw: "Flaw", lines: Sequence[str], config: Config) -> Finding:
    fields = {"module": config.helper_module, "helper": "atomic_write_bytes(path, data)", **flaw.fields}
    node = flaw.node
    line, col = node.lineno, char_col(lines, node.lineno, node.col_offset)  # type: ignore[attr-defined]
    hint = _fix_hint(flaw.code, RENAME_FIX, "os.replace") if flaw.code == "AW201" else None
    return Finding(line, col, flaw.code, RULES[flaw.code].format(fields), hint)


def _fix_hint(code: str, kind: str, helper: str, reason: str = "") -> Optional[FixHint]:
    """The site's fix hint: the rewrite ``kind``, capped at the rule's catalogue safety; a
    site the fixer must leave alone gets applicability ``"none"`` and the ``reason``."""
    safety = RULES[code].fix
    if safety == "none":
        return None
    if not kind or reason:
        return FixHint(kind, helper, "none", reason or "the rule has no automatic fix for this API")
    return FixHint(kind, helper, safety)


def _code(site: WriteSite, verdict: Verdict) -> Optional[str]:
    appending = "a" in site.mode and not ("w" in site.mode or "x" in site.mode)
    if verdict.status == "unknown":
        return None if appending else "AW301"
    if verdict.status != "persistent":
        return None
    if appending:
        return "AW303"
    if site.kind == "open" and site.serializer:
        return "AW103"
    return site.spec.code


def _helper(site: WriteSite) -> tuple[str, str, str]:
    """The helper the message names, the fixer's rewrite kind and the helper it produces."""
    spec = site.spec
    if site.serializer == "json.dump":
        return "atomic_json_dump(obj, path)", JSON_DUMP_FIX, "atomic_json_dump"
    mode = "'wb'" if "b" in site.mode else "'w'"
    return spec.helper.format(mode=mode), spec.fix, spec.helper.partition("(")[0]


def char_col(lines: Sequence[str], lineno: int, byte_col: int) -> int:
    """Convert ast's UTF-8 byte column to a character column using the source line."""
    if 0 < lineno <= len(lines):
        line = lines[lineno - 1]
        if not line.isascii():
            return len(line.encode("utf-8")[:byte_col].decode("utf-8", "replace"))
    return byte_col
