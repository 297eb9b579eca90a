"""A line-protocol server and its output plumbing: streams, pipes, sockets."""

import codecs
import gzip
import io
import json
import os
import pickle
import socket
import subprocess
import sys
from typing import Any, BinaryIO, Dict


def send_json(sock: socket.socket, msg: Dict[str, Any]) -> None:
    wfile = sock.makefile("w", encoding="utf-8")  # label: ok
    json.dump(msg, wfile)  # label: ok
    wfile.write("\n")
    wfile.flush()


def send_pickle(conn: socket.socket, obj: Any) -> None:
    with conn.makefile("wb") as wfile:  # label: ok
        pickle.dump(obj, wfile)


def snapshot_bytes(obj: Any) -> bytes:
    buf = io.BytesIO()
    pickle.dump(obj, buf)  # label: ok
    return buf.getvalue()


def compress(data: bytes) -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb") as gz:  # label: ok
        gz.write(data)
    return out.getvalue()


def to_pager(text: str) -> None:
    proc = subprocess.Popen(["less", "-R"], stdin=subprocess.PIPE)
    assert proc.stdin is not None
    proc.stdin.write(text.encode())  # label: ok
    proc.stdin.close()
    proc.wait()


def write_stdout_binary(payload: bytes) -> None:
    out: BinaryIO = sys.stdout.buffer
    out.write(payload)  # label: ok
    out.flush()


def reopen_stdout_utf8() -> None:
    sys.stdout = open(sys.stdout.fileno(), "w", encoding="utf-8", closefd=False)  # label: ok


def quiet_child(cmd: list) -> int:
    with open(os.devnull, "wb") as null:  # label: ok
        return subprocess.call(cmd, stdout=null, stderr=null)


def log_to_stderr(msg: str) -> None:
    err = codecs.getwriter("utf-8")(sys.stderr.buffer)
    err.write(msg + "\n")  # label: ok


def write_fifo(path: str, line: str) -> None:
    # A named pipe the companion process reads from.
    if not path.startswith("/run/"):
        raise ValueError(path)
    fd = os.open(path, os.O_WRONLY)
    with os.fdopen(fd, "w") as pipe:  # label: ok
        pipe.write(line)


def tty_bell() -> None:
    with open("/dev/tty", "w") as tty:  # label: ok
        tty.write("\a")


def serve(port: int) -> None:
    srv = socket.create_server(("127.0.0.1", port))
    while True:
        conn, _ = srv.accept()
        with conn:
            send_json(conn, {"hello": "world"})
