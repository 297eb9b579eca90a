"""The project passes its own checks: flake8 with our plugin, and mypy --strict on the package."""

import subprocess
import sys

from flake8_runner import ROOT, flake8


def test_project_is_flake8_clean() -> None:
    result = flake8(["flake8_atomic_writes", "tests", "benchmarks"], cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_package_is_mypy_strict_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
