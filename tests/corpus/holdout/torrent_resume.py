"""Resume data and session state for a small BitTorrent client."""

import hashlib
import os
import pickle as pkl
import tempfile
from os import replace as move_into_place
from pathlib import Path


def bencode(obj) -> bytes:
    if isinstance(obj, int):
        return b"i%de" % obj
    if isinstance(obj, bytes):
        return b"%d:%s" % (len(obj), obj)
    if isinstance(obj, str):
        return bencode(obj.encode())
    if isinstance(obj, list):
        return b"l" + b"".join(bencode(x) for x in obj) + b"e"
    return b"d" + b"".join(bencode(k) + bencode(v) for k, v in sorted(obj.items())) + b"e"


class Session:
    def __init__(self, data_dir: Path, download_dir: Path) -> None:
        self.resume_dir = data_dir / "resume"
        self.state_path = data_dir / "session.state"
        self.download_dir = download_dir
        self.torrents = {}

    def load_state(self) -> None:
        with open(self.state_path, "rb") as f:
            self.torrents = pkl.load(f)

    def save_state(self) -> None:
        with open(self.state_path, "wb") as f:  # label: AW103
            pkl.dump(self.torrents, f)

    def save_resume_data(self, infohash: str, pieces: list) -> None:
        path = self.resume_dir / f"{infohash}.fastresume"
        with open(path, "wb") as f:  # label: AW102
            f.write(bencode({"pieces": pieces, "info-hash": infohash}))

    def save_resume_data_atomic(self, infohash: str, pieces: list) -> None:
        path = self.resume_dir / f"{infohash}.fastresume"
        tmp = path.with_suffix(".fastresume.part")
        with open(tmp, "wb") as f:  # label: ok
            f.write(bencode({"pieces": pieces, "info-hash": infohash}))
            f.flush()
            os.fsync(f.fileno())
        tmp.replace(path)  # label: ok

    def save_resume_data_hasty(self, infohash: str, pieces: list) -> None:
        path = self.resume_dir / f"{infohash}.fastresume"
        tmp = str(path) + ".new"
        with open(tmp, "wb") as f:  # label: ok
            f.write(bencode({"pieces": pieces, "info-hash": infohash}))
            move_into_place(tmp, path)  # label: AW203

    def checkpoint_state(self) -> None:
        fd, tmp = tempfile.mkstemp(prefix="session-")  # label: AW202
        with os.fdopen(fd, "wb") as f:  # label: ok
            pkl.dump(self.torrents, f)
        move_into_place(tmp, self.state_path)  # label: ok

    def checkpoint_state_here(self) -> None:
        fd, tmp = tempfile.mkstemp(prefix="session-", dir=self.state_path.parent)  # label: ok
        with os.fdopen(fd, "wb") as f:  # label: ok
            pkl.dump(self.torrents, f)
        move_into_place(tmp, self.state_path)  # label: ok

    def allocate(self, name: str, size: int) -> Path:
        dest = self.download_dir / name
        with open(dest, "wb") as f:  # label: ok
            f.truncate(size)
        return dest

    def write_piece(self, dest: Path, offset: int, data: bytes) -> None:
        with open(dest, "r+b") as f:
            f.seek(offset)
            f.write(data)

    def finish_download(self, name: str, payload: bytes) -> Path:
        dest = self.download_dir / name
        part = self.download_dir / (name + ".part")
        part.write_bytes(payload)  # label: ok
        # decided AW201: the rule judges the rename pattern, whatever the target (no persistence clause)
        os.rename(part, dest)  # label: AW201
        return dest

    def verify(self, dest: Path, expected: str) -> bool:
        return hashlib.sha1(dest.read_bytes()).hexdigest() == expected


def export_torrent(meta: dict, out: str) -> None:
    """Write a .torrent for the user (the path comes from a save dialog)."""
    with open(out, "wb") as f:  # label: ok
        f.write(bencode(meta))
