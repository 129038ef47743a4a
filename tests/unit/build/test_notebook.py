"""Tidying executed notebooks: stable metadata, hidden parameters, filled titles."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from analysis.build.notebook import placeholders, tidy


def executed():
    nb = new_notebook(
        cells=[
            new_markdown_cell("# {{ title }}"),
            new_code_cell("x = 1", metadata={"tags": ["parameters"], "papermill": {"duration": 0.1}}),
            new_code_cell(
                "x = 2",
                metadata={"tags": ["injected-parameters"], "execution": {"iopub.status.busy": "2026-01-01T00:00"}},
            ),
            new_code_cell("x", metadata={}),
        ]
    )
    nb.metadata["papermill"] = {"start_time": "2026-01-01T00:00", "duration": 3.2}
    return nb


@pytest.mark.unit
def test_tidy_removes_clock_times_and_hides_parameters():
    nb = tidy(executed(), {"title": "Urgent care"})
    assert "papermill" not in nb.metadata
    assert all("papermill" not in c.metadata and "execution" not in c.metadata for c in nb.cells)
    assert nb.cells[1].metadata["tags"] == ["parameters", "remove-cell"]
    assert nb.cells[2].metadata["tags"] == ["injected-parameters", "remove-cell"]
    assert "tags" not in nb.cells[3].metadata
    assert nb.cells[0].source == "# Urgent care"
    assert nb.cells[2]["id"] == "injected-parameters"


@pytest.mark.unit
def test_missing_placeholder_value_is_named():
    with pytest.raises(KeyError, match="title"):
        tidy(executed(), {})


@pytest.mark.unit
def test_placeholders_are_listed():
    assert placeholders(executed()) == {"title"}


@pytest.mark.unit
def test_tidy_drops_raster_fallbacks_of_html_charts_but_keeps_lone_images():
    nb = executed()
    chart = nbformat.v4.new_output(
        "display_data", data={"text/html": "<div></div>", "text/plain": "Chart", "image/png": "iVBOR"}
    )
    photo = nbformat.v4.new_output("display_data", data={"image/png": "iVBOR", "text/plain": "<Figure>"})
    nb.cells[3].outputs = [chart, photo]
    out = tidy(nb, {"title": "t"}).cells[3].outputs
    assert set(out[0].data) == {"text/html", "text/plain"}
    assert set(out[1].data) == {"image/png", "text/plain"}
