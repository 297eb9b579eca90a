"""Drafts and the offline outbox of a chat application."""

import io
import json
import os
import tempfile
import uuid
from pathlib import Path

import platformdirs

STATE_DIR = Path(platformdirs.user_data_dir("chirp"))
DRAFTS_DIR = STATE_DIR / "drafts"
OUTBOX = STATE_DIR / "outbox.jsonl"


def _draft_path(channel: str) -> Path:
    return DRAFTS_DIR / f"{channel}.json"


def load_draft(channel: str) -> str:
    try:
        return json.loads(_draft_path(channel).read_text())["text"]
    except (OSError, ValueError, KeyError):
        return ""


def save_draft(channel: str, text: str) -> None:
    DRAFTS_DIR.mkdir(parents=True, exist_ok=True)
    target = _draft_path(channel)
    with tempfile.NamedTemporaryFile("w", dir=DRAFTS_DIR, suffix=".tmp", delete=False) as f:  # label: ok
        json.dump({"text": text}, f)
    os.replace(f.name, target)  # label: AW302


def save_draft_durably(channel: str, text: str) -> None:
    DRAFTS_DIR.mkdir(parents=True, exist_ok=True)
    target = _draft_path(channel)
    with tempfile.NamedTemporaryFile("w", dir=DRAFTS_DIR, suffix=".tmp", delete=False) as f:  # label: ok
        json.dump({"text": text}, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(f.name, target)  # label: ok


def save_draft_quick(channel: str, text: str) -> None:
    _draft_path(channel).write_text(json.dumps({"text": text}))  # label: AW101


def clear_draft(channel: str) -> None:
    _draft_path(channel).unlink(missing_ok=True)


def queue_message(channel: str, text: str) -> str:
    msg_id = uuid.uuid4().hex
    with open(OUTBOX, "a", encoding="utf-8") as f:  # label: AW303
        f.write(json.dumps({"id": msg_id, "channel": channel, "text": text}) + "\n")
    return msg_id


def pending() -> list:
    if not OUTBOX.exists():
        return []
    with open(OUTBOX, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def drop_sent(sent_ids: set) -> None:
    keep = [m for m in pending() if m["id"] not in sent_ids]
    tmp = OUTBOX.with_suffix(".jsonl.tmp")
    with open(tmp, "w", encoding="utf-8") as f:  # label: ok
        for m in keep:
            f.write(json.dumps(m) + "\n")
    tmp.replace(OUTBOX)  # label: AW302


def drop_sent_durably(sent_ids: set) -> None:
    keep = [m for m in pending() if m["id"] not in sent_ids]
    tmp = OUTBOX.with_suffix(".jsonl.tmp")
    with open(tmp, "w", encoding="utf-8") as f:  # label: ok
        for m in keep:
            f.write(json.dumps(m) + "\n")
        f.flush()
        os.fsync(f.fileno())
    tmp.replace(OUTBOX)  # label: ok


def download_attachment(data: bytes, filename: str) -> str:
    dest = os.path.join(os.getcwd(), os.path.basename(filename))
    with open(dest, "wb") as f:  # label: AW301
        f.write(data)
    return dest


def render_transcript(messages: list) -> str:
    out = io.StringIO()
    for m in messages:
        out.write(f"<{m['author']}> {m['text']}\n")  # label: ok
    return out.getvalue()


def save_transcript(messages: list, dest: str) -> None:
    Path(dest).write_text(render_transcript(messages))  # label: AW301
