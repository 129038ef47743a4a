"""Benchmark: SPC for 10,000 series of 60 points, vectorised xmr_many against a per-series loop of xmr.

The loop is timed on a sample of series and scaled to the full number (it is linear in the number of
series); the report says so. Both are timed in the same run, so the ratio is what matters.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from analysis.stats import spc

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
    many_s, many = time_many(frame)
    loop_s, loop = time_loop(frame, LOOP_SAMPLE)
    same = all(
        np.array_equal(many["point_type"].to_numpy()[i * N_POINTS : (i + 1) * N_POINTS], r["point_type"].to_numpy())
        for i, r in enumerate(loop[:100])
    )
    loop_full = loop_s * N_SERIES / LOOP_SAMPLE
    ratio = loop_full / many_s
    print(f"SPC benchmark: {N_SERIES:,} series x {N_POINTS} points ({N_SERIES * N_POINTS:,} points)")
    print(f"  xmr_many (vectorised, all series):     {many_s:7.3f} s")
    print(
        f"  xmr loop ({LOOP_SAMPLE:,} series timed, scaled x{N_SERIES // LOOP_SAMPLE}): {loop_full:7.3f} s "
        f"({1000 * loop_s / LOOP_SAMPLE:.3f} ms per series)"
    )
    print(f"  speed-up: {ratio:.1f}x (target >= {TARGET_RATIO}x) {'OK' if ratio >= TARGET_RATIO else 'BELOW TARGET'}")
    print(f"  same point types on the first 100 series: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
