"""Chat client history and drafts (opt-in codes enabled)."""

import json
import os
import time
from pathlib import Path
from typing import Dict, List

DATA_HOME = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "chatty"
HISTORY = DATA_HOME / "history.jsonl"
UNREAD = DATA_HOME / "unread.tsv"
SENT_LOG = DATA_HOME / "sent.log"


def read_history(limit: int = 100) -> List[Dict[str, str]]:
    with open(HISTORY, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh.readlines()[-limit:]]


def record_message(room: str, text: str) -> None:
    with HISTORY.open(mode="a", encoding="utf-8") as fh:  # label: AW303
        fh.write(json.dumps({"room": room, "text": text, "ts": time.time()}) + "\n")


def bump_unread(room: str) -> None:
    with open(UNREAD, "a") as fh:  # label: AW303
        fh.write(f"{room}\t{time.time()}\n")


def unread_rooms() -> List[str]:
    return [line.split("\t")[0] for line in UNREAD.read_text().splitlines()]


def log_sent(room: str) -> None:
    # Plain log for the user to grep; the program never reads it.
    with open(SENT_LOG, "a") as fh:  # label: ok
        fh.write(f"{time.ctime()} -> {room}\n")


def save_draft(room: str, text: str) -> None:
    drafts = DATA_HOME / "drafts"
    tmp = drafts / f"{room}.tmp"
    tmp.write_text(text)  # label: ok
    os.replace(tmp, drafts / f"{room}.txt")  # label: AW302


def load_draft(room: str) -> str:
    return (DATA_HOME / "drafts" / f"{room}.txt").read_text()


def save_room_list(rooms: List[str]) -> None:
    with open(DATA_HOME / "rooms.json", "w") as fh:  # label: AW103
        json.dump(rooms, fh)


def save_attachment(blob: bytes, dest: str) -> None:
    with open(dest, "wb") as fh:  # label: AW301
        fh.write(blob)
