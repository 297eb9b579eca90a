"""Long-term memory and transcripts for a coding agent."""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

AGENT_HOME = Path(os.environ.get("AGENT_HOME", "~/.agent")).expanduser()


class MemoryStore:
    """Key/value memories persisted as one JSON document."""

    def __init__(self, root: Path = AGENT_HOME) -> None:
        self.file = root / "memory.json"
        self.items: dict[str, Any] = {}
        if self.file.exists():
            self.items = json.loads(self.file.read_text())

    def remember(self, key: str, value: Any) -> None:
        self.items[key] = value
        self.persist()

    def persist(self) -> None:
        with open(self.file, "w") as fh:  # label: AW103
            json.dump(self.items, fh)


class Transcript:
    def __init__(self, session_id: str) -> None:
        self.path = AGENT_HOME / "transcripts" / f"{session_id}.md"

    def append(self, role: str, text: str) -> None:
        with self.path.open("a", encoding="utf-8") as fh:  # label: ok
            fh.write(f"## {role}\n\n{text}\n\n")


def save_token_usage(usage: dict[str, int]) -> None:
    AGENT_HOME.mkdir(parents=True, exist_ok=True)
    (AGENT_HOME / "usage.json").write_text(json.dumps(usage))  # label: AW101


def run_patch(patch: str) -> int:
    # The patch goes to a scratch file that `git apply` reads, then is deleted.
    with tempfile.NamedTemporaryFile("w", suffix=".diff", delete=False) as fh:  # label: ok
        fh.write(patch)
    rc = os.system(f"git apply {fh.name}")
    os.unlink(fh.name)
    return rc


def write_workspace_file(workspace: Path, rel: str, content: str) -> None:
    # The agent edits files of the user's repository on request: no evidence
    # that the target is state of *this* program.
    (workspace / rel).write_text(content)  # label: ok


def save_history(history: list[dict[str, str]]) -> None:
    hist = AGENT_HOME / "history.jsonl"
    with open(hist, "w") as fh:  # label: AW102
        for entry in history:
            fh.write(json.dumps(entry) + "\n")


def stamp_last_run() -> None:
    # Hard case: under a *_HOME setting, but inside a "scratch" directory; the
    # spec's temp evidence (names like scratch) wins: never flagged.
    scratch = AGENT_HOME / "scratch"
    scratch.mkdir(exist_ok=True)
    (scratch / "last-run").write_text(str(time.time()))  # label: ok
