"""Checkpointing and metrics output for a small training loop."""

import csv
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any, Dict, List

import torch

CHECKPOINT_DIR = Path(os.environ.get("CHECKPOINT_DIR", "checkpoints"))


def save_checkpoint(step: int, state: Dict[str, Any]) -> Path:
    path = CHECKPOINT_DIR / f"step-{step:07d}.pkl"
    with open(path, "wb") as fh:  # label: AW103
        pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def save_checkpoint_safely(step: int, model: Any, optimizer: Any) -> Path:
    final = CHECKPOINT_DIR / f"step-{step:07d}.pt"
    tmp = final.with_suffix(".pt.tmp")
    torch.save({"model": model.state_dict(), "optim": optimizer.state_dict()}, tmp)  # label: ok
    os.replace(tmp, final)  # label: ok
    return final


def load_latest() -> Dict[str, Any]:
    latest = CHECKPOINT_DIR / "latest"
    name = latest.read_text().strip()
    with open(CHECKPOINT_DIR / name, "rb") as fh:
        return pickle.load(fh)


def mark_latest(path: Path) -> None:
    (CHECKPOINT_DIR / "latest").write_text(path.name)  # label: AW101


def write_metrics(rows: List[Dict[str, float]], out_dir: str) -> None:
    # Metrics CSV for plotting; not read back, no persistent name.
    with open(os.path.join(out_dir, "metrics.csv"), "w", newline="") as fh:  # label: ok
        writer = csv.DictWriter(fh, fieldnames=sorted(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def save_hparams(hparams: Dict[str, Any]) -> None:
    with open(CHECKPOINT_DIR / "hparams.pickle", "wb") as fh:  # label: AW103
        pickle.dump(hparams, fh)


def dry_run(model: Any) -> None:
    with tempfile.TemporaryDirectory() as d:
        scratch = os.path.join(d, "model.pkl")
        with open(scratch, "wb") as fh:  # label: ok
            pickle.dump(model, fh)
        print(os.path.getsize(scratch))


def save_best(state: Dict[str, Any], score: float) -> None:
    best = CHECKPOINT_DIR / "best.pkl"
    with tempfile.NamedTemporaryFile(dir=CHECKPOINT_DIR, delete=False) as fh:  # label: ok
        pickle.dump(state, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(fh.name, best)  # label: ok
    # Built from a *_DIR setting (and next to checkpoints): persistent.
    (CHECKPOINT_DIR / "best-score.txt").write_text(f"{score}\n")  # label: AW101
