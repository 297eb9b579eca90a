"""A polite web crawler that can be stopped and resumed (JOBDIR-style)."""

import csv
import json
import os
import pickle
from collections import deque
from typing import Deque, Set
from urllib.parse import urljoin

JOB_DIR = os.environ.get("CRAWL_JOB_DIR", "crawl-job")


class Frontier:
    def __init__(self, job_dir: str = JOB_DIR) -> None:
        self.job_dir = job_dir
        self.queue_path = os.path.join(job_dir, "requests.queue")
        self.seen_path = os.path.join(job_dir, "seen.pkl")
        self.queue: Deque[str] = deque()
        self.seen: Set[str] = set()

    def resume(self) -> None:
        if os.path.exists(self.seen_path):
            with open(self.seen_path, "rb") as fh:
                self.seen = pickle.load(fh)
        if os.path.exists(self.queue_path):
            with open(self.queue_path) as fh:
                self.queue = deque(line.strip() for line in fh)

    def persist(self) -> None:
        with open(self.seen_path, "wb") as fh:  # label: AW103
            pickle.dump(self.seen, fh)
        with open(self.queue_path, "w") as fh:  # label: AW102
            fh.writelines(u + "\n" for u in self.queue)


def save_spider_state(state: dict) -> None:
    path = os.path.join(JOB_DIR, "spider.state")
    with open(path, "wb") as fh:  # label: AW103
        pickle.dump(state, fh, protocol=4)


def save_stats(stats: dict) -> None:
    with open(os.path.join(JOB_DIR, "stats.json"), "w") as fh:  # label: AW103
        json.dump(stats, fh, default=str)


def save_robots_cache(host: str, body: str) -> None:
    cache_dir = os.path.join(JOB_DIR, "robots-cache")
    os.makedirs(cache_dir, exist_ok=True)
    with open(os.path.join(cache_dir, host + ".txt"), "w") as fh:  # label: AW102
        fh.write(body)


def feed_export(items: list, uri: str) -> None:
    # FEEDS output to a user URI: an export, not state.
    with open(uri, "w", newline="") as fh:  # label: ok
        writer = csv.writer(fh)
        for item in items:
            writer.writerow([item["url"], item["title"]])


def save_page(url: str, body: bytes, out_dir: str) -> None:
    # Mirrored pages are the crawl's output, written once per URL.
    name = url.replace("://", "_").replace("/", "_")
    with open(os.path.join(out_dir, name), "wb") as fh:  # label: ok
        fh.write(body)


def save_page_and_index(url: str, body: bytes, out_dir: str) -> None:
    save_page(url, body, out_dir)
    index = os.path.join(out_dir, "index.csv")
    with open(index, "a", newline="") as fh:  # label: ok
        csv.writer(fh).writerow([url, urljoin(url, "/")])
