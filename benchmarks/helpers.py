"""Time the atomic-write helpers against a plain write, a hand-written floor, and peers.

    python benchmarks/helpers.py [--iterations 200] [--dir DIR]

Prints one table measured in one run: the median microseconds per write of a 1 KiB and a
1 MiB payload (writers take turns in blocks, so drift hits them all alike), then the ratios
that matter. Peers are optional: ``pip install -r benchmarks/requirements-helpers.txt``.
The directory (default: a new temp dir under the system temp dir) decides the filesystem,
and the filesystem decides the fsync cost: report it with the numbers.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import tempfile
import time
from itertools import count
from pathlib import Path
from typing import Callable, Dict, List, Optional

from flake8_atomic_writes import atomic_write_bytes

Writer = Callable[[str, bytes], None]
SIZES = {"1 KiB": 1024, "1 MiB": 1024 * 1024}
_seq = count()
NO_FSYNC = {"plain Path.write_bytes", "ours durable=False", "safer"}


def plain(path: str, data: bytes) -> None:
    Path(path).write_bytes(data)


def floor(path: str, data: bytes) -> None:
    """The minimal full protocol, hand-written: the fastest a durable atomic write can be."""
    d = os.path.dirname(path)
    tmp = f"{path}.{next(_seq)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    os.write(fd, data)
    os.fsync(fd)
    os.close(fd)
    os.replace(tmp, path)
    dfd = os.open(d, os.O_RDONLY | os.O_DIRECTORY)
    os.fsync(dfd)
    os.close(dfd)


def ours(path: str, data: bytes) -> None:
    atomic_write_bytes(path, data)


def ours_nondurable(path: str, data: bytes) -> None:
    atomic_write_bytes(path, data, durable=False)


def _peers() -> Dict[str, Optional[Writer]]:
    """Each peer's default atomic write, or None when it is not installed."""
    found: Dict[str, Optional[Writer]] = {}
    try:
        from atomicwrites import atomic_write  # type: ignore[import-untyped, unused-ignore]

        def aw(path: str, data: bytes) -> None:
            with atomic_write(path, mode="wb", overwrite=True) as f:
                f.write(data)

        found["atomicwrites"] = aw
    except ImportError:
        found["atomicwrites"] = None
    try:
        import safer

        def sf(path: str, data: bytes) -> None:
            with safer.open(path, "wb") as f:
                f.write(data)

        found["safer"] = sf
    except ImportError:
        found["safer"] = None
    try:
        from boltons.fileutils import atomic_save  # type: ignore[import-untyped, unused-ignore]

        def bo(path: str, data: bytes) -> None:
            with atomic_save(path) as f:
                f.write(data)

        found["boltons atomic_save"] = bo
    except ImportError:
        found["boltons atomic_save"] = None
    try:
        from durablewrite import write_bytes_atomic

        found["durablewrite"] = write_bytes_atomic
    except ImportError:
        found["durablewrite"] = None
    return found


def measure(writers: Dict[str, Writer], directory: str, size: int, n: int) -> Dict[str, float]:
    """Median microseconds per write, each writer on its own file.

    Writers take turns in blocks (5 blocks of n/5 consecutive writes, each after 2 uncounted
    ones), so drift hits them alike, while a writer's back-to-back writes are not billed for
    another writer's different I/O pattern (ext4 starts writeback on truncate and on rename).
    """
    data = os.urandom(size)
    paths = {name: os.path.join(directory, f"{name.split()[0]}-{i}.bin")
             for i, name in enumerate(writers)}
    samples: Dict[str, List[float]] = {name: [] for name in writers}
    blocks = 5
    for _block in range(blocks):
        for name, write in writers.items():
            for i in range(2 + max(1, n // blocks)):
                start = time.perf_counter_ns()
                write(paths[name], data)
                elapsed = time.perf_counter_ns() - start
                if i >= 2:
                    samples[name].append(elapsed / 1000)
    return {name: statistics.median(values) for name, values in samples.items()}


def _filesystem(directory: str) -> str:
    """The mount type holding ``directory`` (Linux), for the report."""
    best, kind = "", "?"
    try:
        with open("/proc/mounts") as mounts:
            for line in mounts:
                _dev, mnt, fstype = line.split()[:3]
                if directory.startswith(mnt) and len(mnt) > len(best):
                    best, kind = mnt, fstype
    except OSError:
        pass
    return kind


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--dir", default=None, help="where to write (decides the filesystem)")
    args = parser.parse_args()
    writers: Dict[str, Writer] = {
        "plain Path.write_bytes": plain,
        "floor (hand-written protocol)": floor,
        "ours durable=True": ours,
        "ours durable=False": ours_nondurable,
    }
    missing = []
    for name, write in _peers().items():
        if write is None:
            missing.append(name)
        else:
            writers[name] = write
    directory = os.path.realpath(tempfile.mkdtemp(prefix="aw-bench-", dir=args.dir))
    # Writers that fsync and writers that do not run in separate groups: another writer's
    # fsync forces a journal commit that would otherwise bill the plain writes.
    groups = [{k: w for k, w in writers.items() if k in NO_FSYNC},
              {k: w for k, w in writers.items() if k not in NO_FSYNC}]
    try:
        results: Dict[str, Dict[str, float]] = {}
        for label, size in SIZES.items():
            results[label] = {}
            for group in groups:
                results[label].update(measure(group, directory, size, args.iterations))
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    _report(results, writers, missing, directory, args.iterations)


def _report(results: Dict[str, Dict[str, float]], writers: Dict[str, Writer],
            missing: List[str], directory: str, n: int) -> None:
    print(f"Python {platform.python_version()} on {platform.system()} {platform.release()}, "
          f"{_filesystem(directory)} at {os.path.dirname(directory)}, "
          f"median of {n} writes per writer, in 5 alternating blocks with warm-up "
          "(fsyncing and non-fsyncing writers in separate groups)")
    print()
    print(f"| writer | {' | '.join(f'{s} µs' for s in SIZES)} | "
          f"{' | '.join(f'{s} × floor' for s in SIZES)} |")
    print("|---|" + "---:|" * (2 * len(SIZES)))
    for name in writers:
        cells = [f"{results[s][name]:.1f}" for s in SIZES]
        ratios = [f"{results[s][name] / results[s]['floor (hand-written protocol)']:.2f}"
                  for s in SIZES]
        print(f"| {name} | {' | '.join(cells)} | {' | '.join(ratios)} |")
    for name in missing:
        print(f"| {name} | not installed | | | |")
    print("(no fsync at all: plain, ours durable=False, safer; boltons: no directory fsync)")
    print()
    for s in SIZES:
        r = results[s]
        durable = r["ours durable=True"] / r["floor (hand-written protocol)"]
        fast = r["ours durable=False"] / r["plain Path.write_bytes"]
        print(f"{s}: ours durable vs floor {durable:.2f}x (target <= 1.1x); "
              f"ours non-durable vs plain {fast:.2f}x (target <= 1.2x)")
        for name in writers:
            if name in ("plain Path.write_bytes", "floor (hand-written protocol)") or \
                    name.startswith("ours"):
                continue
            print(f"    {name} vs ours durable: {r[name] / r['ours durable=True']:.2f}x, "
                  f"vs ours non-durable: {r[name] / r['ours durable=False']:.2f}x")
    if missing:
        print(f"\nnot installed: {', '.join(missing)} "
              "(pip install -r benchmarks/requirements-helpers.txt)")


if __name__ == "__main__":
    main()
