"""Command history for an interactive shell (like a REPL's ~/.history)."""

import atexit
import os
import readline
from typing import List

HISTFILE = os.path.expanduser("~/.myrepl_history")
HISTSIZE = 1000


def load_history() -> List[str]:
    if not os.path.exists(HISTFILE):
        return []
    with open(HISTFILE, encoding="utf-8", errors="replace") as fh:
        return fh.read().splitlines()


def add_entry(line: str) -> None:
    # One line appended per command: append mode is not flagged by default.
    with open(HISTFILE, "a", encoding="utf-8") as fh:  # label: ok
        fh.write(line.replace("\n", "\\n") + "\n")


def truncate_history() -> None:
    lines = load_history()[-HISTSIZE:]
    with open(HISTFILE, "w", encoding="utf-8") as fh:  # label: AW102
        fh.write("\n".join(lines) + "\n")


def save_readline_history() -> None:
    readline.set_history_length(HISTSIZE)
    readline.write_history_file(HISTFILE)


def export_history(dest: str) -> None:
    with open(dest, "w", encoding="utf-8") as fh:  # label: ok
        fh.writelines(f"{n:5d}  {line}\n" for n, line in enumerate(load_history(), 1))


def dedupe_history() -> None:
    seen = set()
    keep = []
    for line in reversed(load_history()):
        if line not in seen:
            seen.add(line)
            keep.append(line)
    keep.reverse()
    new_path = HISTFILE + ".new"
    with open(new_path, "w", encoding="utf-8") as fh:  # label: ok
        fh.write("\n".join(keep) + "\n")
    os.replace(new_path, HISTFILE)  # label: ok


def write_rc_defaults() -> None:
    rc = os.path.join(os.path.expanduser("~"), ".myreplrc")
    if not os.path.exists(rc):
        with open(rc, "x") as fh:  # label: AW102
            fh.write("# myrepl settings\nprompt = '>>> '\n")


def read_rc() -> str:
    rc = os.path.join(os.path.expanduser("~"), ".myreplrc")
    with open(rc) as fh:
        return fh.read()


atexit.register(truncate_history)
