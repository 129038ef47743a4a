"""Provider-level KPIs from the provider_series table, worked by hand on small frames."""

import numpy as np
import pandas as pd
import pytest

from analysis import contract
from analysis.report import kpis
from analysis.report.pathway import benchmarks

pytestmark = pytest.mark.unit


def series(rows):
    frame = pd.DataFrame(rows, columns=["month", "provider", "measure", "department", "booking", "value"])
    return contract.validate(frame, "provider_series", "test")


JAN = "2021-01-01"
ROWS = [
    # provider A: 1,000 type 1 (100 over four hours) and 500 other (10 over); 7 waits over 12 hours
    (JAN, "A", "attendances", "type_1", "unbooked", 1000), (JAN, "A", "over_4h", "type_1", "unbooked", 100),
    (JAN, "A", "attendances", "other", "unbooked", 500), (JAN, "A", "over_4h", "other", "unbooked", 10),
    (JAN, "A", "dta_over_12h", "all", None, 7),
    # provider B: exempt from the four-hour measure (breaches blank): counts attendances, not performance
    (JAN, "B", "attendances", "type_1", "unbooked", 800), (JAN, "B", "over_4h", "type_1", "unbooked", np.nan),
    (JAN, "B", "dta_over_12h", "all", None, 3),
    # provider C: not ours
    (JAN, "C", "attendances", "type_1", "unbooked", 4000), (JAN, "C", "over_4h", "type_1", "unbooked", 2000),
]


def test_four_hour_performance_sums_breaches_and_attendances_where_both_are_reported():
    frame = series(ROWS)
    assert kpis.provider_measure(frame, ["A", "B"], "four_hour_all").iloc[0] == pytest.approx(1 - 110 / 1500)
    assert kpis.provider_measure(frame, ["A", "B"], "four_hour_type_1").iloc[0] == pytest.approx(1 - 100 / 1000)


def test_counts_add_up_over_the_economys_providers():
    frame = series(ROWS)
    assert kpis.provider_measure(frame, ["A", "B"], "attendances").iloc[0] == 2300
    assert kpis.provider_measure(frame, ["A", "B"], "attendances_type_1").iloc[0] == 1800
    assert kpis.provider_measure(frame, ["A", "B"], "dta_over_12h").iloc[0] == 10
    assert kpis.provider_measure(frame, ["Z"], "attendances").empty


def test_peers_are_the_providers_with_a_type_1_department():
    rows = benchmarks.provider_rows(series(ROWS)).set_index("provider")
    assert set(rows.index) == {"A", "B", "C"}
    assert rows.loc["A", "four_hour_all"] == pytest.approx(1 - 110 / 1500)
    assert np.isnan(rows.loc["B", "four_hour_all"])  # exempt: no figure, not 100%
    assert rows.loc["C", "four_hour_type_1"] == pytest.approx(0.5)
