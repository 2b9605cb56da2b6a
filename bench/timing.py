"""Timing helpers shared by the benchmarks: interleaved rounds, medians.

The machines are shared and one command drifts up to 1.7x between passes (measured on
the team's shared build machines), so a figure and its baseline are timed
in alternation, round after round, and each is the median of its rounds.
"""

from __future__ import annotations

import statistics
import time
import timeit
from collections.abc import Callable, Sequence

__all__ = ["interleaved", "median_wall", "ms", "us"]


def interleaved(functions: Sequence[Callable[[], object]], rounds: int) -> list[float]:
    """The median seconds per call of each function, timed in alternation.

    Each round times every function once, with a batch size fixed beforehand by
    ``timeit``'s autorange (batches of at least 0.2 s each).
    """
    timers = [timeit.Timer(f) for f in functions]
    numbers = [timer.autorange()[0] for timer in timers]
    samples: list[list[float]] = [[] for _ in functions]
    for _ in range(rounds):
        for timer, number, found in zip(timers, numbers, samples, strict=True):
            found.append(timer.timeit(number) / number)
    return [statistics.median(found) for found in samples]


def median_wall(function: Callable[[], object], rounds: int) -> float:
    """The median seconds of single calls (for slow work, one call per sample)."""
    found = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        found.append(time.perf_counter() - start)
    return statistics.median(found)


def us(seconds: float) -> str:
    return f"{seconds * 1e6:.1f} µs"


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms" if seconds < 0.1 else f"{seconds * 1e3:.0f} ms"
