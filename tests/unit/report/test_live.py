"""The analysts' live explorer agrees with the book's finance chapter."""

import pytest

from analysis.model import finance
from analysis.report import common, live, projected


@pytest.mark.integration
def test_explorer_gap_matches_the_finance_chapter_at_the_assumed_values():
    book = common.load("params/default.yml")
    total = finance.economy_total(finance.gap(projected.projection(book), book.table("unit_costs"), projected.assumptions(book)))
    horizon = total[total["year"] == total["year"].max()].iloc[0]
    assert live.horizon_gap("params/default.yml", 0.0, 0.0, 1.0) == pytest.approx(horizon["gap_plan"], rel=1e-3)


@pytest.mark.integration
def test_more_efficiency_closes_the_gap():
    assert live.horizon_gap("params/default.yml", 0.0, 0.02, 1.0) < live.horizon_gap("params/default.yml", 0.0, 0.0, 1.0)


@pytest.mark.integration
def test_explorer_builds_its_widgets():
    box = live.explorer("params/default.yml")
    assert [w.description for w in box.children[:3]] == ["Growth shift (points)", "Efficiency a year", "Effect scale"]
