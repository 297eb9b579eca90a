"""yt-dlp-like downloader: archive of seen ids, info json, fragments."""

import json
import os
import sys
import tempfile
from typing import Dict, Iterable, Set

ARCHIVE = os.path.join(os.path.expanduser("~"), ".vdl", "archive.txt")


def load_archive() -> Set[str]:
    if not os.path.exists(ARCHIVE):
        return set()
    with open(ARCHIVE, encoding="utf-8") as fh:
        return {line.strip() for line in fh}


def record_download(video_id: str) -> None:
    # Append mode: AW303 territory, off by default.
    with open(ARCHIVE, "a", encoding="utf-8") as fh:  # label: ok
        fh.write(video_id + "\n")


def compact_archive(ids: Iterable[str]) -> None:
    with open(ARCHIVE, "w", encoding="utf-8") as fh:  # label: AW102
        fh.writelines(i + "\n" for i in sorted(set(ids)))


def write_info_json(info: Dict, filename: str) -> None:
    # "<title>.info.json" next to the video: the .json suffix is evidence.
    with open(filename + ".info.json", "w", encoding="utf-8") as fh:  # label: AW103
        json.dump(info, fh, ensure_ascii=False)


def download_fragments(urls: Iterable[str], filename: str, fetch) -> None:
    frag_dir = tempfile.mkdtemp(prefix="vdl-")
    parts = []
    for n, url in enumerate(urls):
        frag = os.path.join(frag_dir, f"frag{n}")
        with open(frag, "wb") as fh:  # label: ok
            fh.write(fetch(url))
        parts.append(frag)
    with open(filename + ".part", "wb") as out:  # label: ok
        for frag in parts:
            with open(frag, "rb") as fh:
                out.write(fh.read())
    os.replace(filename + ".part", filename)  # label: ok


def write_description(info: Dict, filename: str) -> None:
    with open(filename + ".description", "w", encoding="utf-8") as fh:  # label: ok
        fh.write(info.get("description", ""))


def dump_json(info: Dict) -> None:
    json.dump(info, sys.stdout)  # label: ok
    sys.stdout.write("\n")  # label: ok


def write_subtitles(subs: str, filename: str, lang: str) -> None:
    path = f"{filename}.{lang}.vtt"
    with open(path, "w", encoding="utf-8") as fh:  # label: ok
        fh.write(subs)
