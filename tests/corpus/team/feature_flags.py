"""Feature flags kept in a YAML file that a service reloads on change."""

import dataclasses
import io
import os
from typing import Dict

import tomlkit
import yaml
from atomicwrites import atomic_write

FLAGS_PATH = os.environ.get("FLAGS_FILE", "/etc/myservice/flags.yaml")
OVERRIDES_PATH = "/etc/myservice/overrides.toml"


@dataclasses.dataclass(frozen=True)
class Flag:
    name: str
    enabled: bool
    rollout: int = 100


def load_flags() -> Dict[str, Flag]:
    with open(FLAGS_PATH) as fh:
        raw = yaml.safe_load(fh) or {}
    return {k: Flag(k, **v) for k, v in raw.items()}


def _serialise(flags: Dict[str, Flag]) -> Dict:
    return {k: {"enabled": f.enabled, "rollout": f.rollout} for k, f in flags.items()}


def set_flag(name: str, enabled: bool) -> None:
    flags = load_flags()
    flags[name] = dataclasses.replace(flags[name], enabled=enabled)
    with open(FLAGS_PATH, "w") as fh:  # label: AW103
        yaml.safe_dump(_serialise(flags), fh, sort_keys=True)


def set_rollout(name: str, pct: int) -> None:
    flags = load_flags()
    flags[name] = dataclasses.replace(flags[name], rollout=pct)
    with atomic_write(FLAGS_PATH, overwrite=True) as fh:  # label: ok
        yaml.dump(_serialise(flags), fh)


def preview(flags: Dict[str, Flag]) -> str:
    buf = io.StringIO()
    yaml.safe_dump(_serialise(flags), buf)  # label: ok
    return buf.getvalue()


def write_overrides(overrides: Dict[str, bool]) -> None:
    doc = tomlkit.document()
    for k, v in overrides.items():
        doc[k] = v
    with open(OVERRIDES_PATH, "w") as fh:  # label: AW103
        tomlkit.dump(doc, fh)


def read_overrides() -> Dict[str, bool]:
    with open(OVERRIDES_PATH) as fh:
        return dict(tomlkit.load(fh))


def write_flags_doc(flags: Dict[str, Flag], out: str) -> None:
    # Markdown documentation of the flags, written where the user asks.
    lines = [f"- `{f.name}`: {'on' if f.enabled else 'off'} ({f.rollout}%)" for f in flags.values()]
    with open(out, "w") as fh:  # label: ok
        fh.write("\n".join(lines))
