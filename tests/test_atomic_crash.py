"""SIGKILL a writer at random moments: the target is always one complete version.

The naive ``open(p, "w")`` writer runs through the same loop and must be caught with a torn
file, which proves the check can fail. A process kill keeps the page cache, so this covers
atomicity against process death (fsync is covered by the strace tests).
"""

from __future__ import annotations

import pytest

import os
import random
import signal
import subprocess
import time
from pathlib import Path

from atomic_child import verify
from atomic_support import child_cmd, child_env, temps

from flake8_atomic_writes import atomic_write_bytes, cleanup_stale_temps

KILLS = 100


def _kill_loop(
    directory: Path, writer: str, kills: int, stop_after_bad: int | None = None
) -> tuple[int, int]:
    """SIGKILL a looping writer up to ``kills`` times; return (bad states seen, kills done)."""
    target = directory / "state.json"
    rng = random.Random(f"{writer}-{kills}")
    bad = done = 0
    for i in range(kills):
        proc = subprocess.Popen(
            child_cmd("loop", str(target), writer, str(i)),
            stdout=subprocess.PIPE, env=child_env(), text=True,
        )
        try:
            assert proc.stdout is not None
            assert proc.stdout.readline() == "ready\n", "writer did not start"
            time.sleep(rng.uniform(0.0, 0.05))
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
        assert proc.returncode == -signal.SIGKILL
        done += 1
        if not verify(target.read_bytes()):
            bad += 1
            if stop_after_bad is not None and bad >= stop_after_bad:
                break
    return bad, done


@pytest.mark.slow
def test_sigkill_loop_atomic_never_tears(tmp_path: Path) -> None:
    bad, _ = _kill_loop(tmp_path, "atomic", KILLS)
    assert bad == 0, f"{bad} of {KILLS} kills left a torn or unparsable target"
    left = temps(tmp_path)
    print(f"\natomic writer: {KILLS} SIGKILLs, 0 bad states, {len(left)} leftover temps")
    # Leftovers never block later writes, and the sweeper removes exactly them.
    atomic_write_bytes(tmp_path / "state.json", b"{}")
    removed = cleanup_stale_temps(tmp_path, older_than=0)
    assert sorted(os.path.basename(p) for p in removed) == left
    assert temps(tmp_path) == []
    assert (tmp_path / "state.json").read_bytes() == b"{}"


@pytest.mark.slow
def test_sigkill_loop_nondurable_never_tears(tmp_path: Path) -> None:
    bad, _ = _kill_loop(tmp_path, "atomic-nondurable", 40)
    assert bad == 0
    cleanup_stale_temps(tmp_path, older_than=0)
    assert temps(tmp_path) == []


@pytest.mark.slow
def test_sigkill_loop_naive_writer_is_caught(tmp_path: Path) -> None:
    """Positive control: the same loop must see torn files from ``open(p, "w")``."""
    bad, done = _kill_loop(tmp_path, "naive", KILLS, stop_after_bad=3)
    print(f"\nnaive writer: {bad} bad states in {done} SIGKILLs")
    assert bad >= 1, "the kill loop never caught the naive writer: the test cannot bite"


def test_cleanup_respects_age_and_pattern(tmp_path: Path) -> None:
    old = tmp_path / ".state.json.0123456789ab.tmp"
    young = tmp_path / ".state.json.ba9876543210.tmp"
    other = tmp_path / ".state.json.part"
    not_hex = tmp_path / ".state.json.zzzzzzzzzzzz.tmp"
    for p in (old, young, other, not_hex):
        p.write_bytes(b"x")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    (tmp_path / ".dir.0123456789ab.tmp").mkdir()
    assert cleanup_stale_temps(tmp_path) == [str(old)]
    assert young.exists() and other.exists() and not_hex.exists()
    assert cleanup_stale_temps(str(tmp_path), older_than=0) == [str(young)]
    assert (tmp_path / ".dir.0123456789ab.tmp").is_dir()
