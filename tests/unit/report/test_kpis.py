"""A pathway's KPI series: the economy's codes, area weights, monthly activity and pooled indicators."""

import numpy as np
import pandas as pd
import pytest

from analysis.report import kpis

pytestmark = pytest.mark.unit


def activity() -> pd.DataFrame:
    rows = [
        # month, commissioner, pathway, pod, count
        ("2008-01-01", "5PG", "urgent_care", "ae", 10.0),
        ("2008-01-01", "TAM", "children", "ae", 5.0),
        ("2008-01-01", "5PE", "urgent_care", "ae", 100.0),  # not the economy's
        ("2008-01-01", "5PG", "urgent_care", "non_elective", 7.0),
        ("2008-02-01", "5PG", "urgent_care", "ae", 12.0),
        ("2008-02-01", "5PG", "urgent_care", "ae", 1.0),  # a second provider's row, same month
    ]
    frame = pd.DataFrame(rows, columns=["month", "commissioner", "pathway", "pod", "count"])
    frame["month"] = pd.to_datetime(frame["month"])
    return frame


def test_economy_codes_are_the_commissioners(small_book):
    assert kpis.economy_codes(small_book()) == ["5PG", "TAM"]


def test_area_weights_from_the_parameter_file(small_book):
    assert kpis.area_weights(small_book()) == {"5PG": 425000.0, "TAM": 205000.0}


def test_area_weights_fall_back_to_the_latest_estimate_then_to_one(small_book, default_params):
    economy = default_params.economy
    commissioners = [c.model_copy(update={"population": None}) for c in economy.commissioners]
    params = default_params.model_copy(update={"economy": economy.model_copy(update={"commissioners": commissioners})})
    population = pd.DataFrame({
        "area": ["5PG", "5PG", "5PG", "5PG"], "year": [2006, 2007, 2007, 2008],
        "sex": ["male", "male", "female", "male"], "age": [1, 1, 1, 1],
        "population": [999.0, 60.0, 40.0, 5000.0], "variant": ["estimate", "estimate", "estimate", "principal"],
    })
    # 5PG: its latest estimate (2007) is 60 + 40; TAM has no population anywhere, so weight 1.
    assert kpis.area_weights(small_book({"population": population}, params=params)) == {"5PG": 100.0, "TAM": 1.0}


def test_monthly_activity_sums_the_economy_s_rows():
    series = kpis.activity_series(activity(), ["5PG", "TAM"], ["urgent_care", "children"], ["ae"])
    assert series.to_dict() == {pd.Timestamp("2008-01-01"): 15.0, pd.Timestamp("2008-02-01"): 13.0}
    assert kpis.activity_series(activity(), ["5PG"], ["urgent_care"], ["non_elective"]).tolist() == [7.0]


def test_activity_counts_of_a_count_kpi_and_of_a_ratio_kpi(small_book, default_params):
    book = small_book({"activity": activity()})
    ae = default_params.pathways["urgent_care"].kpis[0]  # A&E attendances: pod ae over every pathway
    counts = kpis.activity_counts(book, "urgent_care", ae)
    assert counts["count"].tolist() == [15.0, 13.0] and counts["denominator"].isna().all()
    assert counts["period_start"].tolist() == [pd.Timestamp("2008-01-01"), pd.Timestamp("2008-02-01")]
    ratio = ae.model_copy(update={"pods": ["ae"], "ratio_to": ["non_elective"], "pathways": ["urgent_care"]})
    both = kpis.activity_counts(book, "urgent_care", ratio)
    # January: 10 A&E over 7 emergency admissions; February has no admissions (NaN, an outer join).
    assert both["count"].tolist() == [10.0, 13.0]
    assert both["denominator"].iloc[0] == 7.0 and np.isnan(both["denominator"].iloc[1])


def indicator_rows(values, counts=None, denominators=None) -> pd.DataFrame:
    n = len(values)
    return pd.DataFrame({
        "period_start": pd.to_datetime(["2008-01-01"] * n), "value": values,
        "count": counts if counts is not None else [np.nan] * n,
        "denominator": denominators if denominators is not None else [np.nan] * n,
    })


def test_rates_are_pooled_from_counts_in_their_own_unit():
    # A: 10 / 1,000 = 10 per 1,000; B: 30 / 2,000 = 15 per 1,000. Pooled: 40 / 3,000 x 1,000 = 13.33, not the mean 12.5.
    rows = indicator_rows([10.0, 15.0], counts=[10.0, 30.0], denominators=[1000.0, 2000.0])
    assert kpis.combine_indicator(rows).iloc[0] == pytest.approx(40 / 3000 * 1000)


def test_without_counts_values_are_weighted_summed_or_averaged():
    # Denominators only: (0.5 x 100 + 0.8 x 300) / 400 = 0.725.
    assert kpis.combine_indicator(indicator_rows([0.5, 0.8], denominators=[100.0, 300.0])).iloc[0] == pytest.approx(
        0.725
    )
    assert kpis.combine_indicator(indicator_rows([3.0, 4.0])).iloc[0] == 7.0  # whole numbers: counts add up
    assert kpis.combine_indicator(indicator_rows([1.5, 2.5])).iloc[0] == 2.0  # anything else: the mean


def test_indicator_info_from_the_content_file_with_a_readable_fallback(small_book):
    book = small_book(
        content={
            "indicators": {
                "indicators": {"smoking": {"name": "Smoking in pregnancy", "short": "Smoking", "percent": True}}
            }
        }
    )
    assert kpis.indicator_info(book, "smoking") == {"name": "Smoking in pregnancy", "short": "Smoking", "percent": True}
    assert kpis.indicator_info(book, "flu_jabs") == {"name": "flu jabs", "short": "flu jabs", "percent": False}


# --- disclosure control: suppressed cells in sums ----------------------------------------------------


def test_suppressed_series_marks_the_months_with_a_suppressed_cell_in_the_sum():
    frame = activity()
    # Without disclosure control nothing is suppressed: one False per month that has a summed row.
    plain = kpis.suppressed_series(frame, ["5PG", "TAM"], ["urgent_care"], ["ae"])
    assert plain.index.tolist() == list(pd.to_datetime(["2008-01-01", "2008-02-01"]))
    assert plain.tolist() == [False, False]
    # January's only suppressed cell is 5PE's (not the economy's) and non_elective (not summed); February has one.
    frame["suppressed"] = [False, False, True, True, False, True]
    marked = kpis.suppressed_series(frame, ["5PG", "TAM"], ["urgent_care"], ["ae"])
    assert marked.tolist() == [False, True]


def test_practice_counts_sum_disclosed_cells_and_a_sum_of_only_suppressed_cells_is_unknown():
    rows = pd.DataFrame({
        "practice": ["P1", "P1", "P2", "P2", "P3"],
        "count": [10.0, np.nan, np.nan, np.nan, 0.0],  # NaN: a suppressed cell (1 to 7)
        "cost": [100.0, np.nan, np.nan, np.nan, 0.0],
        "suppressed": [False, True, True, True, False],
    })
    out = kpis.practice_counts(rows, ["practice"]).set_index("practice")
    # P1: 10 + (suppressed as 0) = 10, and it holds a suppressed cell.
    assert (out.loc["P1", "count"], out.loc["P1", "cost"], out.loc["P1", "suppressed"]) == (10.0, 100.0, True)
    # P2: every cell suppressed, so the 0 is not known: missing, not 0.
    assert np.isnan(out.loc["P2", "count"]) and np.isnan(out.loc["P2", "cost"]) and out.loc["P2", "suppressed"]
    # P3: a true 0 stays 0.
    assert (out.loc["P3", "count"], out.loc["P3", "cost"], out.loc["P3", "suppressed"]) == (0.0, 0.0, False)


def test_practice_years_sum_complete_fiscal_years_or_come_disclosed_from_the_catalog(small_book):
    months = pd.date_range("2007-04-01", periods=13, freq="MS")  # 2007/08 in full, then April 2008
    table = pd.concat([
        pd.DataFrame({"month": months, "commissioner": "5PG", "practice": "P1", "pathway": "urgent_care",
                      "pod": "ae", "count": 2.0}),
        pd.DataFrame({"month": months, "commissioner": "5PG", "practice": None, "pathway": "urgent_care",
                      "pod": "ae", "count": 50.0}),  # not a practice's row
    ])
    out = kpis.practice_years(small_book({"activity": table}))
    # Twelve months of 2 = 24 in 2007/08; April 2008 alone is not a complete year; nothing suppressed.
    assert out[["year", "practice", "pod", "count", "suppressed"]].to_numpy().tolist() == [
        [2007, "P1", "ae", 24.0, False]
    ]
    disclosed = pd.DataFrame({"year": [2007], "practice": ["P1"], "count": [25.0], "suppressed": [False]})
    assert kpis.practice_years(small_book({"activity": table}, practice_years=disclosed)) is disclosed
