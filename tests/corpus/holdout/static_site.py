"""A tiny static site generator: markdown pages in, HTML out, with an incremental build cache."""

import gzip
import hashlib
import html
import io
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

CACHE_NAME = ".ssg-cache.json"


def _render(markdown_text: str, title: str) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in markdown_text.split("\n\n") if p.strip())
    return f"<html><head><title>{html.escape(title)}</title></head><body>{body}</body></html>"


class Site:
    def __init__(self, src: Path, out: Path) -> None:
        self.src = src
        self.out = out
        self.cache_path = src / CACHE_NAME
        self.cache = self._load_cache()

    def _load_cache(self) -> dict:
        try:
            with open(self.cache_path) as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    def _save_cache(self) -> None:
        with open(self.cache_path, "w") as f:  # label: AW103
            json.dump(self.cache, f, sort_keys=True)

    def build(self) -> list:
        built = []
        for page in sorted(self.src.rglob("*.md")):
            text = page.read_text(encoding="utf-8")
            digest = hashlib.sha1(text.encode()).hexdigest()
            rel = page.relative_to(self.src).with_suffix(".html")
            if self.cache.get(str(rel)) == digest:
                continue
            dest = self.out / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            with open(dest, "w", encoding="utf-8") as f:  # label: ok
                f.write(_render(text, page.stem))
            self.cache[str(rel)] = digest
            built.append(rel)
        self._write_home(built)
        self._copy_assets()
        self._write_sitemap(built)
        self._save_cache()
        return built

    def _write_home(self, pages: list) -> None:
        links = "".join(f'<li><a href="{p}">{p.stem}</a></li>' for p in pages)
        # decided AW101: the spec counts the word "index" in the literal as persistence evidence
        (self.out / "index.html").write_text(f"<ul>{links}</ul>", encoding="utf-8")  # label: AW101

    def _copy_assets(self) -> None:
        for asset in (self.src / "static").glob("*"):
            shutil.copy2(asset, self.out / asset.name)  # label: ok

    def _write_sitemap(self, pages: list) -> None:
        root = ET.Element("urlset")
        for p in pages:
            ET.SubElement(ET.SubElement(root, "url"), "loc").text = f"/{p}"
        ET.ElementTree(root).write(self.out / "sitemap.xml", encoding="utf-8")  # label: ok
        with gzip.open(self.out / "sitemap.xml.gz", "wb") as gz:  # label: ok
            gz.write(ET.tostring(root))

    def write_asset_manifest(self) -> None:
        manifest = {p.name: hashlib.md5(p.read_bytes()).hexdigest() for p in self.out.glob("*")}
        with open(self.out / "asset-manifest.json", "w") as f:  # label: AW103
            json.dump(manifest, f, indent=2)

    def clean(self) -> None:
        shutil.rmtree(self.out, ignore_errors=True)


def preview(markdown_text: str) -> str:
    buf = io.StringIO()
    buf.write(_render(markdown_text, "preview"))  # label: ok
    return buf.getvalue()


def render_one(src: str, dest: str) -> None:
    """CLI: ssg render page.md page.html"""
    text = Path(src).read_text(encoding="utf-8")
    Path(dest).write_text(_render(text, Path(src).stem), encoding="utf-8")  # label: ok


def write_feed(out: Path, titles: list) -> None:
    items = "".join(f"<item><title>{html.escape(t)}</title></item>" for t in titles)
    (out / "feed.xml").write_text(f"<rss><channel>{items}</channel></rss>")  # label: ok
