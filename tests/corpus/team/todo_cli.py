"""A small todo-list CLI that keeps its tasks in ~/.todo.json."""

import argparse
import csv
import json
import os
import sys
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import List

TODO_FILE = Path.home() / ".todo.json"
ARCHIVE_FILE = os.path.expanduser("~/.todo-archive.json")


@dataclass
class Task:
    title: str
    done: bool = False
    tags: List[str] = field(default_factory=list)


def load_tasks() -> List[Task]:
    if not TODO_FILE.exists():
        return []
    return [Task(**t) for t in json.loads(TODO_FILE.read_text())]


def save_tasks(tasks: List[Task]) -> None:
    TODO_FILE.write_text(json.dumps([asdict(t) for t in tasks], indent=2))  # label: AW101


def archive_done(tasks: List[Task]) -> List[Task]:
    done = [asdict(t) for t in tasks if t.done]
    with open(ARCHIVE_FILE, "w", encoding="utf-8") as fh:  # label: AW103
        json.dump(done, fh)
    return [t for t in tasks if not t.done]


def mark_done(tasks: List[Task], index: int) -> None:
    # dataclasses.replace is not a path replace: the write below is still in place.
    tasks[index] = replace(tasks[index], done=True)
    with open(TODO_FILE, "w") as fh:  # label: AW103
        json.dump([asdict(t) for t in tasks], fh)


def export_csv(tasks: List[Task], out: str) -> None:
    # An export to a path the user chose; nothing says it is read back.
    with open(out, "w", newline="") as fh:  # label: ok
        writer = csv.writer(fh)
        for t in tasks:
            writer.writerow([t.title, t.done, ",".join(t.tags)])


def print_tasks(tasks: List[Task]) -> None:
    writer = csv.writer(sys.stdout)  # label: ok
    for i, t in enumerate(tasks):
        writer.writerow([i, "x" if t.done else " ", t.title])


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(prog="todo")
    sub = parser.add_subparsers(dest="cmd")
    add = sub.add_parser("add")
    add.add_argument("title")
    sub.add_parser("list")
    exp = sub.add_parser("export")
    exp.add_argument("out")
    args = parser.parse_args(argv)
    tasks = load_tasks()
    if args.cmd == "add":
        tasks.append(Task(args.title))
        save_tasks(tasks)
    elif args.cmd == "export":
        export_csv(tasks, args.out)
    else:
        print_tasks(tasks)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
