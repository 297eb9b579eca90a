"""Which configuration file the command line reads, as flake8 (with Flake8-pyproject) would.

flake8 finds ``setup.cfg``, ``tox.ini`` or ``.flake8`` with a ``[flake8]`` section by
walking up from the current directory. Flake8-pyproject, the plugin most projects use to
keep flake8's settings in ``pyproject.toml``, replaces that file with ``[tool.flake8]`` of
``pyproject.toml`` in the current directory (or of ``--toml-config FILE``) when it has the
table, with the same keys; numbers and booleans become strings, lists stay lists. Reading
the same file the same way is what makes ``flake8`` and ``check`` agree.

``--config FILE`` reads FILE in its own format (a ``.toml`` file's ``[tool.flake8]``,
otherwise an INI ``[flake8]`` section) and refuses a file without such a section, rather
than silently reading nothing.
"""

from __future__ import annotations

import configparser
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Optional

from .config import ConfigError, find_config_file

PYPROJECT = "pyproject.toml"
# flake8 joins a list of per-file-ignores lines with newlines; every other list is comma-separated.
NEWLINE_LISTS = ("per_file_ignores",)


@dataclass(frozen=True)
class SettingsFile:
    """The ``[flake8]`` options read, keyed by ``dest`` name, and where they came from."""

    section: Dict[str, str] = field(default_factory=dict)
    path: Optional[Path] = None

    @property
    def directory(self) -> str:
        """Relative paths in the file (``exclude``, ``per-file-ignores``) are relative to this."""
        return str(self.path.resolve().parent) if self.path is not None else "."


def load(cwd: Path, config: Optional[str] = None, toml_config: Optional[str] = None) -> SettingsFile:
    """The settings ``flake8`` would read in ``cwd`` (``config``: an explicit ``--config``)."""
    if config is not None:
        return _explicit(Path(config))
    if toml_config is not None:
        path = Path(toml_config)
        if not path.is_file():
            raise ConfigError(f"--toml-config: {path} is not a file")
        table = _flake8_table(path)
        return SettingsFile(table or {}, path)
    pyproject = cwd / PYPROJECT
    if pyproject.is_file():
        table = _flake8_table(pyproject)
        if table is not None:
            return SettingsFile(table, pyproject)
    found = find_config_file(cwd)
    return SettingsFile(_ini_section(found) or {}, found) if found is not None else SettingsFile()


def _explicit(path: Path) -> SettingsFile:
    if not path.is_file():
        raise ConfigError(f"--config: {path} is not a file")
    if path.suffix == ".toml":
        section = _flake8_table(path)
        if section is None:
            raise ConfigError(f"--config: {path} has no [tool.flake8] table")
    else:
        section = _ini_section(path)
        if section is None:
            raise ConfigError(f"--config: {path} has no [flake8] section")
    return SettingsFile(section, path)


def _ini_section(path: Path) -> Optional[Dict[str, str]]:
    """The ``[flake8]`` section of an INI file; None when it has none."""
    parser = configparser.RawConfigParser()
    try:
        with open(path, encoding="utf-8") as handle:
            parser.read_file(handle)
    except (configparser.Error, UnicodeDecodeError, OSError) as exc:
        raise ConfigError(f"{path}: cannot read it as an INI file: {_first_line(exc)}") from exc
    if not parser.has_section("flake8"):
        return None
    return {_dest(key): value for key, value in parser.items("flake8")}


def _flake8_table(path: Path) -> Optional[Dict[str, str]]:
    """``[tool.flake8]`` of a TOML file as strings, as Flake8-pyproject hands it to flake8."""
    document = _read_toml(path)
    tool = document.get("tool")
    table = tool.get("flake8") if isinstance(tool, dict) else None
    if not isinstance(table, dict):
        return None
    return {_dest(key): _as_text(_dest(key), value, path) for key, value in table.items()}


def _read_toml(path: Path) -> Dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python < 3.11 only
        try:
            import tomli as tomllib
        except ImportError as exc:
            raise ConfigError(f"{path}: reading TOML needs tomli: pip install 'flake8-atomic-writes[lint]'") from exc
    try:
        with open(path, "rb") as handle:
            document: Dict[str, Any] = tomllib.load(handle)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {_first_line(exc)}") from exc
    return document


def _as_text(dest: str, value: Any, path: Path) -> str:
    if isinstance(value, (bool, int, float)):
        return str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(item, (str, int, float)) for item in value):
        return ("\n" if dest in NEWLINE_LISTS else ",").join(str(item) for item in value)
    raise ConfigError(f"{path}: [tool.flake8] {dest.replace('_', '-')}: expected a string or a list of strings")


def _dest(key: str) -> str:
    return key.strip().replace("-", "_")


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
