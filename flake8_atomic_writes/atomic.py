"""Atomic write helpers (placeholder: being written under issue 3)."""
from __future__ import annotations


class DirectorySyncError(OSError):
    """The new content is in place, but the directory fsync failed: not yet durable."""


def atomic_write_text(*args, **kwargs):  # type: ignore[no-untyped-def]
    raise NotImplementedError


atomic_write_bytes = atomic_json_dump = atomic_open = cleanup_stale_temps = atomic_write_text
