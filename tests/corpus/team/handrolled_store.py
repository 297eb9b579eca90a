"""A pickled object store with several generations of "atomic" save code."""

import os
import pickle
import shutil
import tempfile
from pathlib import Path
from typing import Any, Dict

from platformdirs import user_data_path


class Store:
    def __init__(self, name: str) -> None:
        self.path: Path = user_data_path("kvs") / f"{name}.pkl"
        self.data: Dict[str, Any] = {}

    def load(self) -> None:
        if self.path.exists():
            self.data = pickle.loads(self.path.read_bytes())

    def save_v1(self) -> None:
        tmp = self.path.with_suffix(".new")
        tmp.write_bytes(pickle.dumps(self.data))  # label: ok
        tmp.rename(self.path)  # label: AW201

    def save_v2(self) -> None:
        fd, name = tempfile.mkstemp(suffix=".pkl")  # label: AW202
        with os.fdopen(fd, "wb") as fh:  # label: ok
            pickle.dump(self.data, fh)
        shutil.move(name, self.path)  # label: ok

    def save_v3(self) -> None:
        workdir = Path(tempfile.mkdtemp())  # label: AW202
        staged = workdir / self.path.name
        staged.write_bytes(pickle.dumps(self.data))  # label: ok
        shutil.move(str(staged), str(self.path))  # label: ok
        workdir.rmdir()

    def save_v4(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        with open(tmp, "wb") as fh:  # label: ok
            pickle.dump(self.data, fh)
            tmp.replace(self.path)  # label: AW203

    def save_v5(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_bytes(pickle.dumps(self.data))  # label: ok
        shutil.copy(tmp, self.path)  # label: AW204
        tmp.unlink()

    def save_v6(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_bytes(pickle.dumps(self.data))  # label: ok
        self.path.unlink(missing_ok=True)  # label: AW204
        tmp.replace(self.path)  # label: ok

    def save(self) -> None:
        # The current version: same directory, fsync, Path.replace.
        fd, name = tempfile.mkstemp(dir=self.path.parent, prefix=".kvs-")  # label: ok
        with os.fdopen(fd, "wb") as fh:  # label: ok
            pickle.dump(self.data, fh)
            fh.flush()
            os.fsync(fh.fileno())
        Path(name).replace(self.path)  # label: ok

    def save_renamed_done_right(self) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "wb") as fh:  # label: ok
            pickle.dump(self.data, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)  # label: ok

    def export(self, dest: str) -> None:
        # A copy of the store for the user; the destination has no evidence.
        shutil.copyfile(self.path, dest)  # label: ok
