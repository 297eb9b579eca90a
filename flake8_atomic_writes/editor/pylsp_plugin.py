"""The python-lsp-server plugin: quick fixes for AW findings, and AW diagnostics when pylsp's
flake8 plugin is off.

Registered as ``flake8_atomic_writes`` in the ``pylsp`` entry-point group, so its settings are
``pylsp.plugins.flake8_atomic_writes``: ``enabled`` (default true) and ``lint`` (default: on
only while pylsp's flake8 plugin is off, so a finding is never published twice). The options
pylsp passes to flake8 (``config``, ``select``, ``ignore``, ...) are passed to ``fix`` too, and
both run in the workspace root, so the fixes match the diagnostics.

Without the ``[pylsp]`` extra's flake8 and libcst (the package installed for its helpers
next to pylsp) the import fails with the reason, and pylsp leaves the plugin out.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import threading
from pathlib import Path, PurePath
from typing import Any, Callable, List, Mapping, Optional, Protocol, TypeVar

import pluggy

from ..cli import Settings, fix_settings
from ..config import ConfigError
from .actions import Buffer, Json, code_actions, diagnostics

PYLSP_EXTRA = "pip install 'flake8-atomic-writes[pylsp]'"
_missing = [name for name in ("flake8", "libcst") if importlib.util.find_spec(name) is None]
if _missing:
    raise ImportError(f"flake8-atomic-writes' pylsp plugin needs {' and '.join(_missing)}: {PYLSP_EXTRA}")

PLUGIN = "flake8_atomic_writes"
LINT = "lint"
hookimpl = pluggy.HookimplMarker("pylsp")
log = logging.getLogger(__name__)
_ONE_AT_A_TIME = threading.Lock()

# pylsp's flake8 settings that become flake8 options, as pylsp/plugins/flake8_lint.py passes them.
CODE_FLAGS = {
    "select": "--select",
    "ignore": "--ignore",
    "extendSelect": "--extend-select",
    "extendIgnore": "--extend-ignore",
}

_T = TypeVar("_T")


class PylspConfig(Protocol):
    def plugin_settings(self, plugin: str, document_path: Optional[str] = None) -> Mapping[str, Any]: ...


class PylspWorkspace(Protocol):
    @property
    def root_path(self) -> str: ...


class PylspDocument(Protocol):
    @property
    def uri(self) -> str: ...

    @property
    def path(self) -> str: ...

    @property
    def source(self) -> str: ...


@hookimpl
def pylsp_lint(config: PylspConfig, workspace: PylspWorkspace, document: PylspDocument) -> List[Json]:
    """AW diagnostics of the buffer, unless pylsp's flake8 plugin publishes them."""
    buffer = _buffer(workspace, document)
    if buffer is None or not lints(config, buffer.path):
        return []
    return _or_nothing(lambda: diagnostics(buffer, _settings(config, buffer)))


@hookimpl
def pylsp_code_actions(
    config: PylspConfig, workspace: PylspWorkspace, document: PylspDocument, context: Mapping[str, Any]
) -> List[Json]:
    """Quick fixes for the AW diagnostics of the request, and "fix all" (``source.fixAll``)."""
    buffer = _buffer(workspace, document)
    if buffer is None:
        return []
    found = context.get("diagnostics") or []
    return _or_nothing(lambda: code_actions(buffer, lambda: _settings(config, buffer), found, context.get("only")))


def lints(config: PylspConfig, path: str) -> bool:
    """Our ``lint`` setting; unset, on exactly when pylsp's flake8 plugin is off."""
    setting = config.plugin_settings(PLUGIN, document_path=path).get(LINT)
    if setting is not None:
        return bool(setting)
    return not config.plugin_settings("flake8", document_path=path).get("enabled", False)


def fix_arguments(flake8: Mapping[str, Any], path: str) -> List[str]:
    """The options pylsp passes to flake8 for the file ``path``, spelled for ``fix``."""
    args: List[str] = []
    config = flake8.get("config")
    if config:  # relative to pylsp's working directory, as pylsp makes it absolute
        args.append("--config=" + os.path.abspath(os.path.expanduser(os.path.expandvars(str(config)))))
    codes = {key: _codes(flake8.get(key)) for key in CODE_FLAGS}
    codes["ignore"] += per_file_ignores(flake8.get("perFileIgnores") or [], path)
    args += [f"{CODE_FLAGS[key]}={','.join(value)}" for key, value in codes.items() if value]
    return args


def per_file_ignores(entries: List[str], path: str) -> List[str]:
    """The codes pylsp adds to ``ignore`` for ``path`` from ``perFileIgnores``
    (``"pattern:codes"``; an entry without a pattern continues the one before)."""
    codes: List[str] = []
    pattern: Optional[str] = None
    for entry in entries:
        parts = entry.split(":")
        if len(parts) == 2:
            pattern, errors = parts
        elif pattern is None:
            continue
        else:
            errors = entry
        if PurePath(path).match(pattern):
            codes += errors.split(",")
    return codes


def _codes(value: Any) -> List[str]:
    if not value:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _buffer(workspace: PylspWorkspace, document: PylspDocument) -> Optional[Buffer]:
    """The document as a buffer of a file (None for an unsaved "untitled:" one, or a notebook cell)."""
    if not document.uri.startswith("file:"):
        return None
    path = os.path.abspath(document.path)
    return Buffer(document.uri, document.source, path, run_directory(path, workspace.root_path))


def run_directory(path: str, root: Optional[str]) -> str:
    """Where pylsp runs flake8 for ``path``: the workspace root when the file is inside it,
    else the file's own directory."""
    if root:
        root = os.path.abspath(root)
        try:
            if os.path.commonpath([path, root]) == root:
                return root
        except ValueError:  # Windows: on another drive
            pass
    return os.path.dirname(path)


def _settings(config: PylspConfig, buffer: Buffer) -> Settings:
    flake8 = config.plugin_settings("flake8", document_path=buffer.path)
    return fix_settings(Path(buffer.cwd), fix_arguments(flake8, buffer.path))


def _or_nothing(compute: Callable[[], List[_T]]) -> List[_T]:
    """Run one hook's work, one at a time (pylsp lints on a timer thread while it answers
    requests, and the project index is shared); a bad configuration is logged in one line
    (flake8 reports it too), not as a traceback."""
    with _ONE_AT_A_TIME:
        try:
            return compute()
        except ConfigError as exc:
            log.warning("flake8-atomic-writes: %s", exc)
            return []
