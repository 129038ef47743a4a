"""The funnel chart spec: title, method subtitle, limits, target, outlier labels and highlights."""

import numpy as np
import pandas as pd
import pytest

from analysis.charts import funnel as charts
from analysis.charts.theme import MEANING
from analysis.stats import funnel as fn

pytestmark = pytest.mark.unit


def result():
    # Ten units at the expected count (ratio 1) and one far above: "K" is beyond the 99.8% limits.
    expected = np.array([50.0, 60, 70, 80, 90, 100, 110, 120, 130, 140, 100])
    observed = expected.copy()
    observed[-1] = 200
    return fn.funnel(observed, expected, group=list("ABCDEFGHIJK"))


def spec(**kwargs):
    return charts.funnel_chart(
        result(),
        title="One trust stands out",
        source="Test",
        description="A funnel plot.",
        value_label="SHMI",
        **kwargs,
    ).to_dict()


def test_title_plain_subtitle_and_the_method_in_the_description():
    s = spec()
    r = result()
    assert s["title"]["text"] == "One trust stands out"
    # The subtitle is plain English; the method's detail goes to the description (and the methods appendix).
    assert s["title"]["subtitle"][0] == charts.plain_limits(r)
    assert not any(word in " ".join(s["title"]["subtitle"]) for word in ("phi", "tau", "Poisson", "SHMI", "Winsor"))
    assert s["description"] == f"A funnel plot. Method: {r.method}."
    assert "Exact Poisson" in r.method


def test_layers_limits_target_points_and_labels():
    s = spec()
    assert [layer["mark"]["type"] for layer in s["layer"]] == ["line", "rule", "circle", "text"]
    limits, target, points, labels = s["layer"]
    assert limits["encoding"]["strokeDash"]["scale"]["domain"] == ["95% limits", "99.8% limits"]
    assert target["mark"]["color"] == MEANING["england"]
    assert points["encoding"]["color"]["scale"]["range"] == list(charts.STATUS_COLOURS)
    label_data = s["datasets"][labels["data"]["name"]]
    assert [row["label"] for row in label_data] == ["K"]


def test_highlight_rings_and_labels_a_unit():
    s = spec(highlight=["C"])
    kinds = [layer["mark"]["type"] for layer in s["layer"]]
    assert kinds[:4] == ["line", "rule", "circle", "point"] and set(kinds[4:]) == {"text"}
    assert s["layer"][3]["mark"]["color"] == MEANING["local"]
    labels = [row["label"] for layer in label_layers(s) for row in s["datasets"][layer["data"]["name"]]]
    assert sorted(labels) == ["C", "K"]
    with pytest.raises(ValueError, match="ZZ"):
        spec(highlight=["ZZ"])


def test_curves_are_small_and_long():
    points, curves = charts.funnel_frames(result())
    assert len(points) == 11
    assert set(curves["level"]) == {"95% limits", "99.8% limits"}
    assert len(curves) == 4 * 100


def crowded():
    # Forty units at the expected count and eight far above it, four of them almost on top of each other.
    expected = np.array([100.0] * 40 + [100, 101, 102, 103, 300, 500, 700, 900])
    observed = expected.copy()
    observed[40:] = [300, 302, 304, 306, 700, 1200, 1500, 2000]
    return fn.funnel(observed, expected, group=[f"U{i:02d}" for i in range(48)], overdispersion=False)


def label_layers(s):
    return [layer for layer in s["layer"] if layer["mark"]["type"] == "text"]


def test_only_the_most_extreme_outliers_are_named():
    r = crowded()
    points, curves = charts.funnel_frames(r)
    assert (points["status"] == charts.STATUS[2]).sum() == 8
    placed = charts.place_labels(points, curves, r.target, max_labels=3)
    # Extremity is how far beyond the 99.8% limit, relative to the limit's distance from 1; the upper
    # limit is about 1 + 3.09 / sqrt(expected). By hand: U47 (2000/900 = 2.22 against 1.10) ~11,
    # U45 (1200/500 = 2.4 against 1.14) ~9, U46 (1500/700 = 2.14 against 1.12) ~9, U44 ~6, U40-U43 ~5.
    assert sorted(placed["unit"]) == ["U45", "U46", "U47"]


def test_labels_of_close_outliers_do_not_overlap_and_are_deterministic():
    r = crowded()
    points, curves = charts.funnel_frames(r)
    first = charts.place_labels(points, curves, r.target, max_labels=8)
    again = charts.place_labels(points, curves, r.target, max_labels=8)
    pd.testing.assert_frame_equal(first, again)
    # U40 to U43 sit within a few pixels of each other: no two of their labels share a place.
    close = first[first["unit"].isin(["U40", "U41", "U42", "U43"])]
    assert close["place"].is_unique
    assert len(close) <= len(charts.LABEL_PLACES)


def test_chart_says_when_some_outliers_are_left_unnamed():
    s = charts.funnel_chart(crowded(), title="t", source="s", description="d", value_label="Ratio").to_dict()
    named = sum(len(s["datasets"][layer["data"]["name"]]) for layer in label_layers(s))
    assert named <= charts.MAX_LABELS
    assert f"{8 - named} more are outside them" in " ".join(s["title"]["subtitle"])
    # The chart itself (also printed) gives no instruction; the screen-only note says to hover.
    assert "hover" not in " ".join(s["title"]["subtitle"]).lower()
    assert "Hover" in s["usermeta"]["sb_interaction"]
    assert (
        "more are outside" not in " ".join(spec()["title"]["subtitle"]) and "usermeta" not in spec()
    )  # one outlier, named: no note


def test_a_label_never_runs_off_the_left_edge_of_the_plot():
    # The outlier sits at the smallest denominator, low: its label goes to the right, inside the plot.
    expected = np.array([20.0, 200, 300, 400, 500, 600, 700, 800])
    observed = expected.copy()
    observed[0] = 0.0
    r = fn.funnel(
        observed,
        expected,
        group=["A practice with a long name", "B", "C", "D", "E", "F", "G", "H"],
        overdispersion=False,
    )
    points, curves = charts.funnel_frames(r)
    placed = charts.place_labels(points, curves, r.target)
    assert placed["unit"].tolist() == ["A practice with a long name"]
    assert placed["place"].iloc[0].endswith("right")


def test_subtitle_lines_fit_the_plot_and_keep_the_source():
    s = charts.funnel_chart(
        crowded(), title="t", source="Test source", description="d", value_label="Ratio", synthetic=True
    ).to_dict()
    lines = s["title"]["subtitle"]
    assert all(len(line) <= charts.SUBTITLE_CHARACTERS for line in lines)
    assert lines[0].startswith(charts.plain_limits(crowded())[:40])
    assert lines[-1] == "Source: Test source (synthetic data, not real patients)"


def test_tooltips_show_figures_as_the_tables_do():
    s = spec()
    formats = [
        t.get("format")
        for layer in s["layer"]
        for t in layer.get("encoding", {}).get("tooltip", [])
        if t.get("type") == "quantitative"
    ]
    assert formats and all(f == ",.2~f" for f in formats)  # 13,660 and 1.25, never 1.366e+4
