"""Speed and memory of ``fix --diff`` against ``check`` on large generated files (one run).

    python benchmarks/speed_fix.py [--lines 10000,25000,50000]

Each file is a realistic module of many small functions with one finding (a ``json.dump``
into ``open(..., "w")`` at the end). Every command runs in its own wrapper process, so that
``getrusage(RUSAGE_CHILDREN)`` gives the peak memory of that command alone. Targets:
``fix --diff`` time <= 5x ``check`` time, and peak memory <= 4x ``check``'s.
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
HEADER = [
    '"""Generated module: many small handlers and one save()."""',
    "import json",
    "import os",
    "from pathlib import Path",
    "",
    'CONFIG_PATH = Path.home() / ".myapp" / "config.json"',
]
FOOTER = ["", "", "def save(cfg):", "    with open(CONFIG_PATH, 'w') as f:", "        json.dump(cfg, f, indent=2)", ""]


def generate(lines: int) -> str:
    out = list(HEADER)
    index = 0
    while len(out) < lines - len(FOOTER) - 11:
        out += [
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
        index += 1
    return "\n".join(out + FOOTER)


def measure(command: List[str]) -> Tuple[float, int]:
    """(wall seconds, peak RSS in KiB) of ``command``, run in a fresh wrapper process."""
    out = subprocess.run([sys.executable, "-c", WRAPPER, *command], capture_output=True, text=True, check=True)
    seconds, rss = json.loads(out.stdout)
    return float(seconds), int(rss)


def main(argv: List[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", default="10000,25000,50000", help="comma-separated file sizes in lines")
    args = parser.parse_args(argv)
    print("fix --diff vs check on one generated file with one finding (targets: time <= 5x, memory <= 4x)")
    with tempfile.TemporaryDirectory() as tmp:
        for lines in (int(n) for n in args.lines.split(",")):
            path = Path(tmp) / f"module_{lines}.py"
            path.write_text(generate(lines), encoding="utf-8")
            check_s, check_kb = measure([str(BIN), "check", "--isolated", str(path)])
            fix_s, fix_kb = measure([str(BIN), "fix", "--diff", "--isolated", str(path)])
            print(
                f"{lines:6d} lines: check {check_s:5.2f} s {check_kb // 1024:4d} MB | "
                f"fix --diff {fix_s:5.2f} s {fix_kb // 1024:4d} MB | "
                f"time {fix_s / check_s:.2f}x, memory {fix_kb / check_kb:.2f}x"
            )


if __name__ == "__main__":
    main(sys.argv[1:])
