"""Incremental build tool: a content-hash cache and generated sources."""

import hashlib
import json
import os
import pickle
from pathlib import Path
from typing import Dict, Iterable

CACHE_ROOT = Path(".buildcache")
MANIFEST = CACHE_ROOT / "manifest.json"


def digest(path: Path) -> str:
    return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()


def load_manifest() -> Dict[str, str]:
    if MANIFEST.exists():
        return json.loads(MANIFEST.read_text())
    return {}


def save_manifest(manifest: Dict[str, str]) -> None:
    CACHE_ROOT.mkdir(exist_ok=True)
    with MANIFEST.open("w") as fh:  # label: AW103
        json.dump(manifest, fh, sort_keys=True)


def store_artifact(key: str, data: bytes) -> Path:
    dest = CACHE_ROOT / "objects" / key[:2] / key
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(data)  # label: AW101
    return dest


def fetch_artifact(key: str) -> bytes:
    return (CACHE_ROOT / "objects" / key[:2] / key).read_bytes()


def generate_version_module(out_dir: Path, version: str) -> None:
    # Generated source in the build output: rebuilt every time, never state.
    (out_dir / "_version.py").write_text(f'__version__ = "{version}"\n')  # label: ok


def write_depfile(target: str, deps: Iterable[str], out_dir: Path) -> None:
    with open(out_dir / (target + ".d"), "w") as fh:  # label: ok
        fh.write(f"{target}: " + " ".join(deps) + "\n")


def touch_stamp(out_dir: Path, step: str) -> None:
    (out_dir / f"{step}.stamp").write_text("")  # label: ok


def save_graph(graph: Dict[str, list]) -> None:
    with open(CACHE_ROOT / "graph.pkl", "wb") as fh:  # label: AW103
        pickle.dump(graph, fh)


def build(sources: Iterable[Path], out_dir: Path) -> None:
    manifest = load_manifest()
    for src in sources:
        h = digest(src)
        if manifest.get(str(src)) == h:
            continue
        obj = out_dir / (src.stem + ".o")
        data = src.read_bytes()[::-1]
        obj.write_bytes(data)  # label: ok
        store_artifact(h, data)
        manifest[str(src)] = h
    save_manifest(manifest)
    os.utime(out_dir)
