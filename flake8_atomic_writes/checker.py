"""The flake8 entry point ``AW``: a thin adapter from flake8 to the analysis.

It never imports libcst and never prints: flake8 hands it the tree and the lines (which also
makes ``flake8 -`` on stdin work). Only the project index reads the project's other modules,
built lazily the first time a write needs their evidence; the buffer checked replaces its
file's text in the index.
"""

from __future__ import annotations

import ast
from typing import Any, ClassVar, Iterator, Sequence, Tuple, Type

from . import __version__
from .analysis import analyze
from .config import OPTIONS, Config, option_values
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
                kwargs["action"] = "store_true"
            elif spec.is_list:
                kwargs["comma_separated_list"] = True
                kwargs["default"] = []
            manager.add_option(spec.flag, **kwargs)

    @classmethod
    def parse_options(cls, options: Any) -> None:
        # Pure: flake8 re-runs this in every spawned worker process.
        cls.config = Config.from_values(option_values(options))

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
