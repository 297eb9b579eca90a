"""Entry point of the analysis: source tree -> facts about write sites -> findings."""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, List, Optional, Sequence, Tuple

from .apis import JSON_DUMP_FIX, RENAME_FIX, configured_writers, may_write, mode_effect
from .evidence import Classifier, ProjectEvidence, target_text
from .kinds import Verdict, at_least
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


def _facts_to_judge(tree: ast.AST, lines: Sequence[str], filename: str, config: Config) -> Optional[ModuleFacts]:
    """The module's facts, or None when nothing in it is judged: a test file (unless checked),
    or a module that the prefilter shows calls no write API."""
    if not config.check_tests and is_test_file(os.path.normpath(filename)):
        return None
    writers = configured_writers(config.writers)
    if not may_write("".join(lines), writers):
        return None
    return collect(tree, writers)


def analyze(
    tree: ast.AST,
    lines: Sequence[str],
    filename: str,
    config: Config,
    project: Optional[Callable[[], Optional[ProjectEvidence]]] = None,
) -> List[Finding]:
    """Return the enabled findings for one module, sorted by position; ``project`` makes the
    project index's view of this module, called only when the module has a write to judge."""
    facts = _facts_to_judge(tree, lines, filename, config)
    if facts is None or (not facts.sites and not facts.moves):
        return []
    classifier = Classifier(facts, config, project() if project is not None else None)
    findings = _flaw_findings(facts, classifier, lines, config) if facts.moves or facts.copies else []
    # A copy onto the target from a temp is AW204 alone, unless AW204 is not shown (select=AW1).
    flawed = {(f.line, f.col) for f in findings if f.code == "AW204" and config.shows("AW204")}
    for site in facts.sites:
        verdict = classifier.judge(site)
        for call in site.reported_at:
            finding = _finding(site, call, verdict, lines, config)
            if finding is not None and (finding.line, finding.col) not in flawed:
                findings.append(finding)
    findings = [f for f in findings if f.code in config.enabled]
    findings.sort(key=lambda f: (f.line, f.col, f.code))
    return findings


@dataclass(frozen=True)
class AuditedSite:
    """A write site with every hit about its target, judged or not (``audit``)."""

    line: int
    col: int
    code: Optional[str]  # the rule it falls under if its target is persistent
    hazard: str
    kinds: Tuple[str, ...]


def audit(
    tree: ast.AST,
    lines: Sequence[str],
    filename: str,
    config: Config,
    project: Optional[Callable[[], Optional[ProjectEvidence]]] = None,
) -> List[AuditedSite]:
    """Every write site ``analyze`` would judge, with all its evidence, whatever the verdict:
    what ``benchmarks/fit_weights.py`` measures the weights on."""
    facts = _facts_to_judge(tree, lines, filename, config)
    if facts is None or not facts.sites:
        return []
    classifier = Classifier(facts, config, project() if project is not None else None)
    audited = []
    for site in facts.sites:
        kinds = tuple(sorted({hit.kind for hit in classifier.site_hits(site)}))
        code, hazard = site_code(site, "persistent"), classifier.hazard(site)
        for call in site.reported_at:
            line, col = call.lineno, char_col(lines, call.lineno, call.col_offset)
            audited.append(AuditedSite(line, col, code, hazard, kinds))
    return audited


def analyze_source(
    source: str,
    filename: str,
    config: Config,
    project: Optional[Callable[[], Optional[ProjectEvidence]]] = None,
) -> List[Finding]:
    """Parse ``source`` and analyze it; raises ``SyntaxError`` when it does not parse."""
    tree = ast.parse(source, filename=filename)
    return analyze(tree, split_lines(source), filename, config, project)


def _finding(
    site: WriteSite, call: ast.Call, verdict: Verdict, lines: Sequence[str], config: Config
) -> Optional[Finding]:
    """The finding on ``call``, one of the lines ``site`` is reported at (None: not reported)."""
    code = _code_at(site, verdict, config)
    if code is None or (verdict.hazard == "new-file" and not config.new_files):
        return None
    helper, kind, fix_helper = _helper(site)
    reason = site.spec.no_fix if not kind else ("the API is called through an alias" if site.via else "")
    fields = {
        "call": site.api,
        "mode": repr(site.mode),
        "target": target_text(site.target),
        "evidence": _evidence_text(verdict),
        "module": config.helper_module,
        "helper": helper,
        "remedy": writer_remedy(helper, config.helper_module),
        "serializer": site.serializer or "",
    }
    line, col = call.lineno, char_col(lines, call.lineno, call.col_offset)
    message = RULES[code].format(fields, verdict.hazard)
    hint = _fix_hint(code, kind, fix_helper, reason)
    confidence = verdict.confidence if code != "AW301" else ""
    return Finding(line, col, code, message, hint, confidence, verdict.kinds)


def _evidence_text(verdict: Verdict) -> str:
    """``persistent, high confidence: read back in load()``: the strongest evidence, named (AW301,
    for what is left below the level, shows no evidence)."""
    if verdict.status == "persistent":
        return f"persistent, {verdict.confidence} confidence: {verdict.evidence}"
    return f"{verdict.confidence} confidence: no evidence either way"  # reported at ``low``


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


def _code_at(site: WriteSite, verdict: Verdict, config: Config) -> Optional[str]:
    """The rule a site is reported under at the configured confidence: its AW1 rule when the
    verdict reaches ``atomic-writes-min-confidence`` (a write with no evidence either way
    reaches ``low``), else AW301 for a target not shown temporary."""
    if verdict.confidence and at_least(verdict.confidence, config.min_confidence):
        if verdict.status == "persistent" or mode_effect(site.mode) != "append":
            return site_code(site, "persistent")
        return None  # an append with no evidence: only a reader makes a torn tail matter
    return site_code(site, "unknown") if verdict.status != "ephemeral" else None


def site_code(site: WriteSite, status: str) -> Optional[str]:
    """The rule a write site with a target of ``status`` falls under (None: not reported)."""
    appending = mode_effect(site.mode) == "append"
    if status == "unknown":
        return None if appending else "AW301"
    if status != "persistent":
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
