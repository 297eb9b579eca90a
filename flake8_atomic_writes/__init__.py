"""flake8-atomic-writes: find non-atomic writes of state files, and the helpers that fix them.

Importing this package loads only the standard library: applications use the helpers in
production. The flake8 checker lives in ``flake8_atomic_writes.checker``.
"""

from typing import TYPE_CHECKING, Any, List

if TYPE_CHECKING:
    from .atomic import (
        DirectorySyncError,
        TargetBusyError,
        atomic_json_dump,
        atomic_open,
        atomic_write_bytes,
        atomic_write_text,
        cleanup_stale_temps,
    )


def __dir__() -> List[str]:
    """The module's names and the helpers, which load on first use."""
    return sorted({*globals(), *__all__})


def __getattr__(name: str) -> Any:
    """The helpers load on first use, so the flake8 checker (a submodule) never pays for them."""
    if name in __all__ and name != "__version__":
        from . import atomic

        return getattr(atomic, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
