"""A background sync daemon: XDG state, pid file, cursor checkpoints."""

import fcntl
import json as _json
import logging
import os
import signal
import time
from typing import Any, Dict, Optional

STATE_HOME = os.environ.get("XDG_STATE_HOME", os.path.expanduser("~/.local/state"))
STATE_DIR = os.path.join(STATE_HOME, "syncd")
CURSOR_PATH = os.path.join(STATE_DIR, "cursor")
PID_PATH = os.path.join(STATE_DIR, "syncd.pid")
LOCK_PATH = os.path.join(STATE_DIR, "syncd.lock")
LOG_PATH = os.path.join(STATE_DIR, "syncd.log")

log = logging.getLogger("syncd")


class Daemon:
    def __init__(self, remote: str) -> None:
        self.remote = remote
        self.state_path = os.path.join(STATE_DIR, "state.json")
        self.running = True
        self.state: Dict[str, Any] = {}

    def load(self) -> None:
        try:
            with open(self.state_path) as fh:
                self.state = _json.load(fh)
        except FileNotFoundError:
            self.state = {}

    def save(self) -> None:
        with open(self.state_path, "w") as fh:  # label: AW103
            _json.dump(self.state, fh, sort_keys=True)

    def write_cursor(self, cursor: str) -> None:
        with open(CURSOR_PATH, "w") as fh:  # label: AW102
            fh.write(cursor)

    def read_cursor(self) -> Optional[str]:
        if not os.path.exists(CURSOR_PATH):
            return None
        with open(CURSOR_PATH) as fh:
            return fh.read().strip()

    def log_event(self, msg: str) -> None:
        with open(LOG_PATH, "a") as fh:  # label: ok
            fh.write(f"{time.time():.0f} {msg}\n")

    def run(self) -> None:
        os.makedirs(STATE_DIR, exist_ok=True)
        lock = open(LOCK_PATH, "w")  # label: ok
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        # The pid file is removed in the finally block of this same function.
        with open(PID_PATH, "w") as fh:  # label: ok
            fh.write(str(os.getpid()))
        try:
            signal.signal(signal.SIGTERM, lambda *_: setattr(self, "running", False))
            self.load()
            while self.running:
                cursor = self.read_cursor() or "0"
                self.write_cursor(str(int(cursor) + 1))
                self.save()
                self.log_event("tick")
                time.sleep(30)
        finally:
            os.unlink(PID_PATH)
            fcntl.flock(lock, fcntl.LOCK_UN)
            lock.close()


def detach() -> None:
    if os.fork():
        os._exit(0)
    os.setsid()
    devnull = open(os.devnull, "w")  # label: ok
    os.dup2(devnull.fileno(), 1)
    os.dup2(devnull.fileno(), 2)
    with open("/dev/null", "wb") as sink:  # label: ok
        sink.write(b"")


if __name__ == "__main__":
    detach()
    Daemon("https://sync.example.org").run()
