"""beets-like music library: pickled state, album art, playlists."""

import os
import pickle
import shutil
import urllib.request
from pathlib import Path
from typing import Dict, List

LIBRARY_DIR = Path(os.environ.get("TUNES_DIR", "~/Music/.tunes")).expanduser()
STATE_FILE = LIBRARY_DIR / "state.pickle"


class Library:
    def __init__(self) -> None:
        self.tracks: Dict[str, Dict] = {}
        self._state_path = STATE_FILE

    def _load_state(self) -> None:
        if self._state_path.exists():
            with open(self._state_path, "rb") as fh:
                self.tracks = pickle.load(fh)

    def _save_state(self) -> None:
        with open(self._state_path, "wb") as fh:  # label: AW103
            pickle.dump(self.tracks, fh)

    def add(self, path: str, tags: Dict) -> None:
        self.tracks[path] = tags
        self._save_state()


def fetch_art(url: str, album_dir: Path) -> Path:
    # Download into a .part file, then rename onto cover.jpg: a temp moved
    # over its target with os.rename (fails on Windows if cover.jpg exists).
    target = album_dir / "cover.jpg"
    part = album_dir / "cover.jpg.part"
    with urllib.request.urlopen(url) as resp, open(part, "wb") as fh:  # label: ok
        shutil.copyfileobj(resp, fh)
    os.rename(part, target)  # label: AW201
    return target


def write_playlist(name: str, paths: List[str], out_dir: str) -> None:
    # M3U export into a directory the user gave on the command line.
    with open(os.path.join(out_dir, name + ".m3u"), "w") as fh:  # label: ok
        fh.write("#EXTM3U\n")
        fh.writelines(p + "\n" for p in paths)


def write_tags_sidecar(track: str, tags: Dict[str, str]) -> None:
    # Sidecar is regenerated from the library every time; still, it is
    # named .yaml (persistence evidence by name) and written in place.
    import yaml

    with open(track + ".yaml", "w") as fh:  # label: AW103
        yaml.safe_dump(tags, fh)


def copy_into_library(src: str, lib: Library) -> str:
    dest = LIBRARY_DIR / "files" / os.path.basename(src)
    dest.parent.mkdir(parents=True, exist_ok=True)
    # Hard case: importing a media file into the library. The destination is
    # built from a *_DIR setting under the home directory, which the spec counts
    # as persistence evidence, and a torn copy stays in the library: AW104.
    shutil.copy2(src, dest)  # label: AW104
    lib.add(str(dest), {})
    return str(dest)


def rotate_backups(lib_dir: Path) -> None:
    old = lib_dir / "state.pickle.1"
    if old.exists():
        old.unlink()
    if STATE_FILE.exists():
        # Rotating the state into a backup name is a rename of a real file,
        # not a temp moved over a target.
        STATE_FILE.rename(old)  # label: ok
