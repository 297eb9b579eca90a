"""strace: the helpers' real syscall order, and real faults injected into real syscalls.

One write runs in a child (tests/atomic_child.py) bracketed by two marker writes to stderr.
``when=`` counts a syscall's calls in the whole process, so each injection is offset by the
calls made before the opening marker, taken from a recorded run.
"""

from __future__ import annotations

import json
import re
import signal
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from atomic_support import STRACE, child_cmd, child_env, run, temps

from flake8_atomic_writes import cleanup_stale_temps

pytestmark = pytest.mark.skipif(STRACE is None, reason="strace is not installed (CI installs it)")

TRACED = (
    "openat,write,fsync,fdatasync,rename,renameat,renameat2,close,unlink,unlinkat,fchmod,fchown"
)
LINE_RE = re.compile(r"^(?:\d+\s+)?(\w+)\((.*)$")
OLD = '{"k": "old"}'
NEW = '{"k": "new"}'
APIS = ["bytes", "open"]


@dataclass
class Trace:
    """One traced child run: exit code, its reported outcome, and the bracketed syscalls."""

    returncode: int
    outcome: dict[str, Any] | None
    before: dict[str, int] = field(default_factory=dict)  # calls per syscall up to BEGIN
    calls: list[tuple[str, str]] = field(default_factory=list)  # (name, rest) inside


def _parse(log: str) -> tuple[dict[str, int], list[tuple[str, str]]]:
    before: dict[str, int] = {}
    calls: list[tuple[str, str]] = []
    state = "before"
    for line in log.splitlines():
        m = LINE_RE.match(line)
        if not m:
            continue
        name, rest = m.groups()
        if state == "before":
            before[name] = before.get(name, 0) + 1
            if '"AW-BEGIN\\n"' in rest:
                state = "inside"
        elif state == "inside":
            if '"AW-END\\n"' in rest:
                break
            calls.append((name, rest))
    return before, calls


def traced(tmp_path: Path, api: str = "bytes", durable: bool = True, inject: str = "") -> Trace:
    """Write NEW over OLD at tmp_path/t.json in a child under strace."""
    target, result, log = tmp_path / "t.json", tmp_path / "result", tmp_path / "strace.log"
    target.write_text(OLD)
    result.unlink(missing_ok=True)
    cmd = [STRACE or "strace", "-f", "-y", "-e", f"trace={TRACED}", "-o", str(log)]
    if inject:
        cmd += ["-e", f"inject={inject}"]
    cmd += child_cmd("once", str(target), api, "1" if durable else "0", str(result))
    proc = run(cmd, env=child_env(AW_NEW=NEW))
    outcome = json.loads(result.read_text()) if result.exists() else None
    before, calls = _parse(log.read_text())
    return Trace(proc.returncode, outcome, before, calls)


def _index(calls: list[tuple[str, str]], names: tuple[str, ...], pattern: str) -> int:
    for i, (name, rest) in enumerate(calls):
        if name in names and re.search(pattern, rest):
            return i
    raise AssertionError(f"no {names} matching {pattern!r} in {calls}")


TMP = r"/\.t\.json\.[0-9a-f]{12}\.tmp"


@pytest.mark.parametrize("api", ["bytes", "text", "json", "open"])
def test_durable_syscall_order(tmp_path: Path, api: str) -> None:
    t = traced(tmp_path, api)
    assert t.outcome == {"ok": True}
    calls = t.calls
    d = re.escape(str(tmp_path))
    excl = r'", O_WRONLY\|O_CREAT\|O_EXCL\|O_NOFOLLOW\|O_CLOEXEC'
    i_open = _index(calls, ("openat",), TMP + excl)
    i_write = _index(calls, ("write",), TMP + ">")
    i_fsync = _index(calls, ("fsync",), TMP + ">")
    i_close = _index(calls, ("close",), TMP + ">")
    i_rename = _index(calls, ("rename", "renameat", "renameat2"), TMP + r'", .*"' + d + '/t.json"')
    i_dir = _index(calls, ("openat",), rf'"{d}", O_RDONLY\|O_CLOEXEC\|O_DIRECTORY')
    i_dsync = _index(calls, ("fsync",), rf"<{d}>\)")
    assert i_open < i_write < i_fsync < i_close < i_rename < i_dir < i_dsync, calls
    last_write = max(i for i, (n, r) in enumerate(calls) if n == "write" and re.search(TMP, r))
    assert last_write < i_fsync
    i_fchmod = _index(calls, ("fchmod",), TMP + r">, 0644")  # existing file's bits
    assert i_open < i_fchmod < i_fsync
    assert (tmp_path / "t.json").read_text() == NEW
    assert temps(tmp_path) == []


@pytest.mark.parametrize("api", APIS)
def test_non_durable_never_fsyncs(tmp_path: Path, api: str) -> None:
    t = traced(tmp_path, api, durable=False)
    assert t.outcome == {"ok": True}
    assert not [c for c in t.calls if c[0] in ("fsync", "fdatasync")], t.calls
    _index(t.calls, ("rename", "renameat", "renameat2"), TMP)
    assert (tmp_path / "t.json").read_text() == NEW


def _occurrence(t: Trace, name: str, k: int) -> int:
    """``when=`` value hitting the k-th ``name`` call inside the bracket."""
    return t.before.get(name, 0) + k


# (syscall, k-th call inside the bracket, errno name, expected exception type, target after)
FAULTS = [
    ("openat", 1, "EACCES", "PermissionError", OLD),
    ("fchmod", 1, "EPERM", "PermissionError", OLD),
    ("write", 1, "ENOSPC", "OSError", OLD),
    ("write", 1, "EIO", "OSError", OLD),
    ("fsync", 1, "EIO", "OSError", OLD),
    ("close", 1, "EIO", "OSError", OLD),
    ("rename", 1, "EXDEV", "OSError", OLD),
    ("rename", 1, "EBUSY", "TargetBusyError", OLD),
    ("fsync", 2, "EIO", "DirectorySyncError", NEW),
    ("fsync", 2, "EINVAL", "DirectorySyncError", NEW),
]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Trace]:
    """A clean traced run per API, to count the calls made before the bracket."""
    return {api: traced(tmp_path_factory.mktemp(api), api) for api in APIS}


def _rename_name(t: Trace) -> str:
    return t.calls[_index(t.calls, ("rename", "renameat", "renameat2"), TMP)][0]


@pytest.mark.parametrize("api", APIS)
@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f"{f[0]}{f[1]}-{f[2]}")
def test_injected_fault(
    tmp_path: Path, recorded: dict[str, Trace], api: str, fault: tuple[str, int, str, str, str]
) -> None:
    name, k, err, exc_type, expected = fault
    if name == "rename":
        name = _rename_name(recorded[api])
    when = _occurrence(recorded[api], name, k)
    t = traced(tmp_path, api, inject=f"{name}:error={err}:when={when}")
    assert t.outcome is not None and not t.outcome["ok"], t.outcome
    assert t.outcome["type"] == exc_type, t.outcome
    assert t.outcome["errno"] == getattr(__import__("errno"), err), t.outcome
    assert any(f"= -1 {err} (" in rest and "INJECTED" in rest for n, rest in t.calls if n == name)
    assert (tmp_path / "t.json").read_text() == expected
    assert temps(tmp_path) == [], "the temp must be removed on every in-process failure"
    if exc_type == "DirectorySyncError":
        assert "in place but not yet durable" in t.outcome["message"]
    if exc_type == "TargetBusyError":
        assert "bind mount" in t.outcome["message"]


@pytest.mark.parametrize("api", APIS)
def test_sigkill_at_each_syscall(tmp_path: Path, recorded: dict[str, Trace], api: str) -> None:
    """Kill the writer on entry to each syscall of one write: old or new, never a mix."""
    rec = recorded[api]
    i_rename = _index(rec.calls, ("rename", "renameat", "renameat2"), TMP)
    seen: dict[str, int] = {}
    for i, (name, _rest) in enumerate(rec.calls):
        seen[name] = seen.get(name, 0) + 1
        when = _occurrence(rec, name, seen[name])
        t = traced(tmp_path, api, inject=f"{name}:signal=SIGKILL:when={when}")
        assert t.returncode in (-signal.SIGKILL, 128 + signal.SIGKILL), (i, name, t.returncode)
        assert t.outcome is None, f"not killed at {name} #{seen[name]}"
        content = (tmp_path / "t.json").read_text()
        assert content == (OLD if i <= i_rename else NEW), (i, name, content)
        left = temps(tmp_path)
        assert len(left) <= 1
        removed = cleanup_stale_temps(tmp_path, older_than=0)
        assert len(removed) == len(left)
        assert temps(tmp_path) == []


# -- alice-lite: crash states of the recorded trace under a weak persistence model ----------
#
# After a power loss, directory operations persist as an in-order prefix, at least up to the
# last fsync of the directory; a file's data is absent, half or complete unless an fsync of
# that file after its last write forced it. Every state must show the old or the new content,
# and once the call has returned, only the new one ("durable at return").

Op = tuple[str, str, str]  # (kind, a, b): create/rename/unlink path ops, write/fsync data ops


def _ops(calls: list[tuple[str, str]], directory: str) -> list[Op]:
    ops: list[Op] = []
    for name, rest in calls:
        ret = rest.rsplit(") = ", 1)
        if len(ret) != 2 or ret[1].startswith("-1"):
            continue
        paths = re.findall(r'"([^"]*)"', rest)
        fdpath = re.match(r"\d+<([^>]*)>", rest)
        if name == "openat" and "O_CREAT" in rest:
            ops.append(("create", paths[0], ""))
        elif name.startswith("rename"):
            ops.append(("rename", paths[0], paths[-1]))
        elif name.startswith("unlink"):
            ops.append(("unlink", paths[0], ""))
        elif name == "write" and fdpath:
            ops.append(("write", fdpath.group(1), ""))
        elif name in ("fsync", "fdatasync") and fdpath:
            kind = "dirsync" if fdpath.group(1) == directory else "fsync"
            ops.append((kind, fdpath.group(1), ""))
    return ops


def _crash_states(ops: list[Op], target: str) -> list[tuple[int, str]]:
    """(ops done before the crash, content of target) for every reachable crash state."""
    import itertools

    states = []
    for done in range(len(ops) + 1):
        issued = ops[:done]
        path_ops = [i for i, op in enumerate(issued) if op[0] in ("create", "rename", "unlink")]
        synced = max((i for i, op in enumerate(issued) if op[0] == "dirsync"), default=-1)
        forced = sum(1 for i in path_ops if i < synced)
        written = {op[1] for op in issued if op[0] == "write"}
        choices = {}
        for f in written:
            last_write = max(i for i, op in enumerate(issued) if op == ("write", f, ""))
            durable = any(op == ("fsync", f, "") for op in issued[last_write:])
            choices[f] = ["full"] if durable else ["empty", "half", "full"]
        for keep in range(forced, len(path_ops) + 1):
            for data in itertools.product(*choices.values()):
                fate = dict(zip(choices, data))
                names = {target: "old"}
                for i in path_ops[:keep]:
                    kind, a, b = issued[i]
                    if kind == "create":
                        names[a] = a  # an inode known by the name it was created under
                    elif kind == "rename" and a in names:
                        names[b] = names.pop(a)
                    elif kind == "unlink":
                        names.pop(a, None)
                inode = names.get(target)
                content = "old" if inode == "old" else fate.get(inode or "", "empty")
                states.append((done, "new" if content == "full" else content))
    return states


@pytest.mark.parametrize("api", APIS)
def test_alice_lite_every_crash_state_is_old_or_new(tmp_path: Path, api: str) -> None:
    t = traced(tmp_path, api)
    ops = _ops(t.calls, str(tmp_path))
    kinds = [op[0] for op in ops]
    assert kinds == ["create", "write", "fsync", "rename", "dirsync"], ops
    states = _crash_states(ops, str(tmp_path / "t.json"))
    assert len(states) > len(ops)
    bad = [s for s in states if s[1] not in ("old", "new")]
    assert bad == [], f"torn crash states: {bad}"
    assert {c for done, c in states if done == len(ops)} == {"new"}, "not durable at return"


def test_alice_lite_catches_a_write_without_fsync(tmp_path: Path) -> None:
    """The positive control: durable=False is atomic against process death only."""
    t = traced(tmp_path, "bytes", durable=False)
    ops = _ops(t.calls, str(tmp_path))
    assert [op[0] for op in ops] == ["create", "write", "rename"], ops
    states = _crash_states(ops, str(tmp_path / "t.json"))
    assert {"empty", "half"} <= {c for _, c in states}
    assert "old" in {c for done, c in states if done == len(ops)}, "cannot be durable"


def test_alice_lite_catches_fsync_after_rename() -> None:
    """atomicwriter 0.3.0's order (rename, then fsync) has torn crash states; ours has none."""
    tmp, target = "/d/.t.json.0123456789ab.tmp", "/d/t.json"
    late = [("create", tmp, ""), ("write", tmp, ""), ("rename", tmp, target),
            ("fsync", target, ""), ("dirsync", "/d", "")]
    assert {"empty", "half"} & {c for _, c in _crash_states(late, target)}
    good = [("create", tmp, ""), ("write", tmp, ""), ("fsync", tmp, ""),
            ("rename", tmp, target), ("dirsync", "/d", "")]
    assert {c for _, c in _crash_states(good, target)} == {"old", "new"}
