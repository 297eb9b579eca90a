"""A file-backed HTTP cache in the style of cachecontrol's FileCache."""

import hashlib
import os
import shutil
import tempfile
from typing import Optional

from platformdirs import user_cache_dir

CACHE_DIR = user_cache_dir("fetchr")


def _key_path(url: str) -> str:
    digest = hashlib.sha224(url.encode()).hexdigest()
    return os.path.join(CACHE_DIR, digest[:2], digest)


class FileCache:
    def __init__(self, directory: str = CACHE_DIR) -> None:
        self.directory = directory

    def get(self, url: str) -> Optional[bytes]:
        try:
            with open(_key_path(url), "rb") as fh:
                return fh.read()
        except FileNotFoundError:
            return None

    def set(self, url: str, body: bytes) -> None:
        # Done right: temp in the target's directory, fsync, replace.
        path = _key_path(url)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")  # label: ok
        try:
            with os.fdopen(fd, "wb") as fh:  # label: ok
                fh.write(body)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)  # label: ok
        except BaseException:
            os.unlink(tmp)
            raise

    def set_quick(self, url: str, body: bytes) -> None:
        # Flawed: the temp lives in /tmp (another filesystem), then is moved.
        path = _key_path(url)
        fd, tmp = tempfile.mkstemp()  # label: AW202
        with os.fdopen(fd, "wb") as fh:  # label: ok
            fh.write(body)
        shutil.move(tmp, path)  # label: ok

    def set_headers(self, url: str, headers: str) -> None:
        # Flawed: written directly in the cache, which the class reads back.
        with open(_key_path(url) + ".headers", "w") as fh:  # label: AW102
            fh.write(headers)

    def get_headers(self, url: str) -> str:
        with open(_key_path(url) + ".headers") as fh:
            return fh.read()

    def delete(self, url: str) -> None:
        try:
            os.remove(_key_path(url))
        except FileNotFoundError:
            pass


def warm(cache: FileCache, url: str, body: bytes) -> None:
    # Writes a probe file and deletes it again in the same function.
    probe = os.path.join(cache.directory, "probe")
    with open(probe, "wb") as fh:  # label: ok
        fh.write(b"x")
    os.remove(probe)
    cache.set(url, body)


def clear() -> None:
    shutil.rmtree(CACHE_DIR, ignore_errors=True)
