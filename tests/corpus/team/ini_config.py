"""An INI-backed configuration manager for a desktop mail client."""

import configparser
import os
from pathlib import Path as P
from typing import Optional

import appdirs

CONFIG_HOME = P(os.environ.get("XDG_CONFIG_HOME", P.home() / ".config"))
CONFIG_FILE = CONFIG_HOME / "mailer" / "mailer.ini"
ACCOUNTS_FILE = P(appdirs.user_data_dir("mailer")) / "accounts.cfg"


class Config:
    def __init__(self, path: P = CONFIG_FILE) -> None:
        self.path = path
        self.parser = configparser.ConfigParser()
        self.parser.read(self.path)

    def get(self, section: str, key: str, default: Optional[str] = None) -> Optional[str]:
        return self.parser.get(section, key, fallback=default)

    def set(self, section: str, key: str, value: str) -> None:
        if not self.parser.has_section(section):
            self.parser.add_section(section)
        self.parser.set(section, key, value)

    def write_config(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "w") as fh:  # label: AW102
            self.parser.write(fh)


def save_accounts(parser: configparser.ConfigParser) -> None:
    with ACCOUNTS_FILE.open("w") as fh:  # label: AW102
        parser.write(fh)


def dump_effective_config(cfg: Config) -> str:
    import io

    buf = io.StringIO()
    cfg.parser.write(buf)  # label: ok
    return buf.getvalue()


def reset_to_defaults() -> None:
    defaults = "[ui]\ntheme = light\n[net]\ntimeout = 30\n"
    CONFIG_FILE.write_text(defaults)  # label: AW101


def migrate_legacy() -> None:
    legacy = os.path.expanduser("~/.mailerrc")
    if not os.path.exists(legacy):
        return
    with open(legacy) as src:
        body = src.read().replace("[general]", "[ui]")
    out = open(str(CONFIG_FILE), "w")  # label: AW102
    out.write(body)
    out.close()
    os.remove(legacy)


def save_signature(text: str) -> None:
    sig = CONFIG_HOME / "mailer" / "signature.txt"
    sig.write_text(text)  # label: AW101
