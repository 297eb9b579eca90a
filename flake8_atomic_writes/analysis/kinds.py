"""The kinds of evidence about a write's target, as data: one table drives the verdict, the
confidence, the messages, the fixture markers and the evidence docs.

Detectors (``analysis.evidence``) return :class:`Hit` s, a kind plus the detail a message
shows; :func:`combine` weighs all the hits of a site into a :class:`Verdict`. The weights
are measured on hand-labeled real code by ``benchmarks/fit_weights.py``, which writes
``analysis/weights.py``; a kind marked ``certain`` is a fact, not a clue, and decides alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Dict, Iterable, Optional, Sequence, Tuple

from . import weights
from ..rules import LEVELS

PERSISTENT = 1
TEMPORARY = -1

# Evidence about a path either travels with it (an imported constant, a function's return
# value, a caller's argument keep their kinds, ``project/summary.py``) or belongs to the
# write itself and stays in its module.
TRAVELS = True
LOCAL = False


@dataclass(frozen=True)
class Kind:
    """One kind of evidence: its polarity, whether it travels to other modules with the path,
    whether it decides alone, and the line the docs show."""

    name: str
    polarity: int
    doc: str
    travels: bool = TRAVELS
    certain: bool = False


KINDS: Tuple[Kind, ...] = (
    # -- persistent -------------------------------------------------------------------------
    Kind("read", PERSISTENT, "the module, or another module of the project, reads the same path back, or "
         "the object written was loaded from it (`ID3(path)` then `.save()`, `ConfigObj(path).write()`)"),
    Kind("loader", PERSISTENT, "the module loads and saves one subject through a parameter of the same "
         "name (`load_profile(path)` / `save_profile(profile, path)`)", LOCAL),
    Kind("location", PERSISTENT, "built from a home, config, data or cache location: `Path.home()`, a `~` "
         "literal, `platformdirs`/`appdirs`, `$HOME`/`$XDG_*`/`$APPDATA`, a `*_HOME`/`*_DIR` setting, "
         "or a function named so (`user_dir()`, `get_config_dir()`)"),
    Kind("suffix", PERSISTENT, "its literal ends in a state suffix: `.json .yaml .toml .ini .cfg .db .pickle "
         ".lock .pem .key .pt .ckpt .npy .h5 ...`, or a hidden file or directory is joined on as a path "
         "component (`root / \".gitignore\"`, `os.path.join(home, \".myapp\")`): dotfiles hold "
         "configuration and state by convention"),
    Kind("word", PERSISTENT, "its name says state: config, settings, state, cache, index, token, session, "
         "history, checkpoint, ... (also run together, as in `cachedir`); not the name of a script "
         "(`get_metadata.py`), which says what its code does, nor of an object that only holds the path "
         "(`state` in `state.options.output`; but `settings` in `settings.basedir`, whose own name says "
         "\"the directory of\")"),
    Kind("content", PERSISTENT, "what is written is serialized state: `json.dump` into the handle, "
         "`write_text(json.dumps(...))`, `torch.save`, `numpy.save`, `save_pretrained`", LOCAL),
    Kind("save", PERSISTENT, "a save-like function (`save()`, `store()`, `persist()`, `flush()`, `apply()`) "
         "writes `self.<attribute>` or serialized data", LOCAL),
    Kind("checked", PERSISTENT, "the function tests whether the target exists on every path to the write "
         "(reuse, compare, or seed it if missing), so the file outlives a run; or the target is a pipeline "
         "task's output, whose existence marks the task done (luigi's `self.output().path`)"),
    Kind("replaced", PERSISTENT, "the existing file is deleted just before it is written again", LOCAL),
    Kind("caller", PERSISTENT, "a write helper's caller (in the module or anywhere in the project) passes a "
         "path with persistent evidence and none temporary"),
    Kind("writer-name", PERSISTENT, "the writing function's name says it keeps what it writes (`save()`, "
         "`store_results()`, `persist()`) or writes state (`write_config()`)", LOCAL),
    Kind("copy", PERSISTENT, "the write copies an existing file or tree onto the target (`shutil.copy*`, "
         "`copytree`): a copy is made to be kept or installed (a scratch copy goes to a temporary "
         "directory, which vetoes)", LOCAL),
    Kind("pattern", PERSISTENT, "a name or literal matches `atomic-writes-persistent-patterns`", certain=True),
    # -- temporary or already safe --------------------------------------------------------
    Kind("temp-origin", TEMPORARY, "built from `tempfile` or pytest's `tmp_path`", certain=True),
    Kind("stream", TEMPORARY, "a stream or descriptor: `sys.stdout`, `os.devnull`, a pipe, a socket, "
         "`StringIO`, an integer file descriptor", certain=True),
    Kind("atomic-helper", TEMPORARY, "written inside an atomic helper (ours, or one configured), a lock "
         "file handed to `fcntl`, or opened on a library target whose `open()` is atomic (luigi's "
         "`Target.open(\"w\")`)", LOCAL, certain=True),
    Kind("writes-nothing", TEMPORARY, "the call only creates or empties the file (`write_text(\"\")`, "
         "`with open(p, \"w\"): pass`): there is nothing to tear", LOCAL, certain=True),
    Kind("test-code", TEMPORARY, "inside a pytest fixture (test code)", LOCAL, certain=True),
    Kind("temp-pattern", TEMPORARY, "a name or literal matches `atomic-writes-ephemeral-patterns`",
         certain=True),
    Kind("temp-name", TEMPORARY, "a temporary name or place: tmp/temp/scratch, `.tmp .part .new .swp .bak`, "
         "`/tmp`, `/dev/`"),
    Kind("moved", TEMPORARY, "moved, replaced or deleted later on a path that follows the write (the "
         "AW2xx rules judge the move)", LOCAL, certain=True),
    Kind("handoff", TEMPORARY, "a hand-off file: passed to a subprocess after it is written", LOCAL),
    Kind("diagnostic", TEMPORARY, "a diagnostic dump: written behind a debug or trace flag, by a crash "
         "handler, or named as an error, crash, traceback or debug report", LOCAL),
    Kind("lock", TEMPORARY, "a lock or pid file created exclusively", LOCAL),
    Kind("temp-callers", TEMPORARY, "every caller of the write helper passes a temporary path"),
    Kind("log", TEMPORARY, "a `.log` output: a torn log breaks no reader", LOCAL),
)
BY_NAME: Dict[str, Kind] = {kind.name: kind for kind in KINDS}


@dataclass(frozen=True)
class Hit:
    """A detector's finding: the kind of evidence and the detail a message shows."""

    kind: str
    detail: str

    @property
    def polarity(self) -> int:
        return BY_NAME[self.kind].polarity


@dataclass(frozen=True)
class Verdict:
    """All the evidence about one target, weighed.

    ``status`` is ``"persistent"``, ``"ephemeral"`` or ``"unknown"``; ``confidence`` is one of
    :data:`LEVELS` for a persistent target ("" otherwise); ``hazard`` is ``"in-place"`` or
    ``"new-file"`` (the write only creates the file). An unknown target may carry a
    confidence too: that of a write with no evidence either way.
    """

    status: str
    hits: Tuple[Hit, ...] = ()
    confidence: str = ""
    probability: float = 0.0
    hazard: str = "in-place"

    @property
    def strongest(self) -> Optional[Hit]:
        """The hit that weighs most toward the status (the one a message names)."""
        sign = TEMPORARY if self.status == "ephemeral" else PERSISTENT
        own = [hit for hit in self.hits if hit.polarity == sign]
        return max(own, key=lambda hit: strength(hit.kind)) if own else None

    @property
    def evidence(self) -> str:
        """The strongest hit's detail."""
        hit = self.strongest
        return hit.detail if hit is not None else ""

    @property
    def kinds(self) -> Tuple[str, ...]:
        """The distinct kinds of the hits, strongest first."""
        seen = sorted({hit.kind for hit in self.hits}, key=lambda k: (-strength(k), k))
        return tuple(seen)


def strength(kind: str) -> float:
    """How convincing one kind is to a reader, for naming the strongest evidence: certain kinds
    first, then the table's order (stable when the weights are refitted)."""
    found = BY_NAME[kind]
    return math.inf if found.certain else -float(KINDS.index(found))


def leaning(hits: Sequence[Hit]) -> int:
    """The polarity evidence leans to, without weights, as :func:`combine` decides it: -1 when
    there is any temporary hit (it vetoes), +1 when there are persistent hits only, else 0.
    This is what travels from a caller or another module, so that what is found does not
    depend on the weights that judge it."""
    polarities = {hit.polarity for hit in hits}
    if TEMPORARY in polarities:
        return TEMPORARY
    return PERSISTENT if polarities else 0


@dataclass(frozen=True)
class Model:
    """What turns kinds into a probability: the bias and weights (log-odds), the probability
    of a write with no evidence either way, and the thresholds of the levels."""

    bias: float
    weights: Dict[str, float]
    no_evidence: float
    thresholds: Dict[str, float]

    def score(self, kinds: Iterable[str]) -> float:
        """Log-odds that the target holds state, given the distinct kinds of evidence found."""
        return self.bias + sum(self.weights.get(kind, 0.0) for kind in set(kinds))

    def level(self, probability: float) -> str:
        """The confidence level of a probability ("" below the lowest)."""
        return next((name for name in reversed(LEVELS) if probability >= self.thresholds[name]), "")


FITTED = Model(weights.BIAS, weights.WEIGHTS, weights.NO_EVIDENCE, weights.THRESHOLDS)


def combine(hits: Iterable[Hit], hazard: str = "in-place", model: Model = FITTED) -> Verdict:
    """Weigh every hit into one verdict. A certain hit decides alone; temporary evidence
    vetoes (measured: a site with any is rarely persistent); persistent evidence adds up, the
    summed weights giving a probability, and a target whose probability reaches the lowest
    level is persistent, at the level it reaches. With no evidence either way the target is
    unknown, with the probability measured for such writes (reported at ``low``)."""
    unique: Dict[Tuple[str, str], Hit] = {}
    for hit in hits:
        unique.setdefault((hit.kind, hit.detail), hit)
    found = tuple(unique.values())
    certain = {hit.polarity for hit in found if BY_NAME[hit.kind].certain}
    if TEMPORARY in certain:
        return Verdict("ephemeral", found)
    if PERSISTENT in certain:
        return Verdict("persistent", found, "high", 1.0, hazard)
    if any(hit.polarity == TEMPORARY for hit in found):
        return Verdict("ephemeral", found)
    if not found:  # no evidence either way: the measured base rate, at most ``low``
        return Verdict("unknown", (), model.level(model.no_evidence), model.no_evidence, hazard)
    probability = 1.0 / (1.0 + math.exp(-model.score(hit.kind for hit in found)))
    confidence = model.level(probability)
    if confidence:
        return Verdict("persistent", found, confidence, probability, hazard)
    return Verdict("unknown", found, "", probability)


def at_least(confidence: str, minimum: str) -> bool:
    """``confidence`` is ``minimum`` or higher."""
    return bool(confidence) and LEVELS.index(confidence) >= LEVELS.index(minimum)
