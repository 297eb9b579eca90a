"""The project index (fixtures/projects/): evidence that crosses modules, the same in
``flake8`` over a tree, ``flake8 one_file.py``, ``flake8 -`` with ``--stdin-display-name``,
``flake8 -j 2`` and ``flake8-atomic-writes check``; its cache, shared, corrupted and stale."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable, Dict, List, Set, Tuple

import pytest

from flake8_runner import FIXTURES, OUTPUT, expected, flake8

from flake8_atomic_writes.config import Config
from flake8_atomic_writes.project.cache import VERSION, cache_directory
from flake8_atomic_writes.project.index import view_for
from flake8_atomic_writes.project.root import inside, module_name, project_root
from flake8_atomic_writes.project.summary import ModuleSummary, summarize

PROJECTS = FIXTURES / "projects"
CACHE = ".atomic_writes_cache"
Found = Tuple[str, int, int, str, str]  # (path relative to the project, line, col, code, message)


def copy_project(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(PROJECTS / name, target, ignore=shutil.ignore_patterns(CACHE, "__pycache__"))
    return target


def sources(project: Path) -> List[Path]:
    return sorted(p for p in project.rglob("*.py") if CACHE not in p.parts)


def parse(stdout: str, project: Path) -> Set[Found]:
    found: Set[Found] = set()
    for line in stdout.splitlines():
        match = OUTPUT.match(line)
        assert match, f"unexpected output line: {line!r}"
        path = (project / match["path"]).resolve().relative_to(project.resolve()).as_posix()
        found.add((path, int(match["line"]), int(match["col"]), match["code"], match["msg"]))
    return found


def run(args: List[str], project: Path, stdin: str | None = None) -> Set[Found]:
    result = flake8(["--isolated", "--select=AW", *args], cwd=project, stdin=stdin)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return parse(result.stdout, project)


def via_tree(project: Path) -> Set[Found]:
    return run(["."], project)


def via_jobs(project: Path) -> Set[Found]:
    return run(["-j", "2", "."], project)


def via_files(project: Path) -> Set[Found]:
    return {f for path in sources(project) for f in run([str(path.relative_to(project))], project)}


def via_stdin(project: Path) -> Set[Found]:
    found: Set[Found] = set()
    for path in sources(project):
        name = str(path.relative_to(project))
        found |= run(["--stdin-display-name", name, "-"], project, stdin=path.read_text(encoding="utf-8"))
    return found


def via_check(project: Path) -> Set[Found]:
    result = subprocess.run(
        [sys.executable, "-m", "flake8_atomic_writes", "check", "--isolated", "--select=AW", "-j", "2", "."],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode in (0, 1), result.stderr
    return parse(result.stdout, project)


WAYS: Dict[str, Callable[[Path], Set[Found]]] = {
    "flake8 tree": via_tree,
    "flake8 -j 2": via_jobs,
    "flake8 one file": via_files,
    "flake8 stdin": via_stdin,
    "check": via_check,
}


def marked(project: Path) -> Set[Tuple[str, int, str]]:
    """The ``# expect:`` markers of the project's modules."""
    return {
        (path.relative_to(project).as_posix(), line, code)
        for path in sources(project)
        for (line, code) in expected(path)
    }


def keys(found: Set[Found]) -> Set[Tuple[str, int, str]]:
    return {(path, line, code) for path, line, _, code, _ in found}


@pytest.mark.slow
@pytest.mark.parametrize("name", ["notebook", "scratch"])
def test_five_ways_agree_with_the_markers(name: str, tmp_path: Path) -> None:
    """Each way (the first with a cold cache, the rest warm) reports exactly the marked lines,
    with identical messages."""
    project = copy_project(name, tmp_path)
    results = {way: run_way(project) for way, run_way in WAYS.items()}
    assert keys(results["flake8 tree"]) == marked(project)
    for way, found in results.items():
        assert found == results["flake8 tree"], way
    shutil.rmtree(project / CACHE)
    assert via_files(project) == results["flake8 tree"], "one file at a time with a cold cache"


def test_messages_name_the_cross_module_evidence(tmp_path: Path) -> None:
    found = via_tree(copy_project("notebook", tmp_path))
    messages = {(path, line): message for path, line, _, _, message in found}
    assert "confidence: app.remember() passes paths.place('items'): under $XDG_STATE_HOME)" in (
        messages["notebook/storage/jsonio.py", 5]
    )
    assert "confidence: render.keep() passes SETTINGS_FILE: under $XDG_STATE_HOME)" in (
        messages["notebook/storage/blobs.py", 7]
    )
    assert "confidence: paths.PROFILE: under $XDG_CONFIG_HOME)" in messages["notebook/ui/views/render.py", 12]
    assert "confidence: app.sketch() passes where: cli.main() passes paths.place('draft'): under $XDG_STATE_HOME)" in (
        messages["notebook/storage/jsonio.py", 10]
    ), "a caller that passes its own parameter is judged by its callers"
    assert "confidence: read back in history.recent())" in messages["notebook/recorder.py", 7]
    assert "confidence: read back in show())" in messages["notebook/notes.py", 13], "through jsonio.load_text()"
    assert "confidence: app.cover() passes paths.place('cover'): under $XDG_STATE_HOME)" in (
        messages["notebook/storage/blobs.py", 11]
    ), "import a.b as c"


def test_project_analysis_off_is_per_module(tmp_path: Path) -> None:
    """``atomic-writes-project-analysis = false`` (from a config file, like any option):
    the helpers are silent again and temporary paths from other modules are judged by name."""
    notebook, scratch = copy_project("notebook", tmp_path), copy_project("scratch", tmp_path)
    for project in (notebook, scratch):
        (project / ".flake8").write_text("[flake8]\natomic-writes-project-analysis = false\n")
    assert keys(set(run_plain(notebook))) == set()
    assert keys(set(run_plain(scratch))) == {
        ("builder/export.py", 14, "AW101"),
        ("builder/export.py", 18, "AW101"),
        ("builder/export.py", 31, "AW102"),
        ("builder/export.py", 37, "AW102"),
        ("builder/records.py", 7, "AW103"),
        ("builder/spool.py", 9, "AW102"),
    }
    assert not (notebook / CACHE).exists(), "no index, no cache"


def run_plain(project: Path) -> Set[Found]:
    """flake8 reading the project's own config file (not ``--isolated``)."""
    result = flake8(["--select=AW", "."], cwd=project)
    assert result.returncode in (0, 1), result.stderr
    return parse(result.stdout, project)


def test_a_changed_module_invalidates_its_dependants(tmp_path: Path) -> None:
    """Summaries are keyed by content: after an edit of the paths module (or of a caller),
    the findings that rested on it change in the next run, warm cache or not."""
    project = copy_project("notebook", tmp_path)
    assert ("notebook/ui/views/render.py", 12, "AW101") in keys(via_tree(project))
    paths = project / "notebook" / "paths.py"
    text = paths.read_text()
    paths.write_text(
        "import tempfile\n" + text.replace('Path(os.environ["XDG_CONFIG_HOME"])', "Path(tempfile.mkdtemp())")
    )
    assert ("notebook/ui/views/render.py", 12, "AW101") not in keys(via_tree(project))
    assert ("notebook/ui/views/render.py", 12, "AW101") not in keys(run(["notebook/ui/views/render.py"], project))
    app = project / "notebook" / "app.py"
    app.write_text(app.read_text().replace('paths.place("items")', '"/tmp/items"'))
    assert keys(via_tree(project)) == {
        ("notebook/notes.py", 13, "AW102"),
        ("notebook/recorder.py", 7, "AW101"),
        ("notebook/storage/blobs.py", 7, "AW101"),
        ("notebook/storage/blobs.py", 11, "AW101"),
        ("notebook/storage/jsonio.py", 10, "AW102"),
        ("notebook/storage/shelf.py", 9, "AW102"),
        ("notebook/storage/textio.py", 7, "AW102"),
    }


def test_two_concurrent_runs_share_one_cache(tmp_path: Path) -> None:
    project = copy_project("notebook", tmp_path)
    command = [sys.executable, "-m", "flake8", "--isolated", "--select=AW", "-j", "2", "."]
    runs = [subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)]
    runs.append(subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    outputs = [r.communicate(timeout=300) for r in runs]
    for stdout, stderr in outputs:
        assert "Traceback" not in stderr, stderr
        assert keys(parse(stdout, project)) == marked(project)
    assert parse(outputs[0][0], project) == parse(outputs[1][0], project)
    assert (project / CACHE / ".gitignore").read_text().splitlines()[-1] == "*"
    entries = sorted((project / CACHE).glob("*.json"))
    assert entries and not [p for p in (project / CACHE).iterdir() if p.suffix not in (".json", "")]
    for entry in entries:
        data = json.loads(entry.read_bytes())
        assert data["version"] == VERSION
        ModuleSummary.from_json(data["summary"])


def test_a_corrupt_cache_is_discarded_and_rebuilt(tmp_path: Path) -> None:
    project = copy_project("notebook", tmp_path)
    before = via_tree(project)
    entries = sorted((project / CACHE).glob("*.json"))
    assert len(entries) >= 3
    entries[0].write_bytes(entries[0].read_bytes()[:20])  # truncated
    entries[1].write_bytes(b"\x00\xffnot json at all")  # garbage
    foreign = json.loads(entries[2].read_bytes())
    foreign["version"] = "0.0.0/999"
    foreign["summary"] = {"module": "x"}
    entries[2].write_text(json.dumps(foreign))
    for entry in entries[3:]:
        data = json.loads(entry.read_bytes())
        data["summary"]["functions"] = {"broken": {"params": 7}}
        entry.write_text(json.dumps(data))
    assert via_tree(project) == before
    for entry in entries[:3]:
        assert json.loads(entry.read_bytes())["version"] == VERSION, "rebuilt in place"


@pytest.mark.slow
def test_an_unreadable_module_is_skipped(tmp_path: Path) -> None:
    """A module that cannot be decoded (or parsed) gives no evidence and breaks nothing
    (we run as root in CI, where file permissions cannot make a file unreadable)."""
    project = copy_project("notebook", tmp_path)
    paths = project / "notebook" / "paths.py"
    paths.write_bytes(paths.read_bytes().replace(b'"notebook"', b'"note\xffbook"', 1))
    # What is left: the caller's own evidence about the constant it imports (its name).
    left = {("notebook/storage/blobs.py", 7, "AW101"), ("notebook/notes.py", 13, "AW102")}
    found = via_tree(project)
    assert keys(found) == left
    blobs = next(f for f in found if f[0] == "notebook/storage/blobs.py")
    assert "render.keep() passes SETTINGS_FILE: its name says 'settings'" in blobs[4]
    paths.write_text("def place(name:\n")
    assert keys(via_tree(project)) == left
    assert keys(via_files(project)) == left


def test_excluded_and_outside_modules_are_not_callers(tmp_path: Path) -> None:
    """Callers in a virtualenv, in build output or in tests are not evidence."""
    project = tmp_path / "proj"
    (project / "lib").mkdir(parents=True)
    (project / "setup.py").write_text("")
    (project / "lib" / "__init__.py").write_text("")
    (project / "lib" / "io.py").write_text("def put(path, text):\n    open(path, 'w').write(text)\n")
    caller = "from lib.io import put\nput('~/.config/app/settings', '')\n"
    for where in ("venv/bin", "build/lib", "tests"):
        (project / where).mkdir(parents=True)
        (project / where / "use.py").write_text(caller)
    (project / "venv" / "pyvenv.cfg").write_text("home = /usr\n")
    assert via_tree(project) == set()
    (project / "main.py").write_text(caller)
    assert keys(via_tree(project)) == {("lib/io.py", 2, "AW102")}


def test_project_root_and_module_names(tmp_path: Path) -> None:
    (tmp_path / "repo" / "src" / "pkg" / "sub").mkdir(parents=True)
    repo = tmp_path / "repo"
    module = repo / "src" / "pkg" / "sub" / "mod.py"
    for init in (repo / "src" / "pkg" / "__init__.py", repo / "src" / "pkg" / "sub" / "__init__.py"):
        init.write_text("")
    module.write_text("")
    assert project_root(str(module)) == tmp_path / "repo" / "src", "no marker: the top-level package's parent"
    (repo / "tox.ini").write_text("")
    assert project_root(str(repo / "src" / "pkg" / "__init__.py")) == repo
    assert project_root(str(module), str(tmp_path)) == tmp_path.resolve(), "the option overrides"
    assert module_name(module) == ("pkg.sub.mod", False)
    assert module_name(repo / "src" / "pkg" / "__init__.py") == ("pkg", True)
    assert inside(module, repo)
    assert not inside(module, repo / "other")
    (repo / "src" / "pyvenv.cfg").write_text("")
    assert not inside(module, repo), "a virtualenv is not indexed"


def test_summary_by_behaviour_and_json_round_trip() -> None:
    source = (PROJECTS / "scratch" / "builder" / "fsutil.py").read_text() + (
        PROJECTS / "scratch" / "builder" / "records.py"
    ).read_text()
    summary = summarize(source, "builder.fsutil", False, Config())
    functions = summary.functions
    assert functions["settle_bytes"].atomic, "temp written, then replaced onto the parameter"
    assert not functions["place_into"].atomic and functions["place_into"].moves == ("src",)
    assert functions["save_json"].writes == (("path", "AW103", 23),)
    assert ModuleSummary.from_json(json.loads(json.dumps(summary.to_json()))) == summary


def test_the_checker_loads_no_index_on_import() -> None:
    code = (
        "import sys, flake8_atomic_writes.checker; "
        "print(any(m.startswith('flake8_atomic_writes.project.') for m in sys.modules), 'libcst' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["False", "False"], result.stderr


def test_a_buffer_replaces_its_files_summary(tmp_path: Path) -> None:
    """What an editor sends on stdin is the module's text for the run, not the file on disk."""
    project = copy_project("notebook", tmp_path)
    paths = project / "notebook" / "paths.py"
    config = Config(project_root=str(project))
    on_disk = view_for(str(paths), paths.read_text(), config)
    assert on_disk is not None
    before = on_disk.index.summary(paths.resolve())
    assert before is not None and "place" in before.functions
    edited = view_for(str(paths), "import tempfile\n\ndef spot(name):\n    return tempfile.mkdtemp()\n", config)
    assert edited is not None and edited.index is on_disk.index
    summary = edited.index.summary(paths.resolve())
    assert summary is not None and set(summary.functions) == {"spot"}
    returns = summary.functions["spot"].returns
    assert returns is not None and [kind for kind, _ in returns.hits] == ["temp-origin"]


def test_fix_sees_the_cross_module_evidence(tmp_path: Path) -> None:
    """``fix`` runs the same analysis as ``check``: it rewrites the helper its callers make
    persistent, and leaves the module alone with project analysis off."""
    project = copy_project("notebook", tmp_path)
    command = [sys.executable, "-m", "flake8_atomic_writes", "fix", "--isolated", "--diff"]
    command.append("notebook/storage/jsonio.py")
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr
    assert result.stdout.count('+    with atomic_open(path, "w") as handle:') == 2, result.stdout
    command += ["--atomic-writes-project-analysis", "false"]
    off = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=300)
    assert off.returncode == 0 and "atomic_open" not in off.stdout, off.stdout + off.stderr


def test_stale_cache_entries_are_swept(tmp_path: Path) -> None:
    """Entries of edited or deleted modules do not pile up: old ones go on the next sweep."""
    import os
    import time

    project = copy_project("notebook", tmp_path)
    before = via_tree(project)
    old = time.time() - 40 * 24 * 3600
    stale = project / CACHE / ("0" * 40 + ".json")
    stale.write_text("{}")
    for path in (stale, project / CACHE / ".gitignore"):
        os.utime(path, (old, old))
    app = project / "notebook" / "app.py"
    app.write_text(app.read_text() + "\n")  # a miss, so the run writes (and sweeps)
    assert via_tree(project) == before
    assert not stale.exists()
    assert (project / CACHE / ".gitignore").stat().st_mtime > old + 1


def test_the_root_option_widens_the_project(tmp_path: Path) -> None:
    """With no marker, a script's project is its own directory; ``atomic-writes-project-root``
    sets it, here to the parent of two sibling directories."""
    (tmp_path / "lib").mkdir()
    (tmp_path / "app").mkdir()
    (tmp_path / "lib" / "helpers.py").write_text("def put(path, text):\n    open(path, 'w').write(text)\n")
    (tmp_path / "app" / "main.py").write_text("from lib.helpers import put\nput('~/.config/app/settings', '')\n")
    assert run(["lib/helpers.py"], tmp_path) == set()
    found = run(["--atomic-writes-project-root", str(tmp_path), "lib/helpers.py"], tmp_path)
    assert keys(found) == {("lib/helpers.py", 2, "AW102")}
    assert "main passes '~/.config/app/settings': under '~/.config/app/settings'" in next(iter(found))[4]


def test_a_root_that_cannot_hold_the_cache_uses_the_user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file where the cache directory would go (as a read-only checkout would refuse it):
    the cache moves to the user cache directory, the file is left alone, and the second run
    reads the entries the first one wrote."""
    project = copy_project("notebook", tmp_path)
    blocker = project / CACHE
    blocker.write_bytes(b"not a directory\n")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    first = via_tree(project)
    assert keys(first) == marked(project)
    assert blocker.read_bytes() == b"not a directory\n"
    fallback = cache_directory(project.resolve())
    assert fallback.parent == tmp_path / "user-cache" / "flake8-atomic-writes"
    entries = sorted(fallback.glob("*.json"))
    assert entries
    stamps = [entry.stat().st_mtime_ns for entry in entries]
    assert via_tree(project) == first
    assert [entry.stat().st_mtime_ns for entry in entries] == stamps, "warm: read, not rewritten"
