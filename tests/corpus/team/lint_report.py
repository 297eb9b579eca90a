"""Command-line report writer for a static-analysis tool."""

import argparse
import csv
import html
import json
import sys
from typing import Dict, List, TextIO

Issue = Dict[str, str]


def render_text(issues: List[Issue], out: TextIO) -> None:
    for i in issues:
        out.write(f"{i['path']}:{i['line']}: {i['code']} {i['message']}\n")


def write_text_report(issues: List[Issue], output: str) -> None:
    if output == "-":
        render_text(issues, sys.stdout)
        return
    with open(output, "w") as fh:  # label: ok
        render_text(issues, fh)


def write_csv_report(issues: List[Issue], output: str) -> None:
    with open(output, "w", newline="") as fh:  # label: ok
        writer = csv.DictWriter(fh, fieldnames=["path", "line", "code", "message"])
        writer.writeheader()
        writer.writerows(issues)


def write_html_report(issues: List[Issue], output: str) -> None:
    rows = "".join(
        f"<tr><td>{html.escape(i['path'])}</td><td>{i['code']}</td></tr>" for i in issues
    )
    with open(output, "w", encoding="utf-8") as fh:  # label: ok
        fh.write(f"<table>{rows}</table>")


def write_json_report(issues: List[Issue], output: str) -> None:
    # Hard case: the target is whatever --output says (default "report.json").
    # The spec counts a .json literal as evidence, but this function only ever
    # sees a parameter and its only caller passes args.output: silence.
    with open(output, "w") as fh:  # label: ok
        json.dump({"issues": issues}, fh, indent=2)


def write_default_json(issues: List[Issue]) -> None:
    # Hard case, the other way round: the literal "lint-report.json" is named
    # right here. By the spec a .json name is persistence evidence, so the
    # in-place dump is reported even though a reviewer may call it an export.
    with open("lint-report.json", "w") as fh:  # label: AW103
        json.dump({"issues": issues}, fh)


def write_baseline(issues: List[Issue], path: str = ".lint-baseline.json") -> None:
    # The baseline is read back on the next run (load_baseline).
    with open(path, "w") as fh:  # label: AW103
        json.dump(sorted(i["code"] + i["path"] for i in issues), fh)


def load_baseline(path: str = ".lint-baseline.json") -> List[str]:
    with open(path) as fh:
        return json.load(fh)


def main(argv: List[str]) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--format", choices=["text", "csv", "html", "json"], default="text")
    p.add_argument("--output", default="-")
    p.add_argument("--update-baseline", action="store_true")
    args = p.parse_args(argv)
    issues: List[Issue] = json.load(sys.stdin)
    baseline = set(load_baseline())
    issues = [i for i in issues if i["code"] + i["path"] not in baseline]
    if args.update_baseline:
        write_baseline(issues)
    writers = {
        "text": write_text_report,
        "csv": write_csv_report,
        "html": write_html_report,
        "json": write_json_report,
    }
    writers[args.format](issues, args.output)
    sys.stderr.write(f"{len(issues)} issues\n")  # label: ok
    return 1 if issues else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
