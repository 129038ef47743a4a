"""One money story: each scheme has one cost, one saving and one return on every page.

The finance chapter's words agree with the model they are written from (default edition).
"""


import pandas as pd
import pytest

from analysis.model import finance
from analysis.report import common, priorities
from analysis.report.outlook import finance as chapter
from analysis.report.projected import assumptions, projection

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def book():
    return common.load("params/default.yml")


def shown(table, column: str) -> dict[str, str]:
    """A table column as the page prints it, keyed by the scheme's name."""
    names = table.frame["Scheme"] if "Scheme" in table.frame else table.frame["Modelled as"]
    fmt = table.formats.get(column, str)
    return {n: fmt(v) for n, v in zip(names, table.frame[column], strict=True)}


def test_each_scheme_shows_one_cost_and_one_return_in_the_finance_and_priorities_chapters(book):
    money = chapter.appraisal(book)
    ranked = priorities.ranking(book)
    money_ratio, money_cost = shown(money, "Savings per £1"), shown(money, "Cost a year")
    # The priorities table prints the central value first, then its 10th-90th centile range.
    ranked_ratio = {n: v.split(" (")[0] for n, v in shown(ranked, "Savings per £1 (10th to 90th centile)").items()}
    assert set(money_ratio) == set(ranked_ratio)
    assert money_ratio == ranked_ratio
    assert money_cost == shown(ranked, "Cost a year")
    assert not any("hospital side" in n for n in money_ratio)  # a hospital side is part of its scheme, not a row


def test_commissioning_intentions_show_the_finance_chapters_return(book):
    money_ratio = shown(chapter.appraisal(book), "Savings per £1")
    intentions = priorities.intentions(book)
    modelled = intentions.frame[intentions.frame["Modelled as"] != "Not modelled"]
    assert len(modelled) > 0
    for name, ratio in zip(modelled["Modelled as"], modelled["Savings per £1"], strict=True):
        assert intentions.formats["Savings per £1"](ratio) == money_ratio[name], name


def test_every_scheme_is_costed_or_says_why_not(book):
    frame = chapter._schemes(book)
    uncosted = frame.loc[~frame["costed"], "name"].tolist()
    assert uncosted  # the default plan gives two schemes no cost
    money = chapter.appraisal(book)
    printed = shown(money, "Savings per £1")
    note = chapter.appraisal_note(book).data
    decisions = dict(zip(priorities.schemes(book)["name"], priorities.schemes(book)["decision"], strict=True))
    for name in uncosted:
        assert printed[name] == "not costed"
        assert name in note and "without any cost" in note
        assert decisions[name] == "Cost it first"
    for name in frame.loc[frame["costed"], "name"]:
        assert printed[name] != "not costed"


def test_the_efficiency_the_chapter_names_closes_the_horizon_gap(book):
    text = chapter.plan_text(book).data
    p = projection(book)
    last = chapter._gap_frame(book).iloc[-1]
    need = finance.efficiency_to_close(
        float(last["activity_cost_plan"] + last["other_spend"]),
        float(last["intervention_costs"]),
        float(last["allocation"]),
        p.horizon_year - p.baseline_year,
    )
    assert f"{need:.1%} a year" in text
    closed = finance.economy_total(finance.gap(p, book.table("unit_costs"), {**assumptions(book), "efficiency": need}))
    assert closed["gap_plan"].iloc[-1] == pytest.approx(0.0, abs=1e3)  # within £1,000 of closing


def test_the_early_surplus_is_explained_by_growth_against_cost(book):
    frame = chapter._gap_frame(book)
    text = chapter.why_text(book).data
    p = projection(book)
    changes = finance.yearly_changes(frame, finance.cost_basis(p, book.table("unit_costs"), assumptions(book)).price)
    # Every year with a surplus after the baseline is a year whose allocation grew faster than its cost, so far.
    surplus = changes[changes["gap_do_nothing"] < 0]
    assert len(surplus) and (surplus["allocation_growth"] > surplus["cost_growth"]).all()
    assert "money arrives faster than costs rise" in text
    assert f"{frame.loc[frame['gap_do_nothing'].idxmin(), 'year_label']}" in text


def test_other_spending_grows_with_the_population_not_only_prices(book):
    frame = chapter._gap_frame(book).set_index("year")
    p = projection(book)
    price = pd.Series(finance.cost_basis(p, book.table("unit_costs"), assumptions(book)).price, index=list(p.years))
    base = frame.loc[p.baseline_year, "other_spend"]
    # Held at baseline volume it would grow with prices only; the population grows, so it grows faster.
    assert (frame["other_spend"].iloc[1:] > base * price.iloc[1:]).all()
