"""The strategy page: each strand with its chapters and measures, each challenged service with what the data show."""

import re

import pytest

from analysis.report import common, strategy
from analysis.report.pathway import measures
from analysis.report.wording import literal

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def book():
    return common.load("params/default.yml")


def test_every_strand_has_a_row_with_links_and_measures_from_the_chapters(book):
    table = strategy.strands(book)
    assert len(table.frame) == len(book.content["economy"]["core_strategy"]["strands"]) == 6
    results = strategy.kpi_results(book)
    for spec, row in zip(
        book.content["strategy"]["strands"].values(), table.frame.itertuples(index=False), strict=True
    ):
        assert re.search(r'href="\.\./(pathways|outlook|value)/', row.Chapters)
        for key in spec["measures"]:
            if key in results:
                r = results[key][1]
                # the same latest figure and month as the pathway chapter's summary table
                assert strategy.kpi_words(r) in row[3]
                assert r.summary["latest_value"] == measures.shown_latest(book, results[key][0], [r])[0]


def test_each_challenged_service_says_what_the_data_show_or_that_there_is_none(book):
    text = strategy.challenged_services(book).data
    for title in ("Accident and emergency", "Maternity", "Paediatrics", "Emergency surgery"):
        assert f"**{title}.**" in text
    assert text.count("*What the data show.*") == 4
    assert "This edition has no measure of emergency surgery." in text
    four_hour = strategy.kpi_results(book)["four_hour_performance"][1]
    # The title as written into the page: names are shown literally (A&E as a character reference).
    assert literal(measures.kpi_title(four_hour)) in text
    assert "Perinatal mortality" in text and "for England" in text
