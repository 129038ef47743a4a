"""Benchmark: SPC for 10,000 series of 60 points, vectorised xmr_many against a per-series loop of xmr.

The loop is timed on a sample of series and scaled to the full number (it is linear in the number of
series); the report says so. Both run in interleaved rounds (median of at least five, with min and
max, and the ratio taken round by round), so a busy spell on the shared machine hits both.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.stats import spc

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import MIN_ROUNDS, fmt, load_note, spread, verdict  # noqa: E402

N_SERIES = 10_000
N_POINTS = 60
LOOP_SAMPLE = 1_000
TARGET_RATIO = 20


def make_series(n_series: int = N_SERIES, n_points: int = N_POINTS, seed: int = 42) -> pd.DataFrame:
    """A long table of monthly KPI series: noise around a level, some with a step or a trend."""
    rng = np.random.default_rng(seed)
    level = rng.uniform(50, 500, n_series)[:, None]
    noise = rng.normal(0, 1, (n_series, n_points)) * level * 0.05
    step = (np.arange(n_points) >= n_points // 2) * rng.choice([0, 0, 1], n_series)[:, None] * level * 0.15
    values = np.round(level + noise + step, 1)
    return pd.DataFrame(
        {
            "kpi": np.repeat([f"k{i:05d}" for i in range(n_series)], n_points),
            "month": np.tile(pd.date_range("2019-04-01", periods=n_points, freq="MS").to_numpy(), n_series),
            "value": values.ravel(),
        }
    )


def time_many(frame: pd.DataFrame) -> tuple[float, pd.DataFrame]:
    """Seconds for xmr_many over the whole table."""
    start = time.perf_counter()
    result = spc.xmr_many(frame, series="kpi", value="value", order="month", improvement="decrease")
    return time.perf_counter() - start, result


def time_loop(frame: pd.DataFrame, n: int) -> tuple[float, list[pd.DataFrame]]:
    """Seconds for xmr called once per series on the first n series."""
    values = frame["value"].to_numpy().reshape(-1, N_POINTS)[:n]
    start = time.perf_counter()
    results = [spc.xmr(v, improvement="decrease") for v in values]
    return time.perf_counter() - start, results


def main() -> None:
    """Print the timings and the speed-up of the vectorised path."""
    frame = make_series()
    spc.xmr_many(frame.head(600), series="kpi", value="value", order="month")  # warm up imports and caches
    many_times, loop_times, ratio_list = [], [], []
    for _ in range(MIN_ROUNDS):
        many_s, many = time_many(frame)
        loop_s, loop = time_loop(frame, LOOP_SAMPLE)
        loop_full = loop_s * N_SERIES / LOOP_SAMPLE
        many_times.append(many_s)
        loop_times.append(loop_full)
        ratio_list.append(loop_full / many_s)
    same = all(
        np.array_equal(many["point_type"].to_numpy()[i * N_POINTS : (i + 1) * N_POINTS], r["point_type"].to_numpy())
        for i, r in enumerate(loop[:100])
    )
    ratio = spread(ratio_list)[0]
    print(f"SPC benchmark: {N_SERIES:,} series x {N_POINTS} points ({N_SERIES * N_POINTS:,} points)")
    print(f"  {MIN_ROUNDS} interleaved rounds, median (min-max); {load_note()}")
    print(f"  xmr_many (vectorised, all series):     {fmt(many_times, digits=3)}")
    print(f"  xmr loop ({LOOP_SAMPLE:,} series timed, scaled x{N_SERIES // LOOP_SAMPLE}): {fmt(loop_times, digits=3)}")
    print(
        f"  speed-up: {fmt(ratio_list, 'x', digits=1)} (target >= {TARGET_RATIO}x) "
        f"{verdict(ratio, TARGET_RATIO, at_most=False)}"
    )
    print(f"  same point types on the first 100 series: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
