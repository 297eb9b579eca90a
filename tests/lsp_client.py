"""A minimal LSP client for the real ``pylsp`` process, and LSP's rules for applying edits.

The client speaks JSON-RPC with Content-Length framing over the server's stdio; the server's
stderr (its log) goes to a file the tests read for tracebacks. ``apply_text_edits`` applies a
WorkspaceEdit's TextEdits as an editor does: positions in UTF-16 code units, lines broken at
``\\n``, ``\\r\\n`` and ``\\r``, every edit in the original text's positions.
"""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional

BIN = Path(sys.executable).parent
PYLSP = BIN / "pylsp"
FLAKE8 = BIN / "flake8"
TIMEOUT = 60.0


def tool_env() -> Dict[str, str]:
    """The environment with this virtualenv's executables first on PATH."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(BIN), env.get("PATH", "")])
    return env


class LspClient:
    """A minimal LSP client over a subprocess's stdio."""

    def __init__(self, cmd: List[str], cwd: Path, log: Path) -> None:
        self._log = open(log, "wb")
        self.proc = subprocess.Popen(
            cmd,
            cwd=cwd,
            env=tool_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
        )
        self.messages: "queue.Queue[Optional[Dict[str, Any]]]" = queue.Queue()
        self.seen: List[Dict[str, Any]] = []
        self._next_id = 0
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        try:
            while True:
                headers: Dict[str, str] = {}
                while True:
                    line = stream.readline()
                    if not line:
                        return
                    line = line.strip()
                    if not line:
                        break
                    key, _, value = line.decode("ascii").partition(":")
                    headers[key.strip().lower()] = value.strip()
                body = stream.read(int(headers["content-length"]))
                self.messages.put(json.loads(body))
        finally:
            self.messages.put(None)

    def send(self, message: Dict[str, Any]) -> None:
        message = {"jsonrpc": "2.0", **message}
        body = json.dumps(message).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any, timeout: float = TIMEOUT) -> Dict[str, Any]:
        self._next_id += 1
        rid = self._next_id
        self.send({"id": rid, "method": method, "params": params})
        return self.wait_for(lambda m: m.get("id") == rid and "method" not in m, timeout, method)

    def wait_for(
        self, pred: Callable[[Dict[str, Any]], bool], timeout: float = TIMEOUT, what: str = ""
    ) -> Dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"timed out waiting for {what}; received: {self.seen!r}")
            try:
                msg = self.messages.get(timeout=remaining)
            except queue.Empty:
                continue
            if msg is None:
                raise AssertionError(
                    f"pylsp exited while waiting for {what}; received: {self.seen!r}"
                )
            self.seen.append(msg)
            if "method" in msg and "id" in msg:  # a request from the server: accept it
                self.send({"id": msg["id"], "result": None})
            if pred(msg):
                return msg

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                self.request("shutdown", None, timeout=10)
                self.notify("exit", None)
                self.proc.wait(timeout=10)
        except Exception:
            pass
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self._log.close()


def start_pylsp(tmp_path: Path) -> Iterator[LspClient]:
    """A fixture body: ``pylsp`` running in ``tmp_path/workspace`` (with a ``pkg/`` directory)."""
    import pytest

    if not PYLSP.exists():
        pytest.skip(f"python-lsp-server is not installed next to {sys.executable}")
    workspace = tmp_path / "workspace"
    (workspace / "pkg").mkdir(parents=True)
    client = LspClient([str(PYLSP)], workspace, tmp_path / "pylsp.log")
    client.workspace = workspace  # type: ignore[attr-defined]
    try:
        yield client
    finally:
        client.close()


def initialize(client: LspClient, workspace: Path, settings: Dict[str, Any]) -> None:
    """The LSP handshake, then the editor's settings (``{"pylsp": {...}}``)."""
    init = client.request(
        "initialize", {"processId": os.getpid(), "rootUri": workspace.as_uri(), "capabilities": {}}
    )
    assert "capabilities" in init.get("result", {}), init
    client.notify("initialized", {})
    client.notify("workspace/didChangeConfiguration", {"settings": settings})


def diagnostics_for(uri: str) -> Callable[[Dict[str, Any]], bool]:
    return lambda m: (
        m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
    )


def apply_text_edits(text: str, edits: List[Dict[str, Any]]) -> str:
    """``text`` with LSP TextEdits applied; they must not overlap."""
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]

    def offset(position: Dict[str, int]) -> int:
        if position["line"] >= len(starts):
            return len(text)
        index, units = starts[position["line"]], position["character"]
        while units > 0 and index < len(text) and text[index] not in "\r\n":
            units -= 2 if ord(text[index]) > 0xFFFF else 1
            index += 1
        assert units <= 0, f"{position} is past the end of its line"
        return index

    spans = sorted((offset(e["range"]["start"]), offset(e["range"]["end"]), e["newText"]) for e in edits)
    for (_, end, _), (start, _, _) in zip(spans, spans[1:]):
        assert end <= start, f"overlapping edits: {edits}"
    for start, end, new_text in reversed(spans):
        assert start <= end, f"an edit ends before it starts: {edits}"
        text = text[:start] + new_text + text[end:]
    return text


def apply_workspace_edit(text: str, uri: str, edit: Dict[str, Any]) -> str:
    """The document ``uri`` after a WorkspaceEdit that changes only it."""
    changes = edit["changes"]
    assert list(changes) == [uri], edit
    return apply_text_edits(text, changes[uri])
