"""Decide, per write site, whether its target is persistent, temporary, or unknown.

Evidence rules (SPEC section 4), each a general rule stated in the docs:

* temporary or already safe (never flagged): built from ``tempfile`` or pytest's ``tmp_path``;
  a ``/tmp`` or ``/dev`` literal; a ``tmp``/``temp``/``scratch`` name; a ``.tmp``/``.part``/
  ``.new``/``.bak`` suffix; a stream or file descriptor; moved, replaced or deleted later in the
  function, or handed to a configured atomic helper; only created or emptied; inside a
  directory created just before; a lock file; written inside an atomic helper;
* persistent: read back elsewhere in the module; under a home, config, data or cache
  location; a name or suffix that says it holds state; or written by a save-like function
  (``save``, ``store``, ``persist``, ``flush``) to an attribute of ``self`` or as serialized data;
* a target that is a parameter is judged by the arguments the module's callers pass, and,
  with a project index, by what callers in other modules pass; a name or call imported from
  another module of the project carries the evidence that module has about it.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from dataclasses import replace
from typing import Dict, Iterator, List, Optional, Protocol, Sequence, Set, Tuple

from ..config import Config
from .apis import ATOMIC_TARGETS, mode_effect
from .facts import (
    COPY_APIS,
    ModuleFacts,
    Scope,
    WriteSite,
    absence_guard,
    bind_argument,
    guarded_absent,
    truthy_kw,
)
from .flow import BranchMap, before
from .kinds import BY_NAME, PERSISTENT, TEMPORARY, Hit, Verdict, combine, leaning, strength
from .targets import TargetInfo, describe, identity, shared_name, split_words, unwrapped

PERSISTENT_WORDS = frozenset("""config configs configuration cfg conf settings setting state states store storage
    registry index cache caches manifest credentials credential creds token tokens session
    sessions history checkpoint checkpoints ckpt metadata prefs preferences db database
    secrets secret auth cookies bookmarks""".split())
PERSISTENT_SUFFIXES = (
    ".json",
    ".yaml",
    ".yml",
    ".toml",
    ".ini",
    ".cfg",
    ".conf",
    ".env",
    ".db",
    ".sqlite",
    ".sqlite3",
    ".pickle",
    ".pkl",
    ".lock",
    ".ipynb",
    # credentials and certificates
    ".pem",
    ".key",
    ".crt",
    ".cer",
    ".p12",
    ".pfx",
    # model checkpoints and saved arrays
    ".pt",
    ".pth",
    ".ckpt",
    ".safetensors",
    ".npy",
    ".npz",
    ".h5",
    ".hdf5",
    # well-known configuration dotfiles, whole names
    ".gitignore",
    ".gitattributes",
    ".editorconfig",
    ".python-version",
    ".netrc",
    ".pypirc",
    ".npmrc",
)
SOURCE_SUFFIXES = (".py", ".pyw", ".sh", ".bat", ".cmd", ".ps1", ".js")
EPHEMERAL_WORDS = frozenset("tmp temp tempfile tempdir tmpdir tmpfile temporary scratch".split())
EPHEMERAL_SUFFIXES = (".tmp", ".temp", ".part", ".partial", ".new", ".swp", ".bak", ".orig", ".backup")
EPHEMERAL_PREFIXES = ("/tmp", "/var/tmp", "/dev/", "/proc/", "/sys/")
EPHEMERAL_NAMES = frozenset({"tmp_path", "tmpdir", "tmp_path_factory", "tmpdir_factory"})
STREAMS = frozenset({"os.devnull", "sys.stdout", "sys.stderr", "sys.stdin", "subprocess.DEVNULL", "subprocess.PIPE"})
STREAM_CALLS = frozenset(
    {
        ".fileno",
        "os.pipe",
        "os.dup",
        "os.dup2",
        "os.openpty",
        "pty.openpty",
        "socket.socket",
        "socket.socketpair",
        ".makefile",
        "io.StringIO",
        "io.BytesIO",
        "msvcrt.open_osfhandle",
        "_winapi.CreatePipe",
    }
)
# ``expanduser`` is a location only of a ``~`` literal (checked with the literals), not of any path.
HOME_CALLS = frozenset({"pathlib.Path.home", "click.get_app_dir", "typer.get_app_dir"})
# A function or method whose name says it returns the program's own data, config or cache
# location: ``fm.datapath("tabs")``, ``user_dir()``, ``get_config_dir()``, ``data_path(...)``.
LOCATION_CALL = re.compile(
    r"^_?(get_?)?(user_?|app_?|site_?|local_?)?(data|config|conf|cache|state|settings|profile|storage)_?"
    r"(path|dir|directory|folder|home|root|file)s?$|^_?(get_?)?(user|app)_?(dir|directory|path|home)$"
)
LOAD_VERBS = frozenset({"load", "loads", "read", "restore", "parse"})
DEBUG_WORDS = frozenset({"debug", "debugging", "trace", "tracing"})
CRASH_WORDS = frozenset({"crash", "excepthook", "crashed"})
REPORT_WORDS = DEBUG_WORDS | CRASH_WORDS | {"error", "errors", "traceback", "stacktrace"}
LOCK_WORDS = frozenset({"lock", "lockfile", "pid", "pidfile"})
HOME_ENV = re.compile(r"^(HOME|USERPROFILE|APPDATA|LOCALAPPDATA|XDG_\w+|\w+_HOME|\w+_DIR)$")
SETTING_DIR = re.compile(r"^[A-Z][A-Z0-9_]*_(HOME|DIR|DIRECTORY)$")
OUTPUT_WORDS = frozenset(
    "out output outputs build dist export exports report reports download downloads log logs".split()
)
SAVE_VERBS = frozenset("save store persist flush apply".split())
KEEP_VERBS = frozenset("save store persist".split())  # a function named so writes what is to be kept
WRITE_VERBS = SAVE_VERBS | frozenset("write dump update set put sync commit".split())
KNOWN_ATOMIC_HELPERS = frozenset(
    {
        "atomic_write",
        "atomic_save",
        "atomic_write_text",
        "atomic_write_bytes",
        "atomic_json_dump",
        "atomic_open",
    }
)
# Calls that make a name unique per run or per moment: such a file is created, never rewritten.
UNIQUE_CALLS = frozenset(
    {
        "uuid.uuid4",
        "uuid.uuid1",
        "time.time",
        "time.time_ns",
        "time.strftime",
        "datetime.datetime.now",
        "datetime.datetime.utcnow",
        "datetime.now",
        ".strftime",
        ".isoformat",
        "secrets.token_hex",
        ".uuid4",
        ".now",
    }
)
_MAX_CALLER_DEPTH = 2


class ProjectEvidence(Protocol):
    """What the project index knows about names this module imports (``project.view``)."""

    def imported(self, name: str, called: bool) -> Sequence[Hit]:
        """Hits about an imported name (a path constant) or, ``called``, what the imported
        function returns; ``name`` as this module spells it (``pkg.paths.X``, ``..paths.X``)."""
        ...

    def callers(self, function: str, param: str, position: int, whole: bool) -> Optional[Sequence[Hit]]:
        """What callers in other modules pass for ``param`` (at ``position``) of this module's
        ``function``: a ``caller`` or ``temp-callers`` hit, or none (None: no such callers);
        ``whole``: the target is the parameter itself."""
        ...

    def moved_params(self, name: str) -> Tuple[int, ...]:
        """Positions of the parameters the imported function ``name`` moves, replaces or deletes."""
        ...

    def read_params(self, name: str) -> Tuple[int, ...]:
        """Positions of the parameters the imported function ``name`` reads."""
        ...

    def read_elsewhere(self, name: str, own: bool) -> str:
        """``read back in loader.load()`` when another module reads the module-level path
        ``name`` (imported, or this module's ``own``); else ""."""
        ...


class Classifier:
    """Judges write sites of one module against the module-wide facts (and, given a
    ``project``, against what other modules of the project say)."""

    def __init__(self, facts: ModuleFacts, config: Config, project: Optional[ProjectEvidence] = None) -> None:
        self.facts = facts
        self.config = config
        self.project = project
        # Per scope: the keys of paths moved, replaced or deleted, and the call that does it
        # (None for a configured atomic helper, which takes care of the path wherever it is).
        self.moved: Dict[int, List[Tuple[Set[str], Optional[ast.AST]]]] = {}
        for move in facts.moves:
            self._note_move(move.scope, identity(move.src, move.scope, facts), move.call)
        self.deleted: Dict[int, List[Tuple[Set[str], ast.AST]]] = {}
        for delete in facts.deletes:
            keys = identity(delete.arg, delete.scope, facts)
            self._note_move(delete.scope, keys, delete.call)
            self.deleted.setdefault(id(delete.scope), []).append((keys, delete.call))
        for call, scope in self._helper_calls():
            for arg in call.args[:1]:
                self._note_move(scope, identity(arg, scope, facts), None)
        if project is not None:
            self._note_project_moves(project)
        # How many functions of the module's classes (or nested functions) bear each name.
        self.defined_methods = Counter(name.rpartition(".")[2] for name in facts.functions if "." in name)
        self.handoffs: Dict[int, List[Tuple[Set[str], ast.AST]]] = {}
        for handoff in facts.handoffs:
            keys = identity(handoff.arg, handoff.scope, facts)
            self.handoffs.setdefault(id(handoff.scope), []).append((keys, handoff.call))
        self._branches: Dict[int, BranchMap] = {}
        self._checked: Optional[Dict[int, List[Tuple[Set[str], ast.AST]]]] = None  # built when first needed
        self.reads: Dict[str, str] = {}
        for read in facts.reads:
            self._note_read(read.arg, read.scope)
        self._note_reader_calls()
        if project is not None:
            self._note_project_readers(project)

    def _existence_checks(self) -> Dict[int, List[Tuple[Set[str], ast.AST]]]:
        """Per scope: the keys of paths tested with ``exists()``/``isfile()`` (a test of
        ``dir / name`` also names ``dir``), except tests that only clear the way: an ``if``
        whose body just makes a directory or deletes the path."""
        checked: Dict[int, List[Tuple[Set[str], ast.AST]]] = {}
        clearing = {id(made.call) for made in self.facts.new_dirs} | {id(gone.call) for gone in self.facts.deletes}
        scopes = {id(check.scope): check.scope for check in self.facts.exists_checks}
        ignored = {id(node) for scope in scopes.values() for node in _clearing_tests(scope.node, clearing)}
        for check in self.facts.exists_checks:
            if id(check.call) in ignored:
                continue
            keys = identity(check.arg, check.scope, self.facts)
            parent = _parent_path(check.arg, self.facts)
            if parent is not None:
                keys |= identity(parent, check.scope, self.facts)
            checked.setdefault(id(check.scope), []).append((keys, check.call))
        return checked

    def _checked_before(self, scope: Scope, node: ast.AST, keys: Set[str]) -> bool:
        """The function tests whether the path exists, on every path to ``node`` that writes it
        (or passes it on): code that expects to find the file from an earlier run keeps it."""
        if self._checked is None:
            self._checked = self._existence_checks()
        return any(
            keys & checked_keys and before(call, node) and self.branch_map(scope).on_every_path(call, node)
            for checked_keys, call in self._checked.get(id(scope), ())
        )

    def _note_project_moves(self, project: ProjectEvidence) -> None:
        """A call of another module's function that moves (or deletes) its argument takes
        care of the path the way ``os.replace`` does: what was written there is a temp."""
        writing = {id(site.scope) for site in self.facts.sites}
        for calls in (self.facts.qualified, self.facts.relative_calls):
            for name, found in calls.items():
                found = [(call, scope) for call, scope in found if id(scope) in writing and call.args]
                positions = project.moved_params(name) if found else ()
                for call, scope in found if positions else ():
                    for position in positions:
                        if position < len(call.args):
                            self._note_move(scope, identity(call.args[position], scope, self.facts), call)

    def _note_project_readers(self, project: ProjectEvidence) -> None:
        """A call of another module's function that reads its parameter reads the argument."""
        for calls in (self.facts.qualified, self.facts.relative_calls):
            for name, found in calls.items():
                positions = project.read_params(name) if any(call.args for call, _ in found) else ()
                for call, scope in found if positions else ():
                    for position in positions:
                        if position < len(call.args) and not isinstance(call.args[position], ast.Starred):
                            self._note_read(call.args[position], scope)

    def _note_read(self, expr: ast.expr, scope: Scope) -> None:
        where = f"{scope.name}()" if scope.kind == "function" else "at module level"
        for key in identity(expr, scope, self.facts):
            self.reads.setdefault(key, where)

    def _loader_of_same_parameter(self, keys: Set[str], scope: Scope) -> str:
        """A module that both loads and saves one subject through a parameter of the same name
        (``load_profile(path)`` reads it, ``save_profile(profile, path)`` writes it): the pair
        keeps state between runs."""
        if scope.kind != "function":
            return ""
        own = next((key.rpartition(":")[2] for key in keys if key.startswith(f"p:{scope.name}:")), "")
        if not own or own == scope.self_name:
            return ""
        saver = set(split_words(scope.name.rpartition(".")[2]))
        for key in self.reads:
            owner, _, param = key[2:].rpartition(":")
            if not key.startswith("p:") or param != own or owner == scope.name:
                continue
            loader = set(split_words(owner.rpartition(".")[2]))
            # load_profile(path) / save_profile(profile, path): a load verb and a shared subject
            if loader & LOAD_VERBS and (loader - LOAD_VERBS) & (saver - WRITE_VERBS):
                return owner
        return ""

    def _note_reader_calls(self) -> None:
        """A function that reads its parameter makes each of its calls a read of the argument."""
        for owner in self.facts.scopes:
            for param in owner.params:
                if f"p:{owner.name}:{param}" not in self.reads:
                    continue
                for call, caller in self.facts.calls.get(owner.name, ()):
                    arg = bind_argument(owner, param, call)
                    if arg is not None:
                        self._note_read(arg, caller)

    def _helper_calls(self) -> Iterator[Tuple[ast.Call, Scope]]:
        """Calls of the configured ``atomic-writes-helpers`` (by dotted name, or by name for
        relative imports and functions of this module)."""
        for helper in self.config.helpers:
            yield from self.facts.qualified.get(helper, ())
            yield from self.facts.calls.get(helper.rpartition(".")[2], ())

    def _diagnostic(self, site: WriteSite) -> str:
        """A diagnostic dump: written only when a debug or trace flag is set, or by a crash
        handler (``excepthook``, ``*_crash*``); nothing reads such files back."""
        for test in self.branch_map(site.scope).guards(site.call):
            words = {w for node in ast.walk(test) for w in _node_words(node)}
            if words & DEBUG_WORDS:
                return "a diagnostic dump behind a debug flag"
        scope: Optional[Scope] = site.scope
        while scope is not None and scope.kind == "function":
            if set(split_words(scope.name.rpartition(".")[2])) & CRASH_WORDS:
                return "a crash report written by a crash handler"
            scope = scope.parent
        return ""

    def _in_fixture(self, scope: Optional[Scope]) -> bool:
        """Inside a function decorated with ``@pytest.fixture``: test code, like test files."""
        while scope is not None and scope.kind == "function":
            for decorator in getattr(scope.node, "decorator_list", ()):
                func = decorator.func if isinstance(decorator, ast.Call) else decorator
                if self.facts.imports.qualname(func) in _FIXTURE_DECORATORS:
                    return True
            scope = scope.parent
        return False

    def _note_move(self, scope: Scope, keys: Set[str], call: Optional[ast.AST]) -> None:
        self.moved.setdefault(id(scope), []).append((keys, call))

    def branch_map(self, scope: Scope) -> BranchMap:
        """The branches of ``scope``'s function, built once when first needed."""
        found = self._branches.get(id(scope))
        if found is None:
            found = self._branches[id(scope)] = BranchMap(scope.node)
        return found

    def _moved_later(self, site: WriteSite, keys: Set[str]) -> bool:
        """The target is moved, replaced or deleted after the write, on a path that can follow
        it (a delete before the write, or in another branch, does not make it temporary)."""
        for moved_keys, call in self.moved.get(id(site.scope), ()):
            if not keys & moved_keys:
                continue
            if call is None:
                return True
            if before(site.call, call) and not self.branch_map(site.scope).exclusive(site.call, call):
                return True
        return False

    def _deleted_before(self, site: WriteSite, keys: Set[str]) -> bool:
        """The existing target is deleted just before it is written again: it outlives a run."""
        return any(
            keys & deleted_keys
            and before(call, site.call)
            and not self.branch_map(site.scope).exclusive(call, site.call)
            for deleted_keys, call in self.deleted.get(id(site.scope), ())
        )

    def judge(self, site: WriteSite) -> Verdict:
        """Weigh all the evidence about the target of ``site``."""
        hits = self.site_hits(site)
        verdict = combine(hits)
        if verdict.confidence:
            return replace(verdict, hazard=self.hazard(site))
        return verdict

    def site_hits(self, site: WriteSite) -> List[Hit]:
        """Every hit about the target of ``site`` (stopping at the first certain temporary one)."""
        scope = site.scope
        handle = site.handle or self.facts.attr_handles.get(id(site.call), "")
        if self._is_helper(scope) or (handle and handle in self.facts.locked):
            return [Hit("atomic-helper", "atomic helper or lock file")]
        if isinstance(site.target, ast.Constant) and isinstance(site.target.value, int):
            return [Hit("stream", "file descriptor")]
        if any(kw.arg == "closefd" and isinstance(kw.value, ast.Constant) and kw.value.value is False
               for kw in site.call.keywords):
            return [Hit("stream", "wraps a descriptor it does not own (closefd=False)")]
        library = self._atomic_target(site) if site.spec.name == ".open" else ""
        if library:
            return [Hit("atomic-helper", f"a {library} target: its open() writes a temporary file and renames it")]
        if id(site.call) in self.facts.touched or _writes_nothing(site) or (
            site.kind == "open" and id(site.call) in self.facts.discarded
        ):
            return [Hit("writes-nothing", "creates or empties the file, writes no data")]
        if not self.config.check_tests and self._in_fixture(scope):
            return [Hit("test-code", "in a pytest fixture (test code)")]
        keys = identity(site.target, scope, self.facts)
        if self._moved_later(site, keys):
            return [Hit("moved", "moved, replaced or deleted later")]
        hits = self._hits(site.target, scope, site, keys, 0)
        if _decided(hits):
            return hits
        if self._handed_off(site, keys):
            hits.append(Hit("handoff", "a hand-off file, passed to another program's command line"))
        diagnostic = self._diagnostic(site)  # last: it needs the function's branches
        if diagnostic:
            hits.append(Hit("diagnostic", diagnostic))
        return hits

    def _atomic_target(self, site: WriteSite) -> str:
        """The library (``ATOMIC_TARGETS``) whose target object ``site`` opens, or "": one made
        by a class of the library, or returned by a task's ``output()``/``input()`` in a module
        that imports it; directly or through a local name bound once. Only the object itself
        counts, not a call inside it (``Path(self.output().path).open("w")`` is a plain file)."""
        target = _bound_once(site.target, site.scope)
        if not isinstance(target, ast.Call):
            return ""
        qual = self.facts.imports.qualname(target.func) or ""
        made_by = next((library for library in ATOMIC_TARGETS if qual.startswith(library + ".")), "")
        return made_by or self._task_target(target)

    def _task_output(self, expr: ast.expr, scope: Scope) -> str:
        """The pipeline library (``ATOMIC_TARGETS``) whose task output ``expr`` is the path of,
        or "": ``self.output().path`` in a module that imports luigi, directly, through a path
        wrapper or a local name bound once. Only the path itself counts, not one built from it
        (``"%s.%d" % (self.output().path, i)`` is a part file)."""
        expr = unwrapped(_bound_once(unwrapped(expr, self.facts), scope), self.facts)
        if isinstance(expr, ast.Attribute) and expr.attr == "path" and isinstance(expr.value, ast.Call):
            return self._task_target(expr.value)
        return ""

    def _task_target(self, call: ast.Call) -> str:
        """The library whose target a task method returns (``self.output()``, ``self.input()``
        in a module that imports it), or ""."""
        if not isinstance(call.func, ast.Attribute):
            return ""
        return next((library for library, methods in ATOMIC_TARGETS.items()
                     if call.func.attr in methods and self.facts.imports.imports_package(library)), "")

    def _handed_off(self, site: WriteSite, keys: Set[str]) -> bool:
        """The file is put on a subprocess's command line after it is written in the same
        function, or, named the same way module-wide (a global, ``self.<attribute>``, a file
        name), anywhere in the module."""
        if any(keys & passed and before(site.call, call) for passed, call in self.handoffs.get(id(site.scope), ())):
            return True
        shared = {key for key in keys if key.startswith(_SHARED_KEYS)}
        return bool(shared) and any(
            shared & passed for calls in self.handoffs.values() for passed, _ in calls
        )

    def judge_target(self, expr: ast.expr, scope: Scope) -> Verdict:
        """Weigh the evidence about a path that is moved or copied onto (not written by an open call)."""
        return combine(self.target_hits(expr, scope))

    def target_hits(self, expr: ast.expr, scope: Scope) -> List[Hit]:
        """Every hit about a path that is moved or copied onto, or passed on."""
        return self._hits(expr, scope, None, identity(expr, scope, self.facts), 1)

    def _in_new_directory(self, site: WriteSite) -> bool:
        """Inside a directory the function just created: by a ``mkdir`` without ``exist_ok``
        before the write, or under the same ``if not exists(dir)`` as the write."""
        new = set()
        for made in self.facts.new_dirs:
            if made.scope is not site.scope or not before(made.call, site.call):
                continue
            guard = absence_guard(made.scope, made.call, made.arg)
            if guard is not None:
                if any(inner is site.call for stmt in guard.body + guard.orelse for inner in ast.walk(stmt)):
                    new |= identity(made.arg, made.scope, self.facts)
            elif not truthy_kw(made.call, "exist_ok") and not self.branch_map(site.scope).exclusive(
                made.call, site.call
            ):
                new |= identity(made.arg, made.scope, self.facts)
        if not new:
            return False
        return any(
            isinstance(node, (ast.Name, ast.Attribute)) and new & identity(node, site.scope, self.facts)
            for node in ast.walk(site.target)
        )

    def hazard(self, site: WriteSite, info: Optional[TargetInfo] = None) -> str:
        """``"new-file"`` when the write only creates the file (mode ``x``, an ``if not
        exists`` guard, a directory made just before, a unique or timestamped name), else
        ``"in-place"``: an existing good copy is truncated."""
        if mode_effect(site.mode) == "create" or guarded_absent(site.scope, site.call, site.target):
            return "new-file"
        if self._in_new_directory(site):
            return "new-file"
        info = info or describe(site.target, site.scope, self.facts)
        if info.calls & UNIQUE_CALLS:
            return "new-file"
        return "in-place"

    def _hits(self, expr: ast.expr, scope: Scope, site: Optional[WriteSite], keys: Set[str], depth: int) -> List[Hit]:
        """Every detector's hits about ``expr``; ``site`` is the write that started it (None
        for a path that is moved or copied onto). Stops at the first certain temporary hit."""
        info = describe(expr, scope, self.facts)
        hits = self._temporary(info)
        if _decided(hits):
            return hits
        if site is not None and depth == 0:  # what the writing function and its target are named
            if scope.cls and set(split_words(scope.cls)) & EPHEMERAL_WORDS:
                hits.append(Hit("temp-name", f"written by a method of {scope.cls}, named temporary"))
            if info.words & REPORT_WORDS:
                hits.append(Hit("diagnostic", "an error or debug report, by its name"))
        hits += self._imported(info)
        if _decided(hits):
            return hits
        library = self._task_output(expr, scope)
        if library:
            hits.append(Hit("checked", f"the path of a {library} task's output(): its existence marks the task done"))
        if site is not None and mode_effect(site.mode) == "create" and info.words & LOCK_WORDS:
            hits.append(Hit("lock", "a lock or pid file, created exclusively"))
        if info.params and depth < _MAX_CALLER_DEPTH:
            hits += self._by_callers(info, keys, site, depth)
        read_back = self._read_back(keys)
        if not read_back and self.project is not None:
            shared = shared_name(expr, scope, self.facts)
            read_back = self.project.read_elsewhere(*shared) if shared is not None else ""
        if not read_back and site is not None and id(site.call) in self.facts.written_back:
            read_back = f"loaded from the file {site.api}() writes back"  # ID3(path) ... .save()
        if read_back:
            hits.append(Hit("read", read_back))
        if site is not None and mode_effect(site.mode) == "append" and depth == 0:
            # Appends matter only to readers: a journal nobody reads back cannot break them.
            return [hit for hit in hits if hit.polarity == TEMPORARY or hit.kind == "read"]
        if any(text.lower().endswith(".log") for text in info.literals):
            hits.append(Hit("log", "a log output"))
        loader = self._loader_of_same_parameter(keys, scope) if site is not None else ""
        if loader:
            hits.append(Hit("loader", f"{loader}() loads the same parameter"))
        location = self._location(info)
        if location:
            hits.append(Hit("location", location))
        hits += self._name(info, site if depth == 0 else None)
        hits += self._save_like(info, scope, site, depth)
        if site is not None and depth == 0:
            content = _content(site)
            if content:
                hits.append(Hit("content", content))
            if site.spec.name in COPY_APIS:
                hits.append(Hit("copy", f"a copy made by {site.spec.short}()"))
            own_params = any(owner is scope and name != scope.self_name for owner, name in info.params)
            if not own_params and self._deleted_before(site, keys):
                hits.append(Hit("replaced", "the existing one is deleted first, so it outlives a run"))
            if self._checked_before(scope, site.call, keys):
                hits.append(Hit("checked", _CHECKED))
        return hits

    def _imported(self, info: TargetInfo) -> List[Hit]:
        """What the project knows about the imported names the target is built from."""
        if self.project is None or not info.refs:
            return []
        return [hit for name, called in sorted(info.refs) for hit in self.project.imported(name, called)]

    def _is_helper(self, scope: Scope) -> bool:
        name = scope.name.rpartition(".")[2]
        if name in KNOWN_ATOMIC_HELPERS:
            return True
        return any(helper.rpartition(".")[2] == name for helper in self.config.helpers)

    def _temporary(self, info: TargetInfo) -> List[Hit]:
        if any(call.startswith("tempfile.") for call in info.calls):
            return [Hit("temp-origin", "from tempfile")]
        if info.names & EPHEMERAL_NAMES:
            return [Hit("temp-origin", "a pytest temporary directory")]
        if info.qualnames & STREAMS or info.calls & STREAM_CALLS:
            return [Hit("stream", "a stream")]
        if self._matches(self.config.ephemeral_patterns, info):
            return [Hit("temp-pattern", "matches atomic-writes-ephemeral-patterns")]
        if info.words & EPHEMERAL_WORDS:
            return [Hit("temp-name", "a temporary name")]
        for text in info.literals:
            lowered = text.lower()
            if (
                lowered.startswith(EPHEMERAL_PREFIXES)
                or lowered.endswith(EPHEMERAL_SUFFIXES)
                or (lowered == "-" and len(info.literals) == 1)  # stdout, by convention
            ):
                return [Hit("temp-name", "a temporary path")]
        return []

    def _read_back(self, keys: Set[str]) -> str:
        for key in sorted(keys):
            where = self.reads.get(key)
            if where:
                return f"read back {where}" if where.startswith("at") else f"read back in {where}"
        return ""

    def _location(self, info: TargetInfo) -> str:
        for call in sorted(info.calls):
            if call in HOME_CALLS or call.startswith(("platformdirs.", "appdirs.", "xdg.", "xdg_base_dirs.")):
                shown = "Path" + call if call.startswith(".") else call.replace("pathlib.", "")
                return f"under {shown}()"
        for var in sorted(info.env):
            if HOME_ENV.match(var) and not set(split_words(var)) & OUTPUT_WORDS:
                return f"under ${var}"
        for key in sorted(info.settings):
            if not set(split_words(key)) & (OUTPUT_WORDS | EPHEMERAL_WORDS):
                return f"under the {key!r} setting"
        for call in sorted(info.calls):
            name = call.rpartition(".")[2]
            if LOCATION_CALL.match(name) and not set(split_words(name)) & EPHEMERAL_WORDS:
                return f"under {name}()"
        for text in info.literals:
            if text == "~" or text.startswith(("~/", "~\\")):
                return f"under {text!r}"
        for name in sorted(info.names):
            if SETTING_DIR.match(name) and not set(split_words(name)) & (OUTPUT_WORDS | EPHEMERAL_WORDS):
                if not self._relative_literal(name):
                    return f"under {name}"
        return ""

    def _relative_literal(self, name: str) -> bool:
        """``ENV_DIR = "venv"``: a directory name relative to somewhere, not a location."""
        values = self.facts.module.assigns.get(name, ())
        return bool(values) and all(
            isinstance(v, ast.Constant) and isinstance(v.value, str) and not v.value.startswith(("/", "~"))
            for v in values
        )

    def _name(self, info: TargetInfo, site: Optional[WriteSite]) -> List[Hit]:
        hits = []
        for text in info.literals:
            lowered = text.lower()
            if lowered.endswith(PERSISTENT_SUFFIXES):
                hits.append(Hit("suffix", f"a {lowered[lowered.rfind('.') :]!r} file"))
                break
        else:
            if info.hidden:
                hits.append(Hit("suffix", f"a hidden file, {min(info.hidden)!r}"))
        scripts = {w for text in info.literals if text.lower().endswith(SOURCE_SUFFIXES) for w in split_words(text)}
        words = info.own_words - scripts  # a script's name says what its code does, not what the file holds
        if site is not None and site.handle:
            words.update(split_words(site.handle))
        found = sorted(words & PERSISTENT_WORDS) or sorted(filter(None, map(_compound_head, words)))
        if found:
            hits.append(Hit("word", f"its name says {found[0]!r}"))
        if self._matches(self.config.persistent_patterns, info):
            hits.append(Hit("pattern", "matches atomic-writes-persistent-patterns"))
        return hits

    def _save_like(self, info: TargetInfo, scope: Scope, site: Optional[WriteSite], depth: int) -> List[Hit]:
        """``save()`` writing ``self.<attribute>`` or serialized data; or, for the function
        that writes (not its callers), a name that says so (``save_report``, ``write_config``)."""
        if scope.kind != "function":
            return []
        words = set(split_words(scope.name.rpartition(".")[2]))
        if words & SAVE_VERBS and (info.self_attrs or (site is not None and site.serializer)):
            return [Hit("save", f"saved by {scope.name}()")]
        if depth == 0 and (words & KEEP_VERBS or (words & WRITE_VERBS and (words - WRITE_VERBS) & PERSISTENT_WORDS)):
            return [Hit("writer-name", f"written by {scope.name}()")]
        return []

    def _by_callers(self, info: TargetInfo, keys: Set[str], site: Optional[WriteSite], depth: int) -> List[Hit]:
        """Judge a target built from parameters by what the callers pass.

        When the target *is* the parameter, any evidence about the argument counts; when the
        parameter is only a part of it (``os.path.join(out_dir, name)``), only its location.
        Evidence travels without weights (:func:`kinds.leaning`): a caller whose argument has
        persistent evidence and none temporary makes a ``caller`` hit; callers that all pass
        temporary paths make a ``temp-callers`` hit.
        """
        leanings: List[int] = []
        for owner, param in info.params:
            whole = f"p:{owner.name}:{param}" in keys
            for call, caller in self._callers(owner):
                arg = bind_argument(owner, param, call)
                if arg is None or caller is owner:  # a recursive call passes on what it was given
                    continue
                arg_keys = identity(arg, caller, self.facts)
                found = self._hits(arg, caller, site, arg_keys, depth + 1)
                if not found and whole and self._checked_before(caller, call, arg_keys):
                    found = [Hit("checked", _CHECKED)]
                lean = leaning(found)
                if lean == PERSISTENT and (whole or any(hit.kind == "location" for hit in found)):
                    where = f"{caller.name}()" if caller.kind == "function" else "module level"
                    best = max(found, key=lambda hit: strength(hit.kind))
                    return [Hit("caller", f"{where} passes {short_text(arg)}: {best.detail}")]
                leanings.append(lean)
            remote = self._remote_callers(owner, param, whole, depth)
            if remote is not None and any(hit.kind == "caller" for hit in remote):
                return list(remote)
            if remote is not None:
                leanings.append(leaning(remote))
        if leanings and all(lean == TEMPORARY for lean in leanings):
            return [Hit("temp-callers", "every caller passes a temporary path")]
        return []

    def _remote_callers(self, owner: Scope, param: str, whole: bool, depth: int) -> Optional[Sequence[Hit]]:
        """What other modules pass for ``param`` of a module-level function, or of the
        constructor of a module-level class (None: no callers)."""
        if self.project is None or depth > 0 or owner.parent is None:
            return None
        if owner.parent.kind == "module":
            return self.project.callers(owner.name, param, owner.params.index(param), whole)
        made = _constructed(owner)
        if made:
            return self.project.callers(made, param, owner.params.index(param) - 1, whole)
        return None

    def _callers(self, owner: Scope) -> List[Tuple[ast.Call, Scope]]:
        """Calls of ``owner`` in this module; for ``__init__``, the calls of its class."""
        made = _constructed(owner)
        found = list(self.facts.calls.get(owner.name, ())) + list(self.facts.calls.get(made, ()) if made else ())
        return found + self._calls_on_objects(owner)

    def _calls_on_objects(self, owner: Scope) -> List[Tuple[ast.Call, Scope]]:
        """``job.dump(d)``: calls of a method on an object of unknown class, when one class of
        the module alone defines a method of that name."""
        if not (owner.kind == "function" and owner.parent is not None and owner.parent.kind == "class"):
            return []
        method = owner.name.rpartition(".")[2]
        if method.startswith("__") or self.defined_methods.get(method) != 1:
            return []
        return list(self.facts.calls.get("." + method, ()))

    @staticmethod
    def _matches(patterns: Sequence["re.Pattern[str]"], info: TargetInfo) -> bool:
        texts = list(info.literals) + sorted(info.names)
        return any(pattern.search(text) for pattern in patterns for text in texts)


_CHECKED = "tested for existence first, so it outlives a run"
_SHARED_KEYS = ("g:", "a:", "s:", "x:")  # identity keys that name one file across the module's functions


def _clearing_tests(root: ast.AST, clearing: Set[int]) -> Iterator[ast.AST]:
    """The nodes of each ``if`` test under ``root`` whose body only runs ``clearing`` calls,
    perhaps inside a ``try`` (``if not d.exists(): d.mkdir()``, ``if p.exists(): p.unlink()``)."""
    for node in ast.walk(root):
        if isinstance(node, ast.If) and not node.orelse and _only_clears(node.body, clearing):
            yield from ast.walk(node.test)


def _only_clears(body: Sequence[ast.stmt], clearing: Set[int]) -> bool:
    return all(
        (isinstance(stmt, ast.Expr) and id(stmt.value) in clearing)
        or (isinstance(stmt, ast.Try) and _only_clears(stmt.body, clearing))
        for stmt in body
    )


def _parent_path(expr: ast.expr, facts: ModuleFacts) -> Optional[ast.expr]:
    """``dir`` of ``dir / name`` or ``os.path.join(dir, name)``, else None."""
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Div):
        return expr.left
    if isinstance(expr, ast.Call) and len(expr.args) == 2 and facts.imports.qualname(expr.func) == "os.path.join":
        return expr.args[0]
    return None


_FIXTURE_DECORATORS = frozenset({"pytest.fixture", "pytest.yield_fixture", "pytest_asyncio.fixture"})


_COMPOUND_TAILS = ("dir", "dirs", "path", "file", "files", "name", "db")


def _compound_head(word: str) -> str:
    """``cachedir`` -> ``cache``, ``statefile`` -> ``state``: a state word run into a path word."""
    for tail in _COMPOUND_TAILS:
        head = word[: -len(tail)]
        if word.endswith(tail) and head in PERSISTENT_WORDS:
            return head
    return ""


def _node_words(node: ast.AST) -> List[str]:
    if isinstance(node, ast.Name):
        return split_words(node.id)
    if isinstance(node, ast.Attribute):
        return split_words(node.attr)
    return []


def _constructed(owner: Scope) -> str:
    """``Store`` when ``owner`` is ``Store.__init__`` of a module-level class, else ""."""
    cls = owner.parent
    if owner.name.rpartition(".")[2] != "__init__" or cls is None or cls.kind != "class":
        return ""
    return cls.name if cls.parent is not None and cls.parent.kind == "module" else ""


def _bound_once(expr: ast.expr, scope: Scope) -> ast.expr:
    """The value of a local name assigned exactly once in ``scope``, else ``expr`` itself."""
    if isinstance(expr, ast.Name):
        values = scope.assigns.get(expr.id, [])
        if len(values) == 1:
            return values[0]
    return expr


def _writes_nothing(site: WriteSite) -> bool:
    """``p.write_text("")``: creates or empties the file; there is no state to tear."""
    data = site.call.args[0] if site.kind == "path_write" and site.call.args else None
    return isinstance(data, ast.Constant) and data.value in ("", b"")


def _content(site: WriteSite) -> str:
    """Evidence from what is written: a state serializer's own write (``torch.save``), or
    serialized data (``json.dump`` into the handle, ``write_text(json.dumps(...))``)."""
    if site.spec.state:
        return f"{site.api}() writes serialized state"
    if site.content:
        return f"writes {site.content}() output"
    if site.serializer and not site.serializer.startswith("csv."):  # tables are exports, not state
        return f"{site.serializer}() writes serialized data"
    return ""


def _decided(hits: Sequence[Hit]) -> bool:
    """A certain temporary hit decides alone: nothing else needs looking at."""
    return any(hit.polarity == TEMPORARY and BY_NAME[hit.kind].certain for hit in hits)


def short_text(expr: ast.expr, limit: int = 40) -> str:
    """The expression's source, shortened for a message (``<deeply nested expression>``)."""
    try:
        text = ast.unparse(expr)
    except RecursionError:
        return "<deeply nested expression>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def target_text(expr: ast.expr) -> str:
    """The target as quoted in messages: ``'self.path'``, or the literal itself."""
    text = short_text(expr)
    if isinstance(expr, ast.Constant):
        return text
    return f'"{text}"' if "'" in text else f"'{text}'"
