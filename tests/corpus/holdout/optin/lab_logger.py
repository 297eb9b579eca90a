"""Acquisition logger for a lab instrument: raw samples, calibration journal, reports."""

import csv
import datetime as dt
import json
import os
import struct
from pathlib import Path

LAB_DIR = Path(os.environ.get("LAB_DIR", str(Path.home() / "lab")))
CALIBRATION_LOG = LAB_DIR / "calibration.log"
SETTINGS = LAB_DIR / "settings.json"
SERIAL_PORT = "/dev/ttyUSB0"


def current_offset() -> float:
    offset = 0.0
    if CALIBRATION_LOG.exists():
        for line in CALIBRATION_LOG.read_text().splitlines():
            offset = float(line.split(",")[1])
    return offset


def record_calibration(offset: float) -> None:
    with CALIBRATION_LOG.open("a") as f:  # label: AW303
        f.write(f"{dt.datetime.now().isoformat()},{offset}\n")


def append_samples(samples: list) -> Path:
    raw = LAB_DIR / f"raw-{dt.date.today():%Y%m%d}.csv"
    with open(raw, "a", newline="") as f:  # label: ok
        csv.writer(f).writerows(samples)
    return raw


def send_command(cmd: bytes) -> None:
    with open(SERIAL_PORT, "wb", buffering=0) as port:  # label: ok
        port.write(struct.pack(">H", len(cmd)) + cmd)


def load_settings() -> dict:
    try:
        return json.loads(SETTINGS.read_text())
    except (OSError, ValueError):
        return {"rate_hz": 10}


def save_settings(settings: dict) -> None:
    SETTINGS.write_text(json.dumps(settings, indent=2))  # label: AW101


def save_settings_atomic(settings: dict) -> None:
    tmp = SETTINGS.with_suffix(".json.tmp")
    with open(tmp, "w") as f:  # label: ok
        json.dump(settings, f, indent=2)
        f.flush()
        os.fsync(f.fileno())
    os.rename(tmp, SETTINGS)  # label: AW201


def save_settings_atomic_fixed(settings: dict) -> None:
    tmp = SETTINGS.with_suffix(".json.tmp")
    with open(tmp, "w") as f:  # label: ok
        json.dump(settings, f, indent=2)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, SETTINGS)  # label: ok


def write_report(samples: list, out: str) -> None:
    mean = sum(s[1] for s in samples) / max(len(samples), 1)
    with Path(out).open("w") as f:  # label: AW301
        f.write(f"samples: {len(samples)}\nmean: {mean:.6f}\n")


def save_plot(png: bytes, fname: str) -> None:
    with open(fname, "wb") as f:  # label: AW301
        f.write(png)


def self_test() -> bool:
    probe = "/tmp/lab-selftest.bin"
    with open(probe, "wb") as f:  # label: ok
        f.write(os.urandom(64))
    ok = os.path.getsize(probe) == 64
    os.remove(probe)
    return ok


def scratch_roundtrip(samples: list) -> list:
    path = LAB_DIR / "roundtrip-check.csv"
    # decided ok: the file is deleted later in the same function (spec: never flagged), despite the read-back
    with open(path, "w", newline="") as f:  # label: ok
        csv.writer(f).writerows(samples)
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    path.unlink()
    return rows
