"""Measure precision and recall of the AW rules on the labeled corpus.

Every write site in the team's corpus (``tests/corpus/team``; a second one written later to
check that the rules were not fitted to the first: ``tests/corpus/holdout``) carries an end-of-line comment on the
line where a finding would be reported: ``# label: AW101`` (one or more codes
that must be reported) or ``# label: ok`` (must not be reported). Unlabeled
lines are expected clean. Modules under ``corpus/optin/`` are checked with the
opt-in codes enabled. The script runs the real ``flake8`` with its own config
(never the project's setup.cfg) and always exits 0: it is a measurement.

Usage: python benchmarks/precision.py [--corpus DIR]   (default: tests/corpus/team)
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import tokenize
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Set, Tuple

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "tests" / "corpus" / "team"
OPT_IN = "AW301,AW302,AW303"
LABEL_RE = re.compile(r"#\s*label:\s*([A-Za-z0-9, ]+?)\s*(?:#|$)")
FINDING_RE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>AW\d+) (?P<msg>.*)$")

Key = Tuple[str, int]  # (path, line)


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    code: str
    message: str


def read_labels(path: Path) -> Dict[int, Set[str]]:
    """Map line -> expected codes (empty set for ``ok``) from ``# label:`` comments."""
    labels: Dict[int, Set[str]] = {}
    with open(path, "rb") as fh:
        tokens = tokenize.tokenize(fh.readline)
        for tok in tokens:
            if tok.type != tokenize.COMMENT:
                continue
            m = LABEL_RE.search(tok.string)
            if not m:
                continue
            parts = {p.strip() for p in m.group(1).split(",") if p.strip()}
            codes = {p.upper() for p in parts if p.lower() != "ok"}
            if "ok" in {p.lower() for p in parts} and codes:
                raise SystemExit(f"{path}:{tok.start[0]}: label mixes ok and codes")
            labels[tok.start[0]] = codes
    return labels


def run_flake8(files: List[Path], opt_in: bool, corpus: Path) -> Tuple[List[Finding], str]:
    """Run flake8 with a private config over ``files``; return findings and stderr.

    flake8 runs in the corpus, which is its own project (``atomic-writes-project-root``),
    on relative paths: the corpus lives under ``tests/``, whose files are otherwise skipped
    as test code.
    """
    if not files:
        return [], ""
    config = "[flake8]\nselect = AW,E999\natomic-writes-project-root = .\n"  # E999: a file that does not parse
    if opt_in:
        config += f"atomic-writes-enable = {OPT_IN}\n"
    with tempfile.NamedTemporaryFile("w", suffix=".cfg", delete=False) as cfg:
        cfg.write(config)
    try:
        cmd = [sys.executable, "-m", "flake8", "--config", cfg.name, "--jobs", "1"]
        proc = subprocess.run(
            cmd + [str(f.relative_to(corpus)) for f in files], cwd=corpus, capture_output=True, text=True, check=False
        )
    finally:
        Path(cfg.name).unlink()
    findings = []
    for line in proc.stdout.splitlines():
        m = FINDING_RE.match(line)
        if not m:
            print(f"warning: unexpected flake8 output: {line}")
        else:
            findings.append(
                Finding(str((corpus / m["path"]).resolve()), int(m["line"]), m["code"], m["msg"])
            )
    return findings, proc.stderr


def family(code: str) -> str:
    return code[:3] + "xx"


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def line(self, name: str) -> str:
        p = f"{self.tp / (self.tp + self.fp):.2f}" if self.tp + self.fp else "n/a"
        r = f"{self.tp / (self.tp + self.fn):.2f}" if self.tp + self.fn else "n/a"
        return (
            f"{name}: precision {p} recall {r} "
            f"(TP {self.tp} FP {self.fp} FN {self.fn})"
        )


def source_line(path: str, line: int, cache: Dict[str, List[str]]) -> str:
    if path not in cache:
        cache[path] = Path(path).read_text(encoding="utf-8").splitlines()
    lines = cache[path]
    return lines[line - 1].strip() if 0 < line <= len(lines) else ""


def score(
    labels: Dict[str, Dict[int, Set[str]]], findings: Iterable[Finding], root: Path
) -> None:
    per_code: Dict[str, Tally] = defaultdict(Tally)
    per_family: Dict[str, Tally] = defaultdict(Tally)
    fps: List[Tuple[Finding, str]] = []
    fns: List[Tuple[str, int, str]] = []
    reported: Dict[Key, Set[str]] = defaultdict(set)
    by_key: Dict[Key, List[Finding]] = defaultdict(list)
    for f in findings:
        reported[(f.path, f.line)].add(f.code)
        by_key[(f.path, f.line)].append(f)
        expected: Optional[Set[str]] = labels.get(f.path, {}).get(f.line)
        if expected is not None and f.code in expected:
            per_code[f.code].tp += 1
            per_family[family(f.code)].tp += 1
        else:
            why = "unlabeled line" if expected is None else (
                "labeled ok" if not expected else f"expected {', '.join(sorted(expected))}"
            )
            per_code[f.code].fp += 1
            per_family[family(f.code)].fp += 1
            fps.append((f, why))
    for path, lines in labels.items():
        for line, codes in lines.items():
            for code in sorted(codes - reported.get((path, line), set())):
                per_code[code].fn += 1
                per_family[family(code)].fn += 1
                got = ", ".join(f.code for f in by_key.get((path, line), [])) or "nothing"
                fns.append((path, line, f"expected {code}, got {got}"))

    cache: Dict[str, List[str]] = {}

    def rel(p: str) -> str:
        try:
            return str(Path(p).relative_to(root))
        except ValueError:
            return p

    print(f"== False positives ({len(fps)})")
    for f, why in sorted(fps, key=lambda x: (x[0].path, x[0].line)):
        print(f"{rel(f.path)}:{f.line}: {f.code} [{why}]")
        print(f"    src: {source_line(f.path, f.line, cache)}")
        print(f"    msg: {f.message}")
    print(f"\n== False negatives ({len(fns)})")
    for path, line, why in sorted(fns):
        print(f"{rel(path)}:{line}: [{why}]")
        print(f"    src: {source_line(path, line, cache)}")
    print("\n== Per code")
    for code in sorted(per_code):
        print(per_code[code].line(code))
    print("\n== Summary")
    for fam in ("AW1xx", "AW2xx", "AW3xx"):
        print(per_family[fam].line(fam))


def label_counts(labels: Dict[str, Dict[int, Set[str]]]) -> str:
    codes: Dict[str, int] = defaultdict(int)
    ok = 0
    for lines in labels.values():
        for expected in lines.values():
            if not expected:
                ok += 1
            for code in expected:
                codes[code] += 1
    parts = ", ".join(f"{c} {n}" for c, n in sorted(codes.items()))
    return f"labels: {parts}; ok {ok}"


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    args = ap.parse_args(argv)
    corpus: Path = args.corpus.resolve()
    files = sorted(corpus.rglob("*.py"))
    optin_dir = corpus / "optin"
    optin = [f for f in files if optin_dir in f.parents]
    default = [f for f in files if optin_dir not in f.parents]
    labels = {str(f): read_labels(f) for f in files}
    print(f"corpus: {len(default)} default modules, {len(optin)} opt-in modules")
    print(label_counts(labels) + "\n")
    findings: List[Finding] = []
    for group, opt in ((default, False), (optin, True)):
        found, err = run_flake8(group, opt, corpus)
        findings.extend(found)
        if err.strip():
            print(f"flake8 stderr ({'opt-in' if opt else 'default'}):\n{err.rstrip()}\n")
    score(labels, findings, corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
