"""Documentation rendered from the rule catalogue and the evidence table: rule pages, the
README's rules table and its evidence table.

``python -m flake8_atomic_writes.docs`` rewrites ``docs/rules/*.md`` and the tables between
the markers in ``README.md``; a test fails when any is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterable, List

from .atomic import atomic_write_text
from .rules import RULES, Rule

TABLE_START = "<!-- rules-table:start -->"
TABLE_END = "<!-- rules-table:end -->"
EVIDENCE_START = "<!-- evidence-table:start -->"
EVIDENCE_END = "<!-- evidence-table:end -->"
# The rules whose findings are about a write's target, judged by the evidence table.
JUDGED = frozenset({"AW101", "AW102", "AW103", "AW104", "AW301", "AW303"})
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
    if rule.code in JUDGED:
        lines += ["", "## Evidence", _EVIDENCE_LEAD, "", render_evidence()]
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


_EVIDENCE_LEAD = (
    "The target is judged by every kind of evidence found about it. A certain kind decides "
    "alone; any temporary evidence vetoes a finding; persistent evidence adds up, and the sum "
    "of the weights (log-odds, measured on hand-labeled real code by "
    "`benchmarks/fit_weights.py`) gives the finding's confidence (`atomic-writes-min-confidence`)."
)


def render_evidence() -> str:
    """The Markdown table of the kinds of evidence, from ``analysis.kinds`` and its weights."""
    from .analysis import weights
    from .analysis.kinds import KINDS, PERSISTENT

    rows = ["| Kind | Says | When | Travels to other modules | Weight |", "|---|---|---|---|---|"]
    for kind in KINDS:
        says = "persistent" if kind.polarity == PERSISTENT else "temporary"
        if kind.certain:
            weight = "decides alone"
        elif kind.polarity == PERSISTENT:
            weight = f"{weights.WEIGHTS.get(kind.name, 0.0):+.2f}"
        else:
            weight = "vetoes"
        travels = "yes" if kind.travels else "no"
        rows.append(f"| `{kind.name}` | {says} | {kind.doc} | {travels} | {weight} |")
    rows.append(f"| (base) | | every finding starts from the bias | | {weights.BIAS:+.2f} |")
    return "\n".join(rows)


def replace_between(text: str, start: str, end: str, body: str) -> str:
    """Return ``text`` with what lies between the ``start`` and ``end`` markers replaced."""
    head, sep, rest = text.partition(start)
    _, sep2, tail = rest.partition(end)
    if not sep or not sep2:
        raise ValueError(f"README.md lacks the {start} / {end} markers")
    return f"{head}{start}\n{body}\n{end}{tail}"


def replace_table(readme: str) -> str:
    """Return ``readme`` with the rules table and the evidence table regenerated."""
    readme = replace_between(readme, TABLE_START, TABLE_END, render_table())
    return replace_between(readme, EVIDENCE_START, EVIDENCE_END, render_evidence())


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
