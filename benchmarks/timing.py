"""Timing helpers shared by the benchmarks: interleaved rounds, reported as median with min and max.

The machine is shared, so a single timing (or the best of three) says more about the neighbours than
about the code. Every benchmark runs its contenders in turn, round after round, so a busy spell hits
all of them, and reports the median of at least five rounds with the spread. Ratios are taken round
by round (each round's contenders ran side by side) and their median is reported.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

MIN_ROUNDS = 5


def interleaved(
    contenders: dict[str, Callable[[], object]], rounds: int = MIN_ROUNDS, number: dict[str, int] | None = None
) -> dict[str, list[float]]:
    """Seconds of each contender, `rounds` times, in turn (a, b, c, a, b, c, ...).

    A contender that takes milliseconds is called `number[name]` times in a row per round and its
    time divided by that, so one round's figure is not one scheduler tick.
    """
    if rounds < MIN_ROUNDS:
        raise ValueError(f"at least {MIN_ROUNDS} rounds are needed for a median with a spread; got {rounds}")
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, fn in contenders.items():
            calls = (number or {}).get(name, 1)
            start = time.perf_counter()
            for _ in range(calls):
                fn()
            times[name].append((time.perf_counter() - start) / calls)
    return times


def spread(values: list[float]) -> tuple[float, float, float]:
    """(median, min, max)."""
    return statistics.median(values), min(values), max(values)


def ratios(numerator: list[float], denominator: list[float]) -> list[float]:
    """Round-by-round ratios of two interleaved contenders."""
    return [n / d for n, d in zip(numerator, denominator, strict=True)]


def fmt(values: list[float], unit: str = "s", scale: float = 1.0, digits: int = 2) -> str:
    """'median (min-max) unit'."""
    med, lo, hi = (v * scale for v in spread(values))
    return f"{med:.{digits}f} {unit} ({lo:.{digits}f}-{hi:.{digits}f})"


def verdict(value: float, target: float, at_most: bool) -> str:
    ok = value <= target if at_most else value >= target
    return "ok" if ok else "MISSES TARGET"


def load_note() -> str:
    """The load average against the cores (other engineers' jobs inflate wall times unevenly)."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (5 min {five:.1f}) on {os.cpu_count()} cores"
