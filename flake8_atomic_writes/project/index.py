"""The project index: module names resolved to summaries, built lazily, and the per-module
view the classifier asks (``ProjectEvidence``).

Summaries are built only for the modules a question leads to (an import, transitively
through re-exports and path constants, bounded in depth); asking who calls a function
lists the project's files once per process and summarizes only those that mention it.
"""

from __future__ import annotations

import hashlib
import io
import re
import tokenize
from dataclasses import fields
from itertools import islice
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

from ..analysis.kinds import BY_NAME, PERSISTENT, TEMPORARY, Hit, leaning, strength
from ..analysis.findings import is_test_file
from ..config import Config
from ..files import read_regular
from .cache import SummaryCache, cache_for, entry_key
from .root import inside, locate, module_name, project_root, python_files, search_paths
from .summary import _STDLIB, CallSummary, Evidence, FunctionSummary, ModuleSummary, absolute, summarize

_MAX_DEPTH = 4
_MAX_CALLERS_DEPTH = 2  # callers of callers of callers, at most
MAX_FILES = 20000  # a root without markers may be a home directory: look no further than this
_WORD = re.compile(rb"[A-Za-z_]\w*")
_RELATIVE = re.compile(rb"[ \t]*from[ \t]+\.")
Resolved = Tuple[Path, ModuleSummary, str]  # (module file, its summary, member name or "")


class ProjectIndex:
    """Summaries of one project's modules, shared by every file checked in this process."""

    def __init__(self, root: Path, config: Config, cache: Optional[SummaryCache]) -> None:
        self.root = root
        self.config = config
        self.cache = cache
        self.fingerprint = fingerprint(config)
        self._summaries: Dict[Path, Optional[ModuleSummary]] = {}
        self._texts: Dict[Path, str] = {}  # buffers that replace a file's text, until summarized
        self._digests: Dict[Path, str] = {}
        self._located: Dict[Tuple[str, Tuple[Path, ...]], Optional[Path]] = {}
        self._bases: Dict[Path, Tuple[Path, ...]] = {}
        self._mentions: Optional[Dict[Path, FrozenSet[bytes]]] = None  # file -> words of its imports
        self._bytes: Dict[Path, bytes] = {}  # sources read while looking for callers, kept to a budget
        self._bytes_kept = 0
        self._callers: Dict[Tuple[Path, str], List[Tuple[Path, ModuleSummary, CallSummary]]] = {}

    # -- summaries ---------------------------------------------------------------------

    def override(self, path: Path, text: str) -> None:
        """Use ``text`` (an editor's buffer, the module being checked) as ``path``'s source."""
        digest = _digest(text)
        if self._digests.get(path) != digest:
            self._texts[path], self._digests[path] = text, digest
            self._bytes.pop(path, None)
            if self._summaries.pop(path, None) is not None:
                self._callers.clear()

    def summary(self, path: Path) -> Optional[ModuleSummary]:
        """The summary of the module in ``path``; None when it cannot be read or parsed."""
        if path not in self._summaries:
            self._summaries[path] = self._build(path)
        return self._summaries[path]

    def _build(self, path: Path) -> Optional[ModuleSummary]:
        text = self._texts.pop(path, None)
        try:
            if text is None:
                text = _decode(read_regular(path))
        except (OSError, SyntaxError, UnicodeDecodeError, LookupError):
            return None  # unreadable, or a FIFO: skipped, as if it were not in the project
        digest = _digest(text)
        key = entry_key(path, digest, self.fingerprint)
        found = self.cache.load(key) if self.cache is not None else None
        if found is not None:
            return found
        module, is_package = module_name(path)
        try:
            built = summarize(text, module, is_package, self.config)
        except (SyntaxError, ValueError, RecursionError, MemoryError):  # MemoryError: too deep for CPython
            return None
        if self.cache is not None:
            self.cache.store(key, built)
        return built

    # -- names -------------------------------------------------------------------------

    def bases(self, path: Path) -> Tuple[Path, ...]:
        found = self._bases.get(path)
        if found is None:
            found = self._bases[path] = search_paths(path, self.root)
        return found

    def locate(self, dotted: str, origin: Path) -> Optional[Path]:
        """The project file of module ``dotted`` as imported from ``origin``."""
        key = (dotted, self.bases(origin))
        if key not in self._located:
            found = locate(dotted, key[1]) if dotted.partition(".")[0] not in _STDLIB else None
            self._located[key] = found if found is not None and inside(found, self.root) else None
        return self._located[key]

    def resolve(self, dotted: str, origin: Path, depth: int = 0) -> Optional[Resolved]:
        """What an absolute dotted name imported in ``origin`` is: a module or one of its
        members, following re-exports (``from .storage import save`` in ``__init__``)."""
        parts = dotted.split(".")
        for end in range(len(parts), 0, -1):
            path = self.locate(".".join(parts[:end]), origin)
            if path is None:
                continue
            summary = self.summary(path)
            rest = parts[end:]
            if summary is None or not rest:
                return (path, summary, "") if summary is not None else None
            member = rest[0]
            target = summary.imports.get(member)
            if target is None and member not in summary.functions and member not in summary.constants:
                starred = self._starred(summary, member, path, depth)
                if starred is not None:
                    return starred if len(rest) == 1 else None
            if target is None or member in summary.functions or member in summary.constants:
                return (path, summary, member) if len(rest) == 1 else None
            if depth < _MAX_DEPTH and target != dotted:
                return self.resolve(".".join([target, *rest[1:]]), path, depth + 1)
            return None
        return None

    def _starred(self, summary: ModuleSummary, member: str, origin: Path, depth: int) -> Optional[Resolved]:
        """``member`` as re-exported by one of the module's ``from x import *``."""
        for star in summary.stars if depth < _MAX_DEPTH else ():
            found = self.resolve(f"{star}.{member}", origin, depth + 1)
            if found is not None and found[1] is not None and _defines(found[1], found[2]):
                return found
        return None

    # -- evidence ----------------------------------------------------------------------

    def settle(self, evidence: Evidence, origin: Path, depth: int = 0) -> Tuple[Hit, ...]:
        """A summary's hits, with those of the imported names it is built from (a certain
        temporary hit of the module's own decides alone)."""
        own = tuple(Hit(kind, detail) for kind, detail in evidence.hits)
        if depth > _MAX_DEPTH or any(BY_NAME[hit.kind].certain for hit in own):
            return own
        found = list(own)
        for name, called in evidence.refs:
            found += self.ref_hits(name, called, origin, depth + 1)[0]
        return tuple(found)

    def ref_hits(self, name: str, called: bool, origin: Path, depth: int = 0) -> Tuple[Tuple[Hit, ...], str]:
        """The hits about imported ``name`` (a constant, or what a called function returns),
        and how messages show it (``paths.STATE_FILE``, ``paths.place()``)."""
        found = self.resolve(name, origin)
        if found is None or not found[2]:
            return (), ""
        path, summary, member = found
        shown = f"{summary.module.rpartition('.')[2]}.{member}"
        if called:
            function = summary.functions.get(member)
            evidence = function.returns if function is not None else None
            shown += "()"
        else:
            evidence = summary.constants.get(member)
        if evidence is None:
            return (), ""
        return self.settle(evidence, path, depth), shown

    def reader(self, path: Path, member: str) -> str:
        """Where a module of the project (``path``'s own included) reads its path ``member``:
        ``loader.load()``; "" when none does."""
        for other in [path, *self._mentioning(path, _word(member))]:
            summary = self.summary(other)
            if summary is None:
                continue
            for name, where in summary.reads:
                if name.rpartition(".")[2] != member:
                    continue
                resolved = self.resolve(name, other)
                if resolved is not None and resolved[0] == path and resolved[2] == member:
                    module = summary.module.rpartition(".")[2]
                    return f"{module}.{where}" if where.endswith("()") else f"{where} in {module}"
        return ""

    # -- callers -----------------------------------------------------------------------

    def callers(self, path: Path, function: str) -> List[Tuple[Path, ModuleSummary, CallSummary]]:
        """Calls of ``function`` of the module in ``path`` from the project's other modules."""
        key = (path, function)
        if key not in self._callers:
            found: List[Tuple[Path, ModuleSummary, CallSummary]] = []
            for other in self._mentioning(path, _word(function)):
                summary = self.summary(other) if other != path else None
                if summary is None:
                    continue
                for call in summary.calls:
                    if call.callee.rpartition(".")[2] != function and not call.callee.endswith(f".{function}"):
                        continue
                    resolved = self.resolve(call.callee, other)
                    if resolved is not None and resolved[0] == path and resolved[2] == function:
                        found.append((other, summary, call))
            self._callers[key] = found
        return self._callers[key]

    def passed(
        self, path: Path, function: str, param: str, position: int, whole: bool, depth: int = 0
    ) -> Optional[List[Hit]]:
        """What the project's callers of ``function`` in ``path`` pass for ``param`` (None:
        no callers), as a ``caller`` or ``temp-callers`` hit (or none); a caller that passes
        its own parameter is judged by its callers in turn."""
        found = self.callers(path, function)
        if not found:
            return None
        leanings = []
        for origin, summary, call in found:
            args = dict(call.args)
            evidence = args.get(param) or args.get(str(position))
            if evidence is None:
                leanings.append(0)
                continue
            hits: Sequence[Hit] = self.settle(evidence, origin)
            caller = summary.functions.get(call.caller)
            if not hits and evidence.param and caller is not None and depth < _MAX_CALLERS_DEPTH:
                index = caller.params.index(evidence.param) if evidence.param in caller.params else -1
                further = self.passed(origin, call.caller, evidence.param, index, whole, depth + 1)
                hits = further if further is not None else hits
            lean = leaning(hits)
            if lean == PERSISTENT and (whole or any(hit.kind in ("location", "caller") for hit in hits)):
                where = summary.module.rpartition(".")[2] + (f".{call.caller}()" if call.caller else "")
                best = max(hits, key=lambda hit: strength(hit.kind))
                return [Hit("caller", f"{where} passes {evidence.text}: {best.detail}")]
            leanings.append(lean)
        if all(lean == TEMPORARY for lean in leanings):
            return [Hit("temp-callers", "every caller in the project passes a temporary path")]
        return []

    def _mentioning(self, path: Path, word: bytes) -> List[Path]:
        """Project files (tests aside) whose imports can reach ``path``'s module (they name
        one of its package parts, or import relatively) and that mention ``word``."""
        if self._mentions is None:
            self._mentions = {}
            for other in islice(python_files(self.root), MAX_FILES):
                if self.config.check_tests or not is_test_file(str(other.relative_to(self.root))):
                    self._mentions[other] = _import_words(_source_bytes(other, self._texts.get(other)))
        parts = {_word(part) for part in module_name(path)[0].split(".")} | {b"."}
        return [
            other
            for other, imported in self._mentions.items()
            if parts & imported and (word in imported or word in self._source(other))
        ]

    def _source(self, path: Path) -> bytes:
        """A project file's bytes, read once while they fit in ``_BYTES_BUDGET``."""
        data = self._bytes.get(path)
        if data is None:
            data = _source_bytes(path, self._texts.get(path))
            if self._bytes_kept + len(data) <= _BYTES_BUDGET:
                self._bytes[path] = data
                self._bytes_kept += len(data)
        return data


_BYTES_BUDGET = 64 * 1024 * 1024  # sources kept in memory while looking for a helper's callers


def _defines(summary: ModuleSummary, member: str) -> bool:
    """The module defines ``member``: a function, a path constant or a class with methods."""
    return bool(member) and (
        member in summary.functions
        or member in summary.constants
        or any(name.startswith(f"{member}.") for name in summary.functions)
    )


def _source_bytes(path: Path, text: Optional[str]) -> bytes:
    try:
        return text.encode("utf-8", "surrogatepass") if text is not None else read_regular(path)
    except OSError:
        return b""


def _word(name: str) -> bytes:
    """A name as it is spelled in a file's bytes (a module named by a file name that is not
    UTF-8 keeps its bytes)."""
    return name.encode("utf-8", "surrogateescape")


def _import_words(data: bytes) -> FrozenSet[bytes]:
    """The words of the lines of ``data`` that import (``.`` for a relative import)."""
    words = set()
    found = data.find(b"import")
    while found != -1:
        start = data.rfind(b"\n", 0, found) + 1
        end = data.find(b"\n", found)
        end = len(data) if end == -1 else end
        line = data[start:end]
        words.update(_WORD.findall(line))
        if _RELATIVE.match(line):
            words.add(b".")
        found = data.find(b"import", end)
    return frozenset(words)


_NOT_IN_SUMMARIES = frozenset({"enabled", "new_files", "min_confidence", "select"})


def fingerprint(config: Config) -> str:
    """A stable hash of the options a summary depends on (sets sorted, patterns as text): not
    those that only filter findings, which would throw a warm cache away."""
    values = []
    for item in fields(config):
        if item.name in _NOT_IN_SUMMARIES:
            continue
        value = getattr(config, item.name)
        if isinstance(value, (set, frozenset)):
            value = sorted(value)
        elif isinstance(value, tuple):
            value = [getattr(v, "pattern", v) for v in value]
        values.append((item.name, value))
    return hashlib.sha256(repr(values).encode()).hexdigest()[:16]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _decode(data: bytes) -> str:
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding)


class ModuleView:
    """The index as one module sees it: ``ProjectEvidence`` for the classifier."""

    def __init__(self, index: ProjectIndex, path: Path) -> None:
        self.index = index
        self.path = path
        self.module, self.is_package = module_name(path)

    def _absolute(self, name: str) -> Optional[str]:
        found = absolute(name, self.module, self.is_package)
        return found if found is not None and found.partition(".")[0] not in _STDLIB else None

    def imported(self, name: str, called: bool) -> Tuple[Hit, ...]:
        found = self._absolute(name)
        if found is None:
            return ()
        hits, shown = self.index.ref_hits(found, called, self.path)
        return tuple(Hit(hit.kind, f"{shown}: {hit.detail}") for hit in hits)

    def callers(self, function: str, param: str, position: int, whole: bool) -> Optional[List[Hit]]:
        return self.index.passed(self.path, function, param, position, whole)

    def read_elsewhere(self, name: str, own: bool) -> str:
        found = f"{self.module}.{name}" if own else self._absolute(name)
        resolved = self.index.resolve(found, self.path) if found is not None else None
        if resolved is None or not resolved[2]:
            return ""
        where = self.index.reader(resolved[0], resolved[2])
        return f"read back in {where}" if where else ""

    def moved_params(self, name: str) -> Tuple[int, ...]:
        function = self._function(name)
        return tuple(i for i, p in enumerate(function.params) if p in function.moves) if function else ()

    def read_params(self, name: str) -> Tuple[int, ...]:
        function = self._function(name)
        return tuple(i for i, p in enumerate(function.params) if p in function.reads) if function else ()

    def _function(self, name: str) -> Optional[FunctionSummary]:
        """The summary of the module-level function ``name`` imported from the project."""
        found = self._absolute(name)
        resolved = self.index.resolve(found, self.path) if found is not None else None
        if resolved is None or not resolved[2]:
            return None
        return resolved[1].functions.get(resolved[2])


_INDEXES: Dict[Tuple[Path, str], ProjectIndex] = {}


def view_for(filename: str, text: str, config: Config) -> Optional[ModuleView]:
    """The project view of the module in ``filename`` whose source is ``text`` (None when
    the file is outside its project root or under an excluded directory)."""
    path = Path(filename).resolve()
    root = project_root(filename, config.project_root)
    if not inside(path, root):
        return None
    key = (root, fingerprint(config))
    index = _INDEXES.get(key)
    if index is None:
        index = _INDEXES[key] = ProjectIndex(root, config, cache_for(root, config))
    index.override(path, text)
    return ModuleView(index, path)
