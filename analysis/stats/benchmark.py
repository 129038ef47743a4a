"""Benchmarking in the OHID Fingertips style, and peer opportunity in the RightCare style.

- Wilson score intervals for proportions and Byar's intervals for rates, at 95% and 99.8%.
- `compare`: a value is "higher" or "lower" than a benchmark when its confidence interval excludes
  the benchmark (an interval touching the benchmark is "similar"); with a polarity those become
  "better" or "worse". Missing values or limits give "not_compared".
- `rag`: better -> green, similar -> amber, worse -> red. Where there is no judgement to make
  (polarity "no_judgement", so "higher"/"lower"/"similar") or nothing was compared, the colour is
  grey: a colour that means good or bad would claim a judgement the indicator does not carry.
- `peer_opportunity`: the gap between an area's rate and the mean of the best `best_n` of its most
  similar peers, in activity (gap x denominator) and money (x unit cost), with the peers' spread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from analysis.contract import POLARITIES

COMPARISONS = ("better", "similar", "worse", "higher", "lower", "not_compared")
RAG = ("green", "amber", "red", "grey")
LEVELS = (0.95, 0.998)

ArrayLike = float | Sequence[float] | np.ndarray | pd.Series


def _z(level: float) -> float:
    """The two-sided normal quantile of a confidence level (1.96 for 0.95)."""
    if not 0 < level < 1:
        raise ValueError(f"confidence level must be between 0 and 1 (0.95, 0.998), found {level!r}")
    return float(stats.norm.ppf(1 - (1 - level) / 2))


def _check_polarity(polarity: str) -> None:
    """Polarity is one of the contract's values."""
    if polarity not in POLARITIES:
        raise ValueError(f"polarity: expected one of {', '.join(POLARITIES)}, found {polarity!r}")


def wilson(count: ArrayLike, denominator: ArrayLike, *, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval (lower, upper) of the proportions count / denominator."""
    x, n = np.asarray(count, dtype=float), np.asarray(denominator, dtype=float)
    if np.any(x < 0) or np.any(n <= 0) or np.any(x > n):
        raise ValueError("wilson: expected 0 <= count <= denominator and denominator > 0")
    z = _z(level)
    p = x / n
    centre = p + z**2 / (2 * n)
    spread = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    scale = 1 + z**2 / n
    return (centre - spread) / scale, (centre + spread) / scale


def byar(
    count: ArrayLike, denominator: ArrayLike = 1.0, *, level: float = 0.95, multiplier: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """Byar's interval (lower, upper) of the rates count / denominator x multiplier.

    With no events the lower limit is 0; for very small counts at high confidence Byar's lower
    limit goes below zero and is clipped to 0 (the exact Poisson lower limit is barely above it).
    """
    o, n = np.asarray(count, dtype=float), np.asarray(denominator, dtype=float)
    if np.any(o < 0) or np.any(n <= 0):
        raise ValueError("byar: expected count >= 0 and denominator > 0")
    z = _z(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = o * (1 - 1 / (9 * o) - z / (3 * np.sqrt(o))) ** 3
    lower = np.where(o == 0, 0.0, np.clip(lower, 0, None))
    upper = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * np.sqrt(o + 1))) ** 3
    return lower / n * multiplier, upper / n * multiplier


def intervals(
    count: ArrayLike, denominator: ArrayLike, *, method: str = "wilson", multiplier: float = 1.0
) -> pd.DataFrame:
    """Value and 95% and 99.8% intervals for each row: Wilson for proportions, Byar's for rates."""
    x, n = np.atleast_1d(np.asarray(count, dtype=float)), np.atleast_1d(np.asarray(denominator, dtype=float))
    if method not in ("wilson", "byar"):
        raise ValueError(f"intervals: method must be 'wilson' (proportions) or 'byar' (rates), found {method!r}")
    out = {"value": x / n * multiplier}
    for level, name in zip(LEVELS, ("95", "998"), strict=True):
        if method == "wilson":
            low, high = wilson(x, n, level=level)
            low, high = low * multiplier, high * multiplier
        else:
            low, high = byar(x, n, level=level, multiplier=multiplier)
        out[f"lower{name}"], out[f"upper{name}"] = low, high
    return pd.DataFrame(out)


def compare(
    value: ArrayLike, lower: ArrayLike, upper: ArrayLike, benchmark: ArrayLike, polarity: str
) -> str | np.ndarray:
    """Compare with a benchmark: better/similar/worse by polarity, or higher/similar/lower without one.

    Returns a string for scalar inputs and an array of strings otherwise.
    """
    _check_polarity(polarity)
    scalar = all(np.ndim(v) == 0 for v in (value, lower, upper, benchmark))
    v, lo, hi, b = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (value, lower, upper, benchmark)))
    high, low = lo > b, hi < b
    names = {
        "high_is_good": ("better", "worse"),
        "low_is_good": ("worse", "better"),
        "no_judgement": ("higher", "lower"),
    }[polarity]
    missing = np.isnan(v) | np.isnan(lo) | np.isnan(hi) | np.isnan(b)
    out = np.select([missing, high, low], ["not_compared", names[0], names[1]], "similar").astype(object)
    return str(out.reshape(-1)[0]) if scalar else out.reshape(v.shape)


def rag(comparison: str | Sequence[str] | np.ndarray, polarity: str) -> str | np.ndarray:
    """Red/amber/green of a comparison, grey where no judgement applies (see the module docstring)."""
    _check_polarity(polarity)
    scalar = isinstance(comparison, str)
    c = np.atleast_1d(np.asarray(comparison, dtype=object))
    unknown = [x for x in c if x not in COMPARISONS]
    if unknown:
        raise ValueError(f"rag: expected comparisons from {', '.join(COMPARISONS)}, found {unknown[0]!r}")
    if polarity == "no_judgement":
        out = np.full(len(c), "grey", dtype=object)
    else:
        out = np.select([c == "better", c == "similar", c == "worse"], ["green", "amber", "red"], "grey").astype(object)
    return str(out[0]) if scalar else out


# --- peer opportunity ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PeerOpportunity:
    """An area's gap to the best of its peers, in rate, activity and money, and the peers' spread."""

    area: str
    value: float  # the area's rate
    benchmark: float  # mean rate of the best peers
    best_peers: tuple[str, ...]
    gap: float  # area rate minus benchmark, signed so that positive means room to improve
    activity: float  # gap x denominator / multiplier, 0 when the area already matches the best
    cost: float | None  # activity x unit cost
    peers_min: float
    peers_q1: float
    peers_median: float
    peers_q3: float
    peers_max: float


def peer_opportunity(
    frame: pd.DataFrame,
    *,
    area: str,
    similar: Sequence[str],
    polarity: str,
    value: str = "value",
    denominator: str = "denominator",
    area_column: str = "area",
    best_n: int = 5,
    multiplier: float = 1.0,
    unit_cost: float | None = None,
) -> PeerOpportunity:
    """RightCare-style opportunity of `area` against the best `best_n` of its `similar` peers (usually 10).

    `frame` holds one row per area with a rate (`value`, per `multiplier` of `denominator`) and the
    denominator. The opportunity is the activity that would change if the area matched the mean
    rate of its best peers, and its cost at `unit_cost` pounds per unit of activity.
    """
    _check_polarity(polarity)
    if polarity == "no_judgement":
        raise ValueError("peer_opportunity: an indicator with no judgement (polarity 'no_judgement') has no best peers")
    missing = [c for c in (area_column, value, denominator) if c not in frame.columns]
    if missing:
        raise ValueError(f"peer_opportunity: the frame has no column(s) {', '.join(missing)}")
    rows = frame.set_index(frame[area_column].astype(str))
    if rows.index.duplicated().any():
        raise ValueError(f"peer_opportunity: area {rows.index[rows.index.duplicated()][0]!r} appears more than once")
    peers = [str(p) for p in similar if str(p) != str(area)]
    absent = [a for a in [str(area), *peers] if a not in rows.index]
    if absent:
        raise ValueError(f"peer_opportunity: no row for area {absent[0]!r} in column '{area_column}'")
    if len(peers) < best_n:
        raise ValueError(f"peer_opportunity: {len(peers)} peers given, at least best_n = {best_n} needed")
    own_value, own_denominator = (float(x) for x in rows.loc[str(area), [value, denominator]].to_numpy(dtype=float))
    rates = rows.loc[peers, value].astype(float)
    best = rates.sort_values(ascending=polarity == "low_is_good", kind="stable").head(best_n)
    benchmark = float(best.mean())
    gap = own_value - benchmark if polarity == "low_is_good" else benchmark - own_value
    activity = max(gap, 0.0) * own_denominator / multiplier
    q = np.quantile(rates.to_numpy(), [0, 0.25, 0.5, 0.75, 1])
    return PeerOpportunity(
        area=str(area),
        value=own_value,
        benchmark=benchmark,
        best_peers=tuple(best.index),
        gap=gap,
        activity=activity,
        cost=None if unit_cost is None else activity * unit_cost,
        peers_min=float(q[0]),
        peers_q1=float(q[1]),
        peers_median=float(q[2]),
        peers_q3=float(q[3]),
        peers_max=float(q[4]),
    )
