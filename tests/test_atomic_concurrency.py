"""Many writers, processes and threads, on one target: readers only ever see whole versions."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import threading
from pathlib import Path

from atomic_child import checksummed, verify
from atomic_support import child_env, temps

from flake8_atomic_writes import atomic_json_dump, atomic_open

WRITES_PER_WRITER = 25

PROCESS_WRITER = """
import random, sys
sys.path.insert(0, sys.argv[3])
from atomic_child import checksummed
from flake8_atomic_writes import atomic_json_dump
rng = random.Random(int(sys.argv[2]))
for i in range(int(sys.argv[4])):
    atomic_json_dump(checksummed(i, rng), sys.argv[1], durable=i % 2 == 0)
"""


def _thread_writer(target: Path, seed: int, errors: list[BaseException]) -> None:
    rng = random.Random(seed)
    try:
        for i in range(WRITES_PER_WRITER):
            doc = checksummed(i, rng)
            if i % 2:
                atomic_json_dump(doc, target, durable=False)
            else:
                with atomic_open(target, "w", encoding="utf-8", durable=False) as f:
                    f.write(json.dumps(doc))
    except BaseException as exc:  # surfaced by the test
        errors.append(exc)


def test_processes_and_threads_on_one_target(tmp_path: Path) -> None:
    target = tmp_path / "shared.json"
    atomic_json_dump(checksummed(0, random.Random(0)), target)
    tests_dir = str(Path(__file__).resolve().parent)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", PROCESS_WRITER, str(target), str(seed), tests_dir,
             str(WRITES_PER_WRITER)],
            env=child_env(),
        )
        for seed in range(3)
    ]
    errors: list[BaseException] = []
    threads = [
        threading.Thread(target=_thread_writer, args=(target, 100 + n, errors)) for n in range(4)
    ]
    for t in threads:
        t.start()
    torn = reads = 0
    while any(p.poll() is None for p in procs) or any(t.is_alive() for t in threads):
        reads += 1
        if not verify(target.read_bytes()):
            torn += 1
    for t in threads:
        t.join()
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0]
    assert errors == []
    assert torn == 0, f"{torn} of {reads} concurrent reads saw a partial file"
    assert verify(target.read_bytes())
    assert temps(tmp_path) == []
