"""The analysis never crashes: the whole standard library, generated programs, deep nesting."""

from __future__ import annotations

import ast
import sysconfig
import warnings
from dataclasses import replace
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings

from flake8_atomic_writes.analysis import analyze
from flake8_atomic_writes.checker import Checker
from flake8_atomic_writes.config import Config

EVERYTHING = Config.from_values(
    {"atomic_writes_enable": ["AW301", "AW302", "AW303"], "atomic_writes_check_tests": True}
)


def _stdlib_files() -> list[Path]:
    root = Path(sysconfig.get_paths()["stdlib"])
    return sorted(p for p in root.rglob("*.py") if "site-packages" not in p.parts)


@pytest.mark.slow
def test_whole_standard_library_without_exception() -> None:
    files = _stdlib_files()
    assert len(files) > 500
    checked = 0
    for path in files:
        source = path.read_bytes()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(source, filename=str(path))
        except (SyntaxError, ValueError):
            continue  # test data that is meant not to parse
        lines = source.decode("utf-8", "replace").splitlines(keepends=True)
        findings = analyze(tree, lines, str(path), EVERYTHING)
        for finding in findings:
            assert 1 <= finding.line <= len(lines) and finding.col >= 0, (path, finding)
        checked += 1
    assert checked > 500


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # hypothesmith compiles odd programs itself
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(hypothesmith.from_grammar())
def test_generated_programs_never_crash(source: str) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # generated code trips SyntaxWarnings
            tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return
    analyze(tree, source.splitlines(keepends=True), "gen.py", EVERYTHING)


@pytest.mark.parametrize("depth", [50, 900])
def test_deeply_nested_target_expression(depth: int) -> None:
    target = " + ".join(["'a'"] * depth) + " + 'config.json'"
    source = f"def save(d):\n    open({target}, 'w').write(d)\n"
    try:
        tree = ast.parse(source)
    except RecursionError:
        pytest.skip("this interpreter cannot build the tree")
    findings = analyze(tree, source.splitlines(keepends=True), "deep.py", Config())
    assert [f.code for f in findings] == ["AW102"]


def test_a_long_chain_of_conditional_modes_is_read_without_recursion() -> None:
    """``mode = "w" if x else "w" if x else ...``: thousands of branches, read iteratively."""
    modes = " if x else ".join(['"w"'] * 2500)
    source = f"def save(p, x):\n    mode = {modes}\n    f = open(p, mode)\n    f.write(x)\n"
    try:
        tree = ast.parse(source)
    except RecursionError:
        pytest.skip("this interpreter cannot build the tree")
    findings = analyze(tree, source.splitlines(keepends=True), "modes.py", replace(Config(), min_confidence="low"))
    assert [f.code for f in findings] == ["AW102"]


def test_cyclic_and_deep_bindings_terminate() -> None:
    """Names bound to each other and writers behind deep conditional aliases end."""
    opener = "open if a else " * 60 + "open"
    source = (
        "from pathlib import Path\n"
        "def f(p):\n"
        "    a = b\n"
        "    b = a\n"
        "    Path(p).write_text(a)\n"
        f"    x = {opener}\n"
        "    with x(p, 'w') as h:\n"
        "        h.write(a)\n"
    )
    findings = analyze(ast.parse(source), source.splitlines(True), "m.py", EVERYTHING)
    assert [(f.line, f.code) for f in findings] == [(5, "AW301"), (7, "AW301")]


def test_recursion_error_becomes_plugin_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    from flake8.exceptions import PluginExecutionFailed

    def explode(*args: object) -> list:
        raise RecursionError("too deep")

    monkeypatch.setattr("flake8_atomic_writes.checker.analyze", explode)
    checker = Checker(ast.parse("x = 1"), ["x = 1\n"], "m.py")
    with pytest.raises(PluginExecutionFailed) as info:
        list(checker.run())
    assert "flake8-atomic-writes" in str(info.value)


def test_checker_import_does_not_load_libcst() -> None:
    import subprocess
    import sys

    code = "import sys, flake8_atomic_writes.checker; print('libcst' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_package_import_loads_only_the_standard_library() -> None:
    import subprocess
    import sys

    code = "import sys, flake8_atomic_writes; print(sorted(m for m in ('flake8', 'libcst') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
