"""Exports of a time-tracking CLI, checked with the opt-in codes enabled.

Most writes here go to paths the user chooses: no evidence either way (AW301).
"""

import csv
import io
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Dict, List

Entry = Dict[str, str]


def export_csv(entries: List[Entry], out_path: str) -> None:
    with open(out_path, "w", newline="") as fh:  # label: AW301
        writer = csv.DictWriter(fh, fieldnames=["day", "project", "hours"])
        writer.writeheader()
        writer.writerows(entries)


def export_markdown(entries: List[Entry], out_path: Path) -> None:
    rows = "\n".join(f"| {e['day']} | {e['project']} | {e['hours']} |" for e in entries)
    out_path.write_text("| day | project | hours |\n|---|---|---|\n" + rows)  # label: AW301


def export_invoice(pdf_bytes: bytes, dest: str) -> None:
    Path(dest).write_bytes(pdf_bytes)  # label: AW301


def export_ics(events: List[Entry], dest: str) -> None:
    out = open(dest, "w")  # label: AW301
    out.write("BEGIN:VCALENDAR\n")
    for e in events:
        out.write(f"BEGIN:VEVENT\nSUMMARY:{e['project']}\nEND:VEVENT\n")
    out.write("END:VCALENDAR\n")
    out.close()


def print_summary(entries: List[Entry]) -> None:
    writer = csv.writer(sys.stdout)  # label: ok
    for e in entries:
        writer.writerow([e["project"], e["hours"]])


def to_string(entries: List[Entry]) -> str:
    buf = io.StringIO()
    json.dump(entries, buf)  # label: ok
    return buf.getvalue()


def open_in_viewer(entries: List[Entry]) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False) as fh:  # label: ok
        fh.write("<ul>" + "".join(f"<li>{e['project']}</li>" for e in entries) + "</ul>")
    os.system(f"xdg-open {fh.name}")


def export_all(entries: List[Entry], out_dir: str) -> None:
    os.makedirs(out_dir, exist_ok=True)
    export_csv(entries, os.path.join(out_dir, "hours.csv"))
    with open(os.path.join(out_dir, "README.txt"), "w") as fh:  # label: AW301
        fh.write("Exported by tt\n")


def export_json(entries: List[Entry], out_path: str) -> None:
    # Hard case: a JSON dump of entries to a user path; the data is a
    # structured serialization, but not of program state; unknown: AW301.
    with open(out_path, "w") as fh:  # label: AW301
        json.dump(entries, fh)


def save_last_export_dir(out_dir: str) -> None:
    state = Path.home() / ".tt" / "last-export.json"
    state.write_text(json.dumps({"dir": out_dir}))  # label: AW101


def check_writable(out_dir: str) -> bool:
    probe = os.path.join(out_dir, ".probe")
    try:
        with open(probe, "w") as fh:  # label: ok
            fh.write("")
        os.remove(probe)
        return True
    except OSError:
        return False
