"""Figures that reconcile: the summary's figures are the chapters' own.

The data-quality appendix's statements are true of the chapters they describe (default edition).
"""

import re

import pandas as pd
import pytest
from IPython.display import Markdown

from analysis.charts.theme import title_text
from analysis.model.fiscal import fiscal_year
from analysis.report import common, quality
from analysis.report.kpis import economy_codes
from analysis.report.outlook import activity as outlook_activity
from analysis.report.pathway import practices
from analysis.report.wording import POD_LABELS

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def book():
    return common.load("params/default.yml")


def test_the_summarys_activity_growth_is_the_activity_chapters_own_figure(book):
    growth = outlook_activity.activity_headlines(book)["activity_growth_do_nothing_text"]
    waterfall = title_text(outlook_activity.activity_waterfall(book).to_dict())
    # The chapter's waterfall states the same growth, on the same base, with the same rounding.
    assert f"({growth})" in waterfall
    added, = re.findall(r"Demography and trend add ([\d,]+)", waterfall)
    base = outlook_activity.projection(book).baseline.sum()
    assert f"{int(added.replace(',', '')) / base:.1%}" == growth


def test_the_appendix_lists_exactly_the_lines_that_jump_more_than_its_threshold(book):
    act = book.table("activity")
    act = act[act["commissioner"].isin(economy_codes(book))].assign(year=lambda f: fiscal_year(f["month"]))
    months = act.groupby("year")["month"].nunique()
    yearly = act[act["year"].isin(months[months == 12].index)].groupby(["pathway", "pod", "year"])["count"].sum()
    expected = set()
    for (pathway, pod), line in yearly.groupby(level=["pathway", "pod"]):
        values = line.droplevel(["pathway", "pod"])
        for year in values.index[1:]:
            before = values.get(year - 1)
            if before and abs(values[year] / before - 1) > quality.JUMP:
                expected.add((pathway, POD_LABELS[pod], int(year)))
    shown = quality.jumps(book)
    if isinstance(shown, Markdown):
        assert not expected
        return
    titles = {
        pid: (book.content["pathways"]["pathways"].get(pid) or {}).get("title", pid) for pid in book.params.pathways
    }
    back = {v: k for k, v in titles.items()}
    listed = {
        (back[p], a, int(t.split("/")[0]))
        for p, a, t in zip(shown.frame["Pathway"], shown.frame["Activity"], shown.frame["To"], strict=True)
    }
    assert listed == expected


def test_no_pathway_page_shows_a_change_the_appendix_missed(book):
    listed = quality.jumps(book)
    frame = pd.DataFrame() if isinstance(listed, Markdown) else listed.frame
    for pathway in book.params.pathways:
        chart = practices.activity_by_pod(book, pathway)
        if isinstance(chart, Markdown):
            continue
        title = title_text(chart.to_dict())
        found = re.match(r"(.+?) (rose|fell) (\d+)% between (\d{4})/\d\d and (\d{4})/\d\d", title)
        assert found, title
        label, _, pct, first, last = found.groups()
        years = int(last) - int(first)
        # A change this large over these years must include at least one year-on-year change above the threshold.
        if int(pct) / 100 > (1 + quality.JUMP) ** years - 1 + 0.01:
            title_of = (book.content["pathways"]["pathways"].get(pathway) or {}).get("title", pathway)
            rows = frame[(frame.get("Pathway") == title_of) & (frame.get("Activity") == label)] if len(frame) else frame
            assert len(rows), f"{pathway}: the page says '{title}' but the appendix lists no sudden change in it"
