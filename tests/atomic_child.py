"""Child process for the helpers' crash tests (run by tests/test_atomic_*.py, not collected).

Usage:
  atomic_child.py loop TARGET WRITER SEED    rewrite TARGET with checksummed JSON forever;
                                             prints "ready" after the first write
  atomic_child.py once TARGET API DURABLE RESULT
                                             one write of NEW_CONTENT (env AW_NEW) bracketed by
                                             marker writes to stderr; outcome JSON to RESULT

WRITER is "atomic", "atomic-nondurable" or "naive" (the positive control: open(p, "w")).
API is "bytes", "text", "json" or "open".
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sys

from flake8_atomic_writes import atomic_json_dump, atomic_open, atomic_write_bytes
from flake8_atomic_writes import atomic_write_text

BEGIN = b"AW-BEGIN\n"
END = b"AW-END\n"


def checksummed(seq: int, rng: random.Random) -> dict[str, object]:
    """A JSON document of 1-300 KB whose ``sha256`` covers the rest of it."""
    body = {"seq": seq, "pad": rng.randbytes(rng.randint(512, 150_000)).hex()}
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
    return {**body, "sha256": digest}


def verify(raw: bytes) -> bool:
    """True when ``raw`` is a complete document written by ``checksummed``."""
    try:
        doc = json.loads(raw)
        digest = doc.pop("sha256")
    except (ValueError, KeyError, AttributeError, TypeError):
        return False
    return bool(hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest() == digest)


def loop(target: str, writer: str, seed: int) -> None:
    rng = random.Random(seed)
    seq = 0
    while True:
        doc = checksummed(seq, rng)
        if writer == "naive":
            with open(target, "w") as f:
                json.dump(doc, f)
        else:
            atomic_json_dump(doc, target, durable=writer == "atomic")
        if seq == 0:
            print("ready", flush=True)
        seq += 1


def once(target: str, api: str, durable: bool, result: str) -> None:
    new = os.environ["AW_NEW"]
    outcome: dict[str, object] = {"ok": True}
    os.write(2, BEGIN)
    try:
        if api == "bytes":
            atomic_write_bytes(target, new.encode(), durable=durable)
        elif api == "text":
            atomic_write_text(target, new, durable=durable)
        elif api == "json":
            atomic_json_dump(json.loads(new), target, durable=durable)
        else:
            with atomic_open(target, "w", encoding="utf-8", durable=durable) as f:
                f.write(new)
    except BaseException as exc:  # report every outcome to the parent
        outcome = {
            "ok": False,
            "type": type(exc).__name__,
            "errno": getattr(exc, "errno", None),
            "message": str(exc),
            "mro": [cls.__name__ for cls in type(exc).__mro__],
        }
    os.write(2, END)
    fd = os.open(result, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.write(fd, json.dumps(outcome).encode())
    os.close(fd)


def main(argv: list[str]) -> None:
    if argv[0] == "loop":
        loop(argv[1], argv[2], int(argv[3]))
    else:
        once(argv[1], argv[2], argv[3] == "1", argv[4])


if __name__ == "__main__":
    main(sys.argv[1:])
