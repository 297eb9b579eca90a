"""What an ``open()`` call passes and what the body of its ``with`` does with the handle."""

from __future__ import annotations

from typing import Dict, List, NamedTuple, Optional, Tuple

import libcst as cst

from ..analysis.apis import SERIALIZERS
from .cstutil import keyword, keywordize, literal_string
from .model import SAFE, UNSAFE, Unfixable
from .site import Node, Site

# Functions that only write into a handle they are given (the handle's first use).
# What may write into a handle the fixer moves to atomic_open: the serializers of the
# write-API table, and print(..., file=f).
HANDLE_WRITERS = frozenset(SERIALIZERS) | {"builtins.print"}
_WRITE_METHODS = frozenset({"write", "writelines", "flush"})
_OPEN_PARAMS = ("file", "mode", "buffering", "encoding", "errors", "newline", "closefd", "opener")
_PATH_OPEN_PARAMS = ("mode", "buffering", "encoding", "errors", "newline")
_HELPER_OPEN_KEYWORDS = frozenset({"encoding", "errors", "newline"})
_UTF8 = frozenset({"utf-8", "utf8", "utf_8", "u8"})


class OpenCall(NamedTuple):
    """An open call split up: the path, the mode argument, other keywords, atomic_open's arguments."""

    path: cst.BaseExpression
    mode: cst.Arg
    keywords: List[cst.Arg]
    new_args: List[cst.Arg]


def is_open_call(site: Site, call: cst.Call) -> bool:
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value in ("open", "fdopen"):
        return True
    return bool(site.qualified(func) & {"builtins.open", "io.open", "codecs.open", "os.fdopen"})


def split_open(site: Site, call: cst.Call) -> OpenCall:
    """Split an open call, or say why atomic_open cannot take its arguments."""
    names = site.qualified(call.func)
    if "codecs.open" in names:
        raise Unfixable("codecs.open() takes different arguments; rewrite it with atomic_open by hand")
    if names & {"os.fdopen", "os.open"}:
        raise Unfixable("the file is opened from a descriptor, not a path")
    func = call.func
    if names & {"builtins.open", "io.open"}:
        new_args = keywordize(call.args, _OPEN_PARAMS, keep=2)
        if not new_args or new_args[0].keyword is not None or new_args[0].star:
            raise Unfixable("open() is not given the path as its first argument")
        path, rest = new_args[0].value, new_args[1:]
    elif isinstance(func, cst.Attribute) and func.attr.value == "open" and not site.imported(func):
        rest = keywordize(call.args, _PATH_OPEN_PARAMS, keep=1)
        path = func.value
        new_args = [cst.Arg(func.value, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))), *rest]
    else:
        raise Unfixable("the call is not the builtin open(), io.open() or Path.open()")
    mode = next((a for a in rest if a.keyword is None or a.keyword.value == "mode"), None)
    if mode is None or mode.star:
        raise Unfixable("open() has no literal mode argument")
    keywords = [a for a in rest if a is not mode]
    for arg in keywords:
        if arg.star:
            raise Unfixable("the call unpacks **kwargs")
        if arg.keyword is None or arg.keyword.value not in _HELPER_OPEN_KEYWORDS:
            raise Unfixable(f"atomic_open() does not take {arg.keyword.value if arg.keyword else 'it'}=")
    return OpenCall(path, mode, keywords, new_args)


def body_concerns(site: Site, with_node: cst.With, item: cst.WithItem, path: cst.BaseExpression) -> List[str]:
    """Why swapping in atomic_open could change what the body of the with sees."""
    handle = item.asname.name if item.asname is not None else None
    if handle is not None and not isinstance(handle, cst.Name):
        return ["the handle is unpacked"]
    collector = _NameUses(handle.value if handle is not None else None, path, site.code(path))
    with_node.body.visit(collector)
    concerns = []
    for use in collector.handle_uses:
        if not _is_write_use(site, use, collector.parents):
            parent = collector.parents[id(use)]
            concerns.append(f"the body uses the handle beyond writing to it ({site.code(parent)})")
            break
    if collector.path_uses:
        concerns.append("the body refers to the path again (the new content is visible only after the block)")
    return concerns


def _is_write_use(site: Site, use: cst.Name, parents: Dict[int, Node]) -> bool:
    parent = parents.get(id(use))
    if isinstance(parent, cst.Attribute) and parent.value is use:
        grand = parents.get(id(parent))
        return parent.attr.value in _WRITE_METHODS and isinstance(grand, cst.Call) and grand.func is parent
    if isinstance(parent, cst.Arg) and parent.value is use:
        call = parents.get(id(parent))
        if isinstance(call, cst.Call):
            names = site.qualified(call.func)
            if "builtins.print" in names:
                return parent.keyword is not None and parent.keyword.value == "file"
            return bool(names & HANDLE_WRITERS)
    return False


def json_safety(dump: cst.Call, open_keywords: List[cst.Arg]) -> Tuple[str, str]:
    """Safe when the JSON is ASCII or the file was opened as UTF-8: the bytes are then equal."""
    encoding = keyword(open_keywords, "encoding")
    if encoding is not None:
        text = literal_string(encoding.value)
        if text is not None and text.lower() in _UTF8:
            return SAFE, ""
    if any(a.star == "**" for a in dump.args):
        return UNSAFE, "**kwargs may set ensure_ascii=False and the helper always writes UTF-8"
    ensure_ascii = keyword(dump.args, "ensure_ascii")
    if ensure_ascii is not None and not (
        isinstance(ensure_ascii.value, cst.Name) and ensure_ascii.value.value == "True"
    ):
        return UNSAFE, "ensure_ascii=False without a UTF-8 encoding: the helper always writes UTF-8"
    return SAFE, ""


class _NameUses(cst.CSTVisitor):
    """Collect uses of the handle name and re-mentions of the path inside a with body."""

    def __init__(self, handle: Optional[str], path: Node, path_code: str) -> None:
        super().__init__()
        self.handle = handle
        self.path_type = type(path)  # only a node of the same type can have the same code
        self.path_code = path_code
        self.handle_uses: List[cst.Name] = []
        self.path_uses: List[Node] = []
        self.parents: Dict[int, Node] = {}
        self._stack: List[Node] = []
        self._module = cst.Module(body=[])

    def on_visit(self, node: Node) -> bool:
        if self._stack:
            self.parents[id(node)] = self._stack[-1]
        self._stack.append(node)
        if isinstance(node, cst.Name) and node.value == self.handle:
            parent = self.parents.get(id(node))
            if not (isinstance(parent, cst.Attribute) and parent.attr is node):
                self.handle_uses.append(node)
        if type(node) is self.path_type and isinstance(
            node, (cst.Name, cst.Attribute, cst.SimpleString, cst.Call, cst.Subscript, cst.BinaryOperation)
        ):
            if self._module.code_for_node(node) == self.path_code:
                self.path_uses.append(node)
        return True

    def on_leave(self, original_node: Node) -> None:
        self._stack.pop()
