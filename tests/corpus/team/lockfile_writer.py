"""Resolver output for a small package manager: lock file, manifest, index."""

import hashlib
import json
import os
import urllib.request
from os import replace
from pathlib import Path
from typing import Dict, List

import tomli_w
import tomllib

PROJECT_FILE = "pyproject.toml"
LOCK_NAME = "pkg.lock"
INDEX_DIR = Path(os.environ.get("PKG_HOME", Path.home() / ".pkg")) / "index"


def read_project(root: Path) -> Dict:
    with open(root / PROJECT_FILE, "rb") as fh:
        return tomllib.load(fh)


def write_project(root: Path, data: Dict) -> None:
    with open(root / PROJECT_FILE, "wb") as fh:  # label: AW103
        tomli_w.dump(data, fh)


def write_lock(root: Path, pins: Dict[str, str]) -> None:
    lines = [f'{name} = "{ver}"' for name, ver in sorted(pins.items())]
    (root / LOCK_NAME).write_text("\n".join(lines) + "\n")  # label: AW101


def write_lock_atomically(root: Path, pins: Dict[str, str]) -> None:
    target = root / LOCK_NAME
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(pins))  # label: ok
    replace(tmp, target)  # label: ok


def write_manifest(root: Path, files: List[Path]) -> None:
    manifest = {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    with (root / "MANIFEST.json").open("w") as fh:  # label: AW103
        json.dump(manifest, fh, indent=1)


def download_index(name: str) -> Path:
    INDEX_DIR.mkdir(parents=True, exist_ok=True)
    final = INDEX_DIR / f"{name}.json"
    part = INDEX_DIR / f"{name}.json.part"
    with urllib.request.urlopen(f"https://pkg.example.org/{name}.json") as resp:
        with open(part, "wb") as fh:  # label: ok
            while chunk := resp.read(65536):
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
    part.replace(final)  # label: ok
    return final


def update_index_entry(name: str, entry: Dict) -> None:
    path = INDEX_DIR / f"{name}.json"
    data = json.loads(path.read_text())
    data.update(entry)
    path.write_text(json.dumps(data))  # label: AW101


def sdist_filename(name: str, version: str) -> str:
    # str.replace, not a file operation.
    return f"{name.replace('-', '_')}-{version}.tar.gz"


def write_record(dist_dir: Path, name: str, rows: List[str]) -> None:
    record = dist_dir / f"{sdist_filename(name, '0')}.RECORD"
    with open(record, "w") as fh:  # label: ok
        fh.write("\n".join(rows))
