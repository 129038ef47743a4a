"""xmr_many (vectorised over all series) must agree exactly with xmr (one series at a time)."""

import numpy as np
import pandas as pd
import pytest

from analysis.stats import spc

pytestmark = pytest.mark.unit


def series_zoo(seed: int = 20240601) -> list[tuple[str, np.ndarray, list[int], str]]:
    """Series that exercise every rule and edge: noise, ties, steps, trends, constants, short ones."""
    rng = np.random.default_rng(seed)
    zoo = []
    for i in range(120):
        n = int(rng.integers(1, 45))
        kind = i % 6
        if kind == 0:
            y = rng.normal(size=n)
        elif kind == 1:
            y = rng.integers(0, 4, size=n).astype(float)  # many ties and points on the mean
        elif kind == 2:
            y = np.cumsum(rng.integers(-1, 3, size=n)).astype(float)  # trends
        elif kind == 3:
            y = np.full(n, 3.0)  # zero-width limits
        elif kind == 4:
            y = np.r_[rng.normal(size=n // 2), rng.normal(3, 1, size=n - n // 2)]  # a step
        else:
            y = rng.normal(size=n)
            y[rng.integers(0, n)] = 25.0  # an outlier to screen
        rebase = sorted(set(rng.integers(0, n, size=int(rng.integers(0, 3))).tolist()))
        zoo.append((f"s{i:03d}", y, rebase, ("increase", "decrease", "neutral")[i % 3]))
    return zoo


def long_table(zoo) -> pd.DataFrame:
    """The zoo as one long table, rows deliberately out of time order."""
    frames = []
    for key, y, rebase, _ in zoo:
        n = len(y)
        t = pd.date_range("2020-01-01", periods=n, freq="MS")
        frames.append(
            pd.DataFrame({"kpi": key, "month": t, "value": y, "rebase": np.isin(np.arange(n), rebase)}).iloc[::-1]
        )
    return pd.concat(frames, ignore_index=True).sample(frac=1.0, random_state=1)


@pytest.mark.parametrize("fix_after", [None, 12])
@pytest.mark.parametrize("screen_outliers", [True, False])
def test_many_equals_one_at_a_time(fix_after, screen_outliers):
    zoo = series_zoo()
    improvement = {key: imp for key, _, _, imp in zoo}
    many = spc.xmr_many(
        long_table(zoo),
        series="kpi",
        value="value",
        order="month",
        improvement=improvement,
        rebase="rebase",
        fix_after=fix_after,
        screen_outliers=screen_outliers,
    )
    groups = dict(list(many.groupby("kpi", sort=False)))
    assert len(groups) == len(zoo)
    for key, y, rebase, imp in zoo:
        one = spc.xmr(y, improvement=imp, rebase_at=rebase, fix_after=fix_after, screen_outliers=screen_outliers)
        got = groups[key].drop(columns=["kpi", "month"]).reset_index(drop=True)
        pd.testing.assert_frame_equal(got, one.reset_index(drop=True))


def test_many_with_two_key_columns_and_a_scalar_improvement():
    frame = pd.DataFrame(
        {
            "org": ["a"] * 8 + ["b"] * 8,
            "kpi": ["x"] * 8 + ["x"] * 8,
            "t": list(range(8)) * 2,
            "v": [1, 2, 3, 4, 5, 6, 7, 8] * 2,
        }
    )
    many = spc.xmr_many(frame, series=["org", "kpi"], value="v", order="t", improvement="decrease")
    one = spc.xmr([1, 2, 3, 4, 5, 6, 7, 8], improvement="decrease")
    for org in ("a", "b"):
        got = many[many["org"] == org].drop(columns=["org", "kpi", "t"]).reset_index(drop=True)
        pd.testing.assert_frame_equal(got, one)


def test_many_rejects_duplicate_periods_and_unknown_series():
    frame = pd.DataFrame({"k": ["a", "a"], "t": [1, 1], "v": [1.0, 2.0]})
    with pytest.raises(ValueError, match="more than one row"):
        spc.xmr_many(frame, series="k", value="v", order="t")
    frame = pd.DataFrame({"k": ["a", "b"], "t": [1, 1], "v": [1.0, 2.0]})
    with pytest.raises(ValueError, match="'b'"):
        spc.xmr_many(frame, series="k", value="v", order="t", improvement={"a": "increase"})


def test_summarise_many_matches_summarise():
    zoo = series_zoo()[:30]
    improvement = {key: imp for key, _, _, imp in zoo}
    target = {key: 0.5 for key, _, _, _ in zoo[::2]}
    many = spc.xmr_many(
        long_table(zoo), series="kpi", value="value", order="month", improvement=improvement, rebase="rebase"
    )
    summary = spc.summarise_many(many, improvement=improvement, target=target).set_index("kpi")
    for key, y, rebase, imp in zoo:
        one = spc.summarise(spc.xmr(y, improvement=imp, rebase_at=rebase), target=target.get(key))
        row = summary.loc[key]
        assert row["variation"] == one["variation"]
        assert row["assurance"] == one["assurance"]
        assert row["latest_value"] == one["latest_value"]
        assert row["upl"] == pytest.approx(one["upl"], nan_ok=True)
