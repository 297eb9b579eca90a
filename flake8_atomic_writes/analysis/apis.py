"""The one table of write APIs: every call that opens, creates or writes a file.

A row names the API, where its path (or handle) argument and its mode are, the rule code it
reports under, and the rewrite the fixer may apply. The text prefilter, the fact collection,
the classifier, the fixer's registry and the rule docs all read this table: adding an API is
one row here and one fixture.

Names are either qualified (``"gzip.open"``, resolved through imports and aliases) or a
method (``".to_csv"``), which applies to any receiver except a module; a method row with
``mode_first`` is a ``Path.open(mode)``-style call whose path is the receiver.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, Literal, Optional, Tuple

Family = Literal["path_write", "open", "writer"]
Effect = Literal["truncate", "create", "append", "update", "read"]


@dataclass(frozen=True)
class Arg:
    """Where an argument sits: its position and its keyword (``position=-1``: the receiver)."""

    position: int
    keyword: str


RECEIVER = Arg(-1, "")
ALWAYS = "w"  # the mode of APIs that always truncate and write


@dataclass(frozen=True)
class WriteApi:
    """One API that writes a file."""

    name: str
    family: Family
    code: str
    target: Arg
    mode: Optional[Arg] = None  # None: the API always truncates (``ALWAYS``)
    default_mode: str = "r"  # the mode when the mode argument is absent
    fix: str = ""  # the fixer's rewrite kind; "" = no automatic fix
    no_fix: str = "the rule has no automatic fix for this API"  # why, when ``fix`` is ""
    helper: str = "atomic_open(path, 'wb')"  # what the message proposes
    flags: bool = False  # the mode is an ``os.O_*`` flag expression (``os.open``)
    min_args: int = 1  # method rows: fewer positional and keyword arguments is no write
    state: bool = False  # it serializes program state (checkpoints, arrays): evidence of persistence

    @property
    def short(self) -> str:
        """The name as messages show it: ``open``, ``gzip.open``, ``Path.write_text``."""
        if self.name.startswith("."):
            return ("Path" if self.family in ("path_write",) or self.name == ".open" else "") + self.name
        return self.name.replace("builtins.", "")

    @property
    def word(self) -> str:
        """The identifier a module must contain to call this API (the prefilter's key)."""
        return self.name.rpartition(".")[2]


def _open(name: str, target: str = "file", default: str = "r", no_fix: str = "") -> WriteApi:
    """An ``open()``-like call; ``no_fix`` says why the fixer cannot swap in ``atomic_open``."""
    return WriteApi(
        name,
        "open",
        "AW102",
        Arg(0, target),
        Arg(1, "mode"),
        default,
        fix="" if no_fix else "open",
        no_fix=no_fix,
        helper="atomic_open(path, {mode})",
    )


def _compressed(name: str, default: str) -> WriteApi:
    """A compressed file opened like ``open()``: AW104, since ``atomic_open`` writes it raw."""
    return WriteApi(name, "open", "AW104", Arg(0, "filename"), Arg(1, "mode"), default)


def _writer(name: str, position: int, keyword: str, helper: str = "atomic_open(path, 'wb')") -> WriteApi:
    return WriteApi(name, "writer", "AW104", Arg(position, keyword), helper=helper)


def _state(name: str, position: int, keyword: str, helper: str = "atomic_open(path, 'wb')") -> WriteApi:
    """A writer whose whole purpose is saving program state: model checkpoints, arrays."""
    return WriteApi(name, "writer", "AW104", Arg(position, keyword), helper=helper, state=True)


def _archive(name: str, target: str, default: str = "r") -> WriteApi:
    return WriteApi(name, "writer", "AW104", Arg(0, target), Arg(1, "mode"), default)


_COPY = "atomic_write_bytes(dst, Path(src).read_bytes())"
_STAGED_DIR = "a directory staged beside the target, then os.replace() it onto the target"

WRITE_APIS: Tuple[WriteApi, ...] = (
    # AW101: Path.write_text / write_bytes (any receiver: the method names are Path's alone).
    WriteApi(".write_text", "path_write", "AW101", RECEIVER, fix="write_text", helper="atomic_write_text"),
    WriteApi(".write_bytes", "path_write", "AW101", RECEIVER, fix="write_text", helper="atomic_write_bytes"),
    # AW102 / AW103: the open family, in every spelling.
    _open("builtins.open"),
    _open("io.open"),
    _open("io.FileIO", no_fix="io.FileIO is unbuffered and binary; rewrite it with atomic_open by hand"),
    _open(
        "codecs.open", "filename", no_fix="codecs.open() takes different arguments; rewrite it with atomic_open by hand"
    ),
    _open("os.fdopen", "fd", no_fix="the file is opened from a descriptor, not a path"),
    WriteApi(
        ".open",
        "open",
        "AW102",
        RECEIVER,
        Arg(0, "mode"),
        "r",
        fix="open",
        helper="atomic_open(path, {mode})",
        min_args=0,
    ),
    WriteApi(
        "os.open",
        "open",
        "AW102",
        Arg(0, "path"),
        Arg(1, "flags"),
        flags=True,
        no_fix="the file is opened as a descriptor",
    ),
    _compressed("gzip.open", "rb"),
    _compressed("gzip.GzipFile", "rb"),
    _compressed("bz2.open", "rb"),
    _compressed("bz2.BZ2File", "r"),
    _compressed("lzma.open", "rb"),
    _compressed("lzma.LZMAFile", "r"),
    # AW104: archives, copies and writers given a path.
    _archive("tarfile.open", "name"),
    _archive("tarfile.TarFile", "name"),
    _archive("zipfile.ZipFile", "file"),
    _archive("h5py.File", "name"),
    WriteApi("numpy.memmap", "writer", "AW104", Arg(0, "filename"), Arg(2, "mode"), "r"),
    _writer("shutil.copyfile", 1, "dst", _COPY),
    _writer("shutil.copy", 1, "dst", _COPY),
    _writer("shutil.copy2", 1, "dst", _COPY),
    _writer("shutil.copytree", 1, "dst", _STAGED_DIR),
    _writer("urllib.request.urlretrieve", 1, "filename"),
    _writer("pstats.Stats.dump_stats", 0, "filename"),
    _writer(".dump_stats", 0, "filename"),
    _state("torch.save", 1, "f"),
    _state("numpy.save", 0, "file"),
    _state("numpy.savez", 0, "file"),
    _state("numpy.savez_compressed", 0, "file"),
    _writer("numpy.savetxt", 0, "fname"),
    _state("joblib.dump", 1, "filename"),
    _state("safetensors.torch.save_file", 1, "filename"),
    _state("safetensors.numpy.save_file", 1, "filename"),
    _state("safetensors.torch.save_model", 1, "filename"),
    _state(".save_checkpoint", 0, "save_dir", _STAGED_DIR),  # DeepSpeed, Megatron, Lightning checkpoints
    _state(".save_pretrained", 0, "save_directory", _STAGED_DIR),  # Hugging Face models and configs
    _writer(".to_csv", 0, "path_or_buf"),
    _writer(".to_json", 0, "path_or_buf"),
    _writer(".to_parquet", 0, "path"),
    _writer(".to_pickle", 0, "path"),
    _writer(".to_feather", 0, "path"),
)

# Methods that write only on receivers of one kind (``Receiver`` below decides the kind).
RECEIVER_APIS: Dict[str, Tuple[WriteApi, ...]] = {
    "element_tree": (_writer(".write", 0, "file_or_filename"),),
    "image": (_writer(".save", 0, "fp"),),
    "ruamel_yaml": (_writer(".dump", 1, "stream"),),
    "config_obj": (WriteApi(".write", "writer", "AW104", RECEIVER, min_args=0),),
    # A directory writer: members are written straight into the destination tree.
    "archive": (_writer(".extractall", 0, "path", _STAGED_DIR), _writer(".extract", 1, "path", _STAGED_DIR)),
    # Tag editors rewrite the media file they loaded; GitPython's writer rewrites .git/config.
    "tagged_media": (WriteApi(".save", "writer", "AW104", RECEIVER, min_args=0),),
    "git_repo": (WriteApi(".config_writer", "writer", "AW104", RECEIVER, min_args=0),),
}
# Libraries whose targets write atomically: ``open("w")`` on one writes a temporary file and
# renames it onto the target on close. Package -> the methods of its tasks that return targets
# (luigi's ``LocalTarget``/``HdfsTarget``, and a ``Task``'s ``self.output()``).
ATOMIC_TARGETS: Dict[str, FrozenSet[str]] = {"luigi": frozenset({"output", "input"})}
# How messages and docs name each receiver kind's class.
RECEIVER_NAMES: Dict[str, str] = {
    "element_tree": "ElementTree",
    "image": "PIL.Image",
    "ruamel_yaml": "ruamel.yaml.YAML",
    "config_obj": "ConfigObj",
    "archive": "ZipFile/TarFile",
    "tagged_media": "mutagen.FileType",
    "git_repo": "git.Repo",
}
# The constructors that make a receiver of each kind (a name assigned from one, or a call).
RECEIVER_MAKERS: Dict[str, Tuple[str, ...]] = {
    "element_tree": (
        "xml.etree.ElementTree.parse",
        "xml.etree.ElementTree.ElementTree",
        "xml.etree.cElementTree.parse",
        "xml.etree.cElementTree.ElementTree",
    ),
    "image": ("PIL.Image.open", "PIL.Image.new", "PIL.Image.fromarray", "PIL.Image.frombytes"),
    "ruamel_yaml": ("ruamel.yaml.YAML",),
    "config_obj": ("configobj.ConfigObj",),
    "archive": ("zipfile.ZipFile", "tarfile.open", "tarfile.TarFile"),
    "tagged_media": ("mutagen.",),  # a name ending in "." stands for every class of the package
    "git_repo": ("git.Repo", "git.Repo.init", "git.Repo.clone_from", "git.repo.Repo", "git.repo.base.Repo"),
}

BY_NAME: Dict[str, WriteApi] = {api.name: api for api in WRITE_APIS}


def configured_writers(writers: Iterable[Tuple[str, int]]) -> Tuple[WriteApi, ...]:
    """Rows for ``atomic-writes-writers`` (a project's own functions that write a path)."""
    return tuple(
        WriteApi(name, "writer", "AW104", Arg(position, ""), helper="atomic_write_bytes(path, data)")
        for name, position in writers
    )


METHODS: Dict[str, WriteApi] = {api.name[1:]: api for api in WRITE_APIS if api.name.startswith(".")}

# Functions that serialize data to a string or bytes: content that is then written is state.
# Serializers that write into an open handle: (position, keyword) of the handle argument.
# The facts follow the handle to its open(); the fixer rewrites what writes into it.
SERIALIZERS: Dict[str, Tuple[int, str]] = {
    "json.dump": (1, "fp"),
    "pickle.dump": (1, "file"),
    "pickle.Pickler": (0, "file"),
    "marshal.dump": (1, "file"),
    "yaml.dump": (1, "stream"),
    "yaml.safe_dump": (1, "stream"),
    "yaml.dump_all": (1, "stream"),
    "yaml.safe_dump_all": (1, "stream"),
    "toml.dump": (1, "f"),
    "tomli_w.dump": (1, "fp"),
    "tomlkit.dump": (1, "fp"),
    "plistlib.dump": (1, "fp"),
    "csv.writer": (0, "csvfile"),
    "csv.DictWriter": (0, "f"),
}

STRING_SERIALIZERS = frozenset(
    {
        "json.dumps",
        "yaml.dump",
        "yaml.safe_dump",
        "toml.dumps",
        "tomli_w.dumps",
        "tomlkit.dumps",
        "pickle.dumps",
        "marshal.dumps",
        "plistlib.dumps",
        "orjson.dumps",
        "ujson.dumps",
        "msgpack.packb",
        "msgpack.dumps",
    }
)


# Rewrites beyond the rows' own: json.dump into an open handle collapses to atomic_json_dump,
# and os.rename / Path.rename of a temp onto its target (AW201) becomes a replace.
JSON_DUMP_FIX = "json_dump"
RENAME_FIX = "rename"


def fix_kinds() -> frozenset[str]:
    """Every rewrite kind the analysis can put in a fix hint (the fixer registers each)."""
    return frozenset(api.fix for api in WRITE_APIS if api.fix) | {JSON_DUMP_FIX, RENAME_FIX}


def documented_apis(code: str) -> Tuple[str, ...]:
    """The API names a rule checks, for its doc page: every table row with its ``code``."""
    rows = [api.short for api in WRITE_APIS if api.code == code]
    rows += [
        f"{RECEIVER_NAMES[kind]}{api.name}" for kind, apis in RECEIVER_APIS.items() for api in apis if api.code == code
    ]
    return tuple(rows)


def mode_effect(mode: str) -> Effect:
    """What opening in ``mode`` does to an existing file: ``"w"`` truncates, ``"x"`` only
    creates, ``"a"`` appends, ``"r+"`` updates in place, anything else reads."""
    if "w" in mode:
        return "truncate"
    if "x" in mode:
        return "create"
    if "a" in mode:
        return "append"
    return "update" if "+" in mode else "read"


def flags_mode(flag_names: Iterable[str]) -> str:
    """The ``open()`` mode equivalent to a set of ``os.O_*`` flag names (``"r"`` for none)."""
    names = set(flag_names)
    if not names & {"O_WRONLY", "O_RDWR"}:
        return "r"  # read-only, or O_CREAT alone: creates an empty file, writes nothing
    if "O_APPEND" in names:
        return "a"
    if "O_EXCL" in names:
        return "x"
    return "w" if "O_TRUNC" in names else "r+"


def _trigger(api: WriteApi) -> Tuple[str, ...]:
    """Substrings one of which a module must contain to call ``api``: a method's ``.name(``;
    a third-party module's import (``import torch``, ``from torch``); a standard-library
    function's dotted name or a ``from`` import of its module (``shutil.copy``, ``from shutil``)."""
    if api.name.startswith("."):
        return (f".{api.word}(",)
    root = api.name.partition(".")[0]
    if root in _GENERIC_ROOTS:
        return (api.word,)
    if root in _STDLIB_ROOTS:
        return (api.name, f"from {root}")
    return (f"import {root}", f"from {root}")


_GENERIC_ROOTS = frozenset({"builtins", "os", "io", "urllib", "xml"})
_STDLIB_ROOTS = _GENERIC_ROOTS | {"shutil", "pstats"}


def _triggers() -> Tuple[str, ...]:
    """Substrings one of which a module must contain to write without a write-mode literal:
    the APIs that always write and, for the flaw rules, a move of a temp onto its target.
    Plain substrings: ``in`` is many times faster than a regex."""
    words = {word for api in WRITE_APIS if api.mode is None for word in _trigger(api)}
    words |= {"rename(", "os.replace", "shutil.move", "from shutil"}
    # A trigger that contains another is redundant: "shutil.copy" covers "shutil.copyfile".
    return tuple(sorted(w for w in words if not any(o != w and o in w for o in words)))


def _grouped(triggers: Tuple[str, ...]) -> Dict[str, Tuple[str, ...]]:
    """Triggers grouped under a short shared key (``".to_"`` for ``".to_csv("``, ``"torch"``
    for ``"import torch"``): the key is searched first, the triggers only when it is there."""
    groups: Dict[str, list[str]] = {}
    for trigger in triggers:
        head = trigger.partition(" ")[2] or trigger
        key = head[: head.index("_") + 1] if head.startswith(".") and "_" in head else head[:6]
        groups.setdefault(key, []).append(trigger)
    return {key: tuple(group) for key, group in groups.items()}


def _receiver_triggers() -> Tuple[Tuple[Tuple[str, ...], str], ...]:
    """For each receiver kind: the words naming its maker, and the method call it writes by."""
    makers = {
        kind: {m.split(".")[-2] if m.startswith("xml.") else m.partition(".")[0] for m in names}
        for kind, names in RECEIVER_MAKERS.items()
    }
    makers["element_tree"] |= {"etree"}
    return tuple((tuple(sorted(makers[kind])), f".{api.word}(") for kind, apis in RECEIVER_APIS.items() for api in apis)


ALWAYS_WRITERS = _triggers()
_TRIGGER_GROUPS = _grouped(ALWAYS_WRITERS)
RECEIVER_TRIGGERS = _receiver_triggers()
_WHOLE_WORDS: Dict[str, "re.Pattern[str]"] = {}  # compiled on first need


def _whole_word(word: str, source: str) -> bool:
    """``word`` starts a word in ``source`` (``rename(`` but not ``_rename(``)."""
    pattern = _WHOLE_WORDS.get(word)
    if pattern is None:
        pattern = _WHOLE_WORDS[word] = re.compile(rf"\b{re.escape(word)}")
    return pattern.search(source) is not None


_MODAL_CALLS = ("open(", "File(", "FileIO(", "memmap(")
_WRITE_MODE = re.compile(r"""['"][rbt+]{0,3}[wxa][rbt+]{0,3}(?:-|:\w*)?['"]""")
_MODE_ASSIGNMENT = re.compile(r"""=\s*['"][rbt+]{0,3}[wxa][rbt+]{0,3}['"]""")
# A call of a name bound to an opener (``open_fn = fs.open if fs else open``; ``opener(p, "w")``).
_OPEN_ALIAS = re.compile(r"open\w+\(")
_CALL_SPAN = 240  # characters after ``open(`` searched for its mode literal


def may_write(source: str, extra: Iterable[WriteApi] = ()) -> bool:
    """The text prefilter: ``False`` only for modules that cannot hold a write site."""
    for key, group in _TRIGGER_GROUPS.items():
        if key in source:
            for word in group:
                if word in source and (word[0] == "." or _whole_word(word, source)):
                    return True
    for makers, method in RECEIVER_TRIGGERS:
        if method in source and any(maker in source for maker in makers):
            return True
    if any(api.word in source for api in extra):
        return True
    return _opens_for_writing(source)


def _opens_for_writing(source: str) -> bool:
    """An ``open(``-like call with a write-mode literal in its arguments, a mode variable
    assigned one (``mode = "w"``), or ``os.O_WRONLY``/``O_RDWR`` flags."""
    if not any(call in source for call in _MODAL_CALLS) and _OPEN_ALIAS.search(source) is None:
        return False
    if "O_WRONLY" in source or "O_RDWR" in source:
        return True
    if _WRITE_MODE.search(source) is None:
        return False
    for call in _MODAL_CALLS:
        start = source.find(call)
        while start >= 0:
            if _WRITE_MODE.search(source, start, start + _CALL_SPAN):
                return True
            start = source.find(call, start + 1)
    for alias in _OPEN_ALIAS.finditer(source):
        if _WRITE_MODE.search(source, alias.end(), alias.end() + _CALL_SPAN):
            return True
    return _MODE_ASSIGNMENT.search(source) is not None
