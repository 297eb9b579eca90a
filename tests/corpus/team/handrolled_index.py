"""Search-index writer for a docs site generator, with its own temp helpers."""

import json
import os
import shutil
import tempfile as tf
from os import rename, replace
from typing import Dict, List

INDEX_DIR = os.environ.get("DOCS_INDEX_DIR", os.path.expanduser("~/.cache/docsgen"))
INDEX_FILE = os.path.join(INDEX_DIR, "search-index.json")
META_FILE = os.path.join(INDEX_DIR, "metadata.json")
DB_FILE = os.path.join(INDEX_DIR, "terms.db")


def write_index(entries: List[Dict[str, str]]) -> None:
    fd, tmp = tf.mkstemp(dir=INDEX_DIR, suffix=".tmp")  # label: ok
    with os.fdopen(fd, "w") as fh:  # label: ok
        json.dump(entries, fh)
    rename(tmp, INDEX_FILE)  # label: AW201


def write_index_fixed(entries: List[Dict[str, str]]) -> None:
    fd, tmp = tf.mkstemp(dir=INDEX_DIR, suffix=".tmp")  # label: ok
    with os.fdopen(fd, "w") as fh:  # label: ok
        json.dump(entries, fh)
        fh.flush()
        os.fsync(fh.fileno())
    replace(tmp, INDEX_FILE)  # label: ok


def write_metadata(meta: Dict[str, str]) -> None:
    fd, tmp = tf.mkstemp(dir=INDEX_DIR)  # label: ok
    with os.fdopen(fd, "w") as fh:  # label: ok
        json.dump(meta, fh)
        fh.flush()
        replace(tmp, META_FILE)  # label: AW203


def write_metadata_outside(meta: Dict[str, str]) -> None:
    tmp = tf.NamedTemporaryFile("w", delete=False)  # label: AW202
    json.dump(meta, tmp)
    tmp.close()
    shutil.move(tmp.name, META_FILE)  # label: ok


def write_terms_db(blob: bytes) -> None:
    with tf.NamedTemporaryFile(dir=INDEX_DIR, delete=False) as fh:  # label: ok
        fh.write(blob)
    shutil.copyfile(fh.name, DB_FILE)  # label: AW204
    os.unlink(fh.name)


def write_terms_db_fixed(blob: bytes) -> None:
    with tf.NamedTemporaryFile(dir=INDEX_DIR, delete=False) as fh:  # label: ok
        fh.write(blob)
        fh.flush()
        os.fsync(fh.fileno())
    replace(fh.name, DB_FILE)  # label: ok


def load_index() -> List[Dict[str, str]]:
    with open(INDEX_FILE) as fh:
        return json.load(fh)


def build_page_fragment(entry: Dict[str, str], site_dir: str) -> None:
    # Rendered HTML of the site: regenerated on every build.
    html = f"<h1>{entry['title']}</h1>".replace("&", "&amp;")
    with open(os.path.join(site_dir, entry["slug"] + ".html"), "w") as fh:  # label: ok
        fh.write(html)


def write_sitemap(urls: List[str], site_dir: str) -> None:
    with open(os.path.join(site_dir, "sitemap.xml"), "w") as fh:  # label: ok
        fh.write("<urlset>" + "".join(f"<url><loc>{u}</loc></url>" for u in urls) + "</urlset>")
