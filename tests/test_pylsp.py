"""Editors, tested with the real tools they run.

* python-lsp-server: the real ``pylsp`` process over stdio (JSON-RPC with Content-Length
  framing); its flake8 plugin pipes the unsaved buffer to ``flake8 -``.
* vim/ALE: ``flake8 --stdin-display-name NAME -`` and ALE's output pattern.
* VS Code's flake8 extension: its ``--format`` string and the regex it parses with.
"""

from __future__ import annotations

import os
import re
import subprocess
import textwrap
from pathlib import Path
from typing import Iterator, List, Optional

import pytest
from lsp_client import FLAKE8, LspClient, diagnostics_for, start_pylsp, tool_env
from samples import STATE_WRITE

# Where the finding is: 1-based line, 0-based character column of `CONFIG_PATH`.
LINE, COL = 8, 4

FIXED = textwrap.dedent(
    """\
    import json
    from pathlib import Path

    from flake8_atomic_writes import atomic_write_text

    CONFIG_PATH = Path.home() / ".myapp" / "config.json"


    def save(cfg):
        atomic_write_text(CONFIG_PATH, json.dumps(cfg))
    """
)

# Quoted from microsoft/vscode-flake8 (bundled/tool/lsp_server.py).
VSCODE_FORMAT = "--format=%(row)d,%(col)d,%(code).1s,%(code)s:%(text)s"
VSCODE_REGEX = re.compile(
    r"(?P<line>\d+),(?P<column>-?\d+),(?P<type>\w+),(?P<code>\w+\d+):(?P<message>[^\r\n]*)"
)
# ALE's pattern (ale_linters/python/flake8.vim), with [[:alnum:]] spelled for Python's re.
ALE_REGEX = re.compile(r"^[a-zA-Z]?:?[^:]+:(\d+):?(\d+)?: ([a-zA-Z0-9]+) (.*)$")


def _flake8(
    args: List[str], cwd: Path, stdin: Optional[str] = None
) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(
        [str(FLAKE8), "--isolated", "--select=AW", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=tool_env(),
        timeout=120,
    )


# --------------------------------------------------------------------------- flake8 over stdin


def test_flake8_stdin_with_display_name(tmp_path: Path) -> None:
    proc = _flake8(["--stdin-display-name", "pkg/app.py", "-"], tmp_path, STATE_WRITE)
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    lines = proc.stdout.splitlines()
    assert len(lines) == 1, proc.stdout
    assert lines[0].startswith(f"pkg/app.py:{LINE}:{COL + 1}: AW101 "), proc.stdout
    assert proc.stderr == ""
    # ALE reads exactly this.
    m = ALE_REGEX.match(lines[0])
    assert m is not None, lines[0]
    assert (m.group(1), m.group(2), m.group(3)) == (str(LINE), str(COL + 1), "AW101")
    assert m.group(4)  # a message

    clean = _flake8(["--stdin-display-name", "pkg/app.py", "-"], tmp_path, FIXED)
    assert clean.returncode == 0, (clean.stdout, clean.stderr)
    assert clean.stdout == ""


def test_flake8_stdin_columns_are_characters(tmp_path: Path) -> None:
    # A non-ASCII string before the call on the same line: ast's byte offset is 2 more
    # than the character column. Editors need characters.
    prefix = '    label = "ééé"; '
    source = STATE_WRITE.replace("    CONFIG_PATH.write_text", prefix + "CONFIG_PATH.write_text")
    proc = _flake8(["--stdin-display-name", "pkg/app.py", "-"], tmp_path, source)
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    assert proc.stdout.startswith(f"pkg/app.py:{LINE}:{len(prefix) + 1}: AW101 "), proc.stdout


# --------------------------------------------------------------------------- VS Code


def test_vscode_format_parses_with_the_extension_regex(tmp_path: Path) -> None:
    # The extension passes the saved document's path (stdin only for notebooks).
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "app.py").write_text(STATE_WRITE)
    proc = _flake8([VSCODE_FORMAT, "pkg/app.py"], tmp_path)
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    lines = proc.stdout.splitlines()
    assert len(lines) == 1, proc.stdout
    m = VSCODE_REGEX.match(lines[0])
    assert m is not None, lines[0]
    assert m.group("line") == str(LINE)
    assert m.group("column") == str(COL + 1)
    # The extension's severity lookup tries "AW101", "AW10", "AW1", "AW", then the type.
    assert m.group("type") == "A"
    assert m.group("code") == "AW101"
    assert m.group("message").strip()
    assert m.end() == len(lines[0])  # one line: nothing cut off


# --------------------------------------------------------------------------- python-lsp-server


@pytest.fixture
def pylsp(tmp_path: Path) -> Iterator[LspClient]:
    yield from start_pylsp(tmp_path)


def test_pylsp_reports_and_clears_the_finding(pylsp: LspClient, tmp_path: Path) -> None:
    workspace: Path = pylsp.workspace  # type: ignore[attr-defined]
    doc = workspace / "pkg" / "app.py"
    uri = doc.as_uri()

    init = pylsp.request(
        "initialize",
        {"processId": os.getpid(), "rootUri": workspace.as_uri(), "capabilities": {}},
    )
    assert "capabilities" in init.get("result", {}), init
    pylsp.notify("initialized", {})
    # Keys as read by pylsp/plugins/flake8_lint.py (pylsp 1.15): plugins.flake8.{enabled,
    # select, executable}. The executable is pinned to this venv's flake8, with the plugin.
    pylsp.notify(
        "workspace/didChangeConfiguration",
        {
            "settings": {
                "pylsp": {
                    "plugins": {
                        "flake8": {"enabled": True, "select": ["AW"], "executable": str(FLAKE8)},
                        "pycodestyle": {"enabled": False},
                        "pyflakes": {"enabled": False},
                        "mccabe": {"enabled": False},
                    }
                }
            }
        },
    )
    # The buffer is never saved: the text only reaches flake8 through stdin.
    pylsp.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": STATE_WRITE}},
    )
    published = pylsp.wait_for(diagnostics_for(uri), what="diagnostics after didOpen")
    diags = published["params"]["diagnostics"]
    log = (tmp_path / "pylsp.log").read_text(errors="replace")
    assert [d.get("code") for d in diags] == ["AW101"], (diags, log[-3000:])
    (diag,) = diags
    assert diag["source"] == "flake8"
    assert diag["range"]["start"] == {"line": LINE - 1, "character": COL}
    assert diag["range"]["end"]["line"] == LINE - 1
    assert diag["message"].startswith("AW101 ")
    assert "\n" not in diag["message"]
    assert diag["severity"] == 2  # Warning: pylsp makes only F-codes and E999 errors

    # Edit the buffer to use the helper: the finding goes away without a save.
    pylsp.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": FIXED}]},
    )
    published = pylsp.wait_for(diagnostics_for(uri), what="diagnostics after didChange")
    assert published["params"]["diagnostics"] == [], published

    # And back: it comes back on the next change.
    pylsp.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": STATE_WRITE}]},
    )
    published = pylsp.wait_for(diagnostics_for(uri), what="diagnostics after the second change")
    assert [d.get("code") for d in published["params"]["diagnostics"]] == ["AW101"], published
