"""CI outputs of the real ``flake8-atomic-writes`` executable: SARIF for GitHub code
scanning (github/codeql-action/upload-sarif) and GitHub workflow annotations."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

import pytest
from samples import STATE_WRITE, STATE_WRITE_COL, STATE_WRITE_LINE

BIN = Path(sys.executable).parent
CLI = BIN / "flake8-atomic-writes"
FLAKE8 = BIN / "flake8"

LINE, COLUMN = STATE_WRITE_LINE, STATE_WRITE_COL  # 1-based, as SARIF, GitHub and flake8 count them

CLEAN = "import json\n\n\ndef show(cfg):\n    print(json.dumps(cfg))\n"

pytestmark = pytest.mark.skipif(
    not CLI.exists(),
    reason=f"the flake8-atomic-writes command is not installed next to {sys.executable}",
)


def _project(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "state.py").write_text(STATE_WRITE)
    (tmp_path / "app" / "clean.py").write_text(CLEAN)
    return tmp_path


def _run(cwd: Path, *args: str) -> "subprocess.CompletedProcess[str]":
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(BIN), env.get("PATH", "")])
    return subprocess.run(
        [str(CLI), *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120
    )


def test_sarif_has_what_code_scanning_requires(tmp_path: Path) -> None:
    cwd = _project(tmp_path)
    proc = _run(cwd, "check", "--format", "sarif", "app")
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    sarif = json.loads(proc.stdout)

    assert sarif["version"] == "2.1.0"
    assert isinstance(sarif["runs"], list) and len(sarif["runs"]) == 1
    (run,) = sarif["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "flake8-atomic-writes"
    rules: List[Dict[str, Any]] = driver["rules"]
    rule_ids = [r["id"] for r in rules]
    # Every AW rule, plus any the command reports itself (E999 for a file that does not parse).
    assert all(re.fullmatch(r"[A-Z]{1,3}\d{3}", i) for i in rule_ids), rule_ids
    assert {"AW101", "AW102", "AW103", "AW104", "AW201"} <= set(rule_ids), rule_ids
    assert len(set(rule_ids)) == len(rule_ids)
    by_id = {r["id"]: r for r in rules}
    assert "AW101" in by_id
    # Rule metadata is what flake8's own SARIF reporters lack: a description and a help page.
    aw101 = by_id["AW101"]
    assert aw101.get("shortDescription", {}).get("text")
    assert aw101.get("helpUri", "").startswith(("https://", "http://")), aw101

    results = run["results"]
    assert [r["ruleId"] for r in results] == ["AW101"], results
    (result,) = results
    assert result["message"]["text"].strip()
    assert "\n" not in result["message"]["text"]
    if "ruleIndex" in result:
        assert rule_ids[result["ruleIndex"]] == "AW101"
    assert result.get("level", "warning") in ("warning", "error", "note")
    (location,) = result["locations"]
    phys = location["physicalLocation"]
    uri = phys["artifactLocation"]["uri"]
    # Code scanning matches URIs relative to the checkout (or file: URIs); never backslashes.
    assert "\\" not in uri
    assert uri == "app/state.py" or uri.endswith("/app/state.py"), uri
    region = phys["region"]
    assert region["startLine"] == LINE
    assert region["startColumn"] == COLUMN
    assert region["startLine"] >= 1 and region["startColumn"] >= 1


def test_sarif_without_findings_is_still_a_valid_log(tmp_path: Path) -> None:
    cwd = _project(tmp_path)
    proc = _run(cwd, "check", "--format", "sarif", "app/clean.py")
    assert proc.returncode == 0, (proc.stdout, proc.stderr)
    sarif = json.loads(proc.stdout)
    assert sarif["version"] == "2.1.0"
    assert sarif["runs"][0]["results"] == []
    assert sarif["runs"][0]["tool"]["driver"]["name"] == "flake8-atomic-writes"


ANNOTATION = re.compile(r"^::(?P<level>warning|error|notice) (?P<props>.*?)::(?P<message>.*)$")


def test_github_annotations(tmp_path: Path) -> None:
    cwd = _project(tmp_path)
    proc = _run(cwd, "check", "--format", "github", "app")
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stdout
    m = ANNOTATION.match(lines[0])
    assert m is not None, lines[0]
    props = dict(p.split("=", 1) for p in m.group("props").split(","))
    assert props["file"] == "app/state.py", props
    assert props["line"] == str(LINE), props
    assert props["col"] == str(COLUMN), props
    assert "AW101" in m.group("message") or props.get("title", "").startswith("AW101"), lines[0]


def test_text_format_matches_flake8(tmp_path: Path) -> None:
    """The standalone command and the flake8 plugin agree on what and where."""
    cwd = _project(tmp_path)
    cli = _run(cwd, "check", "app")
    flake8 = subprocess.run(
        [str(FLAKE8), "--isolated", "--select=AW", "app"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cli.returncode == 1 and flake8.returncode == 1, (cli, flake8)

    def where(out: str) -> List[str]:
        # flake8's format; a summary line, if the command prints one, is not a finding.
        found = (re.match(r"^(\S+:\d+:\d+): (\w+) ", line) for line in out.splitlines())
        return sorted(f"{m.group(1)} {m.group(2)}" for m in found if m)

    expected = [f"app/state.py:{LINE}:{COLUMN} AW101"]
    assert where(flake8.stdout) == expected, flake8.stdout
    assert where(cli.stdout) == expected, cli.stdout


# -- what CI tools accept: the official schema, relative URIs, workflow-command syntax ----

SCHEMA = Path(__file__).parent / "data" / "sarif-2.1.0-rtm.5.json"


def _repo(tmp_path: Path, name: str = "state.py") -> Path:
    """A checkout: ``.git`` at the top, the code one directory down."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "src" / "app").mkdir(parents=True)
    (root / "src" / "app" / name).write_text(STATE_WRITE)
    (root / "src" / "app" / "broken.py").write_text("x = (\n")
    return root


def _uris(sarif: Dict[str, Any]) -> List[Dict[str, str]]:
    return [
        loc["physicalLocation"]["artifactLocation"] for r in sarif["runs"][0]["results"] for loc in r["locations"]
    ]


@pytest.mark.parametrize("where", ["root", "subdir", "absolute"])
def test_sarif_is_valid_against_the_2_1_0_schema_with_relative_uris(tmp_path: Path, where: str) -> None:
    import jsonschema

    root = _repo(tmp_path)
    cwd, target = {
        "root": (root, "."),
        "subdir": (root / "src", "."),
        "absolute": (tmp_path, str(root / "src" / "app")),
    }[where]
    if where == "absolute":
        (tmp_path / ".git").mkdir()  # the checkout is the outer directory here
        root = tmp_path
    proc = _run(cwd, "check", "--format", "sarif", target)
    assert proc.returncode == 1, proc.stderr
    sarif = json.loads(proc.stdout)
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(sarif)
    prefix = "src/app/" if where != "absolute" else "repo/src/app/"
    assert _uris(sarif) == [
        {"uri": prefix + "broken.py", "uriBaseId": "%SRCROOT%"},
        {"uri": prefix + "state.py", "uriBaseId": "%SRCROOT%"},
    ]
    base = sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == root.resolve().as_uri() + "/"


def test_sarif_outside_the_checkout_uses_file_uris(tmp_path: Path) -> None:
    root = _repo(tmp_path, name="odd name.py")
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / ".git").mkdir(parents=True)
    proc = _run(elsewhere, "check", "--format", "sarif", str(root / "src" / "app" / "odd name.py"))
    (location,) = _uris(json.loads(proc.stdout))
    assert location == {"uri": (root / "src" / "app" / "odd name.py").as_uri()}
    assert "%20" in location["uri"]


WORKFLOW_COMMAND = re.compile(r"^::(?P<command>[a-z-]+)(?: (?P<props>[^:]*))?::(?P<message>.*)$")
ESCAPE = re.compile(r"%(25|0D|0A|3A|2C)")


def _unescape(text: str, names: str) -> str:
    assert re.sub(ESCAPE, "", text).count("%") == 0, f"bare % in {text!r}"
    table = {"%25": "%", "%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ","}
    return re.sub(ESCAPE, lambda m: table[m.group(0)] if m.group(1) in names else m.group(0), text)


def parse_workflow_command(line: str) -> Dict[str, Any]:
    """Parse one line the way the GitHub runner does (``::cmd k=v,k=v::message``)."""
    match = WORKFLOW_COMMAND.match(line)
    assert match is not None, line
    props: Dict[str, str] = {}
    for item in (match.group("props") or "").split(","):
        key, sep, value = item.partition("=")
        assert sep and re.fullmatch(r"[a-zA-Z]+", key), item
        props[key] = _unescape(value, "25 0D 0A 3A 2C")
    return {"command": match.group("command"), "message": _unescape(match.group("message"), "25 0D 0A"), **props}


def test_github_annotations_name_repository_relative_files(tmp_path: Path) -> None:
    root = _repo(tmp_path, name="odd, 100%: name.py")
    for cwd in (root, root / "src", root / "src" / "app"):
        proc = _run(cwd, "check", "--format", "github", ".")
        assert proc.returncode == 1, proc.stderr
        commands = [parse_workflow_command(line) for line in proc.stdout.splitlines()]
        assert [(c["command"], c["file"], c["line"], c["col"]) for c in commands] == [
            ("error", "src/app/broken.py", "1", "6"),
            ("warning", "src/app/odd, 100%: name.py", str(LINE), str(COLUMN)),
        ]
        assert commands[1]["title"] == "AW101" and commands[1]["message"].startswith("Path.write_text()")


def test_sarif_follows_githubs_rules_for_every_result(tmp_path: Path) -> None:
    """What ``sarif-multitool validate --rule-kind Gh`` checks (the tool needs .NET and the
    network, not available here), checked explicitly: every rule has help text and markdown,
    every result names a rule of the driver by id and index, and its level is the rule's."""
    import jsonschema

    root = _repo(tmp_path)
    (root / "src" / "app" / "dangling.py").symlink_to(root / "missing.py")  # cannot be read: E902
    proc = _run(root, "check", "--format", "sarif", ".")
    sarif = json.loads(proc.stdout)
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(sarif)
    (run,) = sarif["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert {"E999", "E902"} <= {rule["id"] for rule in rules}
    for rule in rules:
        assert rule["help"]["text"] and rule["help"]["markdown"], rule["id"]
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"], rule["id"]
        assert rule["defaultConfiguration"]["level"] in ("warning", "error")
    codes = {r["ruleId"] for r in run["results"]}
    assert {"AW101", "E999", "E902"} <= codes, codes
    for result in run["results"]:
        rule = rules[result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
        assert result["level"] == rule["defaultConfiguration"]["level"]
