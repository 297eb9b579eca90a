"""flake8-atomic-writes: find non-atomic writes of state files, and the helpers that fix them.

Importing this package loads only the standard library: applications use the helpers in
production. The flake8 checker lives in ``flake8_atomic_writes.checker``.
"""

from .atomic import (
    DirectorySyncError,
    TargetBusyError,
    atomic_json_dump,
    atomic_open,
    atomic_write_bytes,
    atomic_write_text,
    cleanup_stale_temps,
)

__version__ = "0.1.0"

__all__ = [
    "DirectorySyncError",
    "TargetBusyError",
    "__version__",
    "atomic_json_dump",
    "atomic_open",
    "atomic_write_bytes",
    "atomic_write_text",
    "cleanup_stale_temps",
]
