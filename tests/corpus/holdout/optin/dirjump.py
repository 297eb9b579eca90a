"""A shell directory-jump database (z/autojump style): frecency entries in a flat file."""

import os
import sys
import tempfile
import time
from pathlib import Path

DATA_HOME = Path(os.environ.get("XDG_DATA_HOME", str(Path.home() / ".local" / "share")))
DB = DATA_HOME / "jump" / "db"
CONFIG = Path.home() / ".config" / "jump" / "config.toml"
DEBUG_LOG = "/var/log/jump-debug.log"


def read_db() -> dict:
    entries = {}
    try:
        with open(DB, encoding="utf-8") as f:
            for line in f:
                path, rank, ts = line.rstrip("\n").rsplit("|", 2)
                entries[path] = (float(rank), int(ts))
    except FileNotFoundError:
        pass
    return entries


def add(path: str) -> None:
    DB.parent.mkdir(parents=True, exist_ok=True)
    with open(DB, "a", encoding="utf-8") as f:  # label: AW303
        f.write(f"{path}|1|{int(time.time())}\n")


def _format(entries: dict) -> str:
    return "".join(f"{p}|{r}|{t}\n" for p, (r, t) in entries.items())


def compact() -> None:
    entries = read_db()
    fd, tmp = tempfile.mkstemp(dir=DB.parent, prefix=".db-")  # label: ok
    with os.fdopen(fd, "w", encoding="utf-8") as f:  # label: ok
        f.write(_format(entries))
    os.replace(tmp, DB)  # label: AW302


def compact_durably() -> None:
    entries = read_db()
    fd, tmp = tempfile.mkstemp(dir=DB.parent, prefix=".db-")  # label: ok
    with os.fdopen(fd, "w", encoding="utf-8") as f:  # label: ok
        f.write(_format(entries))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, DB)  # label: ok


def age(max_total: float = 9000.0) -> None:
    entries = read_db()
    total = sum(r for r, _ in entries.values())
    if total > max_total:
        entries = {p: (r * 0.99, t) for p, (r, t) in entries.items() if r > 1}
    tmp = DB.with_name("db.tmp")
    tmp.write_text(_format(entries), encoding="utf-8")  # label: ok
    tmp.replace(DB)  # label: AW302


def debug(msg: str) -> None:
    with open(DEBUG_LOG, "a") as f:  # label: ok
        f.write(f"{time.time():.3f} {msg}\n")


def export(dest: str) -> None:
    with open(dest, "w", encoding="utf-8") as f:  # label: AW301
        f.write(_format(read_db()))


def write_init_script(path: str, shell: str) -> None:
    with open(path, "w") as f:  # label: AW301
        f.write(f"# jump init for {shell}\nalias j='jump'\n")


def save_config(ignore_hidden: bool) -> None:
    CONFIG.parent.mkdir(parents=True, exist_ok=True)
    CONFIG.write_text(f"ignore_hidden = {str(ignore_hidden).lower()}\n")  # label: AW101


def print_matches(term: str) -> None:
    for path, (rank, _) in sorted(read_db().items(), key=lambda kv: -kv[1][0]):
        if term in path:
            sys.stdout.write(f"{rank:8.1f}  {path}\n")  # label: ok


def main(argv: list) -> int:
    if argv[1] == "add":
        add(argv[2])
    elif argv[1] == "export":
        export(argv[2])
    elif argv[1] == "init":
        write_init_script(argv[2], argv[3])
    elif argv[1] == "compact":
        compact()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
