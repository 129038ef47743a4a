"""The executive summary pastes each headline from its chapter, and each figure equals the chapter's value."""

import ast
import json
import re
from pathlib import Path

import pytest

from analysis.paths import BOOK
from analysis.report import common, economy, priorities, summary
from analysis.report.outlook import activity as outlook_activity
from analysis.report.outlook import finance as outlook_finance
from analysis.report.value import variation

SUMMARY = BOOK / "chapters" / "summary.ipynb"
GLUE = re.compile(r"\{glue:text\}`([^`:]+)::([a-z_]+):s`")
RECORD = "application/papermill.record/text/plain"


def glued_values(notebook: Path) -> dict:
    """Every value a committed, executed notebook glued, by key."""
    nb = json.loads(notebook.read_text())
    out = {}
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            name = o.get("metadata", {}).get("scrapbook", {}).get("name")
            if name and RECORD in o.get("data", {}):
                out[name] = ast.literal_eval(o["data"][RECORD])
    return out


def references() -> list[tuple[str, str]]:
    nb = json.loads(SUMMARY.read_text())
    text = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    return GLUE.findall(text)


@pytest.mark.integration
def test_every_pasted_figure_exists_in_its_chapter_and_equals_the_computed_value():
    book = common.load("params/default.yml")
    computed = {
        **economy.headlines(book),
        **outlook_finance.finance_headlines(book),
        **outlook_activity.activity_headlines(book),
        **variation.headlines(book),
        **priorities.headlines(book),
    }
    refs = references()
    assert len(refs) >= 5, "the summary should paste its headline figures, not type them"
    for doc, key in refs:
        stored = glued_values((SUMMARY.parent / doc).resolve())
        assert key in stored, f"{doc} does not glue '{key}'"
        assert stored[key] == computed[key], (
            f"{doc}::{key} is {stored[key]!r} but the chapter computes {computed[key]!r}"
        )


@pytest.mark.integration
def test_summary_prose_has_no_typed_money_or_percentages():
    nb = json.loads(SUMMARY.read_text())
    text = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    prose = GLUE.sub("", text)
    assert not re.search(r"£\s?\d|\d+(\.\d+)?%|\b\d{1,3}(,\d{3})+\b", prose), "a figure is typed in the summary's prose"


@pytest.mark.integration
def test_each_measure_in_the_matrix_links_to_a_chart_in_its_chapter():
    book = common.load("params/default.yml")
    rows = summary.matrix_rows(book)
    assert set(rows["kpi"]) == {k.id for p in book.params.pathways.values() for k in p.kpis}
    for r in rows[rows["has_data"]].itertuples():
        chapter = (BOOK / "pathways" / f"{r.pathway}.ipynb").read_text()
        assert f'id=\\"kpi-{r.kpi}\\"' in chapter, f"no chart anchored kpi-{r.kpi} in the {r.pathway} chapter"


@pytest.mark.integration
def test_every_measure_in_the_matrix_has_its_unit_and_period():
    book = common.load("params/default.yml")
    rows = summary.matrix_rows(book)
    table = summary.kpi_matrix(book)
    for r, measure, latest in zip(rows.itertuples(), table.frame["Measure"], table.frame["Latest"], strict=True):
        assert r.unit and r.unit in measure, f"{r.name}: no unit in the matrix"
        if r.has_data:
            month = r.latest_period.strftime("%b %Y")
            assert month in latest, f"{r.name}: the latest value has no period"
