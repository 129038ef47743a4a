"""The SPC chart spec (title, description, layers, colours) and the KPI summary table; not pixels."""

import pandas as pd
import pytest

from analysis.charts import spc as charts
from analysis.charts.theme import MEANING
from analysis.stats import spc

pytestmark = pytest.mark.unit

BASE = [1.0, -1.0] * 6


def chart_spec(values, **kwargs):
    result = spc.xmr(values, **{k: v for k, v in kwargs.items() if k in ("improvement", "rebase_at", "fix_after")})
    dates = pd.date_range("2023-04-01", periods=len(values), freq="MS")
    chart = charts.spc_chart(
        result,
        dates=dates,
        title="Waits are falling",
        source="Test data",
        description="An SPC chart of test waits.",
        unit="Days",
        target=kwargs.get("target"),
        synthetic=True,
    )
    return chart.to_dict()


def marks(spec):
    return [layer["mark"]["type"] for layer in spec["layer"]]


def test_title_description_and_source():
    spec = chart_spec(BASE + [6.0], target=2.0)
    assert spec["title"]["text"] == "Waits are falling"
    assert spec["description"] == "An SPC chart of test waits."
    assert any("Test data" in line and "synthetic" in line for line in spec["title"]["subtitle"])


def test_layers_and_colours():
    spec = chart_spec(BASE + [6.0], target=2.0)
    assert marks(spec) == ["line", "line", "line", "line", "rule", "circle"]
    line, mean, upper, lower, target, points = spec["layer"]
    assert line["mark"]["color"] == MEANING["common_cause"]
    assert mean["mark"]["color"] == MEANING["limit"] and "strokeDash" not in mean["mark"]
    assert upper["mark"]["strokeDash"] and lower["mark"]["strokeDash"]
    assert target["mark"]["color"] == MEANING["target"]
    scale = points["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
        "Improvement": MEANING["improvement"],
        "Concern": MEANING["concern"],
        "Neutral": MEANING["neutral"],
        "Common cause": MEANING["common_cause"],
    }
    assert [t["field"] for t in points["encoding"]["tooltip"]][:3] == ["date", "value", "point"]


def test_limits_break_at_a_rebase():
    spec = chart_spec([10, 12] * 6 + [20, 22] * 6, rebase_at=[12])
    for layer in spec["layer"][1:4]:
        assert layer["encoding"]["detail"]["field"] == "group"
    data = next(iter(spec["datasets"].values()))
    assert sorted({row["group"] for row in data}) == [0, 1]


def test_no_target_no_rule_and_the_special_point_is_coloured():
    spec = chart_spec(BASE + [6.0], fix_after=12)
    assert "rule" not in marks(spec)
    data = next(iter(spec["datasets"].values()))
    assert data[-1]["meaning"] == "Improvement"
    assert data[0]["meaning"] == "Common cause"


def test_trial_limits_are_announced():
    short = chart_spec([1.0, 2.0, 3.0, 2.0])
    assert any("Trial limits" in line for line in short["title"]["subtitle"])
    full = chart_spec(BASE)
    assert not any("Trial limits" in line for line in full["title"]["subtitle"])


def test_dates_must_match_points():
    with pytest.raises(ValueError, match="one date per point"):
        charts.spc_chart(spc.xmr(BASE), dates=["2024-01-01"], title="t", source="s", description="d", unit="u")


def summary_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kpi": ["A&E within 4 hours", "Emergency admissions"],
            "unit": ["%", "admissions"],
            "latest_period": [pd.Timestamp("2024-03-01"), "2023/24 Q4"],
            "latest_value": [93.4, 5120.0],
            "mean": [94.1, 5000.0],
            "lpl": [91.0, 4600.0],
            "upl": [97.2, 5400.0],
            "variation": ["concern_low", "common_cause"],
            "assurance": ["inconsistent", None],
            "target": [95.0, float("nan")],
            "source": ["Test A&E", "Test SUS"],
        }
    )


def test_summary_table_has_icons_and_plain_text():
    table = charts.summary_table(summary_rows())
    html = table._repr_html_()
    assert html.count("<svg") == 3
    assert 'aria-label="Special cause of concern, low values"' in html
    assert "Mar 2024" in html and "5,120" in html and "93.4" in html
    text = repr(table)
    assert "Special cause of concern, low values" in text
    assert "No target" in text
    assert "Source: Test A&E; Test SUS" in text


def test_summary_table_needs_a_source_and_its_columns():
    rows = summary_rows().drop(columns="source")
    with pytest.raises(ValueError, match="source"):
        charts.summary_table(rows)
    assert "Source: KPI returns" in repr(charts.summary_table(rows, source="KPI returns"))
    with pytest.raises(ValueError, match="variation"):
        charts.summary_table(rows.drop(columns="variation"), source="x")


def test_summary_table_fits_in_seven_short_columns():
    table = charts.summary_table(summary_rows())
    assert list(table.frame.columns) == [
        "Indicator",
        "Latest",
        "Average",
        "Usual range",
        "Target",
        "Variation",
        "Assurance",
    ]
    text = repr(table)
    # The unit sits in the indicator's cell, the period under the latest value, the limits as one range.
    assert "A&E within 4 hours (%)" in text
    assert "5,120 2023/24 Q4" in text
    assert "4,600–5,400" in text and "91.0–97.2" in text
    assert "Assurance: hit and miss, the target lies within the process limits" in text  # the icon keeps its label


def test_summary_table_shows_proportions_as_percentages():
    rows = summary_rows().assign(
        latest_value=[0.976, 5120.0],
        mean=[0.97, 5000.0],
        lpl=[0.963, 4600.0],
        upl=[0.9762, 5400.0],
        target=[0.98, float("nan")],
        percent=[True, False],
    )
    text = repr(charts.summary_table(rows))
    assert "97.6% Mar 2024" in text
    assert "97.0%" in text and "96.3%–97.6%" in text and "98.0%" in text
    assert "0.976" not in text


def test_percent_chart_formats_axis_and_tooltips_as_percentages():
    values = [0.30, 0.28, 0.31, 0.29, 0.30, 0.32, 0.27, 0.30, 0.29, 0.31, 0.30, 0.28]
    spec = chart_spec(values, target=0.35)
    assert "format" not in spec["layer"][0]["encoding"]["y"].get("axis", {})
    result = spc.xmr(values)
    chart = charts.spc_chart(
        result, dates=pd.date_range("2023-04-01", periods=12, freq="MS"), title="t", source="s", description="d",
        unit="share of patients", target=0.35, percent=True,
    ).to_dict()
    line, *_, points = chart["layer"]
    assert line["encoding"]["y"]["axis"]["format"] == ".0%"  # spans 0.27 to 0.35: whole percentages
    assert {t["format"] for t in points["encoding"]["tooltip"] if t["type"] == "quantitative"} == {".1%"}


def test_percent_axis_keeps_a_decimal_when_the_range_is_narrow():
    frame = pd.DataFrame({"value": [0.963, 0.970, 0.976], "lpl": [0.962] * 3, "upl": [0.978] * 3})
    assert charts.axis_percent_format(frame) == ".1%"  # ticks 0.002 apart would all read 96% or 97%
    assert charts.axis_percent_format(frame, target=0.90) == ".0%"


def test_summary_table_does_not_repeat_a_unit_the_name_ends_with():
    rows = summary_rows().assign(
        kpi=["OwnHealth members", "Emergency admissions"], unit=["members", "admissions a month"]
    )
    text = repr(charts.summary_table(rows))
    assert "OwnHealth members (members)" not in text and "OwnHealth members" in text
    assert "Emergency admissions (admissions a month)" in text


def test_a_run_chart_has_no_process_limits_and_draws_the_trajectory():
    dates = pd.date_range("2007-01-01", periods=4, freq="MS")
    spec = charts.run_chart(
        dates,
        [10.0, 20.0, 30.0, 45.0],
        title="Members have risen every month",
        source="Test data",
        description="A run chart of members.",
        unit="members",
        trajectory={"2008-03": 100.0},
    ).to_dict()
    text = str(spec)
    assert "upl" not in text and "lpl" not in text
    lines = [d for d in spec["datasets"].values() if d and "series" in d[0]]
    planned = [row for row in lines[0] if row["series"] == "Plan trajectory"]
    # The trajectory starts at the latest value and ends at the planned one.
    assert [row["value"] for row in planned] == [45.0, 100.0]
    median = [d for d in spec["datasets"].values() if d and "median" in d[0]][0]
    assert median[0]["median"] == 25.0  # the median of 10, 20, 30, 45


def test_tooltips_show_figures_as_tables_do_not_in_scientific_notation():
    spec = chart_spec(BASE + [6.0])
    formats = [
        t.get("format")
        for layer in spec["layer"]
        for t in layer.get("encoding", {}).get("tooltip", [])
        if t.get("type") == "quantitative"
    ]
    assert formats and all(f and "e" not in f and "g" not in f for f in formats)


def test_the_date_axis_keeps_labels_apart():
    spec = chart_spec(BASE + [6.0])
    axis = spec["layer"][0]["encoding"]["x"]["axis"]
    assert axis["tickCount"] <= 6 and axis["labelOverlap"]
