"""Disclosure at the data boundary.

catalog.disclose_activity counts patient-level activity at the two levels the book reports and
applies NHS Digital's rule to each count before anything is derived.
"""

import numpy as np
import pandas as pd
import pytest

from analysis.catalog import disclose_activity

pytestmark = pytest.mark.unit


def activity(rows):
    frame = pd.DataFrame(
        rows, columns=["month", "commissioner", "provider", "practice", "pathway", "pod", "count", "cost"]
    )
    frame["month"] = pd.to_datetime(frame["month"])
    return frame


def test_monthly_counts_are_summed_over_practices_and_providers_then_disclosed():
    rows = [
        ("2008-04-01", "5PG", "RR1", "P1", "urgent_care", "ae", 4, 40.0),
        ("2008-04-01", "5PG", "RXT", "P2", "urgent_care", "ae", 5, 50.0),  # 4 + 5 = 9: shown as 10
        ("2008-04-01", "TAM", "RR1", "P3", "urgent_care", "ae", 3, 30.0),  # 3: suppressed, and so is its cost
        ("2008-04-01", "TAM", "RR1", "P3", "planned_care", "day_case", 0, 0.0),  # 0 stays 0
        ("2008-05-01", "5PG", "RR1", "P1", "urgent_care", "ae", 13, None),  # 13: 15, no cost
    ]
    monthly, _ = disclose_activity(activity(rows))
    got = {(str(r.month.date()), r.commissioner, r.pod): (r.count, r.cost, r.suppressed) for r in monthly.itertuples()}
    assert got[("2008-04-01", "5PG", "ae")] == (10.0, 100.0, False)  # £90 for 9 episodes, scaled to the 10 shown
    count, cost, hidden = got[("2008-04-01", "TAM", "ae")]
    assert np.isnan(count) and np.isnan(cost) and hidden
    assert got[("2008-04-01", "TAM", "day_case")] == (0.0, 0.0, False)
    count, cost, hidden = got[("2008-05-01", "5PG", "ae")]
    assert count == 15.0 and np.isnan(cost) and not hidden
    assert monthly["provider"].isna().all() and monthly["practice"].isna().all()


def test_a_fixed_price_per_episode_does_not_give_the_exact_count_back():
    rows = [("2008-04-01", "5PG", "RR1", f"P{i}", "urgent_care", "ae", 1, 125.0) for i in range(12)]  # 12 at £125
    monthly, years = disclose_activity(activity(rows))
    cell = monthly.iloc[0]
    assert cell["count"] == 10.0 and cell["cost"] == 1250.0  # cost / price = 10, the disclosed count


def test_practice_counts_are_by_complete_fiscal_year_then_disclosed():
    months = pd.date_range("2008-04-01", "2009-06-01", freq="MS")  # 2008/09 complete, 2009/10 not
    rows = [(m, "5PG", "RR1", "P1", "urgent_care", "ae", 1, 10.0) for m in months]
    rows += [(m, "5PG", "RR1", "P2", "urgent_care", "ae", 0, 0.0) for m in months]
    rows += [("2008-06-01", "5PG", "RR1", "P2", "urgent_care", "ae", 6, 60.0)]
    _, years = disclose_activity(activity(rows))
    assert sorted(years["year"].unique()) == [2008]
    by_practice = years.set_index("practice")
    assert by_practice.loc["P1", "count"] == 10.0  # 12 episodes in the year
    assert np.isnan(by_practice.loc["P2", "count"]) and by_practice.loc["P2", "suppressed"]  # 6


def test_every_disclosed_count_is_zero_suppressed_or_a_multiple_of_five_from_ten():
    rng = np.random.default_rng(5)
    months = pd.date_range("2008-04-01", "2010-03-01", freq="MS")
    rows = [(m, c, "RR1", f"P{p}", "urgent_care", pod, int(rng.poisson(4)), 1.0)
            for m in months for c in ("5PG", "TAM") for p in range(6) for pod in ("ae", "non_elective")]
    for frame in disclose_activity(activity(rows)):
        shown = frame["count"].dropna()
        assert ((shown == 0) | ((shown % 5 == 0) & (shown >= 10))).all()
        assert (frame["count"].isna() == frame["suppressed"]).all()
