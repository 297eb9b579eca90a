"""Run the real ``flake8`` executable and read expectations written inline in fixtures."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Sequence, Set, Tuple

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>[A-Z0-9:, ]+)")
OPTIONS = re.compile(r"^#\s*flake8-options:\s*(?P<options>.+)$", re.MULTILINE)
OUTPUT = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) (?P<msg>.*)$")

Key = Tuple[str, int, str]  # (path, line, code)


def flake8(args: Sequence[str], cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m flake8`` (the real executable's module) and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "flake8", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def expected(path: Path) -> Dict[Tuple[int, str], int | None]:
    """``{(line, code): col or None}`` from ``# expect: AW101`` / ``# expect: AW101:5`` markers."""
    result: Dict[Tuple[int, str], int | None] = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = EXPECT.search(line)
        if not match:
            continue
        for item in re.split(r"[,\s]+", match["codes"].strip()):
            code, _, col = item.partition(":")
            result[(lineno, code)] = int(col) if col else None
    return result


def options_of(path: Path) -> Tuple[str, ...]:
    match = OPTIONS.search(path.read_text(encoding="utf-8"))
    return tuple(match["options"].split()) if match else ()


def parse_output(stdout: str) -> Dict[Key, List[Tuple[int, str]]]:
    found: Dict[Key, List[Tuple[int, str]]] = {}
    for line in stdout.splitlines():
        match = OUTPUT.match(line)
        assert match, f"unexpected flake8 output line: {line!r}"
        key = (str(Path(match["path"]).resolve()), int(match["line"]), match["code"])
        found.setdefault(key, []).append((int(match["col"]), match["msg"]))
    return found


def fixture_files() -> List[Path]:
    return sorted(p for p in FIXTURES.rglob("*.py") if "fix" not in p.relative_to(FIXTURES).parts[:1])


def compare(files: Sequence[Path], found: Dict[Key, List[Tuple[int, str]]]) -> List[str]:
    """Every expected finding is reported (at the expected column) and nothing else is."""
    problems: List[str] = []
    seen: Set[Key] = set()
    for path in files:
        for (line, code), col in expected(path).items():
            key = (str(path.resolve()), line, code)
            seen.add(key)
            hits = found.get(key)
            if not hits:
                problems.append(f"{path.name}:{line}: expected {code}, not reported")
            elif len(hits) > 1:
                problems.append(f"{path.name}:{line}: {code} reported {len(hits)} times")
            elif col is not None and hits[0][0] != col:
                problems.append(f"{path.name}:{line}: {code} at column {hits[0][0]}, expected {col}")
    for key, hits in found.items():
        if key not in seen:
            problems.append(f"{Path(key[0]).name}:{key[1]}: unexpected {key[2]} {hits[0][1]}")
    return problems
