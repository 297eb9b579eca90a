"""Save slots for a pygame roguelike."""

import json
import marshal
import os
import pickle
import plistlib
import sys
import time
from pathlib import Path
from typing import Any, Dict, Optional

if sys.platform == "darwin":
    SAVE_ROOT = Path.home() / "Library" / "Application Support" / "Delve"
else:
    SAVE_ROOT = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local/share")) / "delve"


class SaveSlot:
    def __init__(self, slot: int) -> None:
        self.slot = slot
        self.path = SAVE_ROOT / f"slot{slot}.sav"

    def load(self) -> Optional[Dict[str, Any]]:
        if not self.path.exists():
            return None
        return pickle.loads(self.path.read_bytes())

    def save(self, world: Dict[str, Any]) -> None:
        self.path.write_bytes(pickle.dumps(world))  # label: AW101

    def quicksave(self, world: Dict[str, Any]) -> None:
        quick = self.path.with_name(f"quick{self.slot}.sav")
        with open(quick, "wb") as fh:  # label: AW103
            marshal.dump(world["seed_table"], fh)


def save_options(options: Dict[str, Any]) -> None:
    with open(SAVE_ROOT / "options.plist", "wb") as fh:  # label: AW103
        plistlib.dump(options, fh)


def save_highscores(scores: list) -> None:
    path = SAVE_ROOT / "highscores.json"
    path.write_text(json.dumps(sorted(scores, reverse=True)[:10]))  # label: AW101


def screenshot(surface_bytes: bytes) -> Path:
    # Screenshots are user output, named by time, never read back.
    out = Path.cwd() / f"delve-{int(time.time())}.raw"
    out.write_bytes(surface_bytes)  # label: ok
    return out


def write_crash_dump(exc: BaseException) -> None:
    dump = Path("/tmp") / f"delve-crash-{os.getpid()}.txt"
    dump.write_text(repr(exc))  # label: ok


def autosave(slot: SaveSlot, world: Dict[str, Any]) -> None:
    autosave_tmp = slot.path.with_suffix(".sav.tmp")
    autosave_tmp.write_bytes(pickle.dumps(world))  # label: ok
    os.replace(autosave_tmp, slot.path)  # label: ok
