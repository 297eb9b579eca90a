"""Sync store for a browser extension's native helper: storage.sync mirror, prefs, exports."""

import io
import json
import os
import pathlib as pl
import tempfile
from json import dump as jdump

PROFILE_DIR = pl.Path(os.environ.get("APPDATA", pl.Path.home() / ".config")) / "tabkeeper"
SYNC_STORE = PROFILE_DIR / "storage.sync.json"
PREFS = PROFILE_DIR / "prefs.js"


def write_json(path, obj) -> None:
    """Generic helper used by the store below."""
    with open(path, "w", encoding="utf-8") as f:  # label: AW103
        jdump(obj, f, separators=(",", ":"))


def write_blob(path, data: bytes) -> None:
    with open(path, "wb") as f:  # label: ok
        f.write(data)


def read_store() -> dict:
    try:
        return json.loads(SYNC_STORE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def set_item(key: str, value: object) -> None:
    store = read_store()
    store[key] = value
    write_json(SYNC_STORE, store)


def remove_item(key: str) -> None:
    store = read_store()
    store.pop(key, None)
    new = SYNC_STORE.with_suffix(".json.new")
    new.write_text(json.dumps(store), encoding="utf-8")  # label: ok
    new.replace(SYNC_STORE)  # label: ok


def merge_remote(remote: dict) -> None:
    store = read_store()
    store.update(remote)
    spool = os.path.join(tempfile.gettempdir(), "tabkeeper-sync-%d.part" % os.getpid())  # label: AW202
    with open(spool, "w", encoding="utf-8") as f:  # label: ok
        jdump(store, f)
    os.replace(spool, SYNC_STORE)  # label: ok


def merge_remote_fixed(remote: dict) -> None:
    store = read_store()
    store.update(remote)
    spool = os.path.join(PROFILE_DIR, "tabkeeper-sync-%d.part" % os.getpid())  # label: ok
    with open(spool, "w", encoding="utf-8") as f:  # label: ok
        jdump(store, f)
    os.replace(spool, SYNC_STORE)  # label: ok


def write_prefs(prefs: dict) -> None:
    lines = [f'user_pref("{k}", {json.dumps(v)});' for k, v in sorted(prefs.items())]
    with io.open(PREFS, "w", encoding="utf-8") as f:  # label: AW102
        f.write("\n".join(lines) + "\n")


def reset_prefs() -> None:
    with PREFS.open("w") as f:  # label: AW102
        f.write("")


def export_bookmarks(store: dict, dest: str) -> None:
    html = "".join(f'<DT><A HREF="{u}">{t}</A>' for t, u in store.get("bookmarks", []))
    write_blob(dest, html.encode())


def export_settings_backup(dest: str) -> None:
    # decided ok: a user-chosen export path, written through a helper that only ever gets such paths
    write_blob(dest, json.dumps(read_store()).encode())


def native_messaging_reply(message: dict) -> bytes:
    buf = io.BytesIO()
    buf.write(json.dumps(message).encode())  # label: ok
    return buf.getvalue()


def install_manifest(host_dir: str) -> None:
    manifest = {"name": "tabkeeper", "path": os.path.abspath(__file__), "type": "stdio"}
    with pl.Path(host_dir, "tabkeeper.json").open("w") as f:  # label: AW103
        jdump(manifest, f)
