"""Shared file helpers of a CLI app, and their callers.

`write_text_file` takes its target as a parameter and is judged by its callers;
`save_json` is a generic "save structured data to a path" primitive.
"""

import json
import os
import shutil
import sys
from typing import Any

APP_HOME = os.path.join(os.path.expanduser("~"), ".stashctl")


def save_json(path: str, obj: Any, indent: int = 2) -> None:
    with open(path, "w", encoding="utf-8") as fh:  # label: AW103
        json.dump(obj, fh, indent=indent)


def load_json(path: str) -> Any:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def write_text_file(path: str, text: str) -> None:
    # Called with the app's settings file below: judged persistent by its caller.
    with open(path, "w", encoding="utf-8") as fh:  # label: AW102
        fh.write(text)


def write_output(path: str, text: str) -> None:
    # Only ever called with a path from the command line or "-".
    if path == "-":
        sys.stdout.write(text)  # label: ok
        return
    with open(path, "w", encoding="utf-8") as fh:  # label: ok
        fh.write(text)


def set_default_stash(name: str) -> None:
    write_text_file(os.path.join(APP_HOME, "settings"), f"default={name}\n")


def save_stash(name: str, files: dict) -> None:
    save_json(os.path.join(APP_HOME, "stashes", name + ".json"), files)


def list_stashes(out_path: str) -> None:
    names = sorted(os.listdir(os.path.join(APP_HOME, "stashes")))
    write_output(out_path, "\n".join(names) + "\n")


def pop_stash(name: str, dest_dir: str) -> None:
    data = load_json(os.path.join(APP_HOME, "stashes", name + ".json"))
    for rel, content in data.items():
        # Restoring the user's working files, as `git stash pop` does.
        with open(os.path.join(dest_dir, rel), "w") as fh:  # label: ok
            fh.write(content)
    os.remove(os.path.join(APP_HOME, "stashes", name + ".json"))


def restore_settings_from(backup: str) -> None:
    shutil.copy(backup, os.path.join(APP_HOME, "settings"))  # label: AW104


def read_settings() -> str:
    with open(os.path.join(APP_HOME, "settings")) as fh:
        return fh.read()
