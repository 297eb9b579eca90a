"""Documentation rendered from the rule catalogue: rule pages and the README table.

``python -m flake8_atomic_writes.docs`` rewrites ``docs/rules/*.md`` and the table between
the markers in ``README.md``; a test fails when either is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterable, List

from .atomic import atomic_write_text
from .rules import RULES, Rule

TABLE_START = "<!-- rules-table:start -->"
TABLE_END = "<!-- rules-table:end -->"
_FIX_LABEL = {"safe": "safe fix", "unsafe": "unsafe fix", "none": "no fix"}


def render_rule(rule: Rule) -> str:
    """One rule page in ruff's format (What it does / Why is this bad? / Example / ...)."""
    default = "on by default" if rule.default_enabled else f"opt-in (`atomic-writes-enable = {rule.code}`)"
    lines = [
        f"# {rule.name} ({rule.code})",
        "",
        f"{rule.summary}. {default.capitalize()}; {_FIX_LABEL[rule.fix]}.",
        "",
        "## What it does",
        rule.what,
        *_api_list(rule),
        "",
        "## Why is this bad?",
        rule.why,
        "",
        "## Example",
        "```python",
        rule.example.rstrip("\n"),
        "```",
        "",
        "## Use instead",
    ]
    if rule.use_instead.lstrip().startswith(("import", "from", "def", "class", "#")):
        lines += ["```python", rule.use_instead.rstrip("\n"), "```"]
    else:
        lines.append(rule.use_instead)
    lines += ["", "## Fix safety", rule.fix_safety, "", "## Options", rule.options, ""]
    if rule.references:
        lines.append("## References")
        lines += [f"- [{title}]({url})" for title, url in rule.references]
        lines.append("")
    return "\n".join(lines)


def _api_list(rule: Rule) -> List[str]:
    """The APIs the rule checks, read from the write-API table (AW103: the handles it follows)."""
    from .analysis.apis import documented_apis

    apis = documented_apis("AW102" if rule.code == "AW103" else rule.code)
    if not apis:
        return []
    lead = "Handles it follows are opened by" if rule.code == "AW103" else "APIs checked"
    return ["", f"{lead}: " + ", ".join(f"`{name}`" for name in apis) + "."]


def render_table(rules: Iterable[Rule] = RULES.values()) -> str:
    """The Markdown codes table of the README (absolute links: they work on PyPI too)."""
    rows = ["| Code | Name | What it flags | Default | Fix |", "|---|---|---|---|---|"]
    for rule in rules:
        default = "on" if rule.default_enabled else "opt-in"
        rows.append(
            f"| [{rule.code}]({rule.url}) | `{rule.name}` | {rule.summary} "
            f"| {default} | {rule.fix} |"
        )
    return "\n".join(rows)


def replace_table(readme: str) -> str:
    """Return ``readme`` with the text between the table markers regenerated."""
    head, sep, rest = readme.partition(TABLE_START)
    _, sep2, tail = rest.partition(TABLE_END)
    if not sep or not sep2:
        raise ValueError(f"README.md lacks the {TABLE_START} / {TABLE_END} markers")
    return f"{head}{TABLE_START}\n{render_table()}\n{TABLE_END}{tail}"


def write_all(root: Path) -> None:
    """Regenerate ``docs/rules/`` and the README table under the project ``root``."""
    rules_dir = root / "docs" / "rules"
    rules_dir.mkdir(parents=True, exist_ok=True)
    for rule in RULES.values():
        atomic_write_text(rules_dir / f"{rule.code}.md", render_rule(rule))
    readme = root / "README.md"
    atomic_write_text(readme, replace_table(readme.read_text(encoding="utf-8")))


if __name__ == "__main__":
    write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd())
