"""A module with one non-atomic state write, shared by the integration tests."""

STATE_WRITE = """\
import json
from pathlib import Path

CONFIG_PATH = Path.home() / ".myapp" / "config.json"


def save(cfg):
    CONFIG_PATH.write_text(json.dumps(cfg))
"""
# Where flake8 reports it (1-based line and column): AW101 at `CONFIG_PATH`.
STATE_WRITE_LINE, STATE_WRITE_COL = 8, 5
