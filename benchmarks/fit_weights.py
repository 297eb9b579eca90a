#!/usr/bin/env python3
"""Measure what each kind of evidence is worth on hand-labeled real code, and fit the weights.

    python benchmarks/fit_weights.py --audit             # run the analysis over the labeled packages
    python benchmarks/fit_weights.py                     # fit, print per-kind and per-package tables
    python benchmarks/fit_weights.py --write             # ... and write analysis/weights.py

The labeled corpus is ``realcode/`` of the team's shared folder (``--realcode``, default
``../shared/realcode``): CSV labels of every write site of 38 packages from PyPI, a labeling
policy and a scorer that downloads the exact versions. ``--audit`` runs the analysis in its
audit mode (``analysis.findings.audit``: every write site with every hit, whatever the
verdict) over each package exactly as ``score.py`` runs the linter (from the package root,
every ``.py`` file, the project index on), joins the labels, and saves the rows to
``benchmarks/data/audit.csv`` with a fingerprint of the analysis that produced them.

Temporary evidence vetoes a finding (on this corpus a site with any temporary hit is FLAG
about 1 time in 10, printed below) and certain kinds decide alone; the fit gives one weight
per kind of persistent evidence, over the sites with persistent evidence only, by
L2-regularised logistic regression over the labeled sites (FLAG = 1; ATOMIC, EPHEMERAL
and unlabelled sites = 0, as the scorer counts them), rounded to tiers of 0.5 so that 279
positive sites fit a handful of levels, not free weights. Reported: per kind, its support
and precision; per package, recall and precision in sample (fit on all) and out of sample
(leave-one-package-out: fit on the other 37, score this one), pooled. The figures are the
scorer's: a labeled FLAG line is caught when a finding of an AW1 rule is on it.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import sys
from collections import defaultdict
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flake8_atomic_writes import atomic_open, atomic_write_text  # noqa: E402
from flake8_atomic_writes.analysis import kinds  # noqa: E402
from flake8_atomic_writes.analysis.kinds import BY_NAME, LEVELS  # noqa: E402
from flake8_atomic_writes.config import DEFAULT_MIN_CONFIDENCE  # noqa: E402
from flake8_atomic_writes.analysis.fingerprint import analysis_fingerprint  # noqa: E402

AUDIT = ROOT / "benchmarks" / "data" / "audit.csv"
WEIGHTS_FILE = ROOT / "flake8_atomic_writes" / "analysis" / "weights.py"
# What each level promises, as a probability that the target holds state.
THRESHOLDS = {"low": 0.3, "medium": 0.55, "high": 0.9}
L2 = 1.0  # prior strength: a kind seen on few sites keeps a weight near 0
TIER = 0.25  # weights are rounded to multiples of this
POSITIVE, NEGATIVE = "FLAG", ("ATOMIC", "EPHEMERAL", "unlabelled")


class Row:
    """One write line of a labeled package: its label and the evidence found there."""

    __slots__ = ("package", "where", "label", "tag", "code", "kinds")

    def __init__(self, package: str, where: str, label: str, tag: str, code: str, found: Sequence[str]) -> None:
        self.package, self.where, self.label, self.tag, self.code = package, where, label, tag, code
        self.kinds = tuple(found)

    @property
    def reportable(self) -> bool:
        """A site an AW1 rule would report if its target were judged persistent."""
        return self.code.startswith("AW1") and not any(BY_NAME[k].certain and BY_NAME[k].polarity < 0
                                                       for k in self.kinds)


# -- the audit ---------------------------------------------------------------------------


def run_audit(realcode: Path) -> List[Row]:
    """Audit every labeled package and join its labels (one row per labeled or found line)."""
    sys.path.insert(0, str(realcode))
    import score  # the shared scorer: labels and downloads

    rows: List[Row] = []
    for (name, version), labels in sorted(score.load_labels(realcode / "labels").items()):
        root = score.unpack(name, version)
        found = _audit_package(root)
        by_line = {(r["path"], int(r["line"])): r for r in labels}
        for key in sorted(set(by_line) | set(found)):
            label = by_line.get(key)
            codes, hits = found.get(key, ("", ()))
            rows.append(Row(f"{name}=={version}", f"{key[0]}:{key[1]}", label["label"] if label else "unlabelled",
                            label["tag"] if label else "", codes, hits))
        print(f"audited {name}=={version}: {len(found)} write lines", file=sys.stderr)
    return rows


def _audit_package(root: Path) -> Dict[Tuple[str, int], Tuple[str, Tuple[str, ...]]]:
    """(path, line) -> (the AW1 code if any site there is one, else another code, the kinds)."""
    import ast

    from flake8_atomic_writes.analysis.findings import audit
    from flake8_atomic_writes.config import Config
    from flake8_atomic_writes.project import lazy_view

    config = Config.from_values({})
    found: Dict[Tuple[str, int], Tuple[str, Tuple[str, ...]]] = {}
    here = os.getcwd()
    os.chdir(root)
    try:
        for path in sorted(str(p.relative_to(root)) for p in root.rglob("*.py")):
            try:
                source = Path(path).read_text(encoding="utf-8")
                tree = ast.parse(source, filename=path)
            except (SyntaxError, UnicodeDecodeError, ValueError, OSError, RecursionError, MemoryError):
                continue
            lines = source.splitlines(keepends=True)
            for site in audit(tree, lines, path, config, lazy_view(path, lines, config)):
                key = (path, site.line)
                code, hits = found.get(key, ("", ()))
                better = site.code or ""
                code = code if code.startswith("AW1") or not better else better
                found[key] = (code, tuple(sorted(set(hits) | set(site.kinds))))
    finally:
        os.chdir(here)
    return found


def save_rows(rows: Sequence[Row], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_open(path, "w", newline="", encoding="utf-8") as f:
        f.write(f"# analysis {analysis_fingerprint()}\n")
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["package", "where", "label", "tag", "code", "kinds"])
        for row in rows:
            writer.writerow([row.package, row.where, row.label, row.tag, row.code, " ".join(row.kinds)])


def load_rows(path: Path) -> Tuple[str, List[Row]]:
    """The audit's rows and the fingerprint of the analysis that produced them."""
    with open(path, newline="", encoding="utf-8") as f:
        stamp = f.readline().strip().rpartition(" ")[2]
        rows = [Row(r["package"], r["where"], r["label"], r["tag"], r["code"], r["kinds"].split())
                for r in csv.DictReader(f)]
    return stamp, rows


# -- the fit -----------------------------------------------------------------------------


def features() -> List[str]:
    """The kinds that are clues for persistence: one weight each."""
    return [k.name for k in kinds.KINDS if not k.certain and k.polarity == kinds.PERSISTENT]


def decided_by_weights(row: Row) -> bool:
    """A site the weights judge: reportable, with persistent evidence and none temporary
    (temporary evidence vetoes, see ``kinds.combine``; no evidence is no finding)."""
    polarities = {BY_NAME[k].polarity for k in row.kinds}
    return row.reportable and polarities == {kinds.PERSISTENT}


def training(rows: Iterable[Row]) -> List[Tuple[Tuple[str, ...], int]]:
    """(kinds, 1 for FLAG else 0) of the labeled sites the weights decide."""
    return [(r.kinds, int(r.label == POSITIVE)) for r in rows
            if decided_by_weights(r) and (r.label == POSITIVE or r.label in NEGATIVE)]


def fit(data: Sequence[Tuple[Tuple[str, ...], int]]) -> Tuple[float, Dict[str, float]]:
    """L2-regularised logistic regression (Newton's method; the bias is not penalised), then
    weights rounded to tiers."""
    names = features()
    n = len(names) + 1  # the bias last
    rows = [([1.0 if name in found else 0.0 for name in names] + [1.0], label) for found, label in data]
    beta = [0.0] * n
    for _ in range(50):
        grad = [L2 * b for b in beta[:-1]] + [0.0]
        hess = [[(L2 if i == j and i < n - 1 else 0.0) for j in range(n)] for i in range(n)]
        for x, label in rows:
            z = sum(b * v for b, v in zip(beta, x))
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            w = p * (1.0 - p)
            active = [i for i, v in enumerate(x) if v]
            for i in active:
                grad[i] += p - label
                for j in active:
                    hess[i][j] += w
        step = _solve(hess, grad)
        beta = [b - s for b, s in zip(beta, step)]
        if max(abs(s) for s in step) < 1e-6:
            break
    tiered = {name: round(b / TIER) * TIER for name, b in zip(names, beta) if round(b / TIER)}
    return round(beta[-1] / TIER) * TIER, tiered


def _solve(matrix: List[List[float]], vector: List[float]) -> List[float]:
    """Solve ``matrix @ x = vector`` by Gaussian elimination with partial pivoting."""
    n = len(vector)
    a = [row[:] + [v] for row, v in zip(matrix, vector)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        if abs(a[col][col]) < 1e-12:
            continue
        for r in range(n):
            if r != col and a[r][col]:
                factor = a[r][col] / a[col][col]
                a[r] = [x - factor * y for x, y in zip(a[r], a[col])]
    return [a[i][n] / a[i][i] if abs(a[i][i]) > 1e-12 else 0.0 for i in range(n)]


def no_evidence_rate(rows: Iterable[Row]) -> float:
    """How often a reportable write with no evidence either way is FLAG (Laplace-smoothed,
    to two places): the probability such a write is given."""
    labels = [r.label == POSITIVE for r in rows if r.reportable and not r.kinds
              and (r.label == POSITIVE or r.label in NEGATIVE)]
    return round((sum(labels) + 1) / (len(labels) + 2), 2)


def model_for(rows: Sequence[Row]) -> kinds.Model:
    """The model fitted on ``rows``, as the analysis uses it (``kinds.combine``)."""
    bias, table = fit(training(rows))
    return kinds.Model(bias, table, no_evidence_rate(rows), THRESHOLDS)


def reported(row: Row, model: kinds.Model, minimum: str) -> bool:
    """Whether the linter reports this line at ``minimum`` confidence: the analysis's own
    verdict (``kinds.combine``) on the kinds found there, with ``model``."""
    if not row.code.startswith("AW1"):
        return False
    verdict = kinds.combine([kinds.Hit(kind, kind) for kind in row.kinds], model=model)
    return kinds.at_least(verdict.confidence, minimum)


# -- scoring -----------------------------------------------------------------------------


class Tally:
    def __init__(self) -> None:
        self.flag = self.caught = self.fp = 0
        self.by_tag: Dict[str, List[int]] = defaultdict(lambda: [0, 0])

    def add(self, row: Row, hit: bool) -> None:
        if row.label == POSITIVE:
            self.flag += 1
            self.caught += hit
            self.by_tag[row.tag][0] += hit
            self.by_tag[row.tag][1] += 1
        elif row.label in NEGATIVE and hit:
            self.fp += 1

    def cells(self) -> str:
        def r(a: int, b: int) -> str:
            return f"{a / b:.3f}" if b else "-"
        ip, nf = self.by_tag["in-place"], self.by_tag["new-file"]
        return (f"{r(self.caught, self.flag):>7} {r(*ip):>8} {r(*nf):>8} {r(self.caught, self.caught + self.fp):>9}"
                f" {self.flag:>4} {self.caught:>4} {self.fp:>3}")


def evaluate(rows: Sequence[Row], minimum: str) -> Tuple[Dict[str, Tally], Dict[str, Tally]]:
    """Per package: the tally in sample (fit on all) and out of sample (leave one package out)."""
    packages = sorted({r.package for r in rows})
    everything = model_for(rows)
    inside: Dict[str, Tally] = defaultdict(Tally)
    outside: Dict[str, Tally] = defaultdict(Tally)
    for package in packages:
        others = model_for([r for r in rows if r.package != package])
        for row in (r for r in rows if r.package == package):
            inside[package].add(row, reported(row, everything, minimum))
            outside[package].add(row, reported(row, others, minimum))
    return inside, outside


def rule_precision(rows: Sequence[Row], minimum: str) -> Dict[str, float]:
    """Per AW1 rule: the precision of its findings out of sample (leave one package out)."""
    hits: Dict[str, List[int]] = defaultdict(lambda: [0, 0])
    for package in sorted({r.package for r in rows}):
        others = model_for([r for r in rows if r.package != package])
        for row in rows:
            if row.package == package and (row.label == POSITIVE or row.label in NEGATIVE):
                if reported(row, others, minimum):
                    hits[row.code][0] += row.label == POSITIVE
                    hits[row.code][1] += 1
    return {code: round(tp / n, 2) for code, (tp, n) in sorted(hits.items()) if n}


def pooled(tallies: Dict[str, Tally]) -> Tally:
    total = Tally()
    for t in tallies.values():
        total.flag += t.flag
        total.caught += t.caught
        total.fp += t.fp
        for tag, (a, b) in t.by_tag.items():
            total.by_tag[tag][0] += a
            total.by_tag[tag][1] += b
    return total


def kind_table(rows: Sequence[Row], table: Dict[str, float]) -> str:
    """Per kind: the labeled AW1 sites that have it, how many are FLAG, its weight."""
    data = [(r.kinds, int(r.label == POSITIVE)) for r in rows
            if r.code.startswith("AW1") and (r.label == POSITIVE or r.label in NEGATIVE)]
    lines = [f"{'kind':14} {'polarity':>9} {'sites':>6} {'FLAG':>5} {'precision':>9} {'weight':>7}"]
    for kind in kinds.KINDS:
        with_kind = [label for found, label in data if kind.name in found]
        pos = sum(with_kind)
        precision = f"{pos / len(with_kind):.2f}" if with_kind else "-"
        weight = "certain" if kind.certain else "veto" if kind.polarity < 0 else f"{table.get(kind.name, 0.0):+.2f}"
        polarity = "persist" if kind.polarity > 0 else "temp"
        lines.append(f"{kind.name:14} {polarity:>9} {len(with_kind):>6} {pos:>5} {precision:>9} {weight:>7}")
    return "\n".join(lines)


def render_weights(bias: float, table: Dict[str, float], no_evidence: float, precision: Dict[str, float]) -> str:
    body = ",\n".join(f"    {name!r}: {table[name]!r}" for name in sorted(table))
    return (
        '"""Generated by ``python benchmarks/fit_weights.py --write`` from ``benchmarks/data/audit.csv``;\n'
        'do not edit by hand. The log-odds each kind of evidence adds (``analysis.kinds``)."""\n\n'
        f"BIAS = {bias!r}\n"
        f"NO_EVIDENCE = {no_evidence!r}  # the probability of a write with no evidence either way\n"
        f"WEIGHTS = {{\n{body},\n}}\n"
        f"THRESHOLDS = {THRESHOLDS!r}\n"
        f"# Each rule's precision at the default confidence, out of sample (leave one package out).\n"
        f"PRECISION: \"dict[str, float]\" = {precision!r}\n"
    )


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--realcode", type=Path, default=ROOT.parent / "shared" / "realcode",
                    help="the labeled corpus (labels/, score.py)")
    ap.add_argument("--audit", action="store_true", help="re-run the analysis over the labeled packages first")
    ap.add_argument("--write", action="store_true", help="write analysis/weights.py")
    ap.add_argument("--min-confidence", default="", choices=["", *LEVELS],
                    help="score at this level only (default: every level)")
    ap.add_argument("--packages", action="store_true", help="print the per-package tables")
    args = ap.parse_args(argv)
    if args.audit:
        save_rows(run_audit(args.realcode.resolve()), AUDIT)
    stamp, rows = load_rows(AUDIT)
    if stamp != analysis_fingerprint():
        print("warning: the audit was made by another version of the analysis; re-run with --audit",
              file=sys.stderr)
    bias, table = fit(training(rows))
    print(kind_table(rows, table))
    print(f"\nbias {bias:+.2f}; no evidence {no_evidence_rate(rows)}; thresholds {THRESHOLDS}\n")
    header = f"{'package':28} {'recall':>7} {'in-place':>8} {'new-file':>8} {'precision':>9} flag   tp  fp"
    for minimum in [args.min_confidence] if args.min_confidence else LEVELS:
        inside, outside = evaluate(rows, minimum)
        if args.packages:
            print(f"min-confidence {minimum}: in sample | leave one package out")
            print(header)
            for package in sorted(inside):
                print(f"{package:28} {inside[package].cells()}")
                print(f"{'  out of sample':28} {outside[package].cells()}")
        print(f"{'min-confidence ' + minimum:28} {'recall':>7} {'in-place':>8} {'new-file':>8} {'precision':>9}"
              f" flag   tp  fp")
        print(f"{'  in sample':28} {pooled(inside).cells()}")
        print(f"{'  leave-one-package-out':28} {pooled(outside).cells()}")
    if args.write:
        precision = rule_precision(rows, DEFAULT_MIN_CONFIDENCE)
        atomic_write_text(WEIGHTS_FILE, render_weights(bias, table, no_evidence_rate(rows), precision))
        print(f"wrote {WEIGHTS_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
