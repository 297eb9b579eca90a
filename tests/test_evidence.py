"""The evidence table: fixtures name the kinds they show, the verdict weighs them as the docs
say, and the weights in the package are the ones fitted on the current audit."""

from __future__ import annotations

import ast
import re
import shlex
import sys
from pathlib import Path
from typing import Dict, List, Set, Tuple

import pytest

from flake8_atomic_writes.analysis import weights
from flake8_atomic_writes.analysis.findings import audit
from flake8_atomic_writes.analysis.fingerprint import analysis_fingerprint
from flake8_atomic_writes.analysis.kinds import KINDS, Hit, combine, leaning
from flake8_atomic_writes.config import Config
from flake8_atomic_writes.project import lazy_view
from flake8_runner import FIXTURES, OPTIONS, ROOT

KIND_MARKER = re.compile(r"#.*?\[(?P<kinds>[a-z][a-z, \-]*)\]")
BENCHMARKS = ROOT / "benchmarks"


def markers(path: Path) -> Dict[int, Set[str]]:
    """``{line: kinds}`` from ``# expect: AW101 [read]`` or ``# [temp-name] ...`` comments."""
    found = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = KIND_MARKER.search(line)
        if match:
            found[lineno] = {kind.strip() for kind in match["kinds"].split(",")}
    return found


def config_of(path: Path) -> Config:
    """The fixture's ``# flake8-options:`` header as a Config."""
    match = OPTIONS.search(path.read_text(encoding="utf-8"))
    values = {}
    for option in shlex.split(match["options"]) if match else ():
        name, _, value = option.lstrip("-").partition("=")
        values[name.replace("-", "_")] = value or "true"
    return Config.from_values(values)


def audited_kinds(path: Path) -> Dict[int, Set[str]]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    config = config_of(path)
    found: Dict[int, Set[str]] = {}
    for site in audit(ast.parse(source), lines, str(path), config, lazy_view(str(path), lines, config)):
        found.setdefault(site.line, set()).update(site.kinds)
    return found


MARKED = sorted(path for path in FIXTURES.rglob("*.py") if markers(path))


@pytest.mark.parametrize("path", MARKED, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_names_the_evidence_found(path: Path) -> None:
    found = audited_kinds(path)
    problems = [
        f"{path.name}:{line}: expected evidence {sorted(kinds)}, found {sorted(found.get(line, set()))}"
        for line, kinds in markers(path).items()
        if not kinds <= found.get(line, set())
    ]
    assert not problems, "\n".join(problems)


def test_every_kind_has_a_fixture() -> None:
    marked = {kind for path in MARKED for kinds in markers(path).values() for kind in kinds}
    assert marked == {kind.name for kind in KINDS}


def test_a_certain_kind_decides_alone() -> None:
    verdict = combine([Hit("read", "read back"), Hit("location", "under ~"), Hit("temp-origin", "tempfile")])
    assert verdict.status == "ephemeral"
    assert combine([Hit("pattern", "matches")]).confidence == "high"


def test_temporary_evidence_vetoes_and_persistent_evidence_adds_up() -> None:
    assert combine([Hit("suffix", "a '.json' file"), Hit("temp-callers", "every caller")]).status == "ephemeral"
    one = combine([Hit("suffix", "a '.json' file")])
    two = combine([Hit("suffix", "a '.json' file"), Hit("location", "under ~"), Hit("read", "read back")])
    assert one.status == two.status == "persistent"
    assert two.probability > one.probability
    assert two.evidence == "read back", "the message names the strongest evidence"
    assert combine([]).status == "unknown"


def test_leaning_ignores_weights_and_agrees_with_the_veto() -> None:
    assert leaning([Hit("word", "config"), Hit("suffix", ".json")]) == 1
    assert leaning([Hit("word", "config"), Hit("temp-name", "tmp")]) == -1  # temporary evidence vetoes
    assert leaning([Hit("word", "config"), Hit("moved", "replaced later")]) == -1
    assert leaning([]) == 0
    for hits in ([Hit("word", "config"), Hit("temp-name", "tmp")], [Hit("content", "json")]):
        assert (leaning(hits) == -1) == (combine(hits).status == "ephemeral")


def _fit_module():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import fit_weights
    finally:
        sys.path.remove(str(BENCHMARKS))
    return fit_weights


def test_weights_are_fitted_on_an_audit_of_this_analysis() -> None:
    fit_weights = _fit_module()
    stamp, rows = fit_weights.load_rows(fit_weights.AUDIT)
    assert stamp == analysis_fingerprint(), (
        "the analysis changed since the audit: run python benchmarks/fit_weights.py --audit --write"
    )
    bias, table = fit_weights.fit(fit_weights.training(rows))
    precision = fit_weights.rule_precision(rows, fit_weights.DEFAULT_MIN_CONFIDENCE)
    rendered = fit_weights.render_weights(bias, table, fit_weights.no_evidence_rate(rows), precision)
    assert rendered == fit_weights.WEIGHTS_FILE.read_text(encoding="utf-8"), (
        "run: python benchmarks/fit_weights.py --write"
    )
    assert weights.THRESHOLDS == fit_weights.THRESHOLDS


def test_the_fit_recovers_a_known_weight() -> None:
    """Sites with kind ``read`` persistent 9 times in 10, ``word`` half the time: the fitted
    weight of ``read`` is larger, and both tiers are multiples of the tier step."""
    fit_weights = _fit_module()
    data: List[Tuple[Tuple[str, ...], int]] = [(("read",), int(i % 10 != 0)) for i in range(100)]
    data += [(("word",), i % 2) for i in range(100)]
    bias, table = fit_weights.fit(data)
    assert table["read"] > table.get("word", 0.0)
    assert all((w / fit_weights.TIER).is_integer() for w in [bias, *table.values()])
