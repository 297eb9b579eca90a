"""A small local password vault: an obfuscated blob plus a plaintext index of entry names."""

import csv
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

VAULT_DIR = Path(os.environ.get("VAULT_HOME", str(Path.home() / ".vault")))
VAULT_FILE = VAULT_DIR / "vault.bin"
INDEX_FILE = VAULT_DIR / "index.json"
LOCKOUT_FILE = VAULT_DIR / "lockout.state"
BACKUP_DIR = VAULT_DIR / "backups"


def _xor(data: bytes, key: bytes) -> bytes:
    stream = hashlib.shake_256(key).digest(len(data))
    return bytes(a ^ b for a, b in zip(data, stream))


@dataclass(frozen=True)
class Entry:
    name: str
    username: str
    secret: str


@dataclass
class Vault:
    key: bytes
    entries: dict = field(default_factory=dict)

    @classmethod
    def unlock(cls, key: bytes) -> "Vault":
        vault = cls(key)
        if VAULT_FILE.exists():
            for item in json.loads(_xor(VAULT_FILE.read_bytes(), key)):
                vault.entries[item["name"]] = Entry(**item)
        return vault

    def rename_entry(self, old: str, new: str) -> None:
        entry = self.entries.pop(old)
        self.entries[new] = replace(entry, name=new)  # label: ok

    def _payload(self) -> bytes:
        return _xor(json.dumps([e.__dict__ for e in self.entries.values()]).encode(), self.key)

    def save(self) -> None:
        tmp = VAULT_FILE.with_name(VAULT_FILE.name + ".tmp")
        with open(tmp, "wb") as f:  # label: ok
            f.write(self._payload())
            f.flush()
            os.fsync(f.fileno())
        os.rename(tmp, VAULT_FILE)  # label: AW201
        self._write_index()

    def save_safely(self) -> None:
        fd, tmp = tempfile.mkstemp(dir=VAULT_DIR, suffix=".tmp")  # label: ok
        try:
            with os.fdopen(fd, "wb") as f:  # label: ok
                f.write(self._payload())
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, VAULT_FILE)  # label: ok
        except BaseException:
            os.unlink(tmp)
            raise

    def _write_index(self) -> None:
        INDEX_FILE.write_text(json.dumps(sorted(self.entries)))  # label: AW101

    def import_blob(self, blob: bytes) -> None:
        spool = tempfile.NamedTemporaryFile("wb", delete=False)  # label: AW202
        spool.write(_xor(blob, self.key))
        spool.close()
        shutil.move(spool.name, VAULT_FILE)  # label: ok

    def backup(self) -> Path:
        BACKUP_DIR.mkdir(parents=True, exist_ok=True)
        dest = BACKUP_DIR / f"vault-{len(os.listdir(BACKUP_DIR)):04d}.bin"
        # decided AW104: the destination lives under the home-based vault dir (spec: copy onto a persistent path)
        shutil.copy2(VAULT_FILE, dest)  # label: AW104
        return dest

    def export_csv(self, dest: str) -> None:
        # decided ok: csv export to a user-chosen path, no evidence of persistence
        with open(dest, "w", newline="") as f:  # label: ok
            writer = csv.writer(f)
            writer.writerow(["name", "username", "secret"])
            for e in self.entries.values():
                writer.writerow([e.name, e.username, e.secret])


def index_names() -> list:
    return json.loads(INDEX_FILE.read_text())


def record_failed_attempt() -> int:
    count = int(LOCKOUT_FILE.read_text() or "0") + 1 if LOCKOUT_FILE.exists() else 1
    with open(LOCKOUT_FILE, "w") as f:  # label: AW102
        f.write(str(count))
    return count


def generate_password(length: int = 20) -> str:
    raw = hashlib.sha256(os.urandom(32)).hexdigest()
    with open(os.devnull, "w") as quiet:  # label: ok
        print("generated", file=quiet)
    return raw[:length]
