"""The funnel chart spec: title, method subtitle, limits, target, outlier labels and highlights."""

import numpy as np
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
        result(), title="One trust stands out", source="Test", description="A funnel plot.", value_label="SHMI", **kwargs
    ).to_dict()


def test_title_and_method_subtitle():
    s = spec()
    r = result()
    assert s["title"]["text"] == "One trust stands out"
    assert s["description"] == "A funnel plot."
    assert s["title"]["subtitle"][0] == r.method
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
    assert kinds == ["line", "rule", "circle", "point", "text"]
    assert s["layer"][3]["mark"]["color"] == MEANING["local"]
    labels = s["datasets"][s["layer"][4]["data"]["name"]]
    assert sorted(row["label"] for row in labels) == ["C", "K"]
    with pytest.raises(ValueError, match="ZZ"):
        spec(highlight=["ZZ"])


def test_curves_are_small_and_long():
    points, curves = charts.funnel_frames(result())
    assert len(points) == 11
    assert set(curves["level"]) == {"95% limits", "99.8% limits"}
    assert len(curves) == 4 * 100
