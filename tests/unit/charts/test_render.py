"""The book's renderer: offline, deterministic HTML, a real PNG, stable text."""

import base64

import altair as alt
import pandas as pd
import pytest

from analysis.charts import render
from analysis.charts.theme import finish


def chart(values=(1, 2, 3)):
    base = alt.Chart(pd.DataFrame({"x": range(len(values)), "y": list(values)})).mark_line().encode(x="x:Q", y="y:Q")
    return finish(base, title="Rising", source="test data", description="A rising line.")


@pytest.mark.unit
def test_same_chart_same_output_different_chart_different_id():
    a, b = render.spec_of(chart()), render.spec_of(chart())
    assert render.html_fragment(a) == render.html_fragment(b)
    assert render.chart_id(a) != render.chart_id(render.spec_of(chart((3, 2, 1))))


@pytest.mark.unit
def test_html_loads_nothing_from_the_network_and_labels_the_figure():
    html = render.html_fragment(render.spec_of(chart()))
    assert "http://" not in html.replace("http://www.w3.org", "") or "cdn" not in html
    assert "<script src" not in html and "cdn" not in html
    assert 'role="figure" aria-label="A rising line."' in html
    assert "window.vegaEmbed" in html


@pytest.mark.unit
def test_plain_text_is_title_and_description():
    assert render.plain_text(render.spec_of(chart())) == "Chart: Rising. A rising line."


@pytest.mark.unit
def test_no_png_unless_asked(monkeypatch):
    monkeypatch.delenv(render.PNG_ENV, raising=False)
    assert set(render.mimebundle(render.spec_of(chart()))) == {"text/html", "text/plain"}


@pytest.mark.unit
def test_png_fallback_is_a_png(monkeypatch):
    monkeypatch.setenv(render.PNG_ENV, "1")
    bundle = render.mimebundle(render.spec_of(chart()))
    raw = base64.b64decode(bundle["image/png"])
    assert raw[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.unit
def test_finish_refuses_a_chart_without_source():
    with pytest.raises(ValueError, match="title, a source and a one-sentence description"):
        finish(alt.Chart(pd.DataFrame({"x": [1]})).mark_point(), title="t", source="", description="d")


@pytest.mark.unit
def test_synthetic_charts_say_so():
    spec = render.spec_of(
        finish(alt.Chart(pd.DataFrame({"x": [1]})).mark_point(), title="t", source="s", description="d", synthetic=True)
    )
    assert "synthetic data" in " ".join(spec["title"]["subtitle"])


@pytest.mark.unit
def test_bundle_is_wrapped_and_written_once(tmp_path):
    path = render.write_bundle(tmp_path)
    text = path.read_text()
    assert text.splitlines()[1] == "(function(){" and "window.vegaEmbed" in text
    mtime = path.stat().st_mtime_ns
    render.write_bundle(tmp_path)
    assert path.stat().st_mtime_ns == mtime


@pytest.mark.unit
def test_a_chart_and_a_table_that_may_scroll_can_be_reached_by_keyboard():
    import re

    import pandas as pd

    from analysis.charts import table as tables

    fragment = render.html_fragment({"title": "A wide chart", "description": "A chart wider than a phone."})
    div = re.search(r'<div [^>]*class="sb-chart"[^>]*>', fragment).group(0)
    assert 'tabindex="0"' in div and 'role="figure"' in div and 'aria-label="A chart wider than a phone."' in div
    wrap = tables.table(pd.DataFrame({"a": [1]}), caption="A wide table", source="Test")._repr_html_()
    opening = re.search(r'<div [^>]*class="sb-table-wrap"[^>]*>', wrap).group(0)
    assert 'tabindex="0"' in opening and 'role="region"' in opening and 'aria-label="A wide table"' in opening


@pytest.mark.unit
def test_an_instruction_to_interact_is_a_screen_only_note_with_print_wording():
    base = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [1, 2]})).mark_line().encode(x="x:Q", y="y:Q")
    spec = render.spec_of(
        finish(base, title="Rising", source="test", description="A line.", interaction="Move the slider to change it.")
    )
    assert "slider" not in str(spec.get("title"))  # the drawn chart (also printed) carries no instruction
    fragment = render.html_fragment(spec)
    assert '<p class="sb-interaction">Move the slider to change it.</p>' in fragment
    assert 'class="sb-print-only' in fragment
    assert "sb-interaction" not in render.html_fragment(render.spec_of(chart()))
