"""Kernel manager for a notebook-like front end: connection files, kernel specs, sessions."""

import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import platformdirs

RUNTIME_DIR = Path(platformdirs.user_runtime_dir("quill"))
KERNELSPEC_DIR = Path(platformdirs.user_data_dir("quill")) / "kernels"
SESSION_FILE = Path(platformdirs.user_state_dir("quill")) / "last_session.json"
HISTORY_LOG = RUNTIME_DIR / "history.log"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class KernelManager:
    def __init__(self, kernel_name: str) -> None:
        self.kernel_name = kernel_name
        self.kernel_id = secrets.token_hex(8)
        self.connection_file = RUNTIME_DIR / f"kernel-{self.kernel_id}.json"
        self.proc = None

    def write_connection_file(self) -> dict:
        info = {
            "shell_port": _free_port(),
            "iopub_port": _free_port(),
            "key": secrets.token_hex(16),
            "transport": "tcp",
            "ip": "127.0.0.1",
        }
        RUNTIME_DIR.mkdir(parents=True, exist_ok=True)
        with open(self.connection_file, "w") as f:  # label: AW103
            json.dump(info, f, indent=1)
        os.chmod(self.connection_file, 0o600)
        return info

    def start(self) -> None:
        self.write_connection_file()
        spec = json.loads((KERNELSPEC_DIR / self.kernel_name / "kernel.json").read_text())
        # str.replace on argv templates: not a file move
        argv = [a.replace("{connection_file}", str(self.connection_file)) for a in spec["argv"]]  # label: ok
        self.proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def record(self, code: str) -> None:
        with open(HISTORY_LOG, "a", encoding="utf-8") as log:  # label: ok
            log.write(json.dumps({"kernel": self.kernel_id, "code": code}) + "\n")

    def shutdown(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=5)
        self.connection_file.unlink(missing_ok=True)

    def capture_stderr(self, dest: str) -> None:
        """Dump the kernel's stderr to a user-chosen file for a bug report."""
        if self.proc is None or self.proc.stderr is None:
            return
        with open(dest, "wb") as out:  # label: ok
            out.write(self.proc.stderr.read())


def install_kernelspec(name: str, display_name: str) -> Path:
    target = KERNELSPEC_DIR / name
    target.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", "quill_kernel", "-f", "{connection_file}"],
        "display_name": display_name,
    }
    (target / "kernel.json").write_text(json.dumps(spec, indent=2))  # label: AW101
    return target


def remember_session(kernel_ids: list) -> None:
    SESSION_FILE.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=SESSION_FILE.parent, prefix=".session-")  # label: ok
    with os.fdopen(fd, "w") as f:  # label: ok
        json.dump({"kernels": kernel_ids}, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, SESSION_FILE)  # label: ok


def last_session() -> list:
    try:
        return json.loads(SESSION_FILE.read_text())["kernels"]
    except (OSError, ValueError, KeyError):
        return []


def forget_session() -> None:
    SESSION_FILE.write_text("{}")  # label: AW101


def scratch_notebook(cells: list) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".ipynb", delete=False) as f:  # label: ok
        json.dump({"cells": cells, "nbformat": 4, "nbformat_minor": 5}, f)
    return f.name


def run_silently(argv: list) -> int:
    with open(os.devnull, "w") as sink:  # label: ok
        return subprocess.call(argv, stdout=sink, stderr=sink)


def print_connection(info: dict) -> None:
    json.dump(info, sys.stdout, indent=2)  # label: ok
    sys.stdout.write("\n")
