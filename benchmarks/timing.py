"""Timing helper shared by the benchmark scripts (run as `python benchmarks/<name>.py`, so this folder is on
sys.path)."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """Fastest wall-clock seconds of `repeat` calls of `fn` (the least disturbed run on a shared machine)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best
