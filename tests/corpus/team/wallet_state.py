"""A light crypto wallet: keystore, address book, sync state, preferences."""

import json
import os
import pickle
from pathlib import Path
from typing import Dict, List

WALLET_DIR = Path(os.environ.get("WALLET_HOME", "~/.litewallet")).expanduser()


class Wallet:
    def __init__(self, name: str) -> None:
        self.keystore_path = WALLET_DIR / "wallets" / f"{name}.keystore"
        self.sync_path = WALLET_DIR / "wallets" / f"{name}.sync"
        self.keys: Dict[str, str] = {}
        self.height = 0

    def open(self) -> None:
        self.keys = json.loads(self.keystore_path.read_text())
        self.height = int(self.sync_path.read_text() or 0)

    def store(self) -> None:
        self.keystore_path.write_text(json.dumps(self.keys))  # label: AW101

    def save_sync_height(self, height: int) -> None:
        self.height = height
        with open(self.sync_path, "w") as fh:  # label: AW102
            fh.write(str(height))

    def add_key(self, label: str, key: str) -> None:
        self.keys[label] = key
        self.store()


def save_address_book(book: Dict[str, str]) -> None:
    with open(WALLET_DIR / "addressbook.json", "w", encoding="utf-8") as fh:  # label: AW103
        json.dump(book, fh, ensure_ascii=False)


def save_prefs(prefs: Dict[str, str]) -> None:
    (WALLET_DIR / "prefs").write_text(json.dumps(prefs))  # label: AW101


def save_utxo_cache(utxos: List[dict]) -> None:
    with open(WALLET_DIR / "utxo.cache", "wb") as fh:  # label: AW103
        pickle.dump(utxos, fh)


def save_peers(peers: List[str]) -> None:
    peers_file = WALLET_DIR / "peers.dat"
    with peers_file.open("w") as fh:  # label: AW102
        fh.write("\n".join(peers))


def load_peers() -> List[str]:
    return (WALLET_DIR / "peers.dat").read_text().splitlines()


def write_backup_phrase(words: List[str], dest: Path) -> None:
    # Printed or saved once to wherever the user wants; no evidence either way.
    dest.write_text(" ".join(words))  # label: ok


def export_transactions(txs: List[dict], dest: str) -> None:
    with open(dest, "w") as fh:  # label: ok
        for tx in txs:
            fh.write(f"{tx['time']},{tx['amount']},{tx['to']}\n")


def save_session_token(token: str) -> None:
    with open(os.path.join(str(WALLET_DIR), "session"), "w") as fh:  # label: AW102
        fh.write(token)


def save_fee_estimates(fees: Dict[str, float]) -> None:
    (WALLET_DIR / "fee_estimates.json").write_text(json.dumps(fees))  # label: AW101
