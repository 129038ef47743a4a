"""Sudden changes in activity are flagged for checking, by full fiscal year."""

import pandas as pd
import pytest

from analysis.report.quality import yearly_jumps


def months(start: str, n: int, per_month: float, pod: str = "ae", commissioner: str = "5PG") -> pd.DataFrame:
    return pd.DataFrame({
        "month": pd.date_range(start, periods=n, freq="MS"),
        "commissioner": commissioner, "pod": pod, "count": per_month,
    })


@pytest.mark.unit
def test_a_twenty_percent_rise_is_flagged_and_a_ten_percent_one_is_not():
    # 2008/09: 100 a month; 2009/10: 110 (+10%); 2010/11: 132 (+20%).
    frame = pd.concat([months("2008-04-01", 12, 100), months("2009-04-01", 12, 110), months("2010-04-01", 12, 132)])
    flagged = yearly_jumps(frame, ["5PG"], threshold=0.15)
    assert flagged[["pod", "year"]].to_numpy().tolist() == [["ae", 2010]]
    assert flagged["change"].iloc[0] == pytest.approx(0.2)


@pytest.mark.unit
def test_part_years_and_other_areas_are_ignored():
    # The last year has only six months, and another commissioner doubles: neither is a jump for 5PG.
    frame = pd.concat([
        months("2008-04-01", 12, 100), months("2009-04-01", 6, 100),
        months("2008-04-01", 12, 100, commissioner="5PE"), months("2009-04-01", 12, 200, commissioner="5PE"),
    ])
    assert yearly_jumps(frame, ["5PG"]).empty
