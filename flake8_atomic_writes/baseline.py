"""A baseline file: today's findings, recorded so that only new ones are reported.

As bandit's ``-b`` and semgrep's baseline: ``check --write-baseline FILE`` records the
findings, ``check --baseline FILE`` reports only those not in it. An entry is keyed on the
file's path (relative to the baseline's directory, so any working directory gives the same
key), the code and the normalized text of the reporting line (not its number), with a count
for identical lines, so it survives edits elsewhere in the file; errors (E902, E999) are
never recorded. The file is JSON, sorted, written atomically.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Dict, List, Sequence, Tuple

from .atomic import atomic_write_text
from .config import ConfigError
from .report import Diagnostic

FORMAT = 1
Key = Tuple[str, str, str]  # (path, code, normalized source line)


def key(diagnostic: Diagnostic, base: str) -> Key:
    """What identifies a finding across edits: its file, its code and the text of its line."""
    return (_path(diagnostic.path, base), diagnostic.code, " ".join(diagnostic.source_line.split()))


def _path(path: str, base: str) -> str:
    """Relative to ``base``, with ``/``: the same for ``./app/x.py`` and ``app/x.py``."""
    try:
        return os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/")
    except ValueError:  # another drive on Windows
        return path.replace(os.sep, "/")


def _base(baseline: str) -> str:
    return os.path.dirname(os.path.abspath(baseline))


def write(path: str, diagnostics: Sequence[Diagnostic]) -> int:
    """Record the findings (not the errors) of ``diagnostics`` in ``path``; returns how many."""
    counts = Counter(key(d, _base(path)) for d in diagnostics if not d.is_error)  # errors always show
    entries = [
        {"path": file, "code": code, "source": source, "count": count}
        for (file, code, source), count in sorted(counts.items())
    ]
    document = {"flake8-atomic-writes-baseline": FORMAT, "findings": entries}
    atomic_write_text(path, json.dumps(document, indent=2) + "\n")
    return sum(counts.values())


def read(path: str) -> Dict[Key, int]:
    """The recorded findings and their counts; a missing or malformed file is an error naming it."""
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
        entries = document["findings"]
        return {(e["path"], e["code"], e["source"]): int(e["count"]) for e in entries}
    except OSError as exc:
        raise ConfigError(f"--baseline: cannot read {path}: {exc.strerror or exc}") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"--baseline: {path} is not a baseline written by --write-baseline ({exc})") from exc


def new_only(diagnostics: Sequence[Diagnostic], path: str) -> List[Diagnostic]:
    """``diagnostics`` without the ones the baseline ``path`` holds (each entry absorbs up to its count)."""
    left = Counter(read(path))
    kept: List[Diagnostic] = []
    for diagnostic in diagnostics:
        found = key(diagnostic, _base(path))
        if left[found] > 0 and not diagnostic.is_error:
            left[found] -= 1
        else:
            kept.append(diagnostic)
    return kept
