"""The rule catalogue: the one place where codes, messages, fix safety and docs live.

Everything else (the flake8 checker, the command line, the fixer, the README table and
``docs/rules/``) reads from ``RULES``. A code is never renumbered or reused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Literal, Mapping, Optional, Tuple

FixKind = Literal["safe", "unsafe", "none"]

DOCS_URL = "https://github.com/flake8-atomic-writes/flake8-atomic-writes/blob/main/docs/rules/{code}.md"


# The confidence levels of a finding, lowest first (``atomic-writes-min-confidence``).
LEVELS = ("low", "medium", "high")


@dataclass(frozen=True)
class Rule:
    """One rule: identity, message template, defaults and its documentation sections."""

    code: str
    name: str
    summary: str
    message: str
    default_enabled: bool
    fix: FixKind
    what: str
    why: str
    example: str
    use_instead: str
    fix_safety: str
    options: str
    references: Tuple[Tuple[str, str], ...] = ()
    new_file_message: str = ""  # the message when the write only creates the file

    @property
    def url(self) -> str:
        return DOCS_URL.format(code=self.code)

    def format(self, fields: Mapping[str, str], hazard: str = "in-place") -> str:
        """Return the one-line message (without the code) with ``fields`` filled in; a
        ``"new-file"`` hazard uses ``new_file_message`` where the rule has one."""
        template = self.new_file_message if hazard == "new-file" and self.new_file_message else self.message
        return template.format_map(fields)


def writer_remedy(helper: str, module: str) -> str:
    """AW104's advice (its ``{remedy}`` field): our helper when the table names one, else the
    table's how-to (``a directory staged beside the target, ...``)."""
    if helper.partition("(")[0].isidentifier():
        return f"Write to a temp file in the same directory and os.replace() it, or use {module}.{helper}"
    return f"Use {helper}"


Applicability = Literal["safe", "unsafe", "none"]


@dataclass(frozen=True)
class FixHint:
    """What the fixer may do at one site: the analysis's half of the fix contract.

    ``kind`` names a rewrite of the fixer's registry (``"write_text"``, ``"open"``,
    ``"json_dump"``, ``"rename"``), read from the write-API table; ``helper`` is the helper
    or call the rewrite produces (``"atomic_write_text"``, ``"os.replace"``);
    ``applicability`` is the site's safety, never above the rule's catalogue ``fix``; and
    ``reason`` says why it is capped ("" when the site is as safe as the rule).
    """

    kind: str
    helper: str
    applicability: Applicability
    reason: str = ""


@dataclass(frozen=True)
class Finding:
    """A reported problem: 1-based line, 0-based character column, code and message.

    ``fix`` is the site's fix hint, or ``None`` when nothing can rewrite it.
    """

    line: int
    col: int
    code: str
    message: str
    fix: Optional[FixHint] = None
    confidence: str = ""  # one of LEVELS, for findings about a write's target
    evidence: Tuple[str, ...] = ()  # the kinds of evidence found (``analysis.kinds``), strongest first

    @property
    def text(self) -> str:
        """The message as flake8 prints it: ``"AW101 ..."``."""
        return f"{self.code} {self.message}"


_COMMON_OPTIONS = (
    "- `atomic-writes-helper-module`: the module named in the message and used by the fixer "
    "(default `flake8_atomic_writes`).\n"
    "- `atomic-writes-persistent-patterns` / `atomic-writes-ephemeral-patterns`: extra regexes "
    "for names and path literals that mark a target as persistent or temporary.\n"
    "- `atomic-writes-helpers`: dotted names of your own atomic helpers (never flagged).\n"
    "- `atomic-writes-check-tests`: also check test files (skipped by default)."
)


def _opt_in(code: str) -> str:
    """How an opt-in rule is turned on (its docs' Options line)."""
    return (
        f"- `atomic-writes-enable = {code}` turns the rule on, and so does selecting it by its full "
        f"code (`--select={code}`, `extend-select = {code}`); a prefix (`AW3`, `AW`) does not."
    )


_INODE_NOTE = (
    "The helpers write a new file and rename it over the old one, so the target gets a new "
    "inode: hard links to it are broken and tools that watch the inode see a replace. The "
    "helpers keep the file's permission bits, its owner (where permitted) and write through "
    "symlinks, and the parent directory must be writable."
)

_REFS_ATOMIC: Tuple[Tuple[str, str], ...] = (
    ("Python documentation: os.replace", "https://docs.python.org/3/library/os.html#os.replace"),
    ("Python documentation: os.fsync", "https://docs.python.org/3/library/os.html#os.fsync"),
    (
        "Pillai et al., All File Systems Are Not Created Equal (OSDI 2014)",
        "https://www.usenix.org/conference/osdi14/technical-sessions/presentation/pillai",
    ),
)

_RULE_LIST = (
    Rule(
        code="AW101",
        name="non-atomic-path-write",
        summary="`Path.write_text()` / `Path.write_bytes()` rewrites a persistent file in place",
        message=(
            "{call}() rewrites {target} in place ({evidence}); a crash leaves it truncated. "
            "Use {module}.{helper}(path, data)"
        ),
        new_file_message=(
            "{call}() creates {target} without an atomic publish ({evidence}); a crash leaves a "
            "truncated file that is later trusted. Use {module}.{helper}(path, data)"
        ),
        default_enabled=True,
        fix="safe",
        what=(
            "Checks for `Path.write_text()` and `Path.write_bytes()` calls whose target is a "
            "persistent file: one the program reads back, one under a home, config, data or "
            "cache directory, or one whose name says it holds state (`.json`, `config`, "
            "`cache`, `token`, ...)."
        ),
        why=(
            "`write_text()` opens the file with `O_TRUNC` and then writes. If the process is "
            "killed, the machine loses power or the disk fills up in between, the file is left "
            "empty or half written, and the next start of the program fails to parse its own "
            "state. An atomic write puts the data in a temporary file in the same directory, "
            "flushes and fsyncs it, and `os.replace()`s it over the target, so readers see "
            "either the old or the new content, never a torn file."
        ),
        example=(
            "import json\n"
            "from pathlib import Path\n\n"
            'STATE_FILE = Path.home() / ".myapp" / "state.json"\n\n\n'
            "def save(state: dict) -> None:\n"
            "    STATE_FILE.write_text(json.dumps(state))\n"
        ),
        use_instead=(
            "import json\n"
            "from pathlib import Path\n\n"
            "from flake8_atomic_writes import atomic_write_text\n\n"
            'STATE_FILE = Path.home() / ".myapp" / "state.json"\n\n\n'
            "def save(state: dict) -> None:\n"
            "    atomic_write_text(STATE_FILE, json.dumps(state))\n"
        ),
        fix_safety=(
            "The fix rewrites `p.write_text(s, ...)` to `atomic_write_text(p, s, ...)` (and "
            "`write_bytes` to `atomic_write_bytes`), keeping every argument. It is **safe** for a "
            "call that is a statement of its own (its result unused) and, for `write_text`, passes "
            "`encoding=`: `STATE.write_text(json.dumps(d), encoding=\"utf-8\")`. It is **unsafe** "
            "otherwise: `Path.write_text()` without `encoding=` uses the locale encoding, while "
            "the helper defaults to UTF-8, and a used return value (a character count) becomes "
            "`None`. " + _INODE_NOTE
        ),
        options=_COMMON_OPTIONS,
        references=(
            (
                "Python documentation: Path.write_text",
                "https://docs.python.org/3/library/pathlib.html#pathlib.Path.write_text",
            ),
        )
        + _REFS_ATOMIC,
    ),
    Rule(
        code="AW102",
        name="non-atomic-open-write",
        summary="`open()` in a truncating or creating mode rewrites a persistent file in place",
        message=(
            "{call}() in mode {mode} rewrites {target} in place ({evidence}); a crash leaves "
            "it truncated. Use: with {module}.atomic_open(path, {mode}) as f"
        ),
        new_file_message=(
            "{call}() in mode {mode} creates {target} without an atomic publish ({evidence}); a "
            "crash leaves a truncated file that is later trusted. Use: with {module}.atomic_open(path, {mode}) as f"
        ),
        default_enabled=True,
        fix="safe",
        what=(
            "Checks for the open family in every spelling (`open()`, `io.open()`, `io.FileIO`, "
            "`codecs.open()`, `Path.open()`, `os.fdopen(os.open(...))`, `os.open()` with write "
            "flags, and any object's `.open(path, mode)` when the mode literally writes) in a "
            "truncating or creating write mode (`w`, `wb`, `w+`, `wt`, `x`, ...) whose target is a "
            "persistent file; also when the function is reached through a name, an attribute or "
            "`functools.partial` (`opener = gzip.open if compress else open`, `self._open = open`). "
            "An update mode (`r+`) counts only when the handle is also truncated. A file that is "
            "only created (mode `x`, an `if not path.exists()` guard, a directory made just before, "
            "a unique or timestamped name) is reported with its own message; "
            "`atomic-writes-new-files = false` turns those off."
        ),
        why=(
            "Opening with `w` truncates the file at once; the new content only reaches the disk "
            "as it is written. A crash, a kill or a full disk in between leaves the file empty or "
            "partial. Writing into a temporary file in the same directory and renaming it over "
            "the target publishes the new content in one step."
        ),
        example=(
            "def save_settings(settings: dict, path: str = 'settings.ini') -> None:\n"
            "    with open(path, 'w') as f:\n"
            "        for key, value in settings.items():\n"
            "            f.write(f'{key}={value}\\n')\n"
        ),
        use_instead=(
            "from flake8_atomic_writes import atomic_open\n\n\n"
            "def save_settings(settings: dict, path: str = 'settings.ini') -> None:\n"
            "    with atomic_open(path, 'w') as f:\n"
            "        for key, value in settings.items():\n"
            "            f.write(f'{key}={value}\\n')\n"
        ),
        fix_safety=(
            "The fix swaps `open`/`io.open` for `atomic_open` in a `with` statement "
            "(`p.open(mode)` becomes `atomic_open(p, mode)`) and keeps the body; positional "
            "`encoding`/`errors`/`newline` become keywords. `atomic_open` takes the same "
            "arguments as `open()`, with the same locale default, and commits the file when the "
            "block ends normally. The fix is **safe** when the mode is a string literal and the "
            "body only writes to the handle (`write`, `writelines`, `flush`, a serializer's "
            "`dump`, a `csv` writer, `print(file=f)`). It is **unsafe** when the body uses the "
            "handle any other way (`read`, `seek`, `tell`, `name`, `fileno`, `close`, passing "
            "it elsewhere) or mentions the path again, because the new content is only visible "
            "after the block. It is not offered for a handle not opened in a `with`, for "
            "`codecs.open`/`os.fdopen`, or when `buffering`/`closefd`/`opener` are passed. An "
            "exception inside the block now discards the write instead of leaving a partial "
            "file. " + _INODE_NOTE
        ),
        options=_COMMON_OPTIONS,
        references=(("Python documentation: open", "https://docs.python.org/3/library/functions.html#open"),)
        + _REFS_ATOMIC,
    ),
    Rule(
        code="AW103",
        name="non-atomic-serializer-dump",
        summary="A serializer (`json.dump`, `pickle.dump`, ...) writes into a handle opened in place",
        message=(
            "{serializer}() into {call}({mode}) rewrites {target} in place ({evidence}); a crash "
            "leaves it truncated and unparseable. Use {module}.{helper}"
        ),
        new_file_message=(
            "{serializer}() into {call}({mode}) creates {target} without an atomic publish ({evidence}); "
            "a crash leaves a truncated file that is later trusted. Use {module}.{helper}"
        ),
        default_enabled=True,
        fix="safe",
        what=(
            "Checks for `json.dump`, `pickle.dump`, `marshal.dump`, `yaml.dump`/`safe_dump`, "
            "`toml`/`tomli_w`/`tomlkit.dump`, `plistlib.dump` and `csv` writers that write into "
            "a file opened in a truncating mode on a persistent target. The finding is reported "
            "once, at the `open()` call."
        ),
        why=(
            "A serializer writes its output in many small pieces, so the window in which a crash "
            "leaves a truncated file is long, and a truncated JSON, pickle or YAML document "
            "cannot be loaded at all: the program fails on its next start. Serializing to a "
            "string first and writing it atomically also keeps a serialization error from "
            "destroying the old file."
        ),
        example=(
            "import json\n\n"
            "CONFIG_PATH = 'config.json'\n\n\n"
            "def save(config: dict) -> None:\n"
            "    with open(CONFIG_PATH, 'w') as f:\n"
            "        json.dump(config, f, indent=2)\n"
        ),
        use_instead=(
            "from flake8_atomic_writes import atomic_json_dump\n\n"
            "CONFIG_PATH = 'config.json'\n\n\n"
            "def save(config: dict) -> None:\n"
            "    atomic_json_dump(config, CONFIG_PATH, indent=2)\n"
        ),
        fix_safety=(
            "`with open(p, 'w') as f: json.dump(obj, f, **kw)` (the dump as the only statement) "
            "and `json.dump(obj, open(p, 'w'))` become `atomic_json_dump(obj, p, **kw)`. The "
            "helper writes exactly the bytes `json.dump` would have written. The fix is **safe** "
            "when the output is ASCII (the default `ensure_ascii=True`) or the file was opened "
            "with a UTF-8 encoding; otherwise it is unsafe, because the helper always writes "
            "UTF-8; `**kwargs` on the dump make it unsafe unless the file was opened with a UTF-8 "
            "encoding. The collapse needs the dump to be the only statement, with no comments in "
            "the block and no other use of the handle; otherwise, and for other serializers, the "
            "fix is the AW102 swap of `open` for `atomic_open`. An import that only the collapsed "
            "call used (`import json`, `from json import dump`) is removed. " + _INODE_NOTE
        ),
        options=_COMMON_OPTIONS,
        references=(
            ("Python documentation: json.dump", "https://docs.python.org/3/library/json.html#json.dump"),
        )
        + _REFS_ATOMIC,
    ),
    Rule(
        code="AW104",
        name="non-atomic-stdlib-writer",
        summary="A writer given a path (`shutil.copy*`, `ElementTree.write`, `torch.save`, ...) writes a state file",
        message=(
            "{call}() writes {target} in place ({evidence}); a crash leaves it truncated. {remedy}"
        ),
        new_file_message=(
            "{call}() creates {target} without an atomic publish ({evidence}); a crash leaves a "
            "truncated file that is later trusted. {remedy}"
        ),
        default_enabled=True,
        fix="none",
        what=(
            "Checks for functions that open and write a persistent path themselves: copies onto "
            "it (`shutil.copyfile`/`copy`/`copy2`/`copytree`, `urlretrieve`), compressed files and "
            "archives opened for writing (`gzip.open(path, 'wb')`, `tarfile.open(path, 'w')`, "
            "`zipfile.ZipFile(path, 'w')`, `h5py.File(path, 'w')`), writers given a path "
            "(`ElementTree.write`, `YAML().dump(obj, path)`, `ConfigObj.write()`), and the data and "
            "ML writers where checkpoint and cache corruption hurts most (`torch.save`, `numpy.save`, "
            "`DataFrame.to_csv`, `joblib.dump`, `PIL.Image.save`, safetensors' `save_file`). Writers "
            "that exist to save program state (`torch.save`, `numpy.save`, `joblib.dump`, "
            "`save_file`, `save_checkpoint`, `save_pretrained`) count as evidence themselves. Your "
            "own writers are added with `atomic-writes-writers`."
        ),
        why=(
            "These functions truncate the destination and write it in place, with the same "
            "crash window as `open(path, 'w')`, only hidden inside a library call."
        ),
        example=(
            "import shutil\n"
            "from pathlib import Path\n\n"
            "CONFIG = Path.home() / '.config' / 'tool' / 'config.toml'\n\n\n"
            "def install_default_config(template: Path) -> None:\n"
            "    shutil.copyfile(template, CONFIG)\n"
        ),
        use_instead=(
            "from pathlib import Path\n\n"
            "from flake8_atomic_writes import atomic_write_bytes\n\n"
            "CONFIG = Path.home() / '.config' / 'tool' / 'config.toml'\n\n\n"
            "def install_default_config(template: Path) -> None:\n"
            "    atomic_write_bytes(CONFIG, template.read_bytes())\n"
        ),
        fix_safety=(
            "There is no automatic fix: the right rewrite depends on the writer (a copy becomes "
            "`atomic_write_bytes(dst, src.read_bytes())`, `tree.write(path)` becomes "
            "`with atomic_open(path, 'wb') as f: tree.write(f)`), and both change memory use "
            "or metadata handling."
        ),
        options=_COMMON_OPTIONS,
        references=(
            (
                "Python documentation: shutil.copyfile",
                "https://docs.python.org/3/library/shutil.html#shutil.copyfile",
            ),
        )
        + _REFS_ATOMIC,
    ),
    Rule(
        code="AW201",
        name="rename-over-target",
        summary="`os.rename()` / `Path.rename()` moves a temp file over its target",
        message=(
            "{call}() moves temp {temp} over {target}; on Windows it fails when the target "
            "exists. Use {replacement}"
        ),
        default_enabled=True,
        fix="safe",
        what=(
            "Checks for `os.rename()` and `Path.rename()` that move a temporary file onto an "
            "existing target as the last step of a hand-rolled atomic write."
        ),
        why=(
            "On POSIX `rename()` replaces the destination atomically, but on Windows "
            "`os.rename()` raises `FileExistsError` when the destination exists, so the second "
            "save of the file fails. `os.replace()` (and `Path.replace()`) replace the "
            "destination on every platform."
        ),
        example=(
            "import os\n\n\n"
            "def save(path: str, data: str) -> None:\n"
            "    tmp = path + '.tmp'\n"
            "    with open(tmp, 'w') as f:\n"
            "        f.write(data)\n"
            "    os.rename(tmp, path)\n"
        ),
        use_instead=(
            "import os\n\n\n"
            "def save(path: str, data: str) -> None:\n"
            "    tmp = path + '.tmp'\n"
            "    with open(tmp, 'w') as f:\n"
            "        f.write(data)\n"
            "    os.replace(tmp, path)\n"
        ),
        fix_safety=(
            "The fix renames the call (`os.rename` to `os.replace`, `.rename(` to `.replace(`; "
            "after `from os import rename`, a call to `replace` imported from `os`, and the `rename` "
            "import is removed when nothing else uses it). It is "
            "**safe**: the two behave the same except where `rename` would have raised because "
            "the target exists. The rule is silent when the destination is provably absent "
            "(checked with `exists()` first, just removed or moved away, which AW204 reports "
            "instead, or a lock name created on purpose)."
        ),
        options="- `atomic-writes-helpers`: your own replace wrappers are treated like `os.replace`.",
        references=(
            ("Python documentation: os.rename", "https://docs.python.org/3/library/os.html#os.rename"),
            ("Python documentation: os.replace", "https://docs.python.org/3/library/os.html#os.replace"),
        ),
    ),
    Rule(
        code="AW202",
        name="temp-outside-target-dir",
        summary="The temp file is made outside the target's directory, then moved onto it",
        message=(
            "temp {temp} is created outside the directory of {target} ({where}); os.replace() "
            "fails across filesystems and shutil.move() silently copies in place. Create it "
            "with dir= set to the target's directory"
        ),
        default_enabled=True,
        fix="none",
        what=(
            "Checks for temporary files created in the system temp directory "
            "(`NamedTemporaryFile()`, `mkstemp()` or `mkdtemp()` without `dir=`, "
            "`gettempdir()`, a `/tmp` literal) that are then replaced or moved onto a "
            "persistent target."
        ),
        why=(
            "`/tmp` is often another filesystem (a tmpfs, or a different volume in a "
            "container). `os.replace()` then fails with `EXDEV`, and `shutil.move()` falls "
            "back to copying the data into the target in place, which is exactly the "
            "non-atomic write the temp file was meant to avoid."
        ),
        example=(
            "import os\nimport tempfile\n\n\n"
            "def save(path: str, data: bytes) -> None:\n"
            "    fd, tmp = tempfile.mkstemp()\n"
            "    with os.fdopen(fd, 'wb') as f:\n"
            "        f.write(data)\n"
            "    os.replace(tmp, path)\n"
        ),
        use_instead=(
            "import os\nimport tempfile\n\n\n"
            "def save(path: str, data: bytes) -> None:\n"
            "    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)))\n"
            "    with os.fdopen(fd, 'wb') as f:\n"
            "        f.write(data)\n"
            "    os.replace(tmp, path)\n"
        ),
        fix_safety="There is no automatic fix: the right directory expression depends on the code.",
        options="None.",
        references=(
            (
                "Python documentation: tempfile.mkstemp",
                "https://docs.python.org/3/library/tempfile.html#tempfile.mkstemp",
            ),
            (
                "Python documentation: shutil.move",
                "https://docs.python.org/3/library/shutil.html#shutil.move",
            ),
        ),
    ),
    Rule(
        code="AW203",
        name="replace-while-open",
        summary="The temp file is renamed while still open or before its data is flushed",
        message=(
            "temp {temp} is moved onto {target} while it is still open ({why}); the target can "
            "be published incomplete. Close the temp file before replacing"
        ),
        default_enabled=True,
        fix="none",
        what=(
            "Checks for a temp file that is renamed or replaced onto its target inside the "
            "`with` block that writes it, or before `close()` or `flush()` is called on it."
        ),
        why=(
            "Data written through a Python file object sits in a user-space buffer until the "
            "file is flushed or closed. Renaming before that publishes a file that is missing "
            "its tail; on Windows the rename also fails because the file is still open."
        ),
        example=(
            "import os\nimport tempfile\n\n\n"
            "def save(path: str, text: str) -> None:\n"
            "    with tempfile.NamedTemporaryFile('w', dir=os.path.dirname(path), delete=False) as f:\n"
            "        f.write(text)\n"
            "        os.replace(f.name, path)\n"
        ),
        use_instead=(
            "import os\nimport tempfile\n\n\n"
            "def save(path: str, text: str) -> None:\n"
            "    with tempfile.NamedTemporaryFile('w', dir=os.path.dirname(path), delete=False) as f:\n"
            "        f.write(text)\n"
            "        f.flush()\n"
            "        os.fsync(f.fileno())\n"
            "    os.replace(f.name, path)\n"
        ),
        fix_safety="There is no automatic fix: moving statements out of a block changes control flow.",
        options="None.",
        references=_REFS_ATOMIC,
    ),
    Rule(
        code="AW204",
        name="fake-atomic-write",
        summary="A temp file is copied onto the target, or the target is deleted before the rename",
        message=(
            "fake atomic write: {how}; a crash leaves {target} truncated or missing. Use "
            "os.replace(temp, target) or {module}.{helper}"
        ),
        default_enabled=True,
        fix="none",
        what=(
            'Checks for hand-rolled "safe" writes that are not atomic: a temp file written and '
            "then *copied* onto the target (`shutil.copy*`, `copyfile`), the target removed "
            "before the temp is renamed onto it, or a backup made and the real target then "
            "still opened in `w` mode. A copy reported here is not reported again as AW104 on "
            "the same line, unless `select` hides AW204 (`--select=AW1`): then the AW104 stands."
        ),
        why=(
            "A copy writes the target in place, with the same crash window as writing it "
            "directly. Deleting the target before the rename leaves no file at all if the "
            "process dies in between. A backup copy does not make the in-place write that "
            "follows it any safer: the program still reads the truncated file on its next start."
        ),
        example=(
            "import os\n\n\n"
            "def save(path: str, data: str) -> None:\n"
            "    tmp = path + '.tmp'\n"
            "    with open(tmp, 'w') as f:\n"
            "        f.write(data)\n"
            "    if os.path.exists(path):\n"
            "        os.remove(path)\n"
            "    os.rename(tmp, path)\n"
        ),
        use_instead=(
            "import os\n\n\n"
            "def save(path: str, data: str) -> None:\n"
            "    tmp = path + '.tmp'\n"
            "    with open(tmp, 'w') as f:\n"
            "        f.write(data)\n"
            "    os.replace(tmp, path)\n"
        ),
        fix_safety="There is no automatic fix.",
        options=_COMMON_OPTIONS,
        references=_REFS_ATOMIC,
    ),
    Rule(
        code="AW301",
        name="non-atomic-write-unknown-target",
        summary="(opt-in) A non-atomic write whose target could not be classified",
        message=(
            "{call}() rewrites {target} in place; nothing shows whether it is temporary or "
            "persistent. If it holds state, use {module}.{helper}"
        ),
        default_enabled=False,
        fix="unsafe",
        what=(
            "Reports the whole-file writes of AW101 to AW104 whose target is not judged persistent "
            "at `atomic-writes-min-confidence` and not shown temporary: at the default level, "
            "writes with no evidence either way and writes whose evidence is weak. With "
            "`atomic-writes-min-confidence = low`, writes with no evidence are reported under their "
            "own AW1 code instead, at low confidence."
        ),
        why=(
            "About half of such writes hold state, measured on labeled real code: many are "
            "exports or reports that a crash does not make worse, which is why they are silent "
            "by default. Turn this rule on to audit a code base once, or in "
            "projects where every file written is state."
        ),
        example=(
            "def export(rows: list, out_path: str) -> None:\n"
            "    with open(out_path, 'w') as f:\n"
            "        f.writelines(rows)\n"
        ),
        use_instead=(
            "from flake8_atomic_writes import atomic_open\n\n\n"
            "def export(rows: list, out_path: str) -> None:\n"
            "    with atomic_open(out_path, 'w') as f:\n"
            "        f.writelines(rows)\n"
        ),
        fix_safety="The same rewrites, with the same safety, as AW101 to AW103; all are unsafe here.",
        options=_opt_in("AW301") + "\n" + _COMMON_OPTIONS,
        references=_REFS_ATOMIC,
    ),
    Rule(
        code="AW302",
        name="replace-without-fsync",
        summary="(opt-in) A temp file is replaced onto its target without `fsync` first",
        message=(
            "temp {temp} is replaced onto {target} without os.fsync(); after a power loss the "
            "target can be empty. fsync the temp before replacing, or use {module}.{helper}"
        ),
        default_enabled=False,
        fix="none",
        what="Checks for a temp-file-and-replace write that never calls `os.fsync()` on the temp file.",
        why=(
            "Without `fsync` the rename can reach the disk before the data: after a power loss "
            "the target exists but is empty or short. The pattern is still safe against a killed "
            "process, which is why the rule is opt-in."
        ),
        example=(
            "import os\n\n\n"
            "def save(path: str, data: str) -> None:\n"
            "    tmp = path + '.tmp'\n"
            "    with open(tmp, 'w') as f:\n"
            "        f.write(data)\n"
            "    os.replace(tmp, path)\n"
        ),
        use_instead=(
            "import os\n\n\n"
            "def save(path: str, data: str) -> None:\n"
            "    tmp = path + '.tmp'\n"
            "    with open(tmp, 'w') as f:\n"
            "        f.write(data)\n"
            "        f.flush()\n"
            "        os.fsync(f.fileno())\n"
            "    os.replace(tmp, path)\n"
        ),
        fix_safety="There is no automatic fix.",
        options=_opt_in("AW302"),
        references=_REFS_ATOMIC,
    ),
    Rule(
        code="AW303",
        name="append-to-state-file",
        summary="(opt-in) Append-mode writes to a state file",
        message=(
            "{call}() in mode {mode} appends to {target} ({evidence}); a crash can leave a torn "
            "last record that breaks readers. Rewrite it atomically, or make readers skip a torn tail"
        ),
        default_enabled=False,
        fix="none",
        what="Checks for `open(path, 'a')` on a persistent file that the program also reads back.",
        why=(
            "Appends are not atomic either: a crash in the middle of a record leaves a torn "
            "last line, and a reader that parses every line (JSON lines, CSV) then fails."
        ),
        example=(
            "def record(event: str) -> None:\n"
            "    with open('history.jsonl', 'a') as f:\n"
            "        f.write(event + '\\n')\n\n\n"
            "def load() -> list:\n"
            "    with open('history.jsonl') as f:\n"
            "        return f.read().splitlines()\n"
        ),
        use_instead=(
            "from flake8_atomic_writes import atomic_write_text\n\n\n"
            "def record(event: str) -> None:\n"
            "    events = load() + [event]\n"
            "    atomic_write_text('history.jsonl', ''.join(e + '\\n' for e in events))\n\n\n"
            "def load() -> list:\n"
            "    with open('history.jsonl') as f:\n"
            "        return f.read().splitlines()\n"
        ),
        fix_safety="There is no automatic fix.",
        options=_opt_in("AW303"),
        references=_REFS_ATOMIC,
    ),
)

RULES: Dict[str, Rule] = {rule.code: rule for rule in _RULE_LIST}
DEFAULT_ENABLED = frozenset(code for code, rule in RULES.items() if rule.default_enabled)
OPT_IN = frozenset(code for code, rule in RULES.items() if not rule.default_enabled)
