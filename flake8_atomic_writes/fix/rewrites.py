"""One rewrite per fix kind (``FixHint.kind``); each takes a site and returns an ``Edit``."""

from __future__ import annotations

from typing import Callable, List, Optional

import libcst as cst

from .cstutil import comma, fp_arg, has_header_comment, keywordize, literal_string, only_statement, replace_fp
from .handles import OpenCall, body_concerns, is_open_call, json_safety, split_open
from .model import SAFE, UNSAFE, Edit, Unfixable
from .registry import rewrite
from .site import Node, Site

_WRITE_TEXT_PARAMS = ("data", "encoding", "errors", "newline")
_TEXT_WRITE_MODES = ("w", "wt", "tw")


@rewrite("write_text")
def write_text(site: Site) -> Edit:
    """``p.write_text(s, ...)`` -> ``atomic_write_text(p, s, ...)`` (and write_bytes)."""
    call = site.pick(lambda c: isinstance(c.func, cst.Attribute) and c.func.attr.value in ("write_text", "write_bytes"))
    func = call.func
    assert isinstance(func, cst.Attribute)
    helper = "atomic_write_text" if func.attr.value == "write_text" else "atomic_write_bytes"
    params = _WRITE_TEXT_PARAMS if helper == "atomic_write_text" else ("data",)
    layout = call.whitespace_before_args
    first = cst.Comma(whitespace_after=layout) if isinstance(layout, cst.ParenthesizedWhitespace) else comma()
    rest = keywordize(call.args, params, keep=1)
    replacement = call.with_changes(func=cst.Name(helper), args=[cst.Arg(func.value, comma=first), *rest])
    reasons = _write_text_concerns(site, call, rest, helper)
    return _helper_edit(site, call, replacement, helper, UNSAFE if reasons else SAFE, "; ".join(reasons))


def _write_text_concerns(site: Site, call: cst.Call, args: List[cst.Arg], helper: str) -> List[str]:
    """Why the helper could behave differently here: the default encoding, the return value."""
    reasons = []
    if helper == "atomic_write_text" and not any(a.keyword and a.keyword.value == "encoding" for a in args):
        reasons.append("without encoding= write_text() uses the locale encoding, the helper UTF-8")
    if any(a.star for a in args):
        reasons.append("the call unpacks arguments")
    if not isinstance(site.parent(call), cst.Expr):
        reasons.append("the result is used, and the helper returns None")
    return reasons


@rewrite("open")
def open_(site: Site) -> Edit:
    """``with open(p, mode) as f:`` -> ``with atomic_open(p, mode) as f:``, keeping the body."""
    call = site.pick(lambda c: is_open_call(site, c))
    opened = split_open(site, call)
    return _swap(site, call, opened, _with_of(site, call))


@rewrite("json_dump")
def json_dump(site: Site) -> Edit:
    """``json.dump`` into a fresh handle -> ``atomic_json_dump(obj, p)``; else the open swap."""
    call = site.pick(lambda c: is_open_call(site, c))
    opened = split_open(site, call)
    parent = site.parent(call)
    if isinstance(parent, cst.Arg):
        dump = site.parent(parent)
        if isinstance(dump, cst.Call) and _is_json_dump(site, dump) and fp_arg(dump) is parent:
            return _inline_json_dump(site, dump, parent, opened)
    with_node = _with_of(site, call)
    return _collapse_json_dump(site, with_node, opened) or _swap(site, call, opened, with_node)


@rewrite("rename")
def rename(site: Site) -> Edit:
    """``os.rename(a, b)`` -> ``os.replace(a, b)``; ``p.rename(t)`` -> ``p.replace(t)``."""
    call = site.pick(_is_rename_call(site))
    func = call.func
    if isinstance(func, cst.Attribute):
        return Edit(site.finding, SAFE, "", call, call.with_changes(func=func.with_changes(attr=cst.Name("replace"))))
    site.check_free(call, "replace", "os")
    return Edit(site.finding, SAFE, "", call, call.with_changes(func=cst.Name("replace")), (("os", "replace"),))


def _is_rename_call(site: Site) -> Callable[[cst.Call], bool]:
    def matches(call: cst.Call) -> bool:
        if isinstance(call.func, cst.Attribute):
            return call.func.attr.value == "rename"
        return "os.rename" in site.qualified(call.func)

    return matches


def _with_of(site: Site, call: cst.Call) -> cst.With:
    """The ``with`` statement whose item is ``call``, or why the call is not one."""
    item = site.parent(call)
    if not (isinstance(item, cst.WithItem) and item.item is call):
        raise Unfixable("the handle is not opened in a with statement")
    with_node = site.parent(item)
    assert isinstance(with_node, cst.With)
    if with_node.asynchronous is not None:
        raise Unfixable("open() in an async with statement")
    return with_node


def _swap(site: Site, call: cst.Call, opened: OpenCall, with_node: cst.With) -> Edit:
    item = site.parent(call)
    assert isinstance(item, cst.WithItem)
    reasons = [] if literal_string(opened.mode.value) is not None else ["the mode is not a string literal"]
    reasons += body_concerns(site, with_node, item, opened.path)
    replacement = call.with_changes(func=cst.Name("atomic_open"), args=opened.new_args)
    return _helper_edit(site, call, replacement, "atomic_open", UNSAFE if reasons else SAFE, "; ".join(reasons))


def _collapse_json_dump(site: Site, with_node: cst.With, opened: OpenCall) -> Optional[Edit]:
    """``with open(p, "w") as f: json.dump(obj, f, **kw)`` -> ``atomic_json_dump(obj, p, **kw)``."""
    if len(with_node.items) != 1 or has_header_comment(with_node):
        return None
    asname = with_node.items[0].asname
    handle = asname.name if asname is not None else None
    statement = only_statement(with_node.body)
    if not isinstance(handle, cst.Name) or statement is None:
        return None
    line, trailing = statement
    dump = line.value
    if not isinstance(dump, cst.Call) or not _is_json_dump(site, dump):
        return None
    fp = fp_arg(dump)
    if fp is None or not (isinstance(fp.value, cst.Name) and fp.value.value == handle.value):
        return None
    if literal_string(opened.mode.value) not in _TEXT_WRITE_MODES or site.used_elsewhere(handle, fp.value):
        return None
    if not _json_dump_keywords(opened.keywords):
        return None
    call = dump.with_changes(func=cst.Name("atomic_json_dump"), args=replace_fp(dump.args, fp, opened.path))
    statement_line = cst.SimpleStatementLine(
        body=[cst.Expr(call)], leading_lines=with_node.leading_lines, trailing_whitespace=trailing
    )
    applicability, reason = json_safety(dump, opened.keywords)
    return _helper_edit(site, with_node, statement_line, "atomic_json_dump", applicability, reason)


def _inline_json_dump(site: Site, dump: cst.Call, fp: cst.Arg, opened: OpenCall) -> Edit:
    """``json.dump(obj, open(p, "w"))`` -> ``atomic_json_dump(obj, p)``."""
    if literal_string(opened.mode.value) not in _TEXT_WRITE_MODES:
        raise Unfixable("json.dump() into a handle that is not opened in text write mode")
    if not isinstance(site.parent(dump), cst.Expr):
        raise Unfixable("the result of json.dump() is used")
    if not _json_dump_keywords(opened.keywords):
        raise Unfixable("open() has arguments atomic_json_dump() does not take")
    replacement = dump.with_changes(func=cst.Name("atomic_json_dump"), args=replace_fp(dump.args, fp, opened.path))
    applicability, reason = json_safety(dump, opened.keywords)
    return _helper_edit(site, dump, replacement, "atomic_json_dump", applicability, reason)


def _json_dump_keywords(keywords: List[cst.Arg]) -> bool:
    return all(a.keyword is not None and a.keyword.value in ("encoding", "errors") for a in keywords)


def _is_json_dump(site: Site, call: cst.Call) -> bool:
    return "json.dump" in site.qualified(call.func)


def _helper_edit(site: Site, target: Node, replacement: Node, helper: str, applicability: str, reason: str) -> Edit:
    site.check_free(target, helper, site.helper_module)
    return Edit(site.finding, applicability, reason, target, replacement, ((site.helper_module, helper),))
