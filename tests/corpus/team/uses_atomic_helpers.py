"""A CLI that already writes its state through atomic helpers of all kinds."""

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Dict

import safer
from atomicwrites import atomic_write as aw
from boltons.fileutils import atomic_save

from flake8_atomic_writes import atomic_json_dump, atomic_open, atomic_write_text

HOME = Path.home() / ".notesy"
CONFIG = HOME / "config.json"
STATE = HOME / "state.json"
INDEX = HOME / "index.txt"


def write_file_atomically(path: Path, text: str) -> None:
    """This module's own helper: temp in the same directory, fsync, replace."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # label: ok
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:  # label: ok
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)  # label: ok
    except BaseException:
        os.unlink(tmp)
        raise


def save_config(cfg: Dict[str, Any]) -> None:
    atomic_json_dump(cfg, CONFIG, indent=2)  # label: ok


def save_state(state: Dict[str, Any]) -> None:
    with atomic_open(STATE, "w") as fh:  # label: ok
        json.dump(state, fh)


def save_index(lines: list) -> None:
    atomic_write_text(INDEX, "\n".join(lines))  # label: ok


def save_index_local(lines: list) -> None:
    write_file_atomically(INDEX, "\n".join(lines))  # label: ok


def save_with_atomicwrites(cfg: Dict[str, Any]) -> None:
    with aw(str(CONFIG), overwrite=True) as fh:  # label: ok
        json.dump(cfg, fh)


def save_with_safer(state: Dict[str, Any]) -> None:
    with safer.open(STATE, "w") as fh:  # label: ok
        json.dump(state, fh)


def save_with_boltons(data: bytes) -> None:
    with atomic_save(str(HOME / "notes.db")) as fh:  # label: ok
        fh.write(data)


def load_all() -> Dict[str, Any]:
    return {
        "config": json.loads(CONFIG.read_text()),
        "state": json.loads(STATE.read_text()),
        "index": INDEX.read_text().splitlines(),
    }


def save_prefs_plain(prefs: Dict[str, Any]) -> None:
    # The one place that forgot: same home dir, plain write.
    (HOME / "prefs.json").write_text(json.dumps(prefs))  # label: AW101
