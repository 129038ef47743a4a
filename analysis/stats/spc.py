"""Statistical process control: NHS England "Making Data Count" XmR charts.

The rules follow NHSRplotthedots 0.2.2 (DESIGN.md section 4):

- limits from the mean and the average moving range (amr) of each rebase group (or of its first
  `fix_after` points): process limits mean +/- 2.66 amr, near limits mean +/- 2/3 x 2.66 amr;
  moving ranges >= 3.267 amr are screened out and amr recomputed unless `screen_outliers=False`;
- special cause, with precedence outside the limits > trend > two-in-three > shift, every point of a
  qualifying run flagged: a point strictly outside the process limits; `trend_points` (7) points
  strictly rising or falling (a tie breaks it); two of three consecutive points beyond the near
  limits (but inside the process limits) with all three on the same side of the mean (only the
  close points flagged); `shift_points` (7) consecutive points on the same side of the mean (a
  point on the mean breaks it);
- the improvement direction turns the direction of a special cause into improvement or concern.

`xmr()` computes one series with window functions that mirror the published rule functions;
`xmr_many()` computes thousands of series at once with run-length arithmetic over whole arrays.
They are independent implementations of the same rules and are tested against each other.

One deliberate difference from NHSRplotthedots: a constant group has an average moving range of
zero, which the published screening step turns into missing limits; here its limits have zero
width (mean = lpl = upl) and every point is common cause.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import ArrayLike

IMPROVEMENTS = ("increase", "decrease", "neutral")
POINT_TYPES = (
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
)
VARIATION_ICONS = (
    "common_cause",
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neutral_high",
    "neutral_low",
)
ASSURANCE_ICONS = ("consistent_pass", "consistent_fail", "inconsistent")
COLUMNS = (
    "value",
    "mean",
    "lpl",
    "upl",
    "near_lpl",
    "near_upl",
    "rebase_group",
    "relative_to_mean",
    "special_cause",
    "point_type",
    "trial_limits",
)

LIMIT = 2.66  # process limits: mean +/- 2.66 x average moving range (3 sigma for an XmR chart)
NEAR_LIMIT = 2 / 3 * LIMIT  # "near" limits (2 sigma), used by the two-in-three rule
SCREEN = 3.267  # moving ranges at or above 3.267 x amr are screened out (upper range limit)
MIN_POINTS = 12  # fewer points than this in a group: trial limits

# Rules, in order of precedence (0 = no special cause).
NONE, OUTSIDE, TREND, TWO_IN_THREE, SHIFT = 0, 1, 2, 3, 4

_DIRECTION = {"increase": 1, "decrease": -1, "neutral": 0}


# --- validation ---------------------------------------------------------------------------------


def _check_improvement(improvement: str, where: str = "improvement") -> int:
    """The sign of an improvement direction; an error names the allowed values."""
    if improvement not in _DIRECTION:
        raise ValueError(f"{where}: expected one of {', '.join(IMPROVEMENTS)}, found {improvement!r}")
    return _DIRECTION[improvement]


def _check_fix_after(fix_after: int | None) -> None:
    """Limits may only be frozen after at least MIN_POINTS points."""
    if fix_after is not None and (not float(fix_after).is_integer() or fix_after < MIN_POINTS):
        raise ValueError(f"fix_after: limits can only be fixed after {MIN_POINTS} or more points, found {fix_after!r}")


def _check_runs(shift_points: int, trend_points: int) -> None:
    """Run lengths of fewer than 2 points (trend) or 1 point (shift) make no sense."""
    if shift_points < 1 or trend_points < 2:
        raise ValueError(
            f"run lengths: shift_points >= 1 and trend_points >= 2 expected, found {shift_points}, {trend_points}"
        )


def _finite(values: np.ndarray, where: str) -> None:
    """SPC needs a complete series: name the first missing or infinite value."""
    bad = ~np.isfinite(values)
    if bad.any():
        raise ValueError(
            f"{where}: position {int(np.flatnonzero(bad)[0])} is {values[bad][0]!r}; SPC needs a complete series of "
            "finite numbers"
        )


# --- the published rule functions, one vector at a time ------------------------------------------


def shift_ends(relative_to_mean: ArrayLike, length: int = 7) -> np.ndarray:
    """1 where a point ends `length` consecutive points on the same side of the mean, else 0."""
    rtm = np.asarray(relative_to_mean, dtype=float)
    if len(rtm) < length:
        return np.zeros(len(rtm), dtype=int)
    windows = sliding_window_view(rtm, length)
    same = (windows == windows[:, -1:]).all(axis=1) & (windows[:, -1] != 0)
    return np.concatenate([np.zeros(length - 1, dtype=int), same.astype(int)])


def part_of_run(ends: ArrayLike, length: int = 7) -> np.ndarray:
    """1 where a point is one of the `length` points ending at any flagged (non-zero) point."""
    flagged = np.abs(np.asarray(ends, dtype=float)) == 1
    padded = np.concatenate([flagged, np.zeros(length - 1, dtype=bool)])
    if len(flagged) == 0:
        return np.zeros(0, dtype=int)
    return sliding_window_view(padded, length).any(axis=1).astype(int)


def trend_ends(values: ArrayLike, length: int = 7) -> np.ndarray:
    """1 (-1) where a point ends `length` points strictly rising (falling), else 0; a tie breaks a trend."""
    y = np.asarray(values, dtype=float)
    if len(y) < length:
        return np.zeros(len(y), dtype=int)
    steps = np.sign(np.diff(y))
    windows = sliding_window_view(steps, length - 1)
    up = (windows == 1).all(axis=1)
    down = (windows == -1).all(axis=1)
    return np.concatenate([np.zeros(length - 1, dtype=int), up.astype(int) - down.astype(int)])


def two_in_three(close: ArrayLike, relative_to_mean: ArrayLike) -> np.ndarray:
    """1 where a point is in any window of three with two or more close points, all on one side of the mean."""
    c = np.asarray(close, dtype=float)
    if len(c) == 0:
        return np.zeros(0, dtype=int)
    cp = np.concatenate([[0, 0], c, [0, 0]])
    rp = np.concatenate([[0, 0], np.asarray(relative_to_mean, dtype=float), [0, 0]])
    qualifies = (sliding_window_view(cp, 3).sum(axis=1) >= 2) & (np.abs(sliding_window_view(rp, 3).sum(axis=1)) == 3)
    # qualifies[j] is the window of padded positions j..j+2, i.e. original points j-2..j
    return (qualifies[:-2] | qualifies[1:-1] | qualifies[2:]).astype(int)


def part_of_two_in_three(flags: ArrayLike, close: ArrayLike) -> np.ndarray:
    """1 where a point is in a qualifying two-in-three window and is itself close to the limits."""
    return ((np.asarray(flags) == 1) & (np.abs(np.asarray(close)) == 1)).astype(int)


def special_cause_rule(
    values: ArrayLike,
    relative_to_mean: ArrayLike,
    outside: ArrayLike,
    part_trend: ArrayLike,
    part_two_in_three: ArrayLike,
    part_shift: ArrayLike,
) -> tuple[np.ndarray, np.ndarray]:
    """Each point's winning rule (NONE, OUTSIDE, TREND, TWO_IN_THREE, SHIFT) and its direction (+1 high, -1 low, 0)."""
    y = np.asarray(values, dtype=float)
    rtm = np.asarray(relative_to_mean, dtype=float)
    out = np.asarray(outside) != 0
    trend = np.asarray(part_trend) != 0
    two = np.asarray(part_two_in_three) != 0
    shift = np.asarray(part_shift) != 0
    n = len(y)
    if n == 0:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    steps = np.sign(np.diff(y))
    # A point in a trend takes the direction of the step after it when the next point is also in
    # the trend, otherwise the step before it (as NHSRplotthedots does).
    after = np.concatenate([steps, steps[-1:]]) if n > 1 else np.zeros(n)
    before = np.concatenate([[0.0], steps])
    next_trend = np.concatenate([trend[1:], [False]])
    trend_dir = np.where(next_trend & trend, after, before)
    rule = np.select([out, trend, two, shift], [OUTSIDE, TREND, TWO_IN_THREE, SHIFT], NONE)
    side = np.where(rtm > 0, 1, -1)
    direction = np.select(
        [rule == OUTSIDE, rule == TREND, (rule == TWO_IN_THREE) | (rule == SHIFT)],
        [np.where(rtm == 1, 1, -1), np.where(trend_dir == 1, 1, -1), side],
        0,
    )
    return rule.astype(int), direction.astype(int)


def point_codes(direction: np.ndarray, improvement: int | np.ndarray) -> np.ndarray:
    """Positions in POINT_TYPES from each special cause's direction (+1, -1, 0 none) and the improvement sign(s)."""
    d = np.asarray(direction)
    imp = np.broadcast_to(np.asarray(improvement), d.shape)
    oriented = d * imp
    code = np.where(oriented > 0, 1, np.where(oriented < 0, 2, 0))
    return np.where((imp == 0) & (d > 0), 3, np.where((imp == 0) & (d < 0), 4, code)).astype(np.int8)


def point_types(direction: np.ndarray, improvement: int | np.ndarray) -> np.ndarray:
    """Point types (strings of POINT_TYPES) from special-cause directions and the improvement sign(s)."""
    return np.asarray(POINT_TYPES, dtype=object)[point_codes(direction, improvement)]


def _names(codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """A pandas string array of point types from their codes (through Arrow for long arrays, where it is faster)."""
    if len(codes) < 10_000:
        return pd.array(np.asarray(POINT_TYPES, dtype=object)[codes], dtype="str")
    return pd.Series(pa.array(POINT_TYPES).take(pa.array(codes, type=pa.int8())).to_pandas(), dtype="str").array


# --- one series ----------------------------------------------------------------------------------


def _group_limits(y: np.ndarray, fix_after: int | None, screen_outliers: bool) -> tuple[float, float]:
    """The mean and (screened) average moving range of one rebase group."""
    base = y[: fix_after] if fix_after is not None else y
    mean = float(base.mean())
    mr = np.abs(np.diff(base))
    if len(mr) == 0:
        return mean, float("nan")
    amr = float(mr.mean())
    if screen_outliers and amr > 0:
        amr = float(mr[mr < SCREEN * amr].mean())
    return mean, amr


def _group_starts(n: int, rebase_at: Sequence[int] | None) -> np.ndarray:
    """Sorted 0-based start positions of the rebase groups, checked against the series length."""
    starts = {0}
    for position in rebase_at or ():
        if not float(position).is_integer() or not 0 <= position < n:
            raise ValueError(
                f"rebase_at: positions must be whole numbers from 0 to {n - 1} (0-based), found {position!r}"
            )
        starts.add(int(position))
    return np.array(sorted(starts), dtype=int)


def xmr(
    values: Sequence[float] | pd.Series | np.ndarray,
    *,
    improvement: str = "increase",
    target: float | None = None,
    rebase_at: Sequence[int] | None = None,
    fix_after: int | None = None,
    screen_outliers: bool = True,
    shift_points: int = 7,
    trend_points: int = 7,
) -> pd.DataFrame:
    """An XmR chart of one series: one row per point with its limits, special-cause flags and point type.

    `target` is kept with the result (in `attrs`) for assurance and charts; it does not change the
    limits. The result keeps the index of `values` when it is a Series.
    """
    direction = _check_improvement(improvement)
    _check_fix_after(fix_after)
    _check_runs(shift_points, trend_points)
    index = values.index if isinstance(values, pd.Series) else pd.RangeIndex(len(values))
    y = np.asarray(values, dtype=float)
    _finite(y, "xmr values")
    n = len(y)
    starts = _group_starts(n, rebase_at) if n else np.zeros(0, dtype=int)
    ends = np.append(starts[1:], n)

    cols = {c: np.empty(n, dtype=float) for c in ("mean", "lpl", "upl", "near_lpl", "near_upl")}
    group = np.empty(n, dtype=int)
    rtm = np.empty(n, dtype=int)
    special = np.empty(n, dtype=bool)
    kinds = np.empty(n, dtype=np.int8)
    trial = np.empty(n, dtype=bool)
    for g, (a, b) in enumerate(zip(starts, ends, strict=True)):
        yg = y[a:b]
        mean, amr = _group_limits(yg, fix_after, screen_outliers)
        lpl, upl = mean - LIMIT * amr, mean + LIMIT * amr
        nlpl, nupl = mean - NEAR_LIMIT * amr, mean + NEAR_LIMIT * amr
        side = np.sign(yg - mean).astype(int)
        outside = (yg > upl) | (yg < lpl)
        close = ~outside & ((yg < nlpl) | (yg > nupl))
        part_shift = part_of_run(shift_ends(side, shift_points), shift_points)
        part_trend = part_of_run(trend_ends(yg, trend_points), trend_points)
        part_two = part_of_two_in_three(two_in_three(close, side), close)
        rule, dirn = special_cause_rule(yg, side, outside, part_trend, part_two, part_shift)
        for c, v in zip(cols, (mean, lpl, upl, nlpl, nupl), strict=True):
            cols[c][a:b] = v
        group[a:b] = g
        rtm[a:b] = side
        special[a:b] = rule != NONE
        kinds[a:b] = point_codes(dirn, direction)
        trial[a:b] = (b - a) < MIN_POINTS

    result = pd.DataFrame(
        {
            "value": y,
            **cols,
            "rebase_group": group,
            "relative_to_mean": rtm,
            "special_cause": special,
            "point_type": _names(kinds),
            "trial_limits": trial,
        },
        index=index,
    )
    result.attrs.update({"improvement": improvement, "target": target})
    return result


# --- many series at once -------------------------------------------------------------------------


def _per_series(setting: object, keys: np.ndarray, name: str) -> list:
    """A scalar setting repeated, or a mapping series -> setting looked up (a missing improvement is an error)."""
    if isinstance(setting, Mapping):
        missing = [k for k in keys if k not in setting]
        if missing and name == "improvement":
            raise ValueError(f"improvement: no direction given for series {missing[0]!r} (and {len(missing) - 1} more)")
        return [setting.get(k) for k in keys]
    return [setting] * len(keys)


def _runs(labels: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """The length of the run of equal labels that each element belongs to (runs also break at starts)."""
    change = starts.copy()
    change[1:] |= labels[1:] != labels[:-1]
    run = np.cumsum(change) - 1
    return np.bincount(run)[run]


def xmr_many(
    frame: pd.DataFrame,
    *,
    series: str | Sequence[str],
    value: str,
    order: str,
    improvement: str | Mapping[Hashable, str] = "increase",
    target: float | Mapping[Hashable, float] | None = None,
    rebase: str | None = None,
    fix_after: int | None = None,
    screen_outliers: bool = True,
    shift_points: int = 7,
    trend_points: int = 7,
) -> pd.DataFrame:
    """XmR charts of many series in one long table, vectorised over all points (no loop per series).

    `series` names the key column(s), `order` the time column, `value` the measure. `improvement`
    and `target` may be one value or a mapping from series key to value. `rebase` optionally names a
    boolean column that is True where a new rebase group starts. Returns the key and order columns
    followed by the columns of `xmr()`, sorted by series then order; each series' rows equal `xmr()`
    of that series.
    """
    keys = [series] if isinstance(series, str) else list(series)
    needed = keys + [value, order] + ([rebase] if rebase else [])
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ValueError(
            f"xmr_many: the frame has no column(s) {', '.join(missing)}; found {', '.join(map(str, frame.columns))}"
        )
    _check_fix_after(fix_after)
    _check_runs(shift_points, trend_points)
    data = frame[needed].sort_values(keys + [order], kind="stable").reset_index(drop=True)
    dup = data.duplicated(keys + [order])
    if dup.any():
        first = data[dup].iloc[0]
        raise ValueError(f"xmr_many: more than one row for {', '.join(f'{k}={first[k]!r}' for k in keys + [order])}")
    y = data[value].to_numpy(dtype=float)
    _finite(y, f"xmr_many column '{value}' (sorted)")
    n = len(y)
    codes, uniques = pd.MultiIndex.from_frame(data[keys]).factorize() if len(keys) > 1 else pd.factorize(data[keys[0]])
    series_keys = np.asarray(list(uniques), dtype=object)

    series_start = np.ones(n, dtype=bool)
    series_start[1:] = codes[1:] != codes[:-1]
    start = series_start.copy()
    if rebase:
        start |= data[rebase].fillna(False).to_numpy(dtype=bool)
    gid = np.cumsum(start) - 1
    first_of_group = np.flatnonzero(start)
    pos = np.arange(n) - first_of_group[gid]
    size = np.bincount(gid)[gid]
    rebase_group = gid - gid[np.flatnonzero(series_start)][codes] if n else gid

    # Mean and average moving range of each group (of its first `fix_after` points when fixed).
    used = pos < fix_after if fix_after is not None else np.ones(n, dtype=bool)
    groups = gid[-1] + 1 if n else 0
    mean = np.bincount(gid, y * used, groups) / np.bincount(gid, used, groups)
    mr = np.zeros(n)
    mr[1:] = np.abs(np.diff(y))
    has_mr = used & ~start
    with np.errstate(invalid="ignore", divide="ignore"):
        amr = np.bincount(gid, mr * has_mr, groups) / np.bincount(gid, has_mr, groups)
        if screen_outliers:
            keep = has_mr & ((mr < SCREEN * amr[gid]) | (amr[gid] == 0))
            amr = np.bincount(gid, mr * keep, groups) / np.bincount(gid, keep, groups)
    m, a = mean[gid], amr[gid]
    lpl, upl = m - LIMIT * a, m + LIMIT * a
    nlpl, nupl = m - NEAR_LIMIT * a, m + NEAR_LIMIT * a

    rtm = np.sign(y - m).astype(int)
    outside = (y > upl) | (y < lpl)
    close = ~outside & ((y < nlpl) | (y > nupl))

    # Shift: every point of a run of `shift_points` or more on one side of the mean.
    part_shift = (rtm != 0) & (_runs(rtm, start) >= shift_points)

    # Trend: a run of k equal non-zero steps covers k + 1 points; it qualifies when k >= trend_points - 1.
    step = np.zeros(n, dtype=int)
    step[1:] = np.sign(np.diff(y)).astype(int)
    step[start] = 0
    step_run = (step != 0) & (_runs(step, start) >= trend_points - 1)
    part_trend = step_run.copy()
    part_trend[:-1] |= step_run[1:]
    next_in_group = np.zeros(n, dtype=bool)
    next_in_group[:-1] = ~start[1:]
    next_trend = np.zeros(n, dtype=bool)
    next_trend[:-1] = part_trend[1:]
    next_trend &= next_in_group
    step_after = np.zeros(n, dtype=int)
    step_after[:-1] = step[1:]
    trend_dir = np.where(part_trend & next_trend, step_after, step)

    # Two in three: windows of three points of one group starting at j.
    window = np.zeros(n, dtype=bool)
    if n >= 3:
        same_group = (gid[2:] == gid[:-2])
        n_close = close[:-2].astype(int) + close[1:-1] + close[2:]
        side_sum = rtm[:-2] + rtm[1:-1] + rtm[2:]
        window[:-2] = same_group & (n_close >= 2) & (np.abs(side_sum) == 3)
    in_window = window.copy()
    in_window[1:] |= window[:-1]
    in_window[2:] |= window[:-2]
    part_two = in_window & close

    rule = np.select([outside, part_trend, part_two, part_shift], [OUTSIDE, TREND, TWO_IN_THREE, SHIFT], NONE)
    side = np.where(rtm > 0, 1, -1)
    direction = np.select(
        [rule == OUTSIDE, rule == TREND, (rule == TWO_IN_THREE) | (rule == SHIFT)],
        [np.where(rtm == 1, 1, -1), np.where(trend_dir == 1, 1, -1), side],
        0,
    )
    signs = np.array(
        [
            _check_improvement(d, f"improvement of series {k!r}")
            for k, d in zip(series_keys, _per_series(improvement, series_keys, "improvement"), strict=True)
        ],
        dtype=int,
    )
    kinds = point_codes(direction, signs[codes] if n else np.zeros(0, dtype=int))

    result = data[keys + [order]].copy()
    result["value"] = y
    result["mean"], result["lpl"], result["upl"] = m, lpl, upl
    result["near_lpl"], result["near_upl"] = nlpl, nupl
    result["rebase_group"] = rebase_group.astype(int)
    result["relative_to_mean"] = rtm
    result["special_cause"] = rule != NONE
    result["point_type"] = _names(kinds)
    result["trial_limits"] = size < MIN_POINTS
    # Mappings are not kept in attrs: pandas deep-copies attrs on every operation.
    result.attrs.update(
        {
            "series": keys,
            "order": order,
            "improvement": None if isinstance(improvement, Mapping) else improvement,
            "target": None if isinstance(target, Mapping) else target,
        }
    )
    return result


# --- icons ---------------------------------------------------------------------------------------


def _variation(kind: np.ndarray, up: np.ndarray) -> np.ndarray:
    """Variation icons from point types and improvement signs (+1 increase, -1 decrease, 0 neutral)."""
    kind = np.asarray(kind, dtype=object)
    up = np.asarray(up)
    return np.select(
        [
            kind == "special_cause_neutral_high",
            kind == "special_cause_neutral_low",
            (kind == "special_cause_improvement") & (up > 0),
            (kind == "special_cause_improvement") & (up < 0),
            (kind == "special_cause_concern") & (up > 0),
            (kind == "special_cause_concern") & (up < 0),
        ],
        ["neutral_high", "neutral_low", "improvement_high", "improvement_low", "concern_low", "concern_high"],
        "common_cause",
    ).astype(object)


def _assurance(lpl: ArrayLike, upl: ArrayLike, target: ArrayLike, up: ArrayLike) -> np.ndarray:
    """Assurance icons (None where there is no target or the direction is neutral); strict inequalities."""
    lpl, upl, target, up = (np.asarray(v, dtype=float) for v in (lpl, upl, target, up))
    above, below = target > upl, target < lpl
    out = np.select(
        [(up > 0) & above, (up > 0) & below, (up < 0) & below, (up < 0) & above],
        ["consistent_fail", "consistent_pass", "consistent_fail", "consistent_pass"],
        "inconsistent",
    ).astype(object)
    out[np.isnan(target) | (up == 0)] = None
    return out


def _sign_of(result: pd.DataFrame, improvement: str | None) -> int:
    """The improvement sign from the argument, else the result's attrs, else the side of the mean of the last point."""
    improvement = improvement or result.attrs.get("improvement")
    if isinstance(improvement, str):
        return _check_improvement(improvement)
    last = result.iloc[-1]
    # Without a known direction, the side of the mean is the best available guide.
    side = 1 if last["relative_to_mean"] > 0 else -1
    return side if last["point_type"] == "special_cause_improvement" else -side


def variation_icon(result: pd.DataFrame, improvement: str | None = None) -> str:
    """The variation icon of a chart, from its last point (improvement from the argument or the result)."""
    if result.empty:
        raise ValueError("variation_icon: the SPC result has no points")
    kind = result["point_type"].iloc[-1]
    if kind not in POINT_TYPES:
        raise ValueError(f"variation_icon: unknown point type {kind!r}; expected one of {', '.join(POINT_TYPES)}")
    return str(_variation(np.array([kind], dtype=object), np.array([_sign_of(result, improvement)]))[0])


def assurance(result: pd.DataFrame, target: float | None, improvement: str) -> str | None:
    """Whether the latest limits consistently pass, consistently fail or straddle the target (None without one)."""
    up = _check_improvement(improvement)
    if target is None or pd.isna(target) or result.empty:
        return None
    last = result.iloc[-1]
    return _assurance([last["lpl"]], [last["upl"]], [target], [up])[0]


def summarise(result: pd.DataFrame, *, improvement: str | None = None, target: float | None = None) -> dict:
    """The latest value, limits, variation and assurance of one chart (improvement/target default to the result's)."""
    improvement = improvement or result.attrs.get("improvement", "increase")
    target = target if target is not None else result.attrs.get("target")
    last = result.iloc[-1]
    return {
        "latest_value": float(last["value"]),
        "mean": float(last["mean"]),
        "lpl": float(last["lpl"]),
        "upl": float(last["upl"]),
        "target": target,
        "variation": variation_icon(result, improvement),
        "assurance": assurance(result, target, improvement),
        "trial_limits": bool(last["trial_limits"]),
    }


def summarise_many(
    result: pd.DataFrame,
    *,
    improvement: str | Mapping[Hashable, str] | None = None,
    target: float | Mapping[Hashable, float] | None = None,
) -> pd.DataFrame:
    """One row per series of an `xmr_many()` result: the latest point, its limits, variation and assurance.

    `improvement` and `target` default to the scalars given to `xmr_many`; mappings must be passed again.
    """
    keys = result.attrs.get("series")
    order = result.attrs.get("order")
    if not keys or order is None:
        raise ValueError(
            "summarise_many: expected the result of xmr_many (its attrs name the series and order columns)"
        )
    improvement = improvement if improvement is not None else result.attrs.get("improvement")
    if improvement is None:
        raise ValueError("summarise_many: pass improvement=..., the same direction(s) given to xmr_many")
    target = target if target is not None else result.attrs.get("target")
    last = result.groupby(keys, sort=False).tail(1).reset_index(drop=True)
    series_keys = np.asarray(
        [tuple(r) if len(keys) > 1 else r[0] for r in last[keys].itertuples(index=False, name=None)], dtype=object
    )
    ups = np.array(
        [
            _check_improvement(d, f"improvement of series {k!r}")
            for k, d in zip(series_keys, _per_series(improvement, series_keys, "improvement"), strict=True)
        ],
        dtype=int,
    )
    targets = np.array(
        [np.nan if t is None else float(t) for t in _per_series(target, series_keys, "target")], dtype=float
    )
    out = last[keys].copy()
    out["latest_" + order] = last[order].to_numpy()
    out["latest_value"] = last["value"].to_numpy()
    for c in ("mean", "lpl", "upl"):
        out[c] = last[c].to_numpy()
    out["target"] = targets
    out["variation"] = _variation(last["point_type"].to_numpy(dtype=object), ups)
    # object dtype keeps None (no assurance) distinct from a missing string
    out["assurance"] = pd.Series(_assurance(last["lpl"], last["upl"], targets, ups), index=out.index, dtype="object")
    out["trial_limits"] = last["trial_limits"].to_numpy()
    return out
