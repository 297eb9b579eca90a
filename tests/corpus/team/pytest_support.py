"""A pytest plugin shipped inside the library (not a test module itself)."""

import json
import os
from pathlib import Path
from typing import Dict, List

import pytest

LASTRUN_KEY = "snapshots/lastrun"


@pytest.fixture
def sample_config(tmp_path: Path) -> Path:
    cfg = tmp_path / "config.json"
    cfg.write_text(json.dumps({"debug": True}))  # label: ok
    return cfg


@pytest.fixture
def sample_tree(tmpdir) -> str:
    p = tmpdir.join("settings.ini")
    p.write("[main]\nkey = 1\n")  # label: ok
    with open(os.path.join(str(tmpdir), "state.json"), "w") as fh:  # label: ok
        json.dump({}, fh)
    return str(tmpdir)


def make_project(tmp_path: Path, files: Dict[str, str]) -> Path:
    for rel, body in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(body)  # label: ok
    return tmp_path


class SnapshotStore:
    """Stores approved snapshots under the project's snapshot directory."""

    def __init__(self, rootdir: Path) -> None:
        self.snapshot_dir = rootdir / "__snapshots__"

    def read(self, name: str) -> str:
        return (self.snapshot_dir / f"{name}.txt").read_text()

    def store(self, name: str, value: str) -> None:
        self.snapshot_dir.mkdir(exist_ok=True)
        (self.snapshot_dir / f"{name}.txt").write_text(value)  # label: AW101


def pytest_sessionfinish(session: pytest.Session) -> None:
    cache_dir = Path(session.config.rootpath) / ".pytest_cache" / "v" / "myplugin"
    cache_dir.mkdir(parents=True, exist_ok=True)
    failed: List[str] = getattr(session, "myplugin_failed", [])
    with open(cache_dir / "lastfailed.json", "w") as fh:  # label: AW103
        json.dump(failed, fh)


def pytest_terminal_summary(terminalreporter, exitstatus: int) -> None:
    terminalreporter.write_line(f"myplugin: exit {exitstatus}")  # label: ok
