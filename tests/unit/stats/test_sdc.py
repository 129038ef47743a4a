"""Disclosure control: suppress 1-7, round others to the nearest 5, suppress rates from suppressed counts."""

import numpy as np
import pandas as pd
import pytest

from analysis.stats import sdc

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("count", "shown"),
    [
        (0, "0"),
        (1, "*"),
        (7, "*"),
        (8, "10"),
        (12, "10"),
        (13, "15"),
        (22, "20"),
        (23, "25"),
        (100, "100"),
        (np.int64(9), "10"),
        (15.0, "15"),
    ],
)
def test_suppress(count, shown):
    assert sdc.suppress(count) == shown


@pytest.mark.parametrize("bad", [-1, 2.5, 100_000_001, True, float("nan"), "12", None])
def test_suppress_rejects_what_is_not_a_count(bad):
    with pytest.raises(ValueError):
        sdc.suppress(bad)


def test_suppress_accepts_the_maximum():
    assert sdc.suppress(100_000_000) == "100000000"


def test_suppress_table_counts_and_dependent_rates():
    frame = pd.DataFrame(
        {
            "practice": ["A", "B", "C", "D"],
            "admissions": [3, 12, 0, np.nan],
            "deaths": [20, 2, 9, 10],
            "rate": [1.5, 6.04, 0.0, np.nan],
        }
    )
    out = sdc.suppress_table(frame, ["admissions", "deaths"], {"rate": "admissions"})
    assert out["admissions"].tolist() == ["*", "10", "0", ""]
    assert out["deaths"].tolist() == ["20", "*", "10", "10"]
    assert out["rate"].tolist() == ["*", "6.0", "0.0", ""]
    assert out["practice"].tolist() == ["A", "B", "C", "D"]
    # A plain list of rate columns depends on every count column.
    every = sdc.suppress_table(frame, ["admissions", "deaths"], ["rate"])
    assert every["rate"].tolist() == ["*", "*", "0.0", ""]
    # The input is untouched.
    assert frame["admissions"].iloc[0] == 3


def test_suppress_table_names_the_bad_cell():
    frame = pd.DataFrame({"n": [10, -4]})
    with pytest.raises(ValueError, match="column 'n', row 1"):
        sdc.suppress_table(frame, ["n"])
    with pytest.raises(ValueError, match="no column"):
        sdc.suppress_table(frame, ["m"])


# ---- the rule on a whole column, as the catalog applies it at the data boundary ---------------------


def test_disclosed_counts_apply_the_rule_to_every_count():
    from analysis.stats.sdc import disclosed_counts

    values, suppressed = disclosed_counts([0, 1, 7, 8, 12, 13, 17, 18, 22, 1002, None])
    expected = [0, np.nan, np.nan, 10, 10, 15, 15, 20, 20, 1000, np.nan]
    assert np.array_equal(values, np.array(expected, dtype=float), equal_nan=True)
    assert suppressed.tolist() == [False, True, True] + [False] * 8  # a missing count is missing, not suppressed
    for n in range(0, 300):  # the same rule as `suppress`, count by count
        value, hidden = disclosed_counts([n])
        assert (sdc.suppress(n) == "*") == bool(hidden[0])
        assert hidden[0] or value[0] == float(sdc.suppress(n))


@pytest.mark.parametrize("bad", [-1, 2.5, float("inf"), "x"])
def test_disclosed_counts_name_a_count_that_is_not_whole(bad):
    from analysis.stats.sdc import disclosed_counts

    with pytest.raises(ValueError, match="position 1"):
        disclosed_counts([3, bad])
