"""Lines are split as flake8 splits them (``\\n``, ``\\r\\n``, ``\\r``), not as ``str.splitlines``.

Generated programs put a form feed, ``\\x1c``-``\\x1e``, ``\\x85``, ``\\u2028`` and ``\\u2029``
(all line breaks to ``str.splitlines``, none to Python's tokenizer) into comments, strings and
indentation; the real ``flake8 --select=AW`` and ``flake8-atomic-writes check`` must then
report the same findings at the same line and column, honour ``# noqa`` on the same line,
and ``fix`` must leave the lines that carry a ``# noqa`` alone.
"""

from __future__ import annotations

import io
import random
import re
import subprocess
import sys
from pathlib import Path
from typing import List, Set, Tuple

import pytest

BIN = Path(sys.executable).parent / "flake8-atomic-writes"
ODD = ["\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\x0b"]
NEWLINES = ["\n", "\r\n", "\r"]
REPORT = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) ")
PLAIN_OPEN = re.compile(r"(?<![\w.])open\(CONFIG")  # not atomic_open(
Report = Set[Tuple[str, int, int, str]]


def physical_lines(data: bytes) -> List[str]:
    """The lines as flake8 reads them: universal newlines."""
    return io.StringIO(data.decode("utf-8"), newline="").readlines()


class Program:
    """A module whose statements are findings, noqa'd findings and filler with odd characters."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lines: List[str] = ["import json", "from pathlib import Path", "", "CONFIG = Path.home() / 'app.json'"]

    def odd(self, count: int = 2) -> str:
        return "".join(self.rng.choice(ODD) + self.rng.choice("ab #") for _ in range(count))

    def filler(self, indent: str) -> List[str]:
        odd = self.odd()
        return self.rng.choice(
            [
                [f"{indent}# a comment {odd} with odd characters"],
                [f"{indent}text = {odd!r}"],  # escaped: the characters are not in the source
                [f"{indent}text = '{odd.replace(chr(92), '')}'  # raw in a string"],
                [f"{indent}text = '''{odd}", f"{odd}'''"],  # and across lines of a string
                ["\x0c"],  # a form feed alone on its line (pep8's page break)
                [f"\x0c{indent}pass"],  # a form feed in the indentation
            ]
        )

    def finding(self, index: int, indent: str) -> List[str]:
        noqa = self.rng.random() < 0.4
        comment = f"  # {self.odd(1)} # noqa: AW103" if noqa else f"  # {self.odd(1)}" * self.rng.randint(0, 1)
        if self.rng.random() < 0.3:  # odd characters before the call, on its line
            call = f"text = '{self.odd(1)}'; json.dump(d, open(CONFIG, 'w'))"
            return [f"{indent}def save_{index}(d):", f"{indent}    {call}{comment}"]
        return [
            f"{indent}def save_{index}(d):",
            f"{indent}    with open(CONFIG, 'w') as f:{comment}",
            f"{indent}        json.dump(d, f)",
        ]

    def build(self, statements: int) -> bytes:
        for index in range(statements):
            self.lines += [""]
            if self.rng.random() < 0.5:
                self.lines += self.filler("")
            indent = "    " if self.rng.random() < 0.3 else ""
            if indent:
                self.lines += [f"class Holder{index}:"]
            self.lines += self.finding(index, indent)
            if self.rng.random() < 0.5:
                self.lines += self.filler(indent + "    ") if indent else self.filler("")
        newline = self.rng.choice(NEWLINES)
        mixed = self.rng.random() < 0.3
        text = "".join(line + (self.rng.choice(NEWLINES) if mixed else newline) for line in self.lines)
        return text.encode("utf-8")


def reports(out: str) -> Report:
    found = set()
    for line in physical_lines(out.encode("utf-8")):
        match = REPORT.match(line)
        assert match, f"unexpected output line {line!r}"
        found.add((Path(match["path"]).name, int(match["line"]), int(match["col"]), match["code"]))
    return found


@pytest.fixture(scope="module")
def programs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lines")
    (root / "setup.cfg").write_text("[flake8]\n")
    for seed in range(40):
        data = Program(random.Random(seed)).build(6)
        compile(data, f"gen_{seed}.py", "exec")  # valid Python, odd characters and all
        (root / f"gen_{seed}.py").write_bytes(data)
    return root


def test_the_programs_hold_what_splitlines_splits_on(programs: Path) -> None:
    texts = [p.read_bytes().decode("utf-8") for p in programs.glob("gen_*.py")]
    for char in ODD:
        assert sum(char in text for text in texts) >= 5, repr(char)
    assert sum(len(t.splitlines()) != len(physical_lines(t.encode("utf-8"))) for t in texts) >= 35


def test_check_reports_what_flake8_reports(programs: Path) -> None:
    flake8 = subprocess.run(
        [sys.executable, "-m", "flake8", "--select=AW", "."], cwd=programs, capture_output=True, text=True, timeout=300
    )
    ours = subprocess.run([str(BIN), "check", "."], cwd=programs, capture_output=True, text=True, timeout=300)
    assert flake8.returncode == ours.returncode == 1, flake8.stderr + ours.stderr
    theirs, mine = reports(flake8.stdout), reports(ours.stdout)
    assert len(theirs) > 100
    assert mine == theirs
    for name, line, _, code in mine:
        physical = physical_lines((programs / name).read_bytes())[line - 1]
        assert "open(CONFIG" in physical and "# noqa" not in physical, (name, line, physical)


def test_show_source_shows_the_reported_line(programs: Path) -> None:
    ours = subprocess.run([str(BIN), "check", "--show-source", "."], cwd=programs, capture_output=True, text=True)
    out = physical_lines(ours.stdout.encode("utf-8"))
    shown = [line for line in out if "open(CONFIG" in line and not REPORT.match(line)]
    assert len(shown) > 100 and all(line.lstrip().startswith(("with open(", "text = ")) for line in shown)


def test_fix_leaves_noqa_lines_alone(programs: Path, tmp_path: Path) -> None:
    for path in programs.glob("*.*"):
        if path.is_file():
            (tmp_path / path.name).write_bytes(path.read_bytes())
    before = {p.name: physical_lines(p.read_bytes()) for p in tmp_path.glob("gen_*.py")}
    proc = subprocess.run([str(BIN), "fix", "."], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1 and "internal error" not in proc.stderr, proc.stderr
    kept = 0
    for name, lines in before.items():
        after = physical_lines((tmp_path / name).read_bytes())
        for line in lines:
            if "# noqa" in line:
                assert line in after, (name, line)
                kept += 1
        left = sum(bool(PLAIN_OPEN.search(line)) for line in after)
        assert left == sum("# noqa" in line for line in lines), name
    assert kept > 50


@pytest.mark.parametrize("odd", ODD)
def test_fix_wraps_the_right_line_after_an_odd_character(tmp_path: Path, odd: str) -> None:
    """A rewritten call past max-line-length is wrapped even when a comment above it in the
    same function holds a character ``str.splitlines`` breaks at."""
    source = (
        "import json\nfrom pathlib import Path\n\nCONFIG_PATH_FOR_THE_APPLICATION = Path.home() / 'app.json'\n\n\n"
        f"def save(settings_dictionary):\n    # page{odd}break\n"
        "    with open(CONFIG_PATH_FOR_THE_APPLICATION, 'w') as f:\n"
        "        json.dump(settings_dictionary, f, indent=2, sort_keys=True)\n"
    )
    (tmp_path / "m.py").write_text(source, encoding="utf-8")
    proc = subprocess.run([str(BIN), "fix", "m.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    fixed = physical_lines((tmp_path / "m.py").read_bytes())
    assert f"    # page{odd}break\n" in fixed and "    atomic_json_dump(\n" in fixed
    assert max(len(line.rstrip("\n")) for line in fixed) <= 79
