"""The project passes its own linter: flake8 with our plugin over the package, tests and benchmarks."""

from flake8_runner import ROOT, flake8


def test_project_is_flake8_clean() -> None:
    result = flake8(["flake8_atomic_writes", "tests", "benchmarks"], cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
