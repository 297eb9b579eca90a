"""A lightweight ML experiment tracker: run configs, metrics, checkpoints and a leaderboard."""

import json
import os
import pickle
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

TRACKER_DIR = Path(os.environ.get("TRACKER_DIR", Path.home() / ".tracker"))
SUMMARY = TRACKER_DIR / "summary.json"


class Run:
    def __init__(self, name: str, config: dict) -> None:
        self.name = name
        self.config = config
        self.dir = TRACKER_DIR / "runs" / name
        self.dir.mkdir(parents=True, exist_ok=True)

    def log_config(self) -> None:
        with open(self.dir / "config.yaml", "w") as f:  # label: AW103
            yaml.safe_dump(self.config, f)

    def log_metric(self, step: int, **values: float) -> None:
        with open(self.dir / "metrics.jsonl", "a") as f:  # label: ok
            f.write(json.dumps({"step": step, **values}) + "\n")

    def save_checkpoint(self, step: int, weights: object) -> Path:
        path = self.dir / f"checkpoint-{step}.pkl"
        with path.open("wb") as f:  # label: AW103
            pickle.dump(weights, f)
        return path

    def mark_best(self, ckpt: Path) -> None:
        shutil.copyfile(ckpt, self.dir / "best_checkpoint.pkl")  # label: AW104

    def write_notes(self, text: str) -> None:
        # decided AW101: self.dir is built from TRACKER_DIR (a *_DIR setting defaulting to the home directory)
        (self.dir / "notes.md").write_text(text)  # label: AW101

    def log_artifact_dir(self, files: dict) -> str:
        scratch = tempfile.mkdtemp(prefix="artifacts-")  # label: ok
        for name, data in files.items():
            with open(os.path.join(scratch, name), "wb") as f:  # label: ok
                f.write(data)
        archive = shutil.make_archive(str(self.dir / "artifacts"), "zip", scratch)
        shutil.rmtree(scratch)
        return archive


def load_summary() -> dict:
    try:
        return json.loads(SUMMARY.read_text())
    except (OSError, ValueError):
        return {}


def update_summary(run: str, score: float) -> None:
    summary = load_summary()
    summary[run] = score
    tmp = tempfile.NamedTemporaryFile("w", dir=TRACKER_DIR, suffix=".tmp", delete=False)  # label: ok
    json.dump(summary, tmp)
    tmp.close()
    shutil.copy(tmp.name, SUMMARY)  # label: AW204
    os.unlink(tmp.name)


def update_summary_fixed(run: str, score: float) -> None:
    summary = load_summary()
    summary[run] = score
    tmp = tempfile.NamedTemporaryFile("w", dir=TRACKER_DIR, suffix=".tmp", delete=False)  # label: ok
    json.dump(summary, tmp)
    tmp.flush()
    os.fsync(tmp.fileno())
    tmp.close()
    os.replace(tmp.name, SUMMARY)  # label: ok


def update_summary_early(run: str, score: float) -> None:
    summary = load_summary()
    summary[run] = score
    tmp = tempfile.NamedTemporaryFile("w", dir=TRACKER_DIR, suffix=".tmp", delete=False)  # label: ok
    json.dump(summary, tmp)
    os.replace(tmp.name, SUMMARY)  # label: AW203
    tmp.close()


def update_summary_from_tmp(run: str, score: float) -> None:
    summary = load_summary()
    summary[run] = score
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as tmp:  # label: AW202
        json.dump(summary, tmp)
    shutil.move(tmp.name, SUMMARY)  # label: ok


def export_leaderboard(dest: str) -> None:
    rows = sorted(load_summary().items(), key=lambda kv: -kv[1])
    html = "".join(f"<tr><td>{n}</td><td>{s:.4f}</td></tr>" for n, s in rows)
    Path(dest).write_text(f"<table>{html}</table>")  # label: ok


def print_leaderboard() -> None:
    for name, score in sorted(load_summary().items(), key=lambda kv: -kv[1]):
        sys.stdout.write(f"{score:.4f}  {name}\n")  # label: ok
