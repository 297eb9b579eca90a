"""Device registry for an IoT gateway: YAML registry, firmware cache, provisioning exports."""

import csv
import os
import shutil
import tempfile
import time
from pathlib import Path

import platformdirs
import yaml as y
from yaml import safe_dump

REGISTRY = Path("/etc/gateway/registry.yaml")
FIRMWARE_CACHE = Path(platformdirs.user_cache_dir("gateway")) / "firmware"
GATEWAY_HOME = Path(os.environ.get("GATEWAY_HOME", "/var/lib/gateway"))


def load_registry() -> dict:
    with open(REGISTRY) as f:
        return y.safe_load(f) or {}


def _atomic_yaml(path: Path, data: dict) -> None:
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as f:  # label: ok
        safe_dump(data, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(f.name, path)  # label: ok


def register(device_id: str, model: str) -> None:
    reg = load_registry()
    reg[device_id] = {"model": model, "seen": time.time()}
    _atomic_yaml(REGISTRY, reg)  # label: ok


def forget(device_id: str) -> None:
    reg = load_registry()
    reg.pop(device_id, None)
    with open(REGISTRY, "w") as f:  # label: AW103
        y.dump(reg, f, default_flow_style=False)


def rename_device(old: str, new: str) -> None:
    reg = load_registry()
    reg[new] = reg.pop(old)
    fd, tmp = tempfile.mkstemp(suffix=".yaml")  # label: AW202
    with os.fdopen(fd, "w") as f:  # label: ok
        safe_dump(reg, f)
    os.replace(tmp, REGISTRY)  # label: ok


def bulk_import(rows: list) -> None:
    reg = load_registry()
    reg.update({r["id"]: r for r in rows})
    tmp = REGISTRY.with_suffix(".yaml.tmp")
    with open(tmp, "w") as f:  # label: ok
        safe_dump(reg, f)
    shutil.copyfile(tmp, REGISTRY)  # label: AW204
    os.unlink(tmp)


def bulk_import_fixed(rows: list) -> None:
    reg = load_registry()
    reg.update({r["id"]: r for r in rows})
    tmp = REGISTRY.with_suffix(".yaml.tmp")
    with open(tmp, "w") as f:  # label: ok
        safe_dump(reg, f)
    os.replace(tmp, REGISTRY)  # label: ok


def cache_firmware(model: str, blob: bytes) -> Path:
    FIRMWARE_CACHE.mkdir(parents=True, exist_ok=True)
    dest = FIRMWARE_CACHE / f"{model}.bin"
    dest.write_bytes(blob)  # label: AW101
    return dest


def write_device_token(device_id: str, token: str) -> None:
    tokens = GATEWAY_HOME / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    (tokens / f"{device_id}.token").write_text(token)  # label: AW101


def export_inventory(dest: str) -> int:
    reg = load_registry()
    # decided ok: csv report to a user-chosen path, no evidence of persistence
    with open(dest, "w", newline="") as f:  # label: ok
        w = csv.writer(f)
        for device_id, info in sorted(reg.items()):
            w.writerow([device_id, info.get("model"), info.get("seen")])
    return len(reg)


def stage_firmware(blob: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".bin", delete=False) as f:  # label: ok
        f.write(blob)
    return f.name


def flash(device_id: str, blob: bytes) -> None:
    image = stage_firmware(blob)
    try:
        print(f"flashing {device_id} from {image}")
    finally:
        os.unlink(image)
