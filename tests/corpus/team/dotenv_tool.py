"""`envctl set KEY VALUE`: edit a project's .env file."""

import os
import re
import shlex
import sys
from typing import Dict, List, Tuple

LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$")


def parse(path: str) -> List[Tuple[str, str]]:
    pairs = []
    with open(path) as fh:
        for line in fh:
            m = LINE.match(line)
            if m:
                pairs.append((m.group(1), m.group(2)))
    return pairs


def set_key(path: str, key: str, value: str) -> None:
    pairs = dict(parse(path)) if os.path.exists(path) else {}
    pairs[key] = shlex.quote(value)
    with open(path, "w") as fh:  # label: AW102
        for k, v in pairs.items():
            fh.write(f"{k}={v}\n")


def unset_key(path: str, key: str) -> None:
    pairs = [(k, v) for k, v in parse(path) if k != key]
    text = "".join(f"{k}={v}\n" for k, v in pairs)
    tmp = path + ".new"
    with open(tmp, "w") as fh:  # label: ok
        fh.write(text)
    os.replace(tmp, path)  # label: ok


def render(pairs: Dict[str, str]) -> str:
    # str.replace inside a quoting helper; no file is replaced.
    return "".join(f'{k}="{v.replace(chr(34), chr(92) + chr(34))}"\n' for k, v in pairs.items())


def export_shell(path: str) -> None:
    sys.stdout.write(render(dict(parse(path))))  # label: ok


def write_example(path: str) -> None:
    # Hard case: .env.example is a template regenerated from .env (suffix
    # ".example", not ".env"); it is never read back by the program: silence.
    keys = [k for k, _ in parse(path)]
    with open(path + ".example", "w") as fh:  # label: ok
        fh.writelines(f"{k}=\n" for k in keys)


def main() -> None:
    cmd, *rest = sys.argv[1:]
    path = os.environ.get("ENVCTL_FILE", ".env")
    if cmd == "set":
        set_key(path, rest[0], rest[1])
    elif cmd == "unset":
        unset_key(path, rest[0])
    elif cmd == "example":
        write_example(path)
    else:
        export_shell(path)


if __name__ == "__main__":
    main()
