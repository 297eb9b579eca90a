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

# A state file written by json.dump into open(..., "w"): AW103, with a safe fix (atomic_json_dump).
JSON_DUMP_WRITE = """\
import json
from pathlib import Path

SETTINGS = Path.home() / ".myapp" / "settings.json"


def load():
    return json.loads(SETTINGS.read_text())


def save(settings):
    with open(SETTINGS, "w") as f:
        json.dump(settings, f, indent=2)
"""

# A state file overwritten by shutil.copyfile: AW104, which has no automatic fix.
COPY_WRITE = """\
import shutil
from pathlib import Path

SETTINGS = Path.home() / ".myapp" / "settings.json"


def load():
    return SETTINGS.read_text()


def restore(backup):
    shutil.copyfile(backup, SETTINGS)
"""
