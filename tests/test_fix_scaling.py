"""``fix`` does work linear in the findings of a file, counted, not timed (timings are in
``benchmarks/speed_fix.py``): libcst parses only the statements that hold findings, each once,
a rejected rewrite costs a few more analyses of the file, not one per finding, and the diff
(made without comparing the whole files with difflib) applies."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any, List

import libcst
import pytest
from gitcheck import git, init_repo

from flake8_atomic_writes.analysis import analyze_source
from flake8_atomic_writes.config import Config
from flake8_atomic_writes.fix import REWRITES, fix_source
from flake8_atomic_writes.fix import diff, planner
from flake8_atomic_writes.fix.model import Edit
from flake8_atomic_writes.fix.site import Site

IMPORTS = "".join(f"import module_{i}\n" for i in range(40))
IMPORTS += "import json\nfrom pathlib import Path\n\n"
CONFIG = "CONFIG = Path.home() / 'app.json'\n"
FILLER = (
    "\n\ndef handle_{i}(items):\n    total = 0\n"
    "    for item in items:\n        total += len(item)\n    return total\n"
)
SAVER = "\n\ndef save_{i}(d):\n    with open(CONFIG, 'w') as f:\n        f.write(json.dumps(d))\n"


def generated(findings: int) -> str:
    return IMPORTS + CONFIG + "".join(FILLER.format(i=i) + SAVER.format(i=i) for i in range(findings))


def fix(source: str) -> Any:
    findings = analyze_source(source, "gen.py", Config())
    return fix_source(source, findings, filename="gen.py", config=Config(), unsafe=False), findings


@pytest.mark.parametrize("count", [10, 200])
def test_libcst_parses_each_statement_with_a_finding_once(monkeypatch: pytest.MonkeyPatch, count: int) -> None:
    parsed: List[str] = []
    real = libcst.parse_module

    def parse_module(source: str, *args: Any, **kwargs: Any) -> libcst.Module:
        parsed.append(source)
        return real(source, *args, **kwargs)

    monkeypatch.setattr(libcst, "parse_module", parse_module)
    source = generated(count)
    result, findings = fix(source)
    assert len(findings) == count and len(result.applied) == count
    statement = len(SAVER.format(i=count).strip("\n").split("\n", 1)[1])  # the with statement, in its def
    # Each statement once, with a wrapper line and a marker line: not the file, nor its imports again.
    assert sum(map(len, parsed)) <= count * (statement + 40) < len(source)


def test_a_rejected_rewrite_costs_a_few_analyses(monkeypatch: pytest.MonkeyPatch) -> None:
    """One rewrite whose result is still flagged: it alone is left out, after one more check."""
    real_rewrite = REWRITES["open"]

    def one_no_op(site: Site) -> Edit:
        if site.finding.line == 91:  # the 4th save function: a rewrite that changes nothing
            call = site.calls[0]
            return Edit(site.finding, "safe", "", call, call.with_changes(args=call.args))
        return real_rewrite(site)

    analyses = []
    real_analyze = planner.analyze_source

    def counted(*args: Any, **kwargs: Any) -> Any:
        analyses.append(1)
        return real_analyze(*args, **kwargs)

    monkeypatch.setitem(REWRITES, "open", one_no_op)
    monkeypatch.setattr(planner, "analyze_source", counted)
    source = generated(200)
    result, findings = fix(source)
    assert [n.finding.line for n in result.not_fixed] == [91]
    assert len(result.applied) == 199 and result.source.count("atomic_open(CONFIG") == 199
    assert len(analyses) <= 2, "each piece was checked on its own"


def test_the_linear_diff_applies_with_git(tmp_path: Path) -> None:
    """Long files changed in many places (aligned on their unique lines, compared by difflib
    between them), repeated lines, a last line without newline: git applies each diff exactly."""
    rng = random.Random(17)
    for case in range(25):
        lines = [b"line %d\n" % rng.randint(0, rng.choice([3, 40, 10**6])) for _ in range(rng.randint(0, 600))]
        new = list(lines)
        for _ in range(rng.randint(0, 40)):
            at = rng.randint(0, len(new))
            kind = rng.random()
            if kind < 0.4:
                new.insert(at, b"added %d\n" % rng.randint(0, 9))
            elif new and kind < 0.7:
                del new[min(at, len(new) - 1)]
            elif new:
                new[min(at, len(new) - 1)] = b"changed\n"
        old_bytes, new_bytes = b"".join(lines), b"".join(new)
        if case % 5 == 0:
            new_bytes = new_bytes.rstrip(b"\n")
        root = tmp_path / str(case)
        root.mkdir()
        (root / "m.py").write_bytes(old_bytes)
        init_repo(root)
        patch = diff.unified_diff(old_bytes, new_bytes, b"m.py")
        assert (patch == b"") == (old_bytes == new_bytes)
        if patch:
            assert git(root, "apply", "-", stdin=patch).returncode == 0, patch.decode()
        assert (root / "m.py").read_bytes() == new_bytes
