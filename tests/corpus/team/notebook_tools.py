"""nbstrip-like utilities: clear outputs, convert, trust database."""

import io
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any, Dict

TRUST_DIR = Path.home() / ".local" / "share" / "nbtools"


def read_notebook(path: str) -> Dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def strip_outputs(nb: Dict[str, Any]) -> Dict[str, Any]:
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return nb


def strip_in_place(path: str) -> None:
    nb = strip_outputs(read_notebook(path))
    with open(path, "w", encoding="utf-8") as fh:  # label: AW103
        json.dump(nb, fh, indent=1, ensure_ascii=False)
        fh.write("\n")


def strip_to_stdout(path: str) -> None:
    nb = strip_outputs(read_notebook(path))
    json.dump(nb, sys.stdout, indent=1)  # label: ok


def to_script(path: str, out: str) -> None:
    # Exporting code cells to a .py chosen by the user: no persistence evidence.
    nb = read_notebook(path)
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    Path(out).write_text("\n\n".join(code))  # label: ok


def render_preview(nb: Dict[str, Any]) -> str:
    buf = io.StringIO()
    json.dump(nb["metadata"], buf)  # label: ok
    return buf.getvalue()


def new_notebook(path: str) -> None:
    nb = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    Path(path).with_suffix(".ipynb").write_text(json.dumps(nb))  # label: AW101


def trust(path: str, signature: str) -> None:
    TRUST_DIR.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(TRUST_DIR / "trust.db"))
    db.execute("INSERT INTO sigs VALUES (?, ?)", (path, signature))
    db.commit()


def save_checkpoint(path: str) -> None:
    # Jupyter-style checkpoint copy of the notebook.
    nb_path = Path(path)
    ckpt = nb_path.parent / ".ipynb_checkpoints" / (nb_path.stem + "-checkpoint.ipynb")
    ckpt.parent.mkdir(exist_ok=True)
    ckpt.write_bytes(nb_path.read_bytes())  # label: AW101
