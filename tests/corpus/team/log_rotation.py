"""Log handling for a worker process: rotation, compression, status file."""

import gzip
import os
import shutil
import time
from typing import Optional

LOG_DIR = os.environ.get("WORKER_LOG_DIR", "/var/log/worker")
LOG_FILE = os.path.join(LOG_DIR, "worker.log")
STATUS_FILE = os.path.join(LOG_DIR, "status")
KEEP = 5


def log(msg: str) -> None:
    with open(LOG_FILE, "a") as fh:  # label: ok
        fh.write(f"{time.strftime('%F %T')} {msg}\n")


def rotate() -> None:
    # Shifting worker.log.N to .N+1: renames of real files, no temp involved.
    for n in range(KEEP - 1, 0, -1):
        src = f"{LOG_FILE}.{n}"
        if os.path.exists(src):
            os.rename(src, f"{LOG_FILE}.{n + 1}")  # label: ok
    if os.path.exists(LOG_FILE):
        os.rename(LOG_FILE, LOG_FILE + ".1")  # label: ok


def compress_old() -> None:
    for n in range(2, KEEP + 1):
        src = f"{LOG_FILE}.{n}"
        if os.path.exists(src) and not os.path.exists(src + ".gz"):
            with open(src, "rb") as f_in, gzip.open(src + ".gz", "wb") as f_out:  # label: ok
                shutil.copyfileobj(f_in, f_out)
            os.remove(src)


def truncate_log() -> None:
    # Hard case: the log lives under a *_DIR setting, but emptying it on purpose
    # writes no data, so a crash cannot leave it worse than intended: silence.
    open(LOG_FILE, "w").close()  # label: ok


def write_status(state: str, pid: Optional[int] = None) -> None:
    # Read back by `worker status` below: a state file in a *_DIR setting.
    with open(STATUS_FILE, "w") as fh:  # label: AW102
        fh.write(f"{state} {pid or os.getpid()} {time.time():.0f}\n")


def read_status() -> str:
    with open(STATUS_FILE) as fh:
        return fh.read()


def heartbeat() -> None:
    beat = os.path.join(LOG_DIR, "heartbeat")
    with open(beat, "w") as fh:  # label: AW102
        fh.write(str(time.time()))


def dump_debug(buf: str) -> None:
    with open(os.path.join("/tmp", "worker-debug.txt"), "w") as fh:  # label: ok
        fh.write(buf)
