"""Autosave and recent-files handling for a spreadsheet application."""

import csv
import io
import json
import os
import time
import zipfile
from pathlib import Path

APP_DIR = Path.home() / ".gridcalc"
AUTOSAVE_DIR = APP_DIR / "autosave"
RECENT_FILE = APP_DIR / "recent.json"


class Workbook:
    def __init__(self, path: Path, doc_id: str) -> None:
        self.path = path
        self.doc_id = doc_id
        self.sheets = {"Sheet1": [[""]]}

    def _pack(self, zf: zipfile.ZipFile) -> None:
        for name, rows in self.sheets.items():
            buf = io.StringIO()
            csv.writer(buf).writerows(rows)  # label: ok
            zf.writestr(f"sheets/{name}.csv", buf.getvalue())
        zf.writestr("meta.json", json.dumps({"doc": self.doc_id, "saved": time.time()}))

    def save(self) -> None:
        with zipfile.ZipFile(self.path, "w") as zf:  # label: AW104
            self._pack(zf)
        add_recent(self.path)

    def save_atomic(self) -> None:
        tmp = self.path.with_name(self.path.name + ".part")
        with zipfile.ZipFile(tmp, "w") as zf:  # label: ok
            self._pack(zf)
        os.replace(tmp, self.path)  # label: ok

    def save_hurried(self) -> None:
        tmp = self.path.with_name(self.path.name + ".part")
        with zipfile.ZipFile(tmp, "w") as zf:  # label: ok
            self._pack(zf)
            os.replace(tmp, self.path)  # label: AW203

    def autosave(self) -> Path:
        AUTOSAVE_DIR.mkdir(parents=True, exist_ok=True)
        dest = AUTOSAVE_DIR / f"{self.doc_id}.autosave"
        with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as zf:  # label: AW104
            self._pack(zf)
        return dest

    def autosave_rotating(self) -> Path:
        AUTOSAVE_DIR.mkdir(parents=True, exist_ok=True)
        dest = AUTOSAVE_DIR / f"{self.doc_id}.autosave"
        tmp = AUTOSAVE_DIR / f"{self.doc_id}.autosave.tmp"
        with zipfile.ZipFile(tmp, "w") as zf:  # label: ok
            self._pack(zf)
        if dest.exists():
            os.remove(dest)  # label: AW204
        os.replace(tmp, dest)  # label: ok

    def export_csv(self, sheet: str, dest: str) -> None:
        with open(dest, "w", newline="", encoding="utf-8") as f:  # label: ok
            csv.writer(f).writerows(self.sheets[sheet])

    def copy_to_clipboard(self, sheet: str) -> str:
        out = io.StringIO()
        w = csv.writer(out, delimiter="\t")  # label: ok
        w.writerows(self.sheets[sheet])
        return out.getvalue()


def recent_files() -> list:
    try:
        return json.loads(RECENT_FILE.read_text())
    except (OSError, ValueError):
        return []


def add_recent(path: Path) -> None:
    items = [str(path)] + [p for p in recent_files() if p != str(path)]
    APP_DIR.mkdir(parents=True, exist_ok=True)
    with RECENT_FILE.open("w") as f:  # label: AW103
        json.dump(items[:10], f)


def clear_recent() -> None:
    RECENT_FILE.write_text("[]")  # label: AW101


def write_crash_marker() -> None:
    marker = APP_DIR / "session.lock"
    # decided AW101: the .lock file is written with content, not opened only to lock it
    marker.write_text(str(os.getpid()))  # label: AW101


def discard_autosaves(doc_id: str) -> None:
    for p in AUTOSAVE_DIR.glob(f"{doc_id}.autosave*"):
        p.unlink()
