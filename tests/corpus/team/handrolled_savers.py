"""Hand-rolled "safe" saves of a settings file, os.path style, good and bad."""

import json
import os
import shutil
import tempfile
from typing import Any, Dict

SETTINGS = os.path.join(os.path.expanduser("~"), ".config", "pomo", "settings.json")
PREFS = os.path.join(os.path.expanduser("~"), ".config", "pomo", "prefs.json")


def save_rename(data: Dict[str, Any], path: str = SETTINGS) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # label: ok
        json.dump(data, fh)
    os.rename(tmp, path)  # label: AW201


def save_replace(data: Dict[str, Any], path: str = SETTINGS) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # label: ok
        json.dump(data, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)  # label: ok


def save_ntf_outside(data: Dict[str, Any], path: str = SETTINGS) -> None:
    with tempfile.NamedTemporaryFile("w", delete=False, suffix=".json") as fh:  # label: AW202
        json.dump(data, fh)
    os.replace(fh.name, path)  # label: ok


def save_ntf_same_dir(data: Dict[str, Any], path: str = SETTINGS) -> None:
    d = os.path.dirname(path)
    with tempfile.NamedTemporaryFile("w", dir=d, delete=False, suffix=".json") as fh:  # label: ok
        json.dump(data, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(fh.name, path)  # label: ok


def save_tmp_literal(prefs: Dict[str, Any]) -> None:
    with open("/tmp/pomo-prefs.json", "w") as fh:  # label: AW202
        json.dump(prefs, fh)
    shutil.move("/tmp/pomo-prefs.json", PREFS)  # label: ok


def save_replace_in_with(data: Dict[str, Any], path: str = SETTINGS) -> None:
    d = os.path.dirname(path)
    with tempfile.NamedTemporaryFile("w", dir=d, delete=False) as fh:  # label: ok
        json.dump(data, fh)
        os.replace(fh.name, path)  # label: AW203


def save_replace_before_close(data: Dict[str, Any], path: str = SETTINGS) -> None:
    tmp = path + ".part"
    fh = open(tmp, "w")  # label: ok
    fh.write(json.dumps(data))
    os.replace(tmp, path)  # label: AW203
    fh.close()


def save_close_then_replace(data: Dict[str, Any], path: str = SETTINGS) -> None:
    tmp = path + ".part"
    fh = open(tmp, "w")  # label: ok
    fh.write(json.dumps(data))
    fh.close()
    os.replace(tmp, path)  # label: ok


def save_copy_back(data: Dict[str, Any], path: str = SETTINGS) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # label: ok
        json.dump(data, fh)
    shutil.copyfile(tmp, path)  # label: AW204
    os.remove(tmp)


def save_remove_first(data: Dict[str, Any], path: str = SETTINGS) -> None:
    # The classic Windows workaround. The remove is the AW204 flaw; the rename
    # moves a temp over its target by the letter of AW201, though the target
    # was just deleted (see the notes: ambiguous).
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # label: ok
        json.dump(data, fh)
    if os.path.exists(path):
        os.remove(path)  # label: AW204
    os.rename(tmp, path)  # label: AW201


def save_unlink_then_replace(data: Dict[str, Any], path: str = PREFS) -> None:
    tmp = path + ".new"
    with open(tmp, "w") as fh:  # label: ok
        json.dump(data, fh)
    try:
        os.unlink(path)  # label: AW204
    except FileNotFoundError:
        pass
    os.replace(tmp, path)  # label: ok


def save_with_backup(data: Dict[str, Any], path: str = SETTINGS) -> None:
    # Backup-then-truncate: the backup copy is the AW204 flaw (reported at the
    # copy); the in-place open that follows is itself a plain AW103 write.
    if os.path.exists(path):
        shutil.copy2(path, path + ".bak")  # label: AW204
    with open(path, "w") as fh:  # label: AW103
        json.dump(data, fh)


def save_with_backup_done_right(data: Dict[str, Any], path: str = SETTINGS) -> None:
    # Hard case: the .bak copy carries "settings" in its name, but a torn backup
    # leaves the real file intact and the replace below is atomic: silence.
    if os.path.exists(path):
        shutil.copy2(path, path + ".bak")  # label: ok
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # label: ok
        json.dump(data, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)  # label: ok
