"""Provenance records for a scientific analysis pipeline: run metadata, catalog, archives."""

import bz2
import csv
import getpass
import gzip
import hashlib
import json
import lzma
import os
import pickle
import platform
import shutil
import tarfile
import time
import xml.etree.ElementTree as ET
from os.path import expanduser, join

PROV_HOME = expanduser("~/.provtrack")
CATALOG_INDEX = join(PROV_HOME, "catalog-index.xml")
ARCHIVE_DIR = join(PROV_HOME, "archive")


def sha256(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def write_run_metadata(run_dir: str, inputs: list, params: dict) -> str:
    meta = {
        "user": getpass.getuser(),
        "host": platform.node(),
        "started": time.time(),
        "inputs": {p: sha256(p) for p in inputs},
        "params": params,
    }
    path = os.path.join(run_dir, "metadata.json")
    with open(path, "w") as f:  # label: AW103
        json.dump(meta, f, indent=2)
    return path


def write_results(run_dir: str, rows: list) -> None:
    with open(os.path.join(run_dir, "results.csv"), "w", newline="") as f:  # label: ok
        csv.writer(f).writerows(rows)


def write_checksum_sidecar(data_path: str) -> None:
    with open(data_path + ".sha256", "w") as f:  # label: ok
        f.write(sha256(data_path) + "\n")


def save_checkpoint(run_dir: str, step: int, model: object) -> None:
    path = os.path.join(run_dir, f"checkpoint-{step:05d}.pkl.gz")
    # decided AW104 (not AW103): the handle comes from gzip.open, which the spec lists under AW104
    with gzip.open(path, "wb") as f:  # label: AW104
        pickle.dump(model, f)


def register_in_catalog(run_id: str, run_dir: str) -> None:
    tree = ET.parse(CATALOG_INDEX) if os.path.exists(CATALOG_INDEX) else ET.ElementTree(ET.Element("runs"))
    ET.SubElement(tree.getroot(), "run", id=run_id, dir=run_dir)
    tree.write(CATALOG_INDEX, encoding="utf-8", xml_declaration=True)  # label: AW104


def register_in_catalog_safely(run_id: str, run_dir: str) -> None:
    tree = ET.parse(CATALOG_INDEX)
    ET.SubElement(tree.getroot(), "run", id=run_id, dir=run_dir)
    tmp = CATALOG_INDEX + ".new"
    tree.write(tmp, encoding="utf-8")  # label: ok
    os.replace(tmp, CATALOG_INDEX)  # label: ok


def archive_run(run_id: str, run_dir: str) -> str:
    os.makedirs(ARCHIVE_DIR, exist_ok=True)
    dest = join(ARCHIVE_DIR, f"{run_id}.tar.gz")
    with tarfile.open(dest, "w:gz") as tar:  # label: AW104
        tar.add(run_dir, arcname=run_id)
    return dest


def bundle_for_reviewer(run_dir: str, out_path: str) -> None:
    with tarfile.open(out_path, "w:bz2") as tar:  # label: ok
        tar.add(run_dir)


def compress_log(log_path: str) -> None:
    with open(log_path, "rb") as src, lzma.open(log_path + ".xz", "wb") as dst:  # label: ok
        shutil.copyfileobj(src, dst)
    os.remove(log_path)


def store_raw_trace(run_dir: str, trace: bytes) -> None:
    with bz2.open(os.path.join(run_dir, "trace.bin.bz2"), "wb") as f:  # label: ok
        f.write(trace)


def publish_metadata(run_dir: str) -> None:
    shared = join(PROV_HOME, "latest-metadata.json")
    shutil.copyfile(os.path.join(run_dir, "metadata.json"), shared)  # label: AW104


def attach_input(run_dir: str, src: str) -> None:
    shutil.copy(src, os.path.join(run_dir, "inputs", os.path.basename(src)))  # label: ok
