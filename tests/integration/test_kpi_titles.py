"""Each KPI chart's title agrees with its own flags, and running totals get run charts, not process limits."""

import re

import numpy as np
import pandas as pd
import pytest

from analysis.charts.theme import title_text
from analysis.report import common
from analysis.report.pathway import measures

pytestmark = pytest.mark.integration

VARIATION_WORDS = {
    "is improving": "special_cause_improvement",
    "needs attention": "special_cause_concern",
    "has risen beyond its usual range": "special_cause_neutral_high",
    "has fallen beyond its usual range": "special_cause_neutral_low",
}


@pytest.fixture(scope="module")
def book():
    return common.load("params/default.yml")


def results(book):
    for pathway in book.params.pathways:
        for r in measures.kpi_results(book, pathway):
            if r.summary:
                yield pathway, r


def test_every_spc_title_agrees_with_its_points(book):
    checked = 0
    for pathway, r in results(book):
        if r.kpi.chart == "run":
            continue
        title, kinds = measures.kpi_title(r), r.spc["point_type"].astype(str).to_numpy()
        months = [p.strftime("%b %Y") for p in pd.to_datetime(r.series["period_start"])]
        if "varies within its usual range" in title:
            assert (kinds == "common_cause").all(), f"{pathway}/{r.kpi.id}: '{title}' over flagged points"
        elif (since := re.search(r"has varied within its usual range since (\w{3} \d{4})", title)):
            start = months.index(since.group(1))
            assert (kinds[start:] == "common_cause").all() and kinds[start - 1] != "common_cause", (
                f"{pathway}/{r.kpi.id}: {title}"
            )
        else:
            words = [w for w in VARIATION_WORDS if w in title]
            assert len(words) == 1, f"{pathway}/{r.kpi.id}: the title states no variation: {title}"
            assert kinds[-1] == VARIATION_WORDS[words[0]], (
                f"{pathway}/{r.kpi.id}: '{title}' but the latest point is {kinds[-1]}"
            )
        checked += 1
    assert checked >= 10


def test_the_drawn_chart_carries_the_checked_title(book):
    for pathway in book.params.pathways:
        gallery = measures.kpi_charts(book, pathway)
        if not hasattr(gallery, "charts"):
            continue
        titles = {anchor: title_text(chart.to_dict()) for anchor, chart in gallery.charts}
        for _, r in results(book):
            anchor = measures.kpi_anchor(r.kpi.id)
            if anchor in titles:
                assert titles[anchor] == measures.kpi_title(r)


def test_a_running_total_gets_a_run_chart_against_the_plans_trajectory(book):
    r = next(r for _, r in results(book) if r.kpi.id == "ownhealth_members")
    assert r.kpi.chart == "run" and r.spc is None  # no XmR limits for a total that only grows
    assert np.all(np.diff(r.series["value"].to_numpy()) >= 0)
    gallery = measures.kpi_charts(book, "long_term_conditions")
    spec = dict(gallery.charts)[measures.kpi_anchor("ownhealth_members")].to_dict()
    text = str(spec)
    assert "upl" not in text and "lpl" not in text
    assert "Plan trajectory" in text
    title = title_text(spec)
    assert "11,000 by Mar 2009" in title and "has risen every month" in title
    watch = measures.what_to_watch(book, "long_term_conditions").data
    assert "running total" in watch and "improving" not in watch.split("running total")[0].split(".")[-1]
