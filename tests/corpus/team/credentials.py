"""OAuth token and session storage for a CLI client."""

import base64
import json
import os
import stat
import time
from pathlib import Path
from typing import Optional

TOKEN_PATH = Path.home() / ".config" / "hubcli" / "token"
SESSION_PATH = Path.home() / ".cache" / "hubcli" / "session.bin"


class TokenStore:
    def __init__(self, path: Path = TOKEN_PATH) -> None:
        self.token_path = path

    def read(self) -> Optional[str]:
        try:
            return self.token_path.read_text().strip()
        except FileNotFoundError:
            return None

    def store(self, token: str) -> None:
        self.token_path.parent.mkdir(parents=True, exist_ok=True)
        self.token_path.write_text(token)  # label: AW101
        os.chmod(self.token_path, stat.S_IRUSR | stat.S_IWUSR)

    def clear(self) -> None:
        self.token_path.unlink(missing_ok=True)


def save_session(cookie: bytes) -> None:
    SESSION_PATH.parent.mkdir(parents=True, exist_ok=True)
    SESSION_PATH.write_bytes(base64.b64encode(cookie))  # label: AW101


def load_session() -> Optional[bytes]:
    if SESSION_PATH.exists():
        return base64.b64decode(SESSION_PATH.read_bytes())
    return None


def write_credentials(profile: str, key_id: str, secret: str) -> None:
    creds = os.path.join(os.path.expanduser("~/.hubcli"), "credentials")
    with open(creds, "w") as fh:  # label: AW102
        fh.write(f"[{profile}]\nkey_id = {key_id}\nsecret = {secret}\n")


def write_token_cache(tokens: dict) -> None:
    cache = TOKEN_PATH.with_name("tokens.json")
    with open(cache, "w", encoding="utf-8") as fh:  # label: AW103
        json.dump({"saved": time.time(), "tokens": tokens}, fh)


def print_token(store: TokenStore) -> None:
    token = store.read() or ""
    os.write(1, token.encode())  # label: ok


def write_askpass_script(directory: str, token: str) -> str:
    # Helper script for git's GIT_ASKPASS, deleted by the caller after the fetch.
    script = os.path.join(directory, "askpass.tmp.sh")
    with open(script, "w") as fh:  # label: ok
        fh.write(f"#!/bin/sh\necho {token}\n")
    os.chmod(script, 0o700)
    return script
