"""State handling for a Terraform-like provisioning tool: state, backups, locks, plugin cache."""

import fcntl
import json
import os
import shutil
import tempfile
import urllib.request
from os import rename as mv
from pathlib import Path

STATE_FILE = "infra.tfstate"
BACKUP_FILE = STATE_FILE + ".backup"
LOCK_FILE = ".infra.tfstate.lock"
PLUGIN_CACHE = Path.home() / ".infractl" / "plugin-cache"


def read_state() -> dict:
    if not os.path.exists(STATE_FILE):
        return {"version": 4, "serial": 0, "resources": []}
    with open(STATE_FILE) as f:
        return json.load(f)


class StateLock:
    def __enter__(self) -> "StateLock":
        self.fh = open(LOCK_FILE, "w")  # label: ok
        fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return self

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()


def write_state(state: dict) -> None:
    state["serial"] += 1
    if os.path.exists(STATE_FILE):
        # decided AW104: the backup target is named after the state file ("state" in its name)
        shutil.copy2(STATE_FILE, BACKUP_FILE)  # label: AW104
    fd, tmp = tempfile.mkstemp(dir=".", prefix=".tfstate-")  # label: ok
    with os.fdopen(fd, "w") as f:  # label: ok
        json.dump(state, f, indent=2)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, STATE_FILE)  # label: ok


def write_state_legacy(state: dict) -> None:
    tmp = STATE_FILE + ".tmp"
    with open(tmp, "w") as f:  # label: ok
        json.dump(state, f)
    mv(tmp, STATE_FILE)  # label: AW201


def write_state_with_rollback(state: dict) -> None:
    tmp = STATE_FILE + ".tmp"
    with open(tmp, "w") as f:  # label: ok
        json.dump(state, f)
    os.rename(STATE_FILE, BACKUP_FILE)  # label: AW204
    # decided ok for AW201: the target was just moved away, so the destination is absent
    os.rename(tmp, STATE_FILE)  # label: ok


def write_state_inplace(state: dict) -> None:
    with open(STATE_FILE, "w") as f:  # label: AW103
        json.dump(state, f, indent=2)


def push_state_unsafely(state: dict) -> None:
    with tempfile.NamedTemporaryFile("w", dir=".", delete=False) as f:  # label: ok
        json.dump(state, f)
        f.flush()
        os.replace(f.name, STATE_FILE)  # label: AW203


def write_plan(plan: dict, out: str) -> None:
    """infractl plan -out=FILE: the user names the plan file."""
    data = repr(sorted(plan.items())).encode()
    with open(out, "wb") as f:  # label: ok
        f.write(data)


def fetch_plugin(name: str, url: str) -> Path:
    PLUGIN_CACHE.mkdir(parents=True, exist_ok=True)
    downloaded, _ = urllib.request.urlretrieve(url)
    dest = PLUGIN_CACHE / name
    shutil.copyfile(downloaded, dest)  # label: AW104
    os.chmod(dest, 0o755)
    return dest


def write_graph(state: dict, out=None) -> None:
    import sys

    sink = out or sys.stdout
    sink.write("digraph {\n")  # label: ok
    for r in state["resources"]:
        sink.write(f'  "{r["name"]}";\n')
    sink.write("}\n")


def force_unlock() -> None:
    if os.path.exists(LOCK_FILE):
        os.remove(LOCK_FILE)
