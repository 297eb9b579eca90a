"""Event-sourced state for a bookkeeping desktop app (opt-in codes enabled)."""

import csv
import json
import os
import pickle
from typing import Dict, List

import appdirs

DATA = appdirs.user_data_dir("ledgerly")
EVENTS = os.path.join(DATA, "events.jsonl")
SNAPSHOT = os.path.join(DATA, "snapshot.pkl")
LEDGER_CSV = os.path.join(DATA, "ledger.csv")
DEBUG_LOG = os.path.join(DATA, "debug.log")


def load_events() -> List[dict]:
    with open(EVENTS, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def emit(event: dict) -> None:
    fh = open(EVENTS, "a", encoding="utf-8")  # label: AW303
    fh.write(json.dumps(event) + "\n")
    fh.close()


def append_ledger_row(row: List[str]) -> None:
    with open(LEDGER_CSV, "a", newline="") as fh:  # label: AW303
        csv.writer(fh).writerow(row)


def read_ledger() -> List[List[str]]:
    with open(LEDGER_CSV, newline="") as fh:
        return list(csv.reader(fh))


def debug(msg: str) -> None:
    with open(DEBUG_LOG, "a") as fh:  # label: ok
        fh.write(msg + "\n")


def snapshot(state: Dict[str, float]) -> None:
    tmp = SNAPSHOT + ".tmp"
    with open(tmp, "wb") as fh:  # label: ok
        pickle.dump(state, fh)
    os.replace(tmp, SNAPSHOT)  # label: AW302


def load_snapshot() -> Dict[str, float]:
    with open(SNAPSHOT, "rb") as fh:
        return pickle.load(fh)


def rebuild_balance_cache(balances: Dict[str, float]) -> None:
    with open(os.path.join(DATA, "balance-cache.json"), "w") as fh:  # label: AW103
        json.dump(balances, fh)


def print_report(balances: Dict[str, float], dest: str) -> None:
    with open(dest, "w") as fh:  # label: AW301
        for acct, bal in sorted(balances.items()):
            fh.write(f"{acct:30s} {bal:12.2f}\n")


def write_attachment(blob: bytes, filename: str) -> None:
    # Attachments saved into the data directory, read back when opened.
    path = os.path.join(DATA, "attachments", filename)
    with open(path, "wb") as fh:  # label: AW102
        fh.write(blob)


def read_attachment(filename: str) -> bytes:
    with open(os.path.join(DATA, "attachments", filename), "rb") as fh:
        return fh.read()
