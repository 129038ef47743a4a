"""Charts of the five-year model.

Message titles, sources, small data, fixed parameter names, and sliders that really change what the reader sees.
"""

import json

import altair as alt
import numpy as np
import pandas as pd
import pytest
import vl_convert as vlc

from analysis.charts import model as cm
from analysis.charts.theme import title_text

pytestmark = pytest.mark.unit

SCALES = (0.0, 0.5, 1.0)


def trajectory_grid() -> pd.DataFrame:
    rows = [("history", 2006, np.nan, 100.0, np.nan, np.nan), ("history", 2007, np.nan, 100.0, np.nan, np.nan)]
    for year, dn in ((2007, 100.0), (2008, 150.0), (2009, 200.0)):
        rows.append(("do_nothing", year, np.nan, dn, dn, dn))
        for s in SCALES:
            plan = dn - s * (dn - 100.0) * 0.2  # at scale 1 the plan removes a fifth of the growth
            rows.append(("plan", year, s, plan, plan - 5, plan + 5))
    g = pd.DataFrame(rows, columns=["scenario", "year", "effect_scale", "count", "p10", "p90"])
    g["year_label"] = g["year"].map(lambda y: f"{y}/{(y + 1) % 100:02d}")
    return g


def gap_grid() -> pd.DataFrame:
    rows = []
    for shift in (-1.0, 0.0, 1.0):
        for s in SCALES:
            for n, year in enumerate((2007, 2008, 2009)):
                alloc = 100e6 * (1.05 + shift / 100) ** n
                dn = 100e6 * 1.08**n
                rows.append(
                    (shift, s, year, f"{year}/{(year + 1) % 100:02d}", n, alloc, dn, dn - s * 4e6 * n, 1e6 * (n > 0))
                )
    return pd.DataFrame(
        rows,
        columns=[
            "growth_shift",
            "effect_scale",
            "year",
            "year_label",
            "years_from_base",
            "allocation",
            "spend_do_nothing",
            "spend_plan",
            "intervention_costs",
        ],
    )


def all_params(spec: dict) -> dict:
    """Parameters declared anywhere in a spec, by name."""
    found = {}

    def walk(node):
        if isinstance(node, dict):
            for p in node.get("params", []):
                found[p["name"]] = p
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    return found


def with_param(spec: dict, name: str, value: float) -> dict:
    """A copy of the spec with one parameter's starting value changed."""
    out = json.loads(json.dumps(spec))
    all_params(out)[name]["value"] = value
    return out


def rows_in(spec: dict) -> int:
    return sum(len(v) for v in spec.get("datasets", {}).values())


def check_finished(chart, source="Test source"):
    spec = chart.to_dict()
    assert title_text(spec) and spec["description"]
    assert any(source in line for line in spec["title"]["subtitle"])
    assert rows_in(spec) < 5000
    assert json.dumps(chart.to_dict(), sort_keys=True) == json.dumps(spec, sort_keys=True)  # deterministic
    return spec


def test_trajectory_chart_title_states_the_story_not_a_number_the_slider_changes():
    chart = cm.trajectory_chart(trajectory_grid(), source="Test source")
    spec = check_finished(chart)
    # At scale 1 the plan in 2009/10 is 200 - 0.2 x 100 = 180, below doing nothing; the slider moves the
    # 10% but cannot turn "less" into "more", so the title gives the direction only.
    assert title_text(spec) == "At its assumed effects the plan ends 2009/10 with less activity than doing nothing"
    assert "%" not in title_text(spec)
    param = all_params(spec)["effect_scale"]
    assert param["value"] == 1.0 and param["bind"]["input"] == "range"


def test_without_a_plan_the_trajectory_is_history_and_doing_nothing_only():
    chart = cm.trajectory_chart(trajectory_grid(), source="Test source", with_plan=False)
    spec = check_finished(chart)
    assert title_text(spec) == "Doing nothing, activity reaches 200 in 2009/10"
    assert "effect_scale" not in all_params(spec)
    assert "The plan" not in json.dumps(spec)


def test_moving_the_effect_slider_changes_the_trajectory_drawn():
    spec = cm.trajectory_chart(trajectory_grid(), source="Test source").to_dict()
    as_planned = vlc.vegalite_to_svg(spec, vl_version="6.4")
    no_effect = vlc.vegalite_to_svg(with_param(spec, "effect_scale", 0.0), vl_version="6.4")
    assert as_planned != no_effect


def test_gap_chart_has_three_named_sliders_and_a_gap_title():
    chart = cm.gap_chart(gap_grid(), source="Test source", efficiency=0.01)
    spec = check_finished(chart)
    params = all_params(spec)
    assert set(params) == {"growth", "efficiency", "effect_scale"}
    assert params["efficiency"]["value"] == 0.01
    # 2009/10 with 1% efficiency a year: do nothing 100m x 1.08^2 x 0.99^2 against 100m x 1.05^2.
    expected = (100e6 * 1.08**2 * 0.99**2 - 100e6 * 1.05**2) / 1e6
    assert f"a shortfall of £{expected:,.1f}m in 2009/10" in title_text(spec)


@pytest.fixture(scope="module")
def gap_spec_and_svg():
    spec = cm.gap_chart(gap_grid(), source="Test source").to_dict()
    return spec, vlc.vegalite_to_svg(spec, vl_version="6.4")


@pytest.mark.parametrize(("name", "value"), [("growth", 1.0), ("efficiency", 0.03), ("effect_scale", 0.0)])
def test_each_gap_slider_changes_the_chart(gap_spec_and_svg, name, value):
    spec, default = gap_spec_and_svg
    assert default != vlc.vegalite_to_svg(with_param(spec, name, value), vl_version="6.4")


def test_waterfall_chart_shows_changes_that_sum_to_the_total():
    steps = pd.DataFrame(
        {
            "order": [0, 1, 2, 3, 4],
            "step": ["Baseline 2007/08", "Demography", "Trend", "Care management", "2009/10 with the plan"],
            "kind": ["baseline", "demography", "trend", "intervention", "horizon"],
            "intervention": ["", "", "", "boh", ""],
            "value": [1000.0, 80.0, 20.0, -30.0, 1070.0],
            "start": [0.0, 1000.0, 1080.0, 1100.0, 0.0],
            "end": [1000.0, 1080.0, 1100.0, 1070.0, 1070.0],
        }
    )
    spec = check_finished(cm.waterfall_chart(steps, source="Test source"))
    assert (
        title_text(spec) == "Demography and trend add 100 (10.0%); the plan's interventions remove 30"
    )  # 100 on a base of 1,000
    data = next(iter(spec["datasets"].values()))
    total = [d for d in data if d["kind"] == "total"][0]
    assert total["end"] == 70.0 and data[-2]["end"] == 70.0


def test_tornado_chart_orders_by_swing():
    frame = pd.DataFrame(
        {
            "assumption": ["Allocation growth", "Unit costs"],
            "key": ["growth", "unit_cost"],
            "low_label": ["lower", "lower"],
            "high_label": ["higher", "higher"],
            "base": [5e6, 5e6],
            "gap_low": [9e6, 4e6],
            "gap_high": [1e6, 6e6],
            "swing": [8e6, 2e6],
        }
    )
    spec = check_finished(cm.tornado_chart(frame, source="Test source"))
    assert title_text(spec).startswith(
        "Allocation growth moves the horizon gap most, from a shortfall of £1.0m to a shortfall of £9.0m"
    )


def test_workforce_and_beds_charts():
    wf = pd.DataFrame(
        {
            "year": [2009] * 5,
            "scenario": ["do_nothing", "plan", "do_nothing", "plan", "plan"],
            "sector": ["acute", "acute", "community", "community", "new roles"],
            "staff_group": ["Nurses", "Nurses", "Community nurses", "Community nurses", "Care managers"],
            "wte": [100.0, 90.0, 20.0, 22.0, 15.0],
        }
    )
    spec = check_finished(cm.workforce_chart(wf, source="Test source"))
    assert title_text(spec) == "By 2009/10 the plan needs 15 WTE in new roles and frees 10 WTE elsewhere"
    balance = pd.DataFrame(
        {
            "year": [2008, 2009],
            "hospital_do_nothing": [500.0, 520.0],
            "hospital_plan": [500.0, 480.0],
            "hospital_reduction": [0.0, 40.0],
            "community_commissioned": [0.0, 36.0],
        }
    )
    spec = check_finished(cm.beds_chart(balance, source="Test source"))
    assert title_text(spec) == "By 2009/10 the plan needs 40 fewer hospital beds, with 36 community beds commissioned"


def test_charts_refuse_frames_without_their_columns():
    with pytest.raises(ValueError, match="gap_chart: the grid needs columns"):
        cm.gap_chart(pd.DataFrame({"year": [2008]}), source="x")
    with pytest.raises(ValueError, match="trajectory_chart"):
        cm.trajectory_chart(pd.DataFrame({"year": [2008]}), source="x")


def test_trajectory_chart_layers_and_its_worked_horizon():
    chart = cm.trajectory_chart(trajectory_grid(), source="s")
    spec = chart.to_dict()
    assert isinstance(chart, alt.LayerChart)
    band, projections, history = spec["layer"]
    # The plan's 10th-90th centile band, the dashed projections, then the solid history.
    assert band["mark"]["type"] == "area" and (band["encoding"]["y"]["field"], band["encoding"]["y2"]["field"]) == (
        "p10",
        "p90",
    )
    assert "strokeDash" in projections["encoding"] and "strokeDash" not in history["encoding"]
    assert [(p["name"], p["value"], p["bind"]["min"], p["bind"]["max"]) for p in spec["params"]] == [
        ("effect_scale", 1.0, 0, 2.0)
    ]
    # 2009/10 at scale 1: do nothing 200; the plan removes a fifth of the growth above 100: 200 - 0.2 x 100 = 180.
    assert spec["description"].endswith("in 2009/10 do nothing reaches 200 and the plan 180.")


def test_gap_chart_panels_and_its_worked_horizon_gap():
    chart = cm.gap_chart(gap_grid(), source="s")
    spec = chart.to_dict()
    assert isinstance(chart, alt.VConcatChart) and len(spec["vconcat"]) == 2
    # 2009/10 at no growth shift and scale 1: allocation 100 x 1.05^2 = 110.25, cost doing nothing
    # 100 x 1.08^2 = 116.64 (gap 6.39); with the plan 116.64 - 8 + 1 = 109.64 (gap -0.61), all £ million.
    assert "in 2009/10 the gap is £6.4m doing nothing and -£0.6m with the plan" in spec["description"]
