"""Metadata files of a file-sync client, all written temp+replace.

Checked with the opt-in codes: AW302 wants an fsync before each replace.
"""

import json
import os
import tempfile
from os import replace as os_replace
from pathlib import Path
from typing import Any, Dict

from platformdirs import user_state_dir

STATE_DIR = Path(user_state_dir("syncr"))


def _replace(src: str, dst: str) -> None:
    os_replace(src, dst)  # label: AW302


def save_cursor(cursor: str) -> None:
    # Goes through the wrapper above, which never fsyncs: reported once, there.
    tmp = str(STATE_DIR / "cursor.tmp")
    with open(tmp, "w") as fh:  # label: ok
        fh.write(cursor)
    _replace(tmp, str(STATE_DIR / "cursor"))  # label: ok


def save_tree(tree: Dict[str, Any]) -> None:
    with tempfile.NamedTemporaryFile("w", dir=STATE_DIR, delete=False) as fh:  # label: ok
        json.dump(tree, fh)
    os.replace(fh.name, STATE_DIR / "tree.json")  # label: AW302


def save_tree_durably(tree: Dict[str, Any]) -> None:
    with tempfile.NamedTemporaryFile("w", dir=STATE_DIR, delete=False) as fh:  # label: ok
        json.dump(tree, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(fh.name, STATE_DIR / "tree.json")  # label: ok


def save_conflicts(conflicts: Dict[str, str]) -> None:
    fd, tmp = tempfile.mkstemp(dir=STATE_DIR, suffix=".tmp")  # label: ok
    with os.fdopen(fd, "w") as fh:  # label: ok
        json.dump(conflicts, fh)
    Path(tmp).replace(STATE_DIR / "conflicts.json")  # label: AW302


def save_conflicts_durably(conflicts: Dict[str, str]) -> None:
    fd, tmp = tempfile.mkstemp(dir=STATE_DIR, suffix=".tmp")  # label: ok
    with os.fdopen(fd, "w") as fh:  # label: ok
        json.dump(conflicts, fh)
        fh.flush()
        os.fsync(fd)
    Path(tmp).replace(STATE_DIR / "conflicts.json")  # label: ok


def save_quota(quota: Dict[str, int]) -> None:
    target = STATE_DIR / "quota.json"
    tmp = target.with_suffix(".json.part")
    tmp.write_text(json.dumps(quota))  # label: ok
    tmp.replace(target)  # label: AW302


def save_device_id(device_id: str) -> None:
    target = STATE_DIR / "device-id"
    tmp = target.with_name("device-id.new")
    with open(tmp, "wb") as fh:  # label: ok
        fh.write(device_id.encode())
        os.fsync(fh.fileno())
    os.replace(tmp, target)  # label: ok


def save_settings(settings: Dict[str, Any]) -> None:
    # Not atomic at all: plain AW103 (no AW302, there is no temp).
    with open(STATE_DIR / "settings.json", "w") as fh:  # label: AW103
        json.dump(settings, fh)


def load_all() -> Dict[str, Any]:
    return {
        name: json.loads((STATE_DIR / name).read_text())
        for name in ("tree.json", "conflicts.json", "quota.json", "settings.json")
    }
