"""Speed and memory of ``fix --diff`` against ``check`` on generated files (one run).

    python benchmarks/speed_fix.py [--cases 50000:1,10000:100,10000:1000,20000:3000]

Each case is ``LINES:FINDINGS``: a realistic module of that many lines, made of small
handler functions and ``FINDINGS`` save functions spread evenly among them, each with one
finding (a ``json.dump`` into ``open(..., "w")``, a ``with open(..., "w")`` block that
writes, or a ``Path.write_text``). Every command runs in its own wrapper process, so that
``getrusage(RUSAGE_CHILDREN)`` gives the peak memory of that command alone. Targets, at
any number of findings per file: ``fix --diff`` time <= 5x ``check`` time, and peak memory
<= 4x ``check``'s.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import List, Tuple

BIN = Path(sys.executable).parent / "flake8-atomic-writes"
WRAPPER = (
    "import json, resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "seconds = time.perf_counter() - start\n"
    "print(json.dumps([seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))\n"
)
DEFAULT_CASES = "50000:1,10000:100,10000:1000,20000:3000"
HEADER = [
    '"""Generated module: many small handlers and some save functions."""',
    "import json",
    "import os",
    "from pathlib import Path",
    "",
    'CONFIG_PATH = Path.home() / ".myapp" / "config.json"',
    'STATE_PATH = Path.home() / ".myapp" / "state.txt"',
]


def handler(index: int) -> List[str]:
    return [
        "",
        "",
        f"def handler_{index}(items, scale={index}):",
        f'    """Handle batch {index}."""',
        "    total = 0",
        "    for item in items:",
        "        if item.get('kind') == 'a':",
        "            total += item['value'] * scale",
        "        else:",
        "            total -= len(json.dumps(item))",
        f"    return {{'id': {index}, 'total': total, 'path': os.path.join('x', str(total))}}",
    ]


def saver(index: int) -> List[str]:
    """One finding, of one of three kinds (collapsed json.dump, atomic_open swap, unsafe write_text)."""
    body = [
        ["    with open(CONFIG_PATH, 'w') as f:", "        json.dump(cfg, f, indent=2)"],
        ["    with open(STATE_PATH, 'w') as f:", "        f.write(str(cfg))", "        f.write('\\n')"],
        ["    STATE_PATH.write_text(json.dumps(cfg))"],
    ][index % 3]
    return ["", "", f"def save_{index}(cfg):", *body]


def generate(lines: int, findings: int = 1) -> str:
    """About ``lines`` lines with ``findings`` save functions spread evenly among handlers."""
    handlers = max(0, (lines - len(HEADER) - 5 * findings) // 11)
    out = list(HEADER)
    saved = 0
    for index in range(handlers):
        out += handler(index)
        while saved < findings and saved * handlers <= index * findings:
            out += saver(saved)
            saved += 1
    while saved < findings:
        out += saver(saved)
        saved += 1
    return "\n".join(out) + "\n"


def measure(command: List[str]) -> Tuple[float, int]:
    """(wall seconds, peak RSS in KiB) of ``command``, run in a fresh wrapper process."""
    out = subprocess.run([sys.executable, "-c", WRAPPER, *command], capture_output=True, text=True, check=True)
    seconds, rss = json.loads(out.stdout)
    return float(seconds), int(rss)


def cases(text: str) -> List[Tuple[int, int]]:
    """``"10000:100,50000"`` -> ``[(10000, 100), (50000, 1)]``."""
    found = []
    for item in text.split(","):
        lines, _, findings = item.partition(":")
        found.append((int(lines), int(findings or 1)))
    return found


def main(argv: List[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default=DEFAULT_CASES, help="comma-separated LINES:FINDINGS file shapes")
    parser.add_argument("--lines", help="comma-separated sizes with one finding each (same as --cases N:1,...)")
    args = parser.parse_args(argv)
    shapes = cases(args.lines) if args.lines else cases(args.cases)
    print("fix --diff vs check on one generated file (targets: time <= 5x, memory <= 4x)")
    with tempfile.TemporaryDirectory() as tmp:
        for lines, findings in shapes:
            path = Path(tmp) / f"module_{lines}_{findings}.py"
            path.write_text(generate(lines, findings), encoding="utf-8")
            check_s, check_kb = measure([str(BIN), "check", "--isolated", str(path)])
            fix_s, fix_kb = measure([str(BIN), "fix", "--diff", "--isolated", str(path)])
            print(
                f"{lines:6d} lines, {findings:5d} findings: check {check_s:6.2f} s {check_kb // 1024:5d} MB | "
                f"fix --diff {fix_s:6.2f} s {fix_kb // 1024:5d} MB | "
                f"time {fix_s / check_s:5.2f}x, memory {fix_kb / check_kb:5.2f}x",
                flush=True,
            )


if __name__ == "__main__":
    main(sys.argv[1:])
