#!/usr/bin/env python3
"""Run the checker on real, well-known packages that keep state in files, for eyeballing.

Not a test: a reader judges precision (and spots misses) by reading the output.

    python benchmarks/realworld.py                      # the default packages
    python benchmarks/realworld.py httpie==3.2.4 jrnl   # any PyPI requirements
    python benchmarks/realworld.py --unflagged          # also list write-like sites not flagged
    python benchmarks/realworld.py --json out.json -- --atomic-writes-enable=AW301

It creates a throwaway venv in a temporary directory, pip-installs the packages there
(``--no-deps`` by default: only each distribution's own source is checked), finds each
distribution's top-level modules and packages from its installed file list, and runs
``flake8 --isolated --select=AW`` from *this* interpreter's environment (the checkout's
plugin) over them. Nothing here knows anything about particular packages.

For every finding it prints the location, the source line and the message (whose
parenthesis carries the evidence the checker used), then counts per project and per code.
"""

from __future__ import annotations

import argparse
import ast
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional, Sequence, Set, Tuple

from flake8_atomic_writes import atomic_write_text

# Pure-Python tools and libraries that keep state in files: HTTP caches, sessions and
# config, journals, a hook manager's store and config, a docs cache.
DEFAULT_PACKAGES = ["httpie", "jrnl", "cachecontrol", "pre-commit", "tldr"]

FLAKE8_FORMAT = "%(path)s:%(row)d:%(col)d: %(code)s %(text)s"
LINE_RE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) (?P<text>.*)$"
)

# Finds the distribution's top-level importable names from its RECORD.
LIST_TOPLEVEL = r"""
import json, sys
from importlib import metadata
out = {}
for name in sys.argv[1:]:
    dist = metadata.distribution(name)
    tops = set()
    for f in dist.files or ():
        parts = f.parts
        if not parts or parts[0].endswith((".dist-info", ".egg-info", ".data")):
            continue
        if parts[0] in ("..", "bin", "Scripts", "__pycache__"):
            continue
        if len(parts) == 1 and not parts[0].endswith(".py"):
            continue
        if not str(f).endswith(".py"):
            continue
        tops.add(parts[0])
    out[name] = {
        "version": dist.version,
        "paths": sorted(str(dist.locate_file(t)) for t in tops),
    }
print(json.dumps(out))
"""


class Finding(NamedTuple):
    path: str
    line: int
    col: int
    code: str
    text: str


def run(cmd: Sequence[str], **kw: object) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(list(cmd), text=True, capture_output=True, **kw)  # type: ignore


def project_name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0]


def make_venv(base: Path, requirements: List[str], with_deps: bool) -> Path:
    venv = base / "venv"
    print(f"# creating a venv in {venv}", file=sys.stderr)
    proc = run([sys.executable, "-m", "venv", str(venv)])
    if proc.returncode:
        sys.exit(f"venv failed:\n{proc.stderr}")
    py = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    cmd = [str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    if not with_deps:
        cmd.append("--no-deps")
    print(f"# pip install {' '.join(requirements)}", file=sys.stderr)
    t0 = time.monotonic()
    proc = run(cmd + requirements)
    if proc.returncode:
        sys.exit(f"pip install failed:\n{proc.stdout}\n{proc.stderr}")
    print(f"# installed in {time.monotonic() - t0:.1f}s", file=sys.stderr)
    return py


def locate(py: Path, names: List[str]) -> Dict[str, Dict[str, object]]:
    proc = run([str(py), "-c", LIST_TOPLEVEL, *names])
    if proc.returncode:
        sys.exit(f"could not list installed files:\n{proc.stderr}")
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def flake8(paths: List[str], cwd: Path, extra: List[str]) -> Tuple[List[Finding], str, float]:
    cmd = [
        sys.executable, "-m", "flake8", "--isolated", "--select=AW",
        f"--format={FLAKE8_FORMAT}", *extra, *paths,
    ]
    t0 = time.monotonic()
    proc = run(cmd, cwd=cwd)
    elapsed = time.monotonic() - t0
    findings = []
    for raw in proc.stdout.splitlines():
        m = LINE_RE.match(raw)
        if m:
            findings.append(
                Finding(m["path"], int(m["line"]), int(m["col"]), m["code"], m["text"])
            )
        else:
            print(f"# unparsed flake8 output: {raw}", file=sys.stderr)
    if proc.returncode not in (0, 1) or proc.stderr.strip():
        print(f"# flake8 exit {proc.returncode}; stderr:\n{proc.stderr}", file=sys.stderr)
    return findings, proc.stderr, elapsed


# ----------------------------------------------------------------------------- misses

SERIALIZERS = {"dump", "safe_dump", "write_text", "write_bytes", "write"}
COPIES = {"copyfile", "copy", "copy2"}


def write_like_sites(path: Path) -> List[Tuple[int, int, str]]:
    """Calls that look like whole-file writes, found syntactically (for spotting misses)."""
    try:
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
    except (SyntaxError, UnicodeDecodeError, ValueError):
        return []
    lines = source.splitlines()
    sites = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        what = ""
        if name in ("open", "fdopen"):
            mode = None
            if len(node.args) >= 2:
                mode = node.args[1]
            elif isinstance(func, ast.Attribute) and node.args and name == "open":
                mode = node.args[0]  # Path.open(mode)
            for kw in node.keywords:
                if kw.arg == "mode":
                    mode = kw.value
            if isinstance(mode, ast.Constant) and isinstance(mode.value, str):
                if "w" in mode.value or "x" in mode.value:
                    what = f"{name}(..., {mode.value!r})"
        elif name in SERIALIZERS and name != "write":
            what = f"{name}()"
        elif name == "write" and isinstance(func, ast.Attribute) and node.args:
            # ElementTree.write(path) and friends: a literal or name argument, not f.write(data)
            if isinstance(func.value, ast.Name) and func.value.id in ("tree", "et", "etree"):
                what = "write(path)"
        elif name in COPIES and (
            isinstance(func, ast.Name)
            or (isinstance(func.value, ast.Name) and func.value.id == "shutil")
        ):
            what = f"shutil.{name}()"
        if what:
            line = lines[node.lineno - 1] if node.lineno - 1 < len(lines) else ""
            col = len(line.encode("utf-8")[: node.col_offset].decode("utf-8", "replace"))
            sites.append((node.lineno, col, what))
    return sites


def is_test_path(rel: str) -> bool:
    parts = Path(rel).parts
    name = parts[-1] if parts else rel
    if name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py":
        return True
    return any(p in ("tests", "test", "testing") for p in parts[:-1])


# ----------------------------------------------------------------------------- report


def source_line(root: Path, f: Finding) -> str:
    try:
        lines = (root / f.path).read_text(encoding="utf-8", errors="replace").splitlines()
        return lines[f.line - 1].strip()
    except (OSError, IndexError):
        return "?"


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("packages", nargs="*", help=f"PyPI requirements (default: {DEFAULT_PACKAGES})")
    ap.add_argument("--with-deps", action="store_true", help="install dependencies too")
    ap.add_argument("--keep", metavar="DIR", help="build the venv in DIR and keep it")
    ap.add_argument("--unflagged", action="store_true",
                    help="also list write-like call sites the checker did not flag")
    ap.add_argument("--json", metavar="FILE", help="write findings as JSON (for labeling)")
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: List[str] = []
    if "--" in argv:  # after --: extra flake8 arguments (e.g. --atomic-writes-enable=AW301)
        extra = argv[argv.index("--") + 1:]
        argv = argv[: argv.index("--")]
    args = ap.parse_args(argv)
    requirements = args.packages or DEFAULT_PACKAGES
    names = [project_name(r) for r in requirements]

    if args.keep:
        base = Path(args.keep).resolve()
        base.mkdir(parents=True, exist_ok=True)
        cleanup = False
    else:
        base = Path(tempfile.mkdtemp(prefix="aw-realworld-"))
        cleanup = True
    try:
        py = make_venv(base, requirements, args.with_deps)
        located = locate(py, names)
        per_project: Dict[str, List[Finding]] = {}
        per_code: Dict[str, collections.Counter[str]] = {}
        summary = []
        dump: Dict[str, object] = {}
        for name in names:
            info = located[name]
            paths = [Path(p) for p in info["paths"]]  # type: ignore[union-attr]
            if not paths:
                print(f"# {name}: no Python sources found", file=sys.stderr)
                continue
            root = paths[0].parent  # site-packages
            rel = [str(p.relative_to(root)) for p in paths]
            py_files = [f for p in paths for f in ([p] if p.is_file() else p.rglob("*.py"))]
            findings, _, elapsed = flake8(rel, root, extra)
            findings.sort(key=lambda f: (f.path, f.line, f.col))
            per_project[name] = findings
            per_code[name] = collections.Counter(f.code for f in findings)
            summary.append((name, str(info["version"]), len(py_files), len(findings), elapsed))

            print(f"\n{'=' * 100}\n{name} {info['version']}: {len(findings)} finding(s) in "
                  f"{len(py_files)} files ({', '.join(rel)}), flake8 {elapsed:.1f}s\n{'=' * 100}")
            for f in findings:
                print(f"\n{f.path}:{f.line}:{f.col}: {f.code}")
                print(f"    | {source_line(root, f)}")
                print(f"    {f.text}")

            unflagged = []
            if args.unflagged:
                flagged_lines = {(f.path, f.line) for f in findings}
                for file in sorted(py_files):
                    r = str(file.relative_to(root))
                    if is_test_path(r):
                        continue
                    lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
                    for line, col, what in write_like_sites(file):
                        if (r, line) not in flagged_lines:
                            unflagged.append((r, line, col + 1, what, lines[line - 1].strip()))
                print(f"\n--- {name}: {len(unflagged)} write-like site(s) NOT flagged "
                      "(syntactic; judge each for a missed state write)")
                for r, line, col, what, text in unflagged:
                    print(f"  {r}:{line}:{col}: {what:<28} | {text}")
            dump[name] = {
                "version": info["version"],
                "files": len(py_files),
                "findings": [f._asdict() | {"source": source_line(root, f)} for f in findings],
                "unflagged": [
                    {"path": r, "line": ln, "col": c, "what": w, "source": t}
                    for r, ln, c, w, t in unflagged
                ],
            }

        codes: Set[str] = set().union(*per_code.values()) if per_code else set()
        ordered = sorted(codes)
        print(f"\n{'=' * 100}\nSummary\n{'=' * 100}")
        header = f"{'project':<16}{'version':<12}{'files':>6}{'findings':>9}{'secs':>7}"
        print(header + "".join(f"{c:>7}" for c in ordered))
        for name, version, nfiles, nfind, secs in summary:
            row = f"{name:<16}{version:<12}{nfiles:>6}{nfind:>9}{secs:>7.1f}"
            print(row + "".join(f"{per_code[name][c]:>7}" for c in ordered))
        total = collections.Counter()  # type: collections.Counter[str]
        for c in per_code.values():
            total.update(c)
        totals = (
            f"{'total':<16}{'':<12}{sum(s[2] for s in summary):>6}"
            f"{sum(s[3] for s in summary):>9}{sum(s[4] for s in summary):>7.1f}"
        )
        print(totals + "".join(f"{total[c]:>7}" for c in ordered))
        if args.json:
            atomic_write_text(args.json, json.dumps(dump, indent=2) + "\n")
            print(f"\n# wrote {args.json}", file=sys.stderr)
    finally:
        if cleanup:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
