"""The chart builders' one scaffolding: column checks, the caller's words against the builder's own, encodings."""

import altair as alt
import pandas as pd
import pytest

from analysis.charts import scaffold
from analysis.charts.theme import title_text

pytestmark = pytest.mark.unit


def chart() -> alt.Chart:
    return alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q")


def test_missing_columns_are_named_with_what_was_found():
    frame = pd.DataFrame({"year": [2008], "count": [1.0]})
    scaffold.require_columns(frame, {"year"}, "some_chart")
    with pytest.raises(ValueError, match=r"^some_chart: the grid needs columns count, p10, year; found year, count$"):
        scaffold.require_columns(frame, {"year", "count", "p10"}, "some_chart", "grid")
    with pytest.raises(ValueError, match="the steps need columns"):
        scaffold.require_columns(frame, {"order"}, "waterfall_chart", "steps")


def test_the_builder_s_words_unless_the_caller_gives_its_own():
    own = scaffold.finish_chart(
        chart(), source="S", words={}, title="Own title", description="Own words", subtitle="Own subtitle"
    ).to_dict()
    assert (title_text(own), own["description"], own["title"]["subtitle"][0]) == (
        "Own title",
        "Own words",
        "Own subtitle",
    )
    given = scaffold.finish_chart(
        chart(),
        source="S",
        words={"title": "Given", "description": "Given words", "subtitle": "Given subtitle", "synthetic": True},
        title="Own title",
        description="Own words",
        subtitle="Own subtitle",
    ).to_dict()
    assert (title_text(given), given["description"], given["title"]["subtitle"][0]) == (
        "Given",
        "Given words",
        "Given subtitle",
    )
    assert "synthetic data" in " ".join(given["title"]["subtitle"])


def test_a_title_worked_out_only_when_the_caller_gave_none():
    def fails() -> str:
        raise AssertionError("worked out although the caller gave a title")

    spec = scaffold.finish_chart(chart(), source="S", words={"title": "Given"}, title=fails, description="d").to_dict()
    assert title_text(spec) == "Given"
    assert (
        title_text(
            scaffold.finish_chart(chart(), source="S", words={}, title=lambda: "Lazy", description="d").to_dict()
        )
        == "Lazy"
    )


def test_a_misspelt_argument_is_refused():
    with pytest.raises(TypeError, match="unexpected chart argument"):
        scaffold.finish_chart(chart(), source="S", words={"titel": "x"}, title="t", description="d")


def test_shared_encodings():
    assert scaffold.year_x().to_dict() == {
        "field": "year_label",
        "type": "ordinal",
        "title": "Fiscal year",
        "axis": {"labelAngle": 0},
    }
    colour = scaffold.series_colour(["A", "B"], ["#000", "#fff"]).to_dict()
    assert colour == {
        "field": "series",
        "type": "nominal",
        "title": None,
        "scale": {"domain": ["A", "B"], "range": ["#000", "#fff"]},
    }
    assert [t.to_dict()["field"] for t in scaffold.series_tooltip("gap:Q", "£ million", ",.1f")] == [
        "series",
        "year_label",
        "gap",
    ]
    assert scaffold.described("Bar chart", ["a 1", "b 2"]) == "Bar chart: a 1; b 2."
    assert scaffold.described("Tornado", ["x"], end="; central 3.") == "Tornado: x; central 3."
