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
