"""Charts of the value and prioritisation chapters.

Labels that never overlap, message titles computed from the data, a source and a description on every chart.
"""

import numpy as np
import pandas as pd
import pytest

from analysis.charts import value as cv
from analysis.charts.render import spec_of
from analysis.charts.theme import title_text

pytestmark = pytest.mark.unit


# --- spread_labels -----------------------------------------------------------------------------------


def test_labels_far_apart_stay_on_their_points():
    assert cv.spread_labels(np.array([0.5, -0.5]), 0.1, -1, 1) == pytest.approx([0.5, -0.5])


def test_crowded_labels_are_pushed_apart_and_recentred():
    # From the top: 0.5 stays; 0.01 stays; 0 must sit 0.1 below 0.01, at -0.09. The mean drift
    # (0.09 + 0 + 0) / 3 = 0.03 moves the column up: -0.06, 0.04, 0.53.
    placed = cv.spread_labels(np.array([0.0, 0.01, 0.5]), 0.1, -1, 1)
    assert placed == pytest.approx([-0.06, 0.04, 0.53])


def test_labels_never_fall_below_the_bottom_of_the_chart():
    # Greedy: -1, -1.1, -1.2; drift 0.1 lifts them to -0.9, -1.0, -1.1; the lowest is 0.1 below
    # the floor, so all move up 0.1 more: -0.8, -0.9, -1.0.
    placed = cv.spread_labels(np.array([-1.0, -1.0, -1.0]), 0.1, -1, 1)
    assert sorted(placed) == pytest.approx([-1.0, -0.9, -0.8])


def test_labels_are_at_least_the_gap_apart():
    values = np.array([0.0, 0.001, 0.002, 0.003, 0.2, 0.21])
    placed = np.sort(cv.spread_labels(values, 0.05, -1, 1))
    assert np.all(np.diff(placed) >= 0.05 - 1e-12)


def test_no_labels_no_positions():
    assert cv.spread_labels(np.array([]), 0.1, -1, 1).size == 0


# --- the quadrant ------------------------------------------------------------------------------------


def quadrant_frame(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["area_name", "pathway_title", "index", "relative", "comparison"])
    frame["name"] = "An outcome"
    frame["period"] = "2007/08"
    frame["value_text"] = "1.0"
    frame["england_text"] = "1.0"
    frame["per_head"] = 100.0
    return frame


def test_quadrant_title_names_the_area_that_spends_more_everywhere_and_does_worse():
    frame = quadrant_frame([
        ("North", "Maternity", 0.02, -0.5, "worse"),
        ("North", "Children", 0.01, -0.1, "similar"),  # below England but not significantly: not counted
        ("North", "Urgent care", 0.03, -0.2, "worse"),
        ("South", "Maternity", -0.04, 0.1, "better"),
    ])
    assert cv.quadrant_title(frame) == (
        "North spends more per resident than the economy's average on every programme and does significantly worse "
        "than England on 2 of 3"
    )


def test_quadrant_title_when_spend_is_mixed():
    frame = quadrant_frame([
        ("North", "Maternity", 0.02, -0.5, "worse"),
        ("North", "Children", -0.01, -0.1, "worse"),  # lower spend: not counted
        ("South", "Maternity", -0.04, 0.1, "better"),
    ])
    assert (
        cv.quadrant_title(frame)
        == "1 of North's programmes cost more per resident than average and do significantly worse than England"
    )


def test_quadrant_title_when_nothing_is_in_the_worst_quadrant():
    frame = quadrant_frame([("North", "Maternity", 0.02, 0.1, "better"), ("South", "Maternity", -0.02, -0.1, "worse")])
    assert cv.quadrant_title(frame).startswith("No programme combines")


def test_quadrant_chart_is_symmetric_about_the_averages_and_fills_significant_points():
    frame = quadrant_frame([
        ("North", "Maternity", 0.02, -0.5, "worse"),
        ("North", "Children", 0.01, -0.1, "similar"),
        ("South", "Maternity", -0.04, 0.1, "better"),
    ])
    spec = spec_of(cv.quadrant_chart(frame, source="Test source", year_label="2007/08"))
    assert "North spends more" in title_text(spec)
    assert spec["description"].startswith("Scatter chart")
    assert any("Source: Test source" in line for line in spec["title"]["subtitle"])
    layers = spec["layer"]
    x_domains = [
        layer["encoding"]["x"]["scale"]["domain"]
        for layer in layers
        if "scale" in layer.get("encoding", {}).get("x", {})
    ]
    assert x_domains and all(d[0] == pytest.approx(-d[1]) for d in x_domains)
    filled = [layer for layer in layers if isinstance(layer["mark"], dict) and layer["mark"].get("filled") is True]
    assert len(filled) == 1  # one layer of filled points: the significant ones


def test_quadrant_chart_names_missing_columns():
    with pytest.raises(ValueError, match="relative"):
        cv.quadrant_chart(pd.DataFrame({"area_name": ["A"]}), source="s", year_label="2007/08")


# --- variation ---------------------------------------------------------------------------------------


def variation_frames():
    opportunity = pd.DataFrame({
        "line": ["Emergency admissions"] * 3 + ["Day cases"] * 3,
        "practice": ["P1", "P2", "P3"] * 2,
        "ratio": [0.8, 1.0, 1.2, 0.9, 1.0, 1.1],
        "rate": [80.0, 100.0, 120.0, 90.0, 100.0, 110.0],
        "benchmark": [85.0, 85.0, 85.0, 95.0, 95.0, 95.0],
        "activity": [0.0, 15.0, 35.0, 0.0, 5.0, 15.0],
        "cost": [0.0, 1.5e6, 3.5e6, 0.0, 0.5e6, 1.5e6],
    })
    summary = pd.DataFrame(
        {"line": ["Emergency admissions", "Day cases"], "activity": [50.0, 20.0], "cost": [5e6, 2e6]}
    )
    return opportunity, summary


def test_variation_title_gives_the_total_and_the_largest_line():
    _, summary = variation_frames()
    assert cv.variation_title(summary) == (
        "If every practice matched the best of its similar practices, about £7.0m a year of hospital activity would "
        "go, "
        "the largest share in emergency admissions"
    )


def test_variation_chart_colours_practices_above_their_benchmark_and_orders_rows_by_money():
    opportunity, summary = variation_frames()
    spec = spec_of(cv.variation_chart(opportunity, summary, source="Test", year_label="2007/08", note="A note."))
    points = [layer for layer in spec["layer"] if layer["mark"]["type"] == "circle"][0]
    assert points["encoding"]["y"]["sort"] == ["Emergency admissions: 50 fewer, £5.0m", "Day cases: 20 fewer, £2.0m"]
    rows = spec["datasets"][points["data"]["name"]]
    above = {r["practice"] + r["line"]: r["status"] for r in rows}
    assert above["P1Emergency admissions"] == "At or below its benchmark"
    assert above["P3Day cases"] == "Above its benchmark"
    assert all(-1 <= r["jitter"] <= 1 for r in rows)


# --- the productivity challenge ---------------------------------------------------------------------


def productivity_frame(cost: float, funding: float) -> pd.DataFrame:
    return pd.DataFrame({
        "component": ["Demand", "Prices", "Cost of care", "Funding"],
        "kind": ["cost", "cost", "cost", "funding"],
        "growth": [0.05, 0.2, cost, funding],
        "yearly": [0.01, 0.04, 0.045, 0.04],
    })


def test_productivity_title_compares_the_cost_of_care_with_funding():
    assert (
        cv.productivity_title(productivity_frame(0.25, 0.2), "2012/13")
        == "Doing nothing, the cost of care (25.0% by 2012/13) outgrows funding (20.0%)"
    )
    assert "grows no faster than" in cv.productivity_title(productivity_frame(0.15, 0.2), "2012/13")


def test_productivity_chart_has_a_bar_per_component_and_the_efficiency_needed():
    spec = spec_of(
        cv.productivity_chart(
            productivity_frame(0.25, 0.2),
            source="Test",
            baseline_label="2007/08",
            horizon_label="2012/13",
            efficiency_needed=0.0081,
        )
    )
    assert "0.81% a year" in " ".join(spec["title"]["subtitle"])
    bars = spec["layer"][0]
    assert bars["encoding"]["y"]["sort"] == ["Demand", "Prices", "Cost of care", "Funding"]


# --- schemes -----------------------------------------------------------------------------------------


def schemes_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "name": ["Alpha", "Beta", "Gamma", "Delta"],
        "pathway_title": ["Planned care", "End of life care", "Urgent care", "Children"],
        "rank_savings": [1, 2, 3, 4],
        "savings_per_pound": [2.0, 0.4, 0.3, -0.5],
        "spp_p10": [1.2, 0.2, 0.1, -1.0],
        "spp_p90": [2.8, 0.6, 0.5, 0.1],
        "share_paying": [0.9, 0.0, 0.0, 0.0],
        "gain_p50": [0.0, 0.2, 0.0, 0.3],
        "gain_p10": [0.0, 0.1, 0.0, 0.1],
        "gain_p90": [0.0, 0.3, 0.0, 0.5],
        "decision": ["Scale up", "Keep and evaluate", "Review or stop", "Keep and evaluate"],
    })


def test_savings_title_counts_each_decision():
    assert cv.savings_title(schemes_frame(), 1.0) == (
        "1 of 4 costed schemes save more than they cost in most model runs; 2 more avoid emergency admissions and 1 "
        "does neither"
    )


def test_savings_chart_ranks_schemes_by_central_savings_and_marks_break_even():
    spec = spec_of(cv.savings_range_chart(schemes_frame(), source="Test", runs=500))
    bands = [layer for layer in spec["layer"] if layer["mark"]["type"] == "rule" and "x2" in layer["encoding"]]
    assert bands[0]["encoding"]["y"]["sort"] == ["1. Alpha", "2. Beta", "3. Gamma", "4. Delta"]
    assert "500 model runs" in " ".join(spec["title"]["subtitle"])
    rules = [
        spec["datasets"][layer["data"]["name"]]
        for layer in spec["layer"]
        if layer["mark"]["type"] == "rule" and "x2" not in layer["encoding"]
    ]
    assert [{"x": 1.0}] in rules and [{"x": 0.0}] in rules


def test_matrix_title_when_no_scheme_both_pays_and_avoids_admissions():
    assert (
        cv.matrix_title(schemes_frame(), 1.0)
        == "No scheme both pays for itself and avoids emergency admissions; Delta avoids the most per pound"
    )


def test_matrix_title_names_schemes_that_do_both():
    frame = schemes_frame()
    frame.loc[0, "gain_p50"] = 0.1
    assert cv.matrix_title(frame, 1.0) == "Alpha both pays for itself and avoids emergency admissions"


def test_matrix_chart_labels_points_with_their_rank():
    spec = spec_of(cv.priority_matrix_chart(schemes_frame(), source="Test"))
    text = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"][0]
    rows = spec["datasets"][text["data"]["name"]]
    assert [r["label"] for r in rows] == ["1", "2", "3", "4"]
