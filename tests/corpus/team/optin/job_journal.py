"""A persistent job queue: an append-only journal replayed at start-up.

Checked with AW301, AW302 and AW303 enabled.
"""

import json
import os
import time
from pathlib import Path
from typing import Dict, Iterator, List

QUEUE_DIR = Path(os.environ.get("JOBQ_DIR", Path.home() / ".jobq"))
JOURNAL = QUEUE_DIR / "journal.jsonl"
DONE_LOG = QUEUE_DIR / "done.jsonl"
AUDIT_LOG = QUEUE_DIR / "audit.log"


def replay() -> Dict[str, dict]:
    jobs: Dict[str, dict] = {}
    if JOURNAL.exists():
        for line in JOURNAL.read_text().splitlines():
            rec = json.loads(line)
            jobs[rec["id"]] = rec
    return jobs


def enqueue(job_id: str, payload: dict) -> None:
    with open(JOURNAL, "a") as fh:  # label: AW303
        fh.write(json.dumps({"id": job_id, "payload": payload, "state": "queued"}) + "\n")


def mark_done(job_id: str) -> None:
    with JOURNAL.open("a", encoding="utf-8") as fh:  # label: AW303
        fh.write(json.dumps({"id": job_id, "state": "done"}) + "\n")
    with open(DONE_LOG, "ab") as fh:  # label: AW303
        fh.write(json.dumps({"id": job_id, "at": time.time()}).encode() + b"\n")


def done_ids() -> List[str]:
    with open(DONE_LOG, "rb") as fh:
        return [json.loads(line)["id"] for line in fh]


def audit(msg: str) -> None:
    # Human-readable audit trail, never parsed by the program.
    with open(AUDIT_LOG, "a") as fh:  # label: ok
        fh.write(f"{time.ctime()} {msg}\n")


def compact() -> None:
    live = {k: v for k, v in replay().items() if v.get("state") != "done"}
    tmp = JOURNAL.with_suffix(".jsonl.tmp")
    with open(tmp, "w") as fh:  # label: ok
        for rec in live.values():
            fh.write(json.dumps(rec) + "\n")
    os.replace(tmp, JOURNAL)  # label: AW302


def compact_durably() -> None:
    live = {k: v for k, v in replay().items() if v.get("state") != "done"}
    tmp = JOURNAL.with_suffix(".jsonl.tmp")
    with open(tmp, "w") as fh:  # label: ok
        for rec in live.values():
            fh.write(json.dumps(rec) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, JOURNAL)  # label: ok


def iter_queued() -> Iterator[dict]:
    for rec in replay().values():
        if rec.get("state") == "queued":
            yield rec


def write_stats(stats: Dict[str, int]) -> None:
    # stats.json under the queue dir: a plain AW103 write, opt-in or not.
    with open(QUEUE_DIR / "stats.json", "w") as fh:  # label: AW103
        json.dump(stats, fh)


def dump_queue(out: str) -> None:
    # An export to a path the user passes: no evidence either way, so AW301.
    with open(out, "w") as fh:  # label: AW301
        for rec in iter_queued():
            fh.write(f"{rec['id']}\n")
