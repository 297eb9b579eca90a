"""Quick fixes through the real ``pylsp`` process, as an editor gets them.

The editor's settings are the docs' own (``editor_settings.readme_settings``, which every
editor's snippet decodes to). The buffer is never saved: pylsp lints it through ``flake8 -``,
the test asks for code actions on the diagnostic it published, applies the returned
WorkspaceEdit by LSP's rules, sends the new text, and reads the diagnostics again. Each result
must parse and equal what ``flake8-atomic-writes fix`` prints for the same text, and pylsp's
log must hold no traceback.
"""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest
from editor_settings import readme_settings
from lsp_client import BIN, LspClient, apply_workspace_edit, diagnostics_for, initialize, start_pylsp, tool_env
from samples import COPY_WRITE, JSON_DUMP_WRITE, STATE_WRITE

pytestmark = pytest.mark.slow  # each test starts a real pylsp; tests/test_pylsp.py keeps one in the quick loop

NAME = "pkg/app.py"
PLUGIN_SOURCE = "flake8-atomic-writes"


@pytest.fixture
def pylsp(tmp_path: Path) -> Iterator[LspClient]:
    yield from start_pylsp(tmp_path)


class Editor:
    """One buffer, ``pkg/app.py``, edited through pylsp."""

    def __init__(self, client: LspClient, settings: Dict[str, Any]) -> None:
        self.client = client
        self.workspace: Path = client.workspace  # type: ignore[attr-defined]
        self.uri = (self.workspace / NAME).as_uri()
        self.version = 0
        self.text = ""
        initialize(client, self.workspace, settings)

    def open(self, text: str) -> List[Dict[str, Any]]:
        """Open the buffer with ``text``; the diagnostics pylsp publishes for it."""
        self.version, self.text = 1, text
        document = {"uri": self.uri, "languageId": "python", "version": 1, "text": text}
        self.client.notify("textDocument/didOpen", {"textDocument": document})
        return self._published("didOpen")

    def change(self, text: str) -> List[Dict[str, Any]]:
        """Replace the buffer's text, unsaved; the diagnostics pylsp publishes for it."""
        self.version, self.text = self.version + 1, text
        self.client.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": self.uri, "version": self.version}, "contentChanges": [{"text": text}]},
        )
        return self._published(f"didChange to version {self.version}")

    def _published(self, what: str) -> List[Dict[str, Any]]:
        message = self.client.wait_for(diagnostics_for(self.uri), what=f"diagnostics after {what}")
        diagnostics: List[Dict[str, Any]] = message["params"]["diagnostics"]
        return diagnostics

    def code_actions(
        self, diagnostics: List[Dict[str, Any]], only: Optional[List[str]] = None
    ) -> List[Dict[str, Any]]:
        """textDocument/codeAction on the first diagnostic's range (or at the top of the buffer)."""
        top = {"line": 0, "character": 0}
        where = diagnostics[0]["range"] if diagnostics else {"start": top, "end": top}
        context: Dict[str, Any] = {"diagnostics": diagnostics}
        if only is not None:
            context["only"] = only
        reply = self.client.request(
            "textDocument/codeAction", {"textDocument": {"uri": self.uri}, "range": where, "context": context}
        )
        assert "error" not in reply, reply
        actions: List[Dict[str, Any]] = reply["result"] or []
        return actions

    def apply(self, action: Dict[str, Any]) -> str:
        """The buffer's text with the action's WorkspaceEdit applied, as an editor applies it."""
        return apply_workspace_edit(self.text, self.uri, action["edit"])


def _aw(diagnostics: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return [d for d in diagnostics if str(d.get("code", "")).startswith("AW")]


def _fix_cli(workspace: Path, text: str, *flags: str) -> str:
    """What ``flake8-atomic-writes fix - --stdin-filename pkg/app.py`` prints in the workspace."""
    proc = subprocess.run(
        [str(BIN / "flake8-atomic-writes"), "fix", *flags, "--stdin-filename", NAME, "-"],
        cwd=workspace, input=text, capture_output=True, text=True, env=tool_env(), timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return proc.stdout


def _assert_clean_log(tmp_path: Path) -> None:
    log = (tmp_path / "pylsp.log").read_text(errors="replace")
    for sign in ("Traceback", "Failed to load hook", "Error while running flake8", "flake8-atomic-writes:"):
        assert sign not in log, log[-4000:]


def test_quick_fix_on_flake8s_diagnostic_fixes_the_buffer_as_fix_does(pylsp: LspClient, tmp_path: Path) -> None:
    editor = Editor(pylsp, readme_settings())
    published = editor.open(JSON_DUMP_WRITE)
    (diagnostic,) = published
    assert (diagnostic["code"], diagnostic["source"]) == ("AW103", "flake8")  # from flake8; no duplicate

    actions = editor.code_actions([diagnostic])
    assert [(a["kind"], a["title"]) for a in actions] == [
        ("quickfix", "Fix AW103: use atomic_json_dump"),
        ("source.fixAll", "Fix all AW findings in this file"),
    ]
    quick, fix_all = actions
    assert quick["isPreferred"] is True and quick["diagnostics"] == [diagnostic]
    fixed = editor.apply(quick)
    ast.parse(fixed)
    assert fixed == _fix_cli(editor.workspace, JSON_DUMP_WRITE) != JSON_DUMP_WRITE
    assert editor.apply(fix_all) == fixed

    assert editor.change(fixed) == []  # the finding is gone, and flake8 finds nothing else
    assert editor.code_actions([], only=["source.fixAll"]) == []
    _assert_clean_log(tmp_path)


def test_unsafe_quick_fix_says_so_and_matches_fix_with_unsafe_fixes(pylsp: LspClient, tmp_path: Path) -> None:
    editor = Editor(pylsp, readme_settings())
    (diagnostic,) = editor.open(STATE_WRITE)
    assert diagnostic["code"] == "AW101"

    (quick,) = editor.code_actions([diagnostic])  # no safe fix, so no "fix all"
    assert (quick["kind"], quick["title"]) == ("quickfix", "Fix AW101: use atomic_write_text (unsafe)")
    assert not quick.get("isPreferred")
    assert editor.code_actions([], only=["source.fixAll"]) == []
    fixed = editor.apply(quick)
    ast.parse(fixed)
    assert fixed == _fix_cli(editor.workspace, STATE_WRITE, "--unsafe-fixes") != STATE_WRITE
    assert _fix_cli(editor.workspace, STATE_WRITE) == STATE_WRITE  # and fix alone leaves it

    assert editor.change(fixed) == []
    _assert_clean_log(tmp_path)


def test_no_action_and_no_error_for_a_site_without_fix_or_a_buffer_that_does_not_parse(
    pylsp: LspClient, tmp_path: Path
) -> None:
    editor = Editor(pylsp, readme_settings())
    (no_fix,) = editor.open(COPY_WRITE)
    assert no_fix["code"] == "AW104"
    assert editor.code_actions([no_fix]) == []
    assert editor.code_actions([], only=["source.fixAll"]) == []

    (fixable,) = editor.change(JSON_DUMP_WRITE)
    assert editor.code_actions([fixable])  # a fix, until the buffer stops parsing:
    published = editor.change(JSON_DUMP_WRITE.replace("def load():", "def load()"))
    assert [d["code"] for d in published] == ["E999"]
    # The AW diagnostic the editor may still show from the last version, and the syntax error.
    assert editor.code_actions([fixable, *published]) == []
    assert editor.code_actions(published, only=["quickfix", "source.fixAll"]) == []
    _assert_clean_log(tmp_path)


def test_with_flake8_off_the_plugin_reports_and_fixes_the_finding_itself(pylsp: LspClient, tmp_path: Path) -> None:
    editor = Editor(pylsp, {"pylsp": {}})  # pylsp's defaults: flake8 off, pycodestyle and pyflakes on
    published = editor.open(JSON_DUMP_WRITE)
    (diagnostic,) = _aw(published)
    assert (diagnostic["code"], diagnostic["source"]) == ("AW103", PLUGIN_SOURCE)
    assert diagnostic["range"]["start"] == {"line": 11, "character": 9}
    assert diagnostic["severity"] == 2

    quick, _ = editor.code_actions([diagnostic])
    (on_save,) = editor.code_actions([], only=["source.fixAll"])  # fix-on-save asks without diagnostics
    fixed = editor.apply(quick)
    assert fixed == editor.apply(on_save) == _fix_cli(editor.workspace, JSON_DUMP_WRITE)
    assert _aw(editor.change(fixed)) == []
    _assert_clean_log(tmp_path)
