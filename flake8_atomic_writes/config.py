"""Configuration: the options of SPEC section 5, read from flake8 or from config files.

The flake8 plugin and the standalone command line declare and read the same options from
this module, so both agree on what a ``[flake8]`` section means.
"""

from __future__ import annotations

import argparse
import configparser
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, FrozenSet, Mapping, Optional, Pattern, Sequence, Tuple

from .rules import DEFAULT_ENABLED, LEVELS, OPT_IN, RULES

DEFAULT_HELPER_MODULE = "flake8_atomic_writes"
# Chosen from the measured trade-off on labeled real code (README, "Measured").
DEFAULT_MIN_CONFIDENCE = "medium"
CONFIG_FILES = ("setup.cfg", "tox.ini", ".flake8")


@dataclass(frozen=True)
class OptionSpec:
    """One option: its flake8 flag, whether it is a list or a switch, and its help."""

    flag: str
    help: str
    is_list: bool = True
    is_switch: bool = False

    @property
    def dest(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")


OPTIONS = (
    OptionSpec("--atomic-writes-helpers", "Dotted names of your own atomic write helpers."),
    OptionSpec(
        "--atomic-writes-helper-module",
        "Module named in messages and fixes (default: flake8_atomic_writes).",
        is_list=False,
    ),
    OptionSpec(
        "--atomic-writes-persistent-patterns",
        "Regexes for names or paths that mark a write target as persistent.",
    ),
    OptionSpec(
        "--atomic-writes-ephemeral-patterns",
        "Regexes for names or paths that mark a write target as temporary.",
    ),
    OptionSpec("--atomic-writes-enable", "Opt-in codes to enable (AW301, AW302, AW303)."),
    OptionSpec(
        "--atomic-writes-writers",
        "Your own functions that write a file given a path: dotted.name:N, N the path argument's position.",
    ),
    OptionSpec(
        "--atomic-writes-new-files",
        "Also report write-once files kept for later (reports, seeded defaults); true or false (default true).",
        is_list=False,
    ),
    OptionSpec(
        "--atomic-writes-project-analysis",
        "Judge writes with evidence from the project's other modules (a cached project index); "
        "true or false (default true).",
        is_list=False,
    ),
    OptionSpec(
        "--atomic-writes-project-root",
        "The project's root directory (default: the nearest directory with pyproject.toml, setup.cfg, "
        "setup.py, tox.ini or .git above the checked file).",
        is_list=False,
    ),
    OptionSpec(
        "--atomic-writes-min-confidence",
        "Report writes only at this confidence or above that their target holds state: low (also "
        "writes with no evidence either way), medium or high (default: medium).",
        is_list=False,
    ),
    OptionSpec(
        "--atomic-writes-check-tests",
        "Also check test files (test_*.py, *_test.py, conftest.py, tests/).",
        is_list=False,
        is_switch=True,
    ),
    OptionSpec(
        "--atomic-writes-cache-dir",
        "Where the project index keeps its cache (default: <project root>/.atomic_writes_cache, "
        "or the user cache directory when no project root is found).",
        is_list=False,
    ),
    OptionSpec(
        "--atomic-writes-no-cache",
        "Do not read or write the project index's cache.",
        is_list=False,
        is_switch=True,
    ),
)
# What the command line calls two of them (ruff's names); flake8 takes the long names only.
SHORT_FLAGS = {"atomic_writes_cache_dir": "--cache-dir", "atomic_writes_no_cache": "--no-cache"}
# The codes given to ``select``/``extend-select``, under this key of ``Config.from_values``:
# an opt-in code named there in full (``AW303``, not ``AW3``) is enabled.
SELECTED = "selected_codes"
# The codes given to ``select`` alone: when it is given, only the codes it names are shown.
SELECT_ONLY = "select_codes"


class Switch(argparse.Action):
    """``store_true`` on the command line; a config-file value stays a string (``parse_bool``)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        kwargs.pop("nargs", None)
        super().__init__(option_strings, dest, nargs=0, **kwargs)

    def __call__(self, parser: Any, namespace: argparse.Namespace, values: Any, option_string: Any = None) -> None:
        setattr(namespace, self.dest, True)


class ConfigError(ValueError):
    """A configuration value is invalid; the message says which and why.

    One line per problem, each naming the option, the bad value and what is wrong with it.
    """


@dataclass(frozen=True)
class Config:
    """The parsed, validated configuration the analysis runs with."""

    helpers: Tuple[str, ...] = ()
    helper_module: str = DEFAULT_HELPER_MODULE
    persistent_patterns: Tuple[Pattern[str], ...] = ()
    ephemeral_patterns: Tuple[Pattern[str], ...] = ()
    enabled: FrozenSet[str] = field(default=DEFAULT_ENABLED)
    check_tests: bool = False
    writers: Tuple[Tuple[str, int], ...] = ()  # (dotted name, position of the path argument)
    new_files: bool = True
    project_analysis: bool = True
    project_root: str = ""
    min_confidence: str = DEFAULT_MIN_CONFIDENCE
    cache_dir: str = ""  # "" = the project's or the user's cache directory (project/cache.py)
    no_cache: bool = False
    select: Tuple[str, ...] = ()  # flake8's ``select`` prefixes, when given

    def shows(self, code: str) -> bool:
        """``code`` passes ``select`` (when one is given), so a finding under it is seen: a
        finding that would be hidden must not hide another on the same line."""
        return not self.select or any(code.startswith(prefix) for prefix in self.select)

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> "Config":
        """Build from option values keyed by ``dest`` (lists or comma-separated strings)."""
        enable = _opt_in_codes(values.get("atomic_writes_enable"))
        enable += [code for code in _as_list(values.get(SELECTED)) if code in OPT_IN]
        return cls(
            helpers=tuple(_as_list(values.get("atomic_writes_helpers"))),
            helper_module=(values.get("atomic_writes_helper_module") or DEFAULT_HELPER_MODULE).strip(),
            persistent_patterns=_compile(values.get("atomic_writes_persistent_patterns"), "persistent"),
            ephemeral_patterns=_compile(values.get("atomic_writes_ephemeral_patterns"), "ephemeral"),
            enabled=DEFAULT_ENABLED | frozenset(enable),
            check_tests=_as_bool(values.get("atomic_writes_check_tests"), "atomic-writes-check-tests"),
            writers=_writers(values.get("atomic_writes_writers")),
            new_files=_as_bool(values.get("atomic_writes_new_files"), "atomic-writes-new-files", default=True),
            project_analysis=_as_bool(
                values.get("atomic_writes_project_analysis"), "atomic-writes-project-analysis", default=True
            ),
            project_root=(values.get("atomic_writes_project_root") or "").strip(),
            select=tuple(code.strip() for code in _as_list(values.get(SELECT_ONLY)) if code.strip()),
            min_confidence=_confidence(values.get("atomic_writes_min_confidence")),
            cache_dir=(values.get("atomic_writes_cache_dir") or "").strip(),
            no_cache=_as_bool(values.get("atomic_writes_no_cache"), "atomic-writes-no-cache"),
        )


def _opt_in_codes(value: Any) -> list[str]:
    """The codes of ``atomic-writes-enable``; each bad one is named on its own line."""
    codes = _as_list(value)
    choices = ", ".join(sorted(OPT_IN))
    problems = [
        f"atomic-writes-enable: {code!r} is "
        + ("on by default, not an opt-in code" if code in RULES else "not a rule code")
        + f" (opt-in codes: {choices})"
        for code in codes
        if code not in OPT_IN
    ]
    if problems:
        raise ConfigError("\n".join(problems))
    return codes


def _confidence(value: Any) -> str:
    """``atomic-writes-min-confidence``: one of the levels, case-insensitive."""
    text = str(value).strip().lower() if value is not None else ""
    if not text:
        return DEFAULT_MIN_CONFIDENCE
    if text not in LEVELS:
        raise ConfigError(
            f"atomic-writes-min-confidence: {str(value).strip()!r} is not a confidence level ({', '.join(LEVELS)})"
        )
    return text


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = re.split(r"[,\s]+", value)
    return [str(item).strip() for item in value if str(item).strip()]


def parse_bool(text: str, option: str) -> bool:
    """A boolean as flake8 reads one from a config file (configparser's spelling)."""
    state = configparser.RawConfigParser.BOOLEAN_STATES.get(text.strip().lower())
    if state is None:
        raise ConfigError(f"{option}: {text.strip()!r} is not a boolean (true/false, yes/no, on/off, 1/0)")
    return state


def _as_bool(value: Any, option: str, default: bool = False) -> bool:
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    if isinstance(value, str):
        return parse_bool(value, option)
    return bool(value)


_WRITER = re.compile(r"^(?P<name>[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*):(?P<position>\d+)$")


def _writers(value: Any) -> Tuple[Tuple[str, int], ...]:
    """``mylib.io.save_blob:0`` entries -> ``(("mylib.io.save_blob", 0),)``."""
    writers, problems = [], []
    for text in _as_list(value):
        match = _WRITER.match(text)
        if match is None:
            problems.append(f"atomic-writes-writers: {text!r} is not dotted.name:N (N: the path argument's position)")
        else:
            writers.append((match["name"], int(match["position"])))
    if problems:
        raise ConfigError("\n".join(problems))
    return tuple(writers)


def _compile(value: Any, kind: str) -> Tuple[Pattern[str], ...]:
    patterns, problems = [], []
    for text in _as_list(value):
        try:
            patterns.append(re.compile(text, re.IGNORECASE))
        except re.error as exc:
            problems.append(f"atomic-writes-{kind}-patterns: {text!r} is not a valid regex ({exc})")
    if problems:
        raise ConfigError("\n".join(problems))
    return tuple(patterns)


def find_config_file(start: Path) -> Optional[Path]:
    """Find the config file flake8 would use: walk up from ``start`` like flake8 does."""
    directory = start.resolve()
    home = Path.home()
    while True:
        for name in CONFIG_FILES:
            candidate = directory / name
            if candidate.is_file() and _has_flake8_section(candidate):
                return candidate
        if directory == home or directory.parent == directory:
            return None
        directory = directory.parent


def _has_flake8_section(path: Path) -> bool:
    parser = configparser.RawConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return False
    return parser.has_section("flake8") or parser.has_section("flake8:local-plugins")


def option_values(options: Any) -> dict[str, Any]:
    """Pick our option values, and the codes selected by name, off a flake8 ``argparse.Namespace``."""
    values = {spec.dest: getattr(options, spec.dest, None) for spec in OPTIONS}
    values[SELECTED] = [*(getattr(options, "select", None) or ()), *(getattr(options, "extend_select", None) or ())]
    values[SELECT_ONLY] = list(getattr(options, "select", None) or ())
    return values


KNOWN_KEYS = frozenset(spec.dest for spec in OPTIONS)


def unknown_keys(section: Mapping[str, Any]) -> list[str]:
    """The ``atomic-writes-*`` keys of a config section that name no option (a typo, mostly)."""
    return sorted(
        key.replace("_", "-")
        for key in section
        if key.startswith("atomic_writes_") and key not in KNOWN_KEYS
    )


def missing_root(config: Config) -> Optional[str]:
    """A warning when ``atomic-writes-project-root`` names no directory (the analysis then finds
    the root itself); None when it is unset or exists."""
    if config.project_root and not Path(config.project_root).is_dir():
        return (
            f"atomic-writes-project-root: {config.project_root} is not a directory; "
            "the project root is found from each checked file instead"
        )
    return None
