"""Save slots, settings and high scores for a small desktop game."""

import configparser
import json
import os
import pickle
import time
from pathlib import Path

from appdirs import user_data_dir

SAVE_HOME = Path(user_data_dir("starforge", "forgeworks"))
SETTINGS_INI = SAVE_HOME / "settings.ini"
KEYMAP = SAVE_HOME / "keybindings.cfg"
SCORES = SAVE_HOME / "highscores.pkl"


class SaveSlot:
    def __init__(self, slot: int) -> None:
        self.slot = slot
        self.path = SAVE_HOME / "slots" / f"slot{slot}.sav"
        self.world = {}

    def load(self) -> None:
        with open(self.path, "rb") as f:
            self.world = pickle.load(f)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "wb") as f:  # label: AW103
            pickle.dump(self.world, f, protocol=pickle.HIGHEST_PROTOCOL)

    def store_thumbnail(self, png: bytes) -> None:
        self.path.with_suffix(".png").write_bytes(png)  # label: AW101

    def quicksave(self) -> None:
        data = pickle.dumps(self.world)
        self.path.write_bytes(data)  # label: AW101


def read_settings() -> configparser.ConfigParser:
    cp = configparser.ConfigParser()
    cp.read(SETTINGS_INI)
    return cp


def write_settings(cp: configparser.ConfigParser) -> None:
    with open(SETTINGS_INI, "w") as f:  # label: AW102
        cp.write(f)


def set_volume(level: int) -> None:
    cp = read_settings()
    cp.setdefault("audio", {})
    cp["audio"]["volume"] = str(level)
    write_settings(cp)


def save_keymap(bindings: dict) -> None:
    lines = [f"{action}={key}" for action, key in sorted(bindings.items())]
    KEYMAP.write_text("\n".join(lines))  # label: AW101


def load_keymap() -> dict:
    return dict(line.split("=", 1) for line in KEYMAP.read_text().splitlines() if "=" in line)


def load_scores() -> list:
    try:
        with open(SCORES, "rb") as f:
            return pickle.load(f)
    except FileNotFoundError:
        return []


def submit_score(name: str, score: int) -> None:
    scores = sorted(load_scores() + [(score, name, time.time())], reverse=True)[:10]
    with open(SCORES, "wb") as f:  # label: AW103
        pickle.dump(scores, f)


def write_profile_token(token: str) -> None:
    token_file = SAVE_HOME / "online.token"
    fd = os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:  # label: AW102
        f.write(token)


def remember_window(x: int, y: int, w: int, h: int) -> None:
    geometry = Path.home() / ".starforge-window.json"
    with geometry.open("w") as f:  # label: AW103
        json.dump({"x": x, "y": y, "w": w, "h": h}, f)


def screenshot(png: bytes, folder: str) -> str:
    dest = os.path.join(folder, f"starforge-{int(time.time())}.png")
    with open(dest, "wb") as f:  # label: ok
        f.write(png)
    return dest


def crash_dump(trace: str) -> None:
    with open(os.path.expanduser("~/starforge-crash.txt"), "x") as f:  # label: AW102
        f.write(trace)
