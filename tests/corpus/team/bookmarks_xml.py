"""Bookmarks stored as XBEL for a small desktop browser."""

import os
import shutil
import xml.etree.ElementTree as ET
from typing import List, Tuple

import appdirs

DATA_DIR = appdirs.user_data_dir("tabby", "tabby")
BOOKMARKS = os.path.join(DATA_DIR, "bookmarks.xbel")
BACKUP_DIR = os.path.join(DATA_DIR, "backups")


def load() -> ET.ElementTree:
    if not os.path.exists(BOOKMARKS):
        return ET.ElementTree(ET.Element("xbel", version="1.0"))
    return ET.parse(BOOKMARKS)


def add(title: str, href: str) -> None:
    tree = load()
    bm = ET.SubElement(tree.getroot(), "bookmark", href=href)
    ET.SubElement(bm, "title").text = title
    os.makedirs(DATA_DIR, exist_ok=True)
    tree.write(BOOKMARKS, encoding="utf-8", xml_declaration=True)  # label: AW104


def save_atomically(tree: ET.ElementTree) -> None:
    tmp = BOOKMARKS + ".tmp"
    tree.write(tmp, encoding="utf-8")  # label: ok
    os.replace(tmp, BOOKMARKS)  # label: ok


def restore(backup_name: str) -> None:
    # Copies a backup over the live bookmarks file in place.
    shutil.copyfile(os.path.join(BACKUP_DIR, backup_name), BOOKMARKS)  # label: AW104


def import_html(path: str) -> List[Tuple[str, str]]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if "HREF=" in line:
                href = line.split('HREF="')[1].split('"')[0]
                out.append((href, href))
    return out


def export_html(path: str) -> None:
    # "Export bookmarks..." to a user-chosen file.
    tree = load()
    with open(path, "w", encoding="utf-8") as fh:  # label: ok
        fh.write("<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL>\n")
        for bm in tree.getroot().iter("bookmark"):
            fh.write(f'<DT><A HREF="{bm.get("href")}">{bm.findtext("title")}</A>\n')
        fh.write("</DL>\n")


def export_xbel(path: str) -> None:
    # Copy of the data file to a user-chosen destination: no evidence for `path`.
    shutil.copy2(BOOKMARKS, path)  # label: ok


def write_favicons_index(entries: List[Tuple[str, str]]) -> None:
    root = ET.Element("favicons")
    for host, file in entries:
        ET.SubElement(root, "icon", host=host, file=file)
    ET.ElementTree(root).write(os.path.join(DATA_DIR, "favicons-index.xml"))  # label: AW104
