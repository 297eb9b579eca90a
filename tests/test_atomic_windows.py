"""Windows replace retry, simulated on any OS: only sharing violations retry, and boundedly."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable

import pytest
from atomic_support import temps

from flake8_atomic_writes import atomic, atomic_write_bytes


def _winerror(code: int) -> OSError:
    exc = OSError(13 if code == 5 else 2 if code == 2 else 13, f"simulated winerror {code}")
    exc.winerror = code  # type: ignore[attr-defined]
    return exc


class FakeClock:
    """A monotonic clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds


def _flaky(failures: list[OSError], calls: list[tuple[str, str]]) -> Callable[[str, str], None]:
    def replace(src: str, dst: str) -> None:
        calls.append((src, dst))
        if failures:
            raise failures.pop(0)

    return replace


@pytest.mark.parametrize("code", [5, 32, 33])
def test_sharing_violation_is_retried_then_succeeds(code: int) -> None:
    clock, calls = FakeClock(), []  # type: ignore[var-annotated]
    replace = _flaky([_winerror(code)] * 3, calls)
    atomic._replace_with_retry("a", "b", replace, sleep=clock.sleep, clock=clock)
    assert len(calls) == 4 and len(clock.sleeps) == 3
    assert clock.now < 1.0


@pytest.mark.parametrize("code", [2, 3, 80, 183, None])
def test_other_errors_are_not_retried(code: int | None) -> None:
    clock, calls = FakeClock(), []  # type: ignore[var-annotated]
    exc = _winerror(code) if code is not None else OSError(5, "POSIX EIO, no winerror")
    with pytest.raises(OSError) as info:
        atomic._replace_with_retry("a", "b", _flaky([exc], calls), sleep=clock.sleep, clock=clock)
    assert info.value is exc
    assert len(calls) == 1 and clock.sleeps == []


def test_retries_are_bounded_in_time_and_jittered() -> None:
    clock, calls = FakeClock(), []  # type: ignore[var-annotated]
    replace = _flaky([_winerror(32)] * 10_000, calls)
    with pytest.raises(OSError) as info:
        atomic._replace_with_retry("a", "b", replace, sleep=clock.sleep, clock=clock)
    assert getattr(info.value, "winerror", None) == 32
    assert 0.9 <= clock.now <= 1.01
    assert 5 <= len(calls) <= 30
    assert max(clock.sleeps) <= 0.3
    assert len(set(clock.sleeps)) > 1


def test_real_clock_budget_is_about_one_second() -> None:
    calls: list[tuple[str, str]] = []
    start = time.monotonic()
    with pytest.raises(OSError):
        atomic._replace_with_retry("a", "b", _flaky([_winerror(33)] * 10_000, calls))
    assert 0.9 <= time.monotonic() - start <= 1.5


def test_write_path_uses_retry_on_windows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With os.name == "nt" simulated, atomic_write_bytes survives a briefly locked target."""
    real_replace = os.replace
    failures = [_winerror(32), _winerror(5)]
    calls: list[tuple[str, str]] = []

    def replace(src: str, dst: str) -> None:
        calls.append((src, dst))
        if failures:
            raise failures.pop(0)
        real_replace(src, dst)

    monkeypatch.setattr(atomic, "_IS_WINDOWS", True)
    monkeypatch.setattr(atomic, "_replace", replace)
    monkeypatch.setattr(time, "sleep", lambda s: None)
    target = tmp_path / "t"
    target.write_bytes(b"old")
    atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new" and len(calls) == 3
    assert temps(tmp_path) == []


def test_write_path_gives_up_and_cleans_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def replace(src: str, dst: str) -> None:
        raise _winerror(2)

    monkeypatch.setattr(atomic, "_IS_WINDOWS", True)
    monkeypatch.setattr(atomic, "_replace", replace)
    target = tmp_path / "t"
    target.write_bytes(b"old")
    with pytest.raises(OSError):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert temps(tmp_path) == []
