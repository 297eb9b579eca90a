"""The pylsp settings that the docs give for each editor, read from the snippets as written.

Each snippet is decoded the way its editor reads it: Neovim's Lua is run by a real Lua
interpreter (lupa) with a ``vim.lsp`` that records the calls; Helix's TOML and Sublime
Text's JSON (with LSP's dotted keys expanded) by their parsers; Emacs Lisp by a reader of
the plist syntax eglot serializes to JSON (``t`` is true, ``:json-false`` false).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

ROOT = Path(__file__).resolve().parents[1]
INTEGRATIONS = ROOT / "docs" / "integrations.md"
README = ROOT / "README.md"
PYLSP_SECTION = "### python-lsp-server"

Settings = Dict[str, Any]


def pylsp_section(path: Path = INTEGRATIONS) -> str:
    """The python-lsp-server section of the integration docs."""
    text = path.read_text(encoding="utf-8")
    return text.split(PYLSP_SECTION, 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]


def fenced(text: str, language: str) -> List[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.DOTALL)


def readme_settings() -> Settings:
    """The JSON of the README's python-lsp-server paragraph."""
    readme = README.read_text(encoding="utf-8")
    paragraph = readme.split("**python-lsp-server**", 1)[1].split("\n**", 1)[0]
    (block,) = fenced(paragraph, "json")
    settings: Settings = json.loads(block)
    return settings


def editor_settings() -> Dict[str, Settings]:
    """Each editor's snippet, decoded to the settings object pylsp receives."""
    section = pylsp_section()
    (lua,) = fenced(section, "lua")
    (toml,) = fenced(section, "toml")
    (elisp,) = fenced(section, "elisp")
    (settings_json,) = fenced(section, "json")
    return {
        "neovim": neovim(lua),
        "helix": helix(toml),
        "emacs": emacs(elisp),
        "sublime": sublime(settings_json),
    }


# -- Neovim ------------------------------------------------------------------------------

RECORDING_VIM = """
configs, enabled = {}, {}
vim = { lsp = {
  config = function(name, config) configs[name] = config end,
  enable = function(name) table.insert(enabled, name) end,
} }
"""


def neovim(snippet: str) -> Settings:
    """``init.lua``: the settings given to ``vim.lsp.config("pylsp", ...)``, which must be enabled."""
    from lupa import LuaRuntime  # type: ignore[import-not-found]

    lua = LuaRuntime(unpack_returned_tuples=True)
    lua.execute(RECORDING_VIM)
    lua.execute(snippet)
    assert list(_from_lua(lua.globals().enabled)) == ["pylsp"], "vim.lsp.enable('pylsp') is missing"
    config = _from_lua(lua.globals().configs)["pylsp"]
    assert set(config) == {"settings"}, config
    settings: Settings = config["settings"]
    return settings


def _from_lua(value: Any) -> Any:
    from lupa import lua_type

    if lua_type(value) != "table":
        return value
    items = {key: _from_lua(item) for key, item in value.items()}
    if list(items) == list(range(1, len(items) + 1)):
        return list(items.values())
    return items


# -- Helix -------------------------------------------------------------------------------


def helix(snippet: str) -> Settings:
    """``languages.toml``: the ``config`` of the ``pylsp`` language server."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    document = tomllib.loads(snippet)
    (server,) = document["language-server"]
    assert server == "pylsp"
    config: Settings = document["language-server"]["pylsp"]["config"]
    return config


# -- Emacs -------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""\s*(?:(?P<open>\()|(?P<close>\))|(?P<quote>')|(?P<string>"(?:[^"\\]|\\.)*")|(?P<atom>[^\s()'"]+))"""
)


def emacs(snippet: str) -> Settings:
    """``init.el``: the quoted plist given to ``eglot-workspace-configuration``, as eglot's JSON."""
    form, rest = _read(snippet.strip(), 0)
    assert snippet.strip()[rest:].strip() == "", "more than one form"
    assert form[:2] == ["setq-default", "eglot-workspace-configuration"] and len(form) == 3, form
    quote, plist = form[2]
    assert quote == "quote", "the configuration must be quoted"
    settings: Settings = _json(plist)
    return settings


def _read(text: str, position: int) -> Tuple[Any, int]:
    """One s-expression from ``text`` at ``position``: lists, ``'x`` as ``["quote", x]``, atoms."""
    match = _TOKEN.match(text, position)
    assert match is not None, f"unreadable at {text[position:position + 20]!r}"
    if match["open"]:
        items, position = [], match.end()
        while True:
            close = re.compile(r"\s*\)").match(text, position)
            if close:
                return items, close.end()
            item, position = _read(text, position)
            items.append(item)
    if match["quote"]:
        quoted, position = _read(text, match.end())
        return ["quote", quoted], position
    assert not match["close"], "unbalanced parenthesis"
    if match["string"]:
        return json.loads(match["string"]), match.end()
    return match["atom"], match.end()


def _json(value: Any) -> Any:
    """eglot's serialization: a plist is an object, ``t`` true, ``:json-false`` false, ``nil`` null."""
    if isinstance(value, list):
        assert len(value) % 2 == 0 and all(k.startswith(":") for k in value[::2]), value
        return {key[1:]: _json(item) for key, item in zip(value[::2], value[1::2])}
    return {"t": True, ":json-false": False, "nil": None}.get(value, value)


# -- Sublime Text ------------------------------------------------------------------------


def sublime(snippet: str) -> Settings:
    """``LSP.sublime-settings``: the ``pylsp`` client's ``settings``, dotted keys expanded."""
    client = json.loads(snippet)["clients"]["pylsp"]
    assert client["enabled"] is True and client["selector"] == "source.python", client
    assert client["command"] == ["pylsp"], client
    settings: Settings = {}
    for dotted, value in client["settings"].items():
        *parents, leaf = dotted.split(".")
        node = settings
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = value
    return settings


def flatten(settings: Settings, prefix: str = "") -> Dict[str, Any]:
    """``{"pylsp": {"plugins": {"flake8": {"enabled": True}}}}`` -> ``{"pylsp.plugins.flake8.enabled": True}``."""
    flat: Dict[str, Any] = {}
    for key, value in settings.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat
