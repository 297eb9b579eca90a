"""Settings, session and recent-files handling for a Qt text editor."""

import json
import os
from pathlib import Path as P
from typing import Any, Dict, List

import platformdirs
from PySide6.QtCore import QSaveFile, QIODevice

APP = "quill"
CONFIG_DIR = P(platformdirs.user_config_dir(APP))
DATA_DIR = P(platformdirs.user_data_dir(APP))


class Settings:
    def __init__(self) -> None:
        self.path = CONFIG_DIR / "settings.json"
        self.values: Dict[str, Any] = {"font": "Mono", "size": 11}

    def load(self) -> None:
        if self.path.exists():
            self.values.update(json.loads(self.path.read_text()))

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.values, indent=2))  # label: AW101


def save_session(open_files: List[str], cursor: Dict[str, int]) -> None:
    session = DATA_DIR / "session.json"
    with session.open("w", encoding="utf-8") as fh:  # label: AW103
        json.dump({"files": open_files, "cursor": cursor}, fh)


def add_recent(path: str) -> None:
    recent = DATA_DIR / "recent-files"
    items = recent.read_text().splitlines() if recent.exists() else []
    items = [path] + [p for p in items if p != path][:19]
    with open(recent, "w") as fh:  # label: AW102
        fh.write("\n".join(items))


def save_document(path: str, text: str) -> bool:
    # The editor saves user documents through QSaveFile: already atomic.
    f = QSaveFile(path)  # label: ok
    if not f.open(QIODevice.WriteOnly):
        return False
    f.write(text.encode("utf-8"))
    return f.commit()


def write_swap(path: str, text: str) -> None:
    # Vim-style swap file next to the document: a temp by its suffix.
    swap = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".swp")
    with open(swap, "w") as fh:  # label: ok
        fh.write(text)


def export_html(text: str, out_path: str) -> None:
    # "Export as HTML..." to a user-chosen file; nothing reads it back.
    html = "<pre>" + text.replace("<", "&lt;") + "</pre>"
    with open(out_path, "w", encoding="utf-8") as fh:  # label: ok
        fh.write(html)


def save_keymap(bindings: Dict[str, str]) -> None:
    keymap = CONFIG_DIR / "keymap.conf"
    body = "".join(f"{k} = {v}\n" for k, v in sorted(bindings.items()))
    keymap.write_text(body)  # label: AW101


def save_theme(theme: Dict[str, str]) -> None:
    tmp = CONFIG_DIR / "theme.json.new"
    tmp.write_text(json.dumps(theme))  # label: ok
    tmp.replace(CONFIG_DIR / "theme.json")  # label: ok
