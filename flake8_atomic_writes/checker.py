"""The flake8 entry point ``AW``: a thin adapter from flake8 to the analysis.

It never imports libcst and never prints: flake8 hands it the tree and the lines (which also
makes ``flake8 -`` on stdin work). Only the project index reads the project's other modules,
built lazily the first time a write needs their evidence; the buffer checked replaces its
file's text in the index.
"""

from __future__ import annotations

import ast
import multiprocessing
import sys
from typing import Any, ClassVar, Iterator, List, Optional, Sequence, Tuple, Type

from . import __version__
from .analysis import analyze
from .config import OPTIONS, Config, ConfigError, Switch, missing_root, option_values
from .project import lazy_view


class Checker:
    """flake8 tree plugin: yields ``(line, col, "AWnnn message", type)`` per finding."""

    name = "flake8-atomic-writes"
    version = __version__
    config: ClassVar[Config] = Config()

    __slots__ = ("tree", "lines", "filename")

    def __init__(self, tree: ast.AST, lines: Sequence[str], filename: str) -> None:
        self.tree = tree
        self.lines = lines
        self.filename = filename

    @classmethod
    def add_options(cls, manager: Any) -> None:
        for spec in OPTIONS:
            kwargs: dict[str, Any] = {"parse_from_config": True, "help": spec.help}
            if spec.is_switch:
                # Not "store_true": flake8 would read the config value with configparser's
                # getboolean and crash on a bad one; this way it stays a string, parsed and
                # reported like `check` does.
                kwargs["action"] = Switch
            elif spec.is_list:
                kwargs["comma_separated_list"] = True
                kwargs["default"] = []
            manager.add_option(spec.flag, **kwargs)

    @classmethod
    def parse_options(cls, manager: Any, options: Any, args: Optional[List[str]] = None) -> None:
        # Pure: flake8 re-runs this in every spawned worker process.
        try:
            cls.config = Config.from_values(option_values(options))
        except ConfigError as exc:
            _option_error(manager, exc)
        warning = missing_root(cls.config)
        if warning and multiprocessing.parent_process() is None:  # once, not in each worker
            sys.stderr.write(f"flake8-atomic-writes: warning: {warning}\n")

    def run(self) -> Iterator[Tuple[int, int, str, Type["Checker"]]]:
        try:
            findings = analyze(
                self.tree, self.lines, self.filename, self.config, lazy_view(self.filename, self.lines, self.config)
            )
        except RecursionError as exc:
            from flake8.exceptions import PluginExecutionFailed

            raise PluginExecutionFailed(filename=self.filename, plugin_name=self.name, exception=exc) from exc
        for finding in findings:
            yield finding.line, finding.col, finding.text, type(self)


def _option_error(manager: Any, exc: ConfigError) -> None:
    """Report a bad value as flake8 reports its own: ``flake8: error: ...`` first, exit 2."""
    parser = getattr(manager, "parser", None)
    prog = getattr(parser, "prog", None) or "flake8"
    sys.stderr.write("".join(f"{prog}: error: {line}\n" for line in str(exc).splitlines()))
    raise SystemExit(2)
