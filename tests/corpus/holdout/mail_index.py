"""Folder index, drafts, maildir delivery and message cache for a desktop mail client."""

import codecs
import email
import os
import plistlib
import socket
import time
from pathlib import Path

MAIL_ROOT = Path.home() / "Mail"
CACHE_ROOT = Path(os.environ.get("XDG_CACHE_HOME", str(Path.home() / ".cache"))) / "pigeon"
DRAFTS = MAIL_ROOT / ".drafts.json"
SIGNATURE = os.path.expanduser("~/.pigeon/signature.txt")


class Folder:
    def __init__(self, name: str) -> None:
        self.name = name
        self.maildir = MAIL_ROOT / name
        self.index_path = self.maildir / ".index.plist"
        self.index = self._read_index()

    def _read_index(self) -> dict:
        try:
            with open(self.index_path, "rb") as f:
                return plistlib.load(f)
        except FileNotFoundError:
            return {"uids": {}, "next_uid": 1}

    def flush(self) -> None:
        plistlib.dump(self.index, open(self.index_path, "wb"))  # label: AW103

    def deliver(self, raw: bytes) -> str:
        """Maildir delivery: write into tmp/, then move into new/ under a unique name."""
        unique = f"{time.time():.6f}.{os.getpid()}.{socket.gethostname()}"
        tmp_path = self.maildir / "tmp" / unique
        with open(tmp_path, "wb") as f:  # label: ok
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        # decided ok: Maildir's unique name in new/ cannot exist yet (fresh message, nothing replaced)
        os.rename(tmp_path, self.maildir / "new" / unique)  # label: ok
        self.index["uids"][unique] = self.index["next_uid"]
        self.index["next_uid"] += 1
        return unique

    def mark_read(self, key: str) -> None:
        src = self.maildir / "new" / key
        src.rename(self.maildir / "cur" / (key + ":2,S"))  # label: ok

    def save_attachment(self, key: str, part_no: int, dest: str) -> None:
        msg = email.message_from_bytes((self.maildir / "cur" / key).read_bytes())
        part = list(msg.walk())[part_no]
        with open(dest, "wb") as f:  # label: ok
            f.write(part.get_payload(decode=True) or b"")


def append_to_mbox(mbox_path: str, raw: bytes) -> None:
    with open(mbox_path, "ab") as f:  # label: ok
        f.write(b"From pigeon " + time.ctime().encode() + b"\n" + raw + b"\n")


def save_drafts(drafts: list) -> None:
    import json

    DRAFTS.write_text(json.dumps(drafts))  # label: AW101


def load_drafts() -> list:
    import json

    return json.loads(DRAFTS.read_text()) if DRAFTS.exists() else []


def cache_message(uid: str, raw: bytes) -> None:
    CACHE_ROOT.mkdir(parents=True, exist_ok=True)
    (CACHE_ROOT / f"{uid}.eml").write_bytes(raw)  # label: AW101


def set_signature(text: str) -> None:
    with codecs.open(SIGNATURE, "w", "utf-8") as f:  # label: AW102
        f.write(text)


def get_signature() -> str:
    with codecs.open(SIGNATURE, "r", "utf-8") as f:
        return f.read()


def print_message(raw: bytes, out=None) -> None:
    import sys

    (out or sys.stdout).write(raw.decode("utf-8", "replace"))  # label: ok


def write_eml_for_forwarding(raw: bytes, folder: Path) -> Path:
    dest = folder / "forward.eml"
    dest.write_bytes(raw)  # label: ok
    return dest
