"""A plugin registry for an extensible CLI: installed plugins and their index."""

import json as _json
import os
import os.path as osp
import tempfile
from os import replace as _os_replace
from typing import Any, Dict

REGISTRY_DIR = osp.join(os.environ.get("APPDATA") or osp.expanduser("~/.config"), "plugctl")
REGISTRY = osp.join(REGISTRY_DIR, "registry.json")
INDEX = osp.join(REGISTRY_DIR, "index")


def _replace(src: str, dst: str) -> None:
    """Small wrapper used everywhere in this module."""
    _os_replace(src, dst)  # label: ok


def read_registry() -> Dict[str, Any]:
    try:
        with open(REGISTRY, encoding="utf-8") as fh:
            return _json.load(fh)
    except FileNotFoundError:
        return {}


def write_registry(reg: Dict[str, Any]) -> None:
    fd, tmp = tempfile.mkstemp(dir=REGISTRY_DIR, prefix=".registry-")  # label: ok
    with os.fdopen(fd, "w", encoding="utf-8") as fh:  # label: ok
        _json.dump(reg, fh, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    _replace(tmp, REGISTRY)  # label: ok


def register(name: str, version: str) -> None:
    reg = read_registry()
    reg[name] = {"version": version}
    write_registry(reg)


def write_index(entries: Dict[str, str]) -> None:
    with open(INDEX, "w", encoding="utf-8") as fh:  # label: AW102
        for k, v in sorted(entries.items()):
            fh.write(f"{k}\t{v}\n")


def unregister(name: str) -> None:
    reg = read_registry()
    reg.pop(name, None)
    with open(REGISTRY, "w", encoding="utf-8") as fh:  # label: AW103
        _json.dump(reg, fh)


def write_plugin_manifest(plugin_dir: str, meta: Dict[str, Any]) -> None:
    path = osp.join(plugin_dir, "manifest.json")
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:  # label: ok
        _json.dump(meta, fh)
    _replace(tmp, path)  # label: ok


def scaffold(plugin_dir: str, name: str) -> None:
    # `plugctl new NAME`: creates a fresh source file for the user to edit.
    os.makedirs(plugin_dir, exist_ok=True)
    with open(osp.join(plugin_dir, "__init__.py"), "x") as fh:  # label: ok
        fh.write(f'"""The {name} plugin."""\n')
