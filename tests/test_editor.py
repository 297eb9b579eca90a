"""The editor integration called directly: LSP edits, code actions, diagnostics, the pylsp
plugin's hooks on pylsp's own Config/Workspace/Document objects, and the docs' settings.

Every fix is compared with what the real ``flake8-atomic-writes fix`` prints for the same text
in the same directory. ``test_pylsp_quickfix.py`` runs the same through a real ``pylsp``.
"""

from __future__ import annotations

import ast
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from editor_settings import editor_settings, readme_settings
from hypothesis import given, settings
from hypothesis import strategies as st
from lsp_client import BIN, apply_text_edits, apply_workspace_edit, tool_env
from samples import COPY_WRITE, JSON_DUMP_WRITE, STATE_WRITE

from flake8_atomic_writes.cli import Settings, fix_settings
from flake8_atomic_writes.editor import actions
from flake8_atomic_writes.editor.actions import FIX_ALL, FIX_ALL_TITLE, QUICKFIX, Buffer
from flake8_atomic_writes.editor.textedits import text_edits, utf16_column
from flake8_atomic_writes.lines import split_lines

pylsp_config = pytest.importorskip("pylsp.config.config", reason="python-lsp-server is not installed")
from flake8_atomic_writes.editor import pylsp_plugin  # noqa: E402  (needs pluggy, from pylsp)

NAME = "pkg/app.py"


# -- LSP edits ---------------------------------------------------------------------------------


def test_lines_break_where_lsp_breaks_them() -> None:
    assert split_lines("a\r\nb\rc\nd") == ["a\r\n", "b\r", "c\n", "d"]
    assert split_lines("form\x0cfeed\u2028x\n") == ["form\x0cfeed\u2028x\n"]  # not LSP line breaks
    assert split_lines("") == []


def test_columns_are_utf16_code_units() -> None:
    line = 'x = "😀é"; path.write_text(s)\n'
    assert utf16_column(line, line.index("path")) == line.index("path") + 1  # the emoji counts two


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="ab é😀\r\n", max_size=40),
    st.text(alphabet="ab é😀\r\n", max_size=40),
)
def test_edits_turn_any_text_into_any_other(old: str, new: str) -> None:
    assert apply_text_edits(old, text_edits(old, new)) == new


def test_edits_leave_unchanged_lines_alone() -> None:
    old = "".join(f"line {i}\n" for i in range(100))
    new = old.replace("line 50\n", "changed\n").replace("line 3\n", "line 3\nadded\n")
    edits = text_edits(old, new)
    assert [(e["range"]["start"]["line"], e["range"]["end"]["line"]) for e in edits] == [(4, 4), (50, 51)]
    assert apply_text_edits(old, edits) == new


# -- code actions and diagnostics --------------------------------------------------------------


def _workspace(tmp_path: Path, setup_cfg: Optional[str] = None) -> Path:
    workspace = tmp_path / "workspace"
    (workspace / "pkg").mkdir(parents=True)
    if setup_cfg is not None:
        (workspace / "setup.cfg").write_text(setup_cfg)
    return workspace


def _buffer(workspace: Path, text: str) -> Buffer:
    path = workspace / NAME
    return Buffer(path.as_uri(), text, str(path), str(workspace))


def _fix_cli(workspace: Path, text: str, *flags: str) -> str:
    """What ``flake8-atomic-writes fix - --stdin-filename pkg/app.py`` prints in ``workspace``."""
    proc = subprocess.run(
        [str(BIN / "flake8-atomic-writes"), "fix", *flags, "--stdin-filename", NAME, "-"],
        cwd=workspace, input=text, capture_output=True, text=True, env=tool_env(), timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return proc.stdout


def _diagnostic(buffer: Buffer, settings: Settings) -> Dict[str, Any]:
    (diagnostic,) = actions.diagnostics(buffer, settings)
    return diagnostic


def _applied(buffer: Buffer, action: Dict[str, Any]) -> str:
    return apply_workspace_edit(buffer.text, buffer.uri, action["edit"])


def test_safe_quick_fix_is_preferred_and_equals_fix(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    buffer = _buffer(workspace, JSON_DUMP_WRITE)
    settings = fix_settings(workspace)
    diagnostic = _diagnostic(buffer, settings)
    assert diagnostic["code"] == "AW103"

    quick, fix_all = actions.code_actions(buffer, lambda: settings, [diagnostic])
    assert quick["title"] == "Fix AW103: use atomic_json_dump"
    assert quick["kind"] == QUICKFIX and quick["isPreferred"] is True
    assert quick["diagnostics"] == [diagnostic]
    fixed = _applied(buffer, quick)
    ast.parse(fixed)
    assert fixed == _fix_cli(workspace, JSON_DUMP_WRITE) != JSON_DUMP_WRITE
    assert "from flake8_atomic_writes import atomic_json_dump\n" in fixed
    # One finding: "fix all" makes the same edit.
    assert (fix_all["title"], fix_all["kind"]) == (FIX_ALL_TITLE, FIX_ALL) and "isPreferred" not in fix_all
    assert _applied(buffer, fix_all) == fixed
    assert actions.diagnostics(_buffer(workspace, fixed), settings) == []


def test_unsafe_quick_fix_says_so_and_equals_fix_with_unsafe_fixes(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    buffer = _buffer(workspace, STATE_WRITE)
    settings = fix_settings(workspace)
    diagnostic = _diagnostic(buffer, settings)

    (quick,) = actions.code_actions(buffer, lambda: settings, [diagnostic])  # no safe fix: no "fix all"
    assert quick["title"] == "Fix AW101: use atomic_write_text (unsafe)"
    assert "isPreferred" not in quick
    assert _applied(buffer, quick) == _fix_cli(workspace, STATE_WRITE, "--unsafe-fixes") != STATE_WRITE
    assert actions.code_actions(buffer, lambda: settings, [], only=[FIX_ALL]) == []


def test_each_quick_fix_rewrites_only_its_own_site(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    second_site = '\n\ndef save_copy(settings):\n    with open(SETTINGS, "w") as f:\n        json.dump(settings, f)\n'
    text = JSON_DUMP_WRITE + second_site
    buffer = _buffer(workspace, text)
    settings = fix_settings(workspace)
    first, second = actions.diagnostics(buffer, settings)
    quick, fix_all = actions.code_actions(buffer, lambda: settings, [second])
    fixed = _applied(buffer, quick)
    assert [d["range"]["start"]["line"] for d in actions.diagnostics(_buffer(workspace, fixed), settings)] == [
        first["range"]["start"]["line"] + 2  # below the added import and its blank line
    ]
    assert _applied(buffer, fix_all) == _fix_cli(workspace, text)


def test_no_action_for_a_site_without_fix_a_stale_diagnostic_or_a_buffer_that_does_not_parse(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    settings = fix_settings(workspace)
    no_fix = _buffer(workspace, COPY_WRITE)
    diagnostic = _diagnostic(no_fix, settings)
    assert diagnostic["code"] == "AW104"
    assert actions.code_actions(no_fix, lambda: settings, [diagnostic]) == []
    assert actions.code_actions(no_fix, lambda: settings, [], only=["source"]) == []

    buffer = _buffer(workspace, JSON_DUMP_WRITE)
    stale = _diagnostic(buffer, settings)
    stale["range"]["start"]["character"] += 1
    assert actions.code_actions(buffer, lambda: settings, [stale]) == []

    broken = _buffer(workspace, JSON_DUMP_WRITE.replace("def save(settings):", "def save(settings)"))
    assert actions.diagnostics(broken, settings) == []
    assert actions.code_actions(broken, lambda: settings, [_diagnostic(buffer, settings)]) == []
    assert actions.code_actions(broken, lambda: settings, [], only=[FIX_ALL]) == []


def test_only_filters_kinds_and_nothing_is_computed_for_other_kinds(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    buffer = _buffer(workspace, JSON_DUMP_WRITE)
    loaded: List[Settings] = []

    def load() -> Settings:
        loaded.append(fix_settings(workspace))
        return loaded[-1]

    diagnostic = _diagnostic(buffer, load())
    assert [a["kind"] for a in actions.code_actions(buffer, load, [diagnostic], only=[QUICKFIX])] == [QUICKFIX]
    assert [a["kind"] for a in actions.code_actions(buffer, load, [], only=["source"])] == [FIX_ALL]
    assert actions.code_actions(buffer, load, [], only=None) == []  # no diagnostic, nothing asked for
    calls = len(loaded)
    assert actions.code_actions(buffer, load, [diagnostic], only=["refactor"]) == []
    assert len(loaded) == calls


def test_options_come_from_the_config_file_fix_reads(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path, "[flake8]\natomic-writes-helper-module = myapp.atomicio\n")
    buffer = _buffer(workspace, JSON_DUMP_WRITE)
    settings = fix_settings(workspace)
    (fix_all,) = actions.code_actions(buffer, lambda: settings, [], only=[FIX_ALL])
    fixed = _applied(buffer, fix_all)
    assert "from myapp.atomicio import atomic_json_dump\n" in fixed
    assert fixed == _fix_cli(workspace, JSON_DUMP_WRITE)


def test_noqa_and_ignore_are_honoured_like_fix(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    buffer = _buffer(workspace, JSON_DUMP_WRITE)
    diagnostic = _diagnostic(buffer, fix_settings(workspace))
    ignoring = fix_settings(workspace, ["--extend-ignore=AW103"])
    assert actions.diagnostics(buffer, ignoring) == []
    assert actions.code_actions(buffer, lambda: ignoring, [diagnostic]) == []
    noqa = _buffer(workspace, JSON_DUMP_WRITE.replace('"w") as f:', '"w") as f:  # noqa: AW103'))
    assert actions.code_actions(noqa, lambda: fix_settings(workspace), [diagnostic]) == []


def test_diagnostic_columns_are_utf16_and_flake8s_character_columns_also_match(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    text = STATE_WRITE.replace("    CONFIG_PATH.write_text", '    label = "😀"; CONFIG_PATH.write_text')
    buffer = _buffer(workspace, text)
    settings = fix_settings(workspace)
    diagnostic = _diagnostic(buffer, settings)
    line = split_lines(text)[diagnostic["range"]["start"]["line"]]
    character = line.index("CONFIG_PATH")
    assert diagnostic["range"]["start"]["character"] == character + 1  # the emoji is two UTF-16 units
    assert diagnostic["source"] == actions.SOURCE and diagnostic["severity"] == 2
    assert diagnostic["codeDescription"]["href"].endswith("/AW101.md")
    start = {"line": diagnostic["range"]["start"]["line"], "character": character}
    as_flake8 = {**diagnostic, "range": {**diagnostic["range"], "start": start}}
    for reported in (diagnostic, as_flake8):
        (quick,) = actions.code_actions(buffer, lambda: settings, [reported])
        assert _applied(buffer, quick) == _fix_cli(workspace, text, "--unsafe-fixes")


# -- the pylsp plugin, on pylsp's own objects --------------------------------------------------


def _pylsp(workspace: Path, pylsp_settings: Dict[str, Any], text: str) -> Any:
    """pylsp's Config, Workspace and Document for ``pkg/app.py`` holding ``text``."""
    from pylsp.workspace import Document, Workspace

    config = pylsp_config.Config(workspace.as_uri(), {}, 0, {})
    config.update(pylsp_settings.get("pylsp", {}))
    lsp_workspace = Workspace(workspace.as_uri(), None, config)
    document = Document((workspace / NAME).as_uri(), lsp_workspace, source=text)
    return config, lsp_workspace, document


def test_plugin_lints_only_while_pylsps_flake8_plugin_is_off(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    config, lsp_workspace, document = _pylsp(workspace, {}, JSON_DUMP_WRITE)
    (diagnostic,) = pylsp_plugin.pylsp_lint(config, lsp_workspace, document)
    assert (diagnostic["code"], diagnostic["source"]) == ("AW103", actions.SOURCE)
    action_sets = pylsp_plugin.pylsp_code_actions(config, lsp_workspace, document, {"diagnostics": [diagnostic]})
    assert [a["kind"] for a in action_sets] == [QUICKFIX, FIX_ALL]
    assert _applied(_buffer(workspace, JSON_DUMP_WRITE), action_sets[0]) == _fix_cli(workspace, JSON_DUMP_WRITE)

    flake8_on = {"pylsp": {"plugins": {"flake8": {"enabled": True}}}}
    config, lsp_workspace, document = _pylsp(workspace, flake8_on, JSON_DUMP_WRITE)
    assert pylsp_plugin.pylsp_lint(config, lsp_workspace, document) == []
    forced = {"pylsp": {"plugins": {"flake8": {"enabled": True}, "flake8_atomic_writes": {"lint": True}}}}
    config, lsp_workspace, document = _pylsp(workspace, forced, JSON_DUMP_WRITE)
    assert [d["code"] for d in pylsp_plugin.pylsp_lint(config, lsp_workspace, document)] == ["AW103"]
    silenced = {"pylsp": {"plugins": {"flake8_atomic_writes": {"lint": False}}}}
    config, lsp_workspace, document = _pylsp(workspace, silenced, JSON_DUMP_WRITE)
    assert pylsp_plugin.pylsp_lint(config, lsp_workspace, document) == []


def test_plugin_passes_pylsps_flake8_options_to_fix(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    (workspace / "strict.cfg").write_text("[flake8]\natomic-writes-helper-module = myapp.atomicio\n")
    flake8 = {
        "config": str(workspace / "strict.cfg"),
        "select": ["AW", "E9"],
        "extendIgnore": "AW2",
        "perFileIgnores": ["pkg/*.py:AW301", "AW302", "other/*.py:AW101"],
    }
    args = pylsp_plugin.fix_arguments(flake8, str(workspace / NAME))
    assert args == [
        f"--config={workspace / 'strict.cfg'}",
        "--select=AW,E9",
        "--ignore=AW301,AW302",
        "--extend-ignore=AW2",
    ]
    config, lsp_workspace, document = _pylsp(workspace, {"pylsp": {"plugins": {"flake8": flake8}}}, JSON_DUMP_WRITE)
    diagnostic = _diagnostic(_buffer(workspace, JSON_DUMP_WRITE), fix_settings(workspace))
    quick, _ = pylsp_plugin.pylsp_code_actions(config, lsp_workspace, document, {"diagnostics": [diagnostic]})
    assert "from myapp.atomicio import atomic_json_dump\n" in _applied(_buffer(workspace, JSON_DUMP_WRITE), quick)


def test_plugin_logs_a_bad_configuration_in_one_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    workspace = _workspace(tmp_path, "[flake8]\natomic-writes-enable = AW999\n")
    config, lsp_workspace, document = _pylsp(workspace, {}, JSON_DUMP_WRITE)
    with caplog.at_level(logging.WARNING):
        assert pylsp_plugin.pylsp_lint(config, lsp_workspace, document) == []
        assert pylsp_plugin.pylsp_code_actions(config, lsp_workspace, document, {"only": [FIX_ALL]}) == []
    assert [r.getMessage() for r in caplog.records][:1] == [
        "flake8-atomic-writes: atomic-writes-enable: 'AW999' is not a rule code (opt-in codes: AW301, AW302, AW303)"
    ]
    assert not any(r.exc_info for r in caplog.records)


def test_fixes_run_where_pylsp_runs_flake8(tmp_path: Path) -> None:
    root = tmp_path / "project"
    inside, outside = root / "pkg" / "app.py", tmp_path / "elsewhere" / "app.py"
    sibling = tmp_path / "project2" / "a.py"
    assert pylsp_plugin.run_directory(str(inside), str(root)) == str(root)
    assert pylsp_plugin.run_directory(str(outside), str(root)) == str(outside.parent)
    assert pylsp_plugin.run_directory(str(sibling), str(root)) == str(sibling.parent)  # a prefix is not a parent
    assert pylsp_plugin.run_directory(str(inside), None) == str(inside.parent)


def test_plugin_skips_documents_that_are_not_files(tmp_path: Path) -> None:
    from pylsp.workspace import Document, Workspace

    workspace = _workspace(tmp_path)
    config = pylsp_config.Config(workspace.as_uri(), {}, 0, {})
    lsp_workspace = Workspace(workspace.as_uri(), None, config)
    document = Document("untitled:Untitled-1", lsp_workspace, source=JSON_DUMP_WRITE)
    assert pylsp_plugin.pylsp_lint(config, lsp_workspace, document) == []
    assert pylsp_plugin.pylsp_code_actions(config, lsp_workspace, document, {"only": [FIX_ALL]}) == []


def test_without_the_extra_pylsp_leaves_the_plugin_out_and_says_why() -> None:
    code = (
        "import logging, sys\n"
        "logging.basicConfig(level=logging.INFO, stream=sys.stdout, format='%(message)s')\n"
        "sys.modules['libcst'] = None  # as if installed without the [pylsp] extra\n"
        "from pylsp.config.config import Config\n"
        "config = Config('file:///', {}, 0, {})\n"
        "print(config.plugin_manager.is_blocked('flake8_atomic_writes'))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "True", proc.stdout
    assert "needs libcst: pip install 'flake8-atomic-writes[pylsp]'" in proc.stdout


# -- what never imports the editor integration -------------------------------------------------


def test_the_helpers_and_the_checker_never_import_the_editor_integration(tmp_path: Path) -> None:
    sample = tmp_path / "state.py"
    sample.write_text(JSON_DUMP_WRITE)
    code = (
        "import sys\n"
        "import flake8_atomic_writes, flake8_atomic_writes.atomic, flake8_atomic_writes.checker\n"
        "from flake8.main.cli import main\n"
        f"status = main(['--isolated', '--select=AW', {str(sample)!r}])\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('pylsp', 'pluggy', 'libcst')\n"
        "                or m.startswith('flake8_atomic_writes.editor'))\n"
        "print(status, loaded)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split("\n")[-2] == "1 []", proc.stdout  # flake8 found the write, loaded none of them


# -- the editors' settings in the docs ---------------------------------------------------------


def test_every_editor_snippet_gives_pylsp_the_same_settings_as_the_readme() -> None:
    pytest.importorskip("lupa", reason="lupa (a test dependency) runs the Neovim snippet")
    expected = readme_settings()
    assert editor_settings() == {editor: expected for editor in ("neovim", "helix", "emacs", "sublime")}


def test_the_settings_name_pylsps_plugins_as_pylsp_reads_them(tmp_path: Path) -> None:
    from importlib.metadata import entry_points

    settings = readme_settings()
    plugins = {e.name for e in entry_points(group="pylsp")}
    assert set(settings["pylsp"]["plugins"]) <= plugins
    config, _, document = _pylsp(_workspace(tmp_path), settings, "")
    disabled = {name for name, plugin in config.plugin_manager.list_name_plugin() if plugin in config.disabled_plugins}
    assert {"pycodestyle", "pyflakes", "mccabe"} <= disabled
    assert "flake8" not in disabled and pylsp_plugin.PLUGIN not in disabled
    assert config.plugin_settings("flake8")["enabled"] is True
    assert pylsp_plugin.lints(config, document.path) is False  # flake8 publishes AW: no duplicates
