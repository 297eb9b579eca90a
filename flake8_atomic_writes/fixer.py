"""Compatibility module: the fixer lives in ``flake8_atomic_writes.fix``."""

from __future__ import annotations

from .fix import SAFE, UNSAFE, Edit, FixResult, NotFixed, fix_source

__all__ = ["SAFE", "UNSAFE", "Edit", "FixResult", "NotFixed", "fix_source"]
