"""Window geometry, panels and recent projects for a GTK IDE."""

import codecs
import io
import os
import pathlib as pl
from json import dump as jdump, load as jload
from typing import Dict, List, Tuple

CONFIG_HOME = pl.Path(os.environ.get("XDG_CONFIG_HOME") or pl.Path.home() / ".config")
APP_DIR = CONFIG_HOME / "gide"


class WindowState:
    def __init__(self) -> None:
        self.state_file = APP_DIR / "window-state.json"
        self.geometry: Tuple[int, int, int, int] = (0, 0, 1024, 768)
        self.maximized = False

    def restore(self) -> None:
        try:
            with open(self.state_file) as fh:
                raw = jload(fh)
            self.geometry = tuple(raw["geometry"])
            self.maximized = raw["maximized"]
        except (OSError, ValueError, KeyError):
            pass

    def flush(self) -> None:
        with open(self.state_file, "w") as fh:  # label: AW103
            jdump({"geometry": list(self.geometry), "maximized": self.maximized}, fh)


def save_panels(layout: Dict[str, int]) -> None:
    with io.open(str(APP_DIR / "panels.ini"), "w", encoding="utf-8") as fh:  # label: AW102
        fh.write("[panels]\n")
        for name, width in layout.items():
            fh.write(f"{name} = {width}\n")


def save_recent_projects(paths: List[str]) -> None:
    with codecs.open(str(APP_DIR / "recent-projects"), "w", "utf-8") as fh:  # label: AW102
        fh.write("\n".join(paths))


def load_recent_projects() -> List[str]:
    with codecs.open(str(APP_DIR / "recent-projects"), "r", "utf-8") as fh:
        return fh.read().splitlines()


def save_custom_css(css: str) -> None:
    (APP_DIR / "gtk.css").write_text(css, encoding="utf-8")  # label: AW101


def save_keybindings(bindings: Dict[str, str]) -> None:
    out = open(APP_DIR / "keybindings.conf", "wt")  # label: AW102
    try:
        for action, accel in sorted(bindings.items()):
            out.write(f"{action}={accel}\n")
    finally:
        out.close()


def save_snippet(name: str, body: str) -> None:
    snippets = APP_DIR / "snippets"
    snippets.mkdir(parents=True, exist_ok=True)
    (snippets / f"{name}.snippet").write_text(body)  # label: AW101


def load_snippet(name: str) -> str:
    return (APP_DIR / "snippets" / f"{name}.snippet").read_text()


def write_project_file(project_root: pl.Path, settings: Dict[str, str]) -> None:
    # .gide-project in the user's project: read back when the project is opened.
    with open(project_root / ".gide-project.json", "w") as fh:  # label: AW103
        jdump(settings, fh, indent=2)


def export_layout(dest: str) -> None:
    # "Export layout as..." into any file; a copy for sharing.
    text = (APP_DIR / "panels.ini").read_text()
    with open(dest, "w") as fh:  # label: ok
        fh.write(text)


def print_layout() -> None:
    with open("/dev/stdout", "w") as fh:  # label: ok
        fh.write((APP_DIR / "panels.ini").read_text())
