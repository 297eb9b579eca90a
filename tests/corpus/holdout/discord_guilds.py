"""Per-guild settings for a Discord bot, stored as TOML next to a JSON prefix cache."""

import io
import json
import logging
import os
import tempfile
from pathlib import Path

import tomli_w
import tomllib

DATA_DIR = Path(os.environ.get("BOT_DATA_DIR", "data"))
SETTINGS_DIR = DATA_DIR / "guilds"
PREFIX_CACHE = DATA_DIR / "prefixes.json"
LOG = logging.getLogger("bot")


def _settings_path(guild_id: int) -> Path:
    return SETTINGS_DIR / f"{guild_id}.toml"


def load_settings(guild_id: int) -> dict:
    try:
        with open(_settings_path(guild_id), "rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        return {"prefix": "!", "modlog": None}


def save_settings(guild_id: int, settings: dict) -> None:
    SETTINGS_DIR.mkdir(parents=True, exist_ok=True)
    with open(_settings_path(guild_id), "wb") as f:  # label: AW103
        tomli_w.dump(settings, f)


def save_settings_safely(guild_id: int, settings: dict) -> None:
    target = _settings_path(guild_id)
    tmp = target.with_suffix(".toml.tmp")
    with open(tmp, "wb") as f:  # label: ok
        tomli_w.dump(settings, f)
    tmp.rename(target)  # label: AW201


def save_settings_portable(guild_id: int, settings: dict) -> None:
    target = _settings_path(guild_id)
    tmp = target.with_suffix(".toml.tmp")
    with open(tmp, "wb") as f:  # label: ok
        tomli_w.dump(settings, f)
    tmp.replace(target)  # label: ok


def reset_settings(guild_id: int) -> None:
    target = _settings_path(guild_id)
    tmp = target.with_suffix(".toml.tmp")
    tmp.write_bytes(tomli_w.dumps({"prefix": "!"}).encode())  # label: ok
    os.remove(target)  # label: AW204
    # decided ok for AW201: the target was removed on the line above, so the destination is absent
    os.rename(tmp, target)  # label: ok


def load_prefixes() -> dict:
    try:
        return json.loads(PREFIX_CACHE.read_text())
    except (OSError, ValueError):
        return {}


def set_prefix(guild_id: int, prefix: str) -> None:
    prefixes = load_prefixes()
    prefixes[str(guild_id)] = prefix
    PREFIX_CACHE.write_text(json.dumps(prefixes))  # label: AW101


def dump_prefixes_spooled(prefixes: dict) -> None:
    with tempfile.NamedTemporaryFile("w", delete=False, suffix=".json") as f:  # label: AW202
        json.dump(prefixes, f)
    os.replace(f.name, PREFIX_CACHE)  # label: ok


def render_settings(guild_id: int) -> io.BytesIO:
    """Attach the settings file to a reply without touching disk."""
    buf = io.BytesIO()
    tomli_w.dump(load_settings(guild_id), buf)  # label: ok
    buf.seek(0)
    return buf


def save_avatar_for_upload(png: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".png", delete=False) as f:  # label: ok
        f.write(png)
    return f.name


def log_command(guild_id: int, command: str) -> None:
    with open(DATA_DIR / "commands.log", "a") as f:  # label: ok
        f.write(f"{guild_id}\t{command}\n")
    LOG.info("command %s in %s", command, guild_id)
