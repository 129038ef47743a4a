"""The report functions that need the five-year model, on the default edition.

The model's numbers cannot be worked by hand here, so each test checks what the reader is told
against the numbers the same output carries: a title's percentage against the values in its
description, a table's caption against its rows, a total against its parts, the text's gap against
the finance model's horizon year.
"""

import re

import numpy as np
import pytest
from IPython.display import Markdown

from analysis.charts.theme import title_text
from analysis.model import finance, workforce
from analysis.report import common, priorities, projected
from analysis.report.outlook import activity as outlook_activity
from analysis.report.outlook import estates as outlook_estates
from analysis.report.outlook import finance as outlook_finance
from analysis.report.outlook import workforce as outlook_workforce
from analysis.report.value import productivity as value_productivity
from analysis.report.value import variation
from analysis.report.wording import name_list

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def book():
    return common.load("params/default.yml")


def test_every_pathway_has_activity_to_project(book):
    assert all(projected.has_pathway_activity(book, p) for p in book.params.pathways)
    assert not projected.has_pathway_activity(book, "no_such_pathway")


def test_trajectory_title_is_the_plan_against_doing_nothing_in_its_description(book):
    spec = outlook_activity.activity_trajectory(book).to_dict()
    found = re.search(r"in (\d{4}/\d{2}) do nothing reaches ([\d,]+) and the plan ([\d,]+)", spec["description"])
    horizon, do_nothing, plan = found.group(1), *(float(g.replace(",", "")) for g in found.groups()[1:])
    change = plan / do_nothing - 1
    assert abs(change) >= 0.001  # the default edition's plan moves activity
    # The title states the direction (the slider rescales the size of the effect, never its sign).
    assert (
        title_text(spec)
        == f"At its assumed effects the plan ends {horizon} with {'more' if change > 0 else 'less'} activity than "
        "doing nothing"
    )


def test_waterfall_steps_add_up_from_the_baseline_to_the_plan(book):
    spec = outlook_activity.activity_waterfall(book).to_dict()
    text = spec["description"]
    baseline = float(re.search(r"Baseline \d{4}/\d{2} \(([\d,]+)\)", text).group(1).replace(",", ""))
    final = float(re.search(r"with the plan \(([\d,]+)\)", text).group(1).replace(",", ""))
    *steps, total = [float(v.replace(",", "")) for v in re.findall(r" ([+-][\d,]+)(?=; |\.$)", text)]
    assert total == pytest.approx(final - baseline)
    assert sum(steps) == pytest.approx(total, abs=len(steps))  # each step rounded to a whole count
    demography, trend = steps[:2]
    assert f"Demography and trend add {demography + trend:,.0f}" in title_text(spec)


def test_plan_against_outturn_needs_years_after_the_baseline(book):
    out = outlook_activity.plan_against_outturn(book)
    assert isinstance(out, Markdown) and "ends with the baseline year 2007/08" in out.data


def test_beds_caption_names_exactly_the_sectors_above_their_target(book):
    table = outlook_estates.beds_comparison(book)
    frame = table.frame
    above = frame.loc[frame["Recorded occupancy"] > frame["Model's target occupancy"], "Sector"].str.lower().tolist()
    assert above, "the default edition records some sectors above the model's target"
    assert table.caption.endswith(f": recorded occupancy is above the model's target in {name_list(above)}")


def test_appraisal_rows_are_in_npv_order_and_npv_is_savings_less_costs(book):
    frame = outlook_finance.appraisal(book).frame
    frame = frame[frame["Net present value"].notna()]  # schemes not costed come last, with no value
    npv = frame["Net present value"].to_numpy()
    assert (np.diff(npv) <= 0).all()
    assert npv == pytest.approx((frame["Savings (present value)"] - frame["Costs (present value)"]).to_numpy())
    costed = frame["Costs (present value)"] > 0
    ratio = frame.loc[costed, "Savings (present value)"] / frame.loc[costed, "Costs (present value)"]
    assert frame.loc[costed, "Savings per £1"].to_numpy() == pytest.approx(ratio.to_numpy())


def test_gap_text_is_the_finance_model_s_horizon_gap(book):
    total = finance.economy_total(
        finance.gap(projected.projection(book), book.table("unit_costs"), projected.assumptions(book))
    )
    last = total[total["year"] == total["year"].max()].iloc[0]
    text = outlook_finance.gap_text(book).data
    dn, plan = last["gap_do_nothing"], last["gap_plan"]
    assert f"doing nothing leaves a {'shortfall' if dn > 0 else 'surplus'} of £{abs(dn) / 1e6:,.1f} million" in text
    assert (
        f"with the plan's interventions it is a {'shortfall' if plan > 0 else 'surplus'} of £{abs(plan) / 1e6:,.1f} "
        "million" in text
    )
    assert f"({abs(dn) / last['allocation']:.1%} of the allocation)" in text


def test_tornado_title_names_the_widest_swing(book):
    spec = outlook_finance.tornado(book).to_dict()
    money = r"(-?£[\d.]+)m"
    pairs = re.findall(rf"(?:: |; )([^;:]+?) {money} to {money}", spec["description"])
    swings = {name: abs(float(high.replace("£", "")) - float(low.replace("£", ""))) for name, low, high in pairs}
    assert len(swings) >= 5
    widest = max(swings, key=swings.get)
    assert title_text(spec).startswith(f"{widest} moves the horizon gap most")


def test_midwives_follow_births_at_one_rate(book):
    frame = outlook_workforce.midwife_frame(book)
    assert len(frame) and set(frame["year"]) <= set(projected.projection(book).years)
    ratio = frame["births"] / frame["wte"]
    assert ratio.to_numpy() == pytest.approx(np.full(len(frame), workforce.DEFAULT_BIRTHS_PER_MIDWIFE))


def test_staff_shift_title_adds_up_its_bars(book):
    spec = outlook_workforce.staff_shift(book).to_dict()
    bars = {
        label: float(value.replace(",", ""))
        for label, value in re.findall(r"(?:: |; )([^;:]+?) ([+-][\d,]+)", spec["description"])
    }
    new = sum(v for k, v in bars.items() if k.endswith("(new role)"))
    community = sum(v for k, v in bars.items() if k.endswith("(community)"))
    hospital = sum(v for k, v in bars.items() if k.endswith("(hospital)"))
    found = re.search(
        r"needs ([\d,]+) WTE in new roles and ([\d,]+) more WTE in the community, and releases ([\d,]+) WTE",
        title_text(spec),
    )
    title_new, title_community, title_released = (float(g.replace(",", "")) for g in found.groups())
    assert title_new == pytest.approx(new, abs=1) and title_community == pytest.approx(community, abs=1)
    assert title_released == pytest.approx(-hospital, abs=len(bars))  # each bar rounded to a whole WTE


def test_savings_and_matrix_charts_agree_with_the_ranked_schemes(book):
    frame = priorities.schemes(book)
    costed = frame[frame["pv_costs"] > 0]
    scale = int((costed["decision"] == "Scale up").sum())
    assert title_text(priorities.savings_chart(book).to_dict()).startswith(
        f"{scale} of {len(costed)} costed schemes save more"
    )
    # The matrix names the scheme that avoids the most emergency admissions per pound in the median run.
    best = costed.loc[costed["gain_p50"].idxmax(), "name"]
    assert f"{best} avoids the most per pound" in title_text(priorities.matrix_chart(book).to_dict())


def test_intentions_caption_totals_its_rows(book):
    table = priorities.intentions(book)
    frame = table.frame
    modelled = frame.loc[frame["Decision"] != priorities.NOT_MODELLED, "Investment a year"].sum()
    assert table.caption == (
        f"The commissioning intentions: £{modelled / 1e6:,.1f} million of "
        f"£{frame['Investment a year'].sum() / 1e6:,.1f} "
        "million a year funds a modelled scheme"
    )
    # Each commissioner by the short name the content gives it (the full names push the table off the page).
    short = {o["code"]: o["short_name"] for o in book.content["economy"]["organisations"] if o.get("short_name")}
    names = {code: short.get(code, name) for code, name in common.commissioner_names(book).items()}
    assert set(frame["Commissioner"]) <= set(names.values())


def test_productivity_text_and_chart_give_the_model_s_growth(book):
    frame = value_productivity.productivity(book).set_index("component")
    text = value_productivity.productivity_text(book).data
    assert f"grows by {frame.loc['Demand (activity)', 'growth']:.1%}" in text
    assert f"while funding grows by {frame.loc['Funding (allocation)', 'growth']:.1%}" in text
    assert f"about {frame.attrs['efficiency_needed']:.2%} less each year" in text
    title = title_text(value_productivity.productivity_chart(book).to_dict())
    assert f"({frame.loc['Cost of care, doing nothing', 'growth']:.1%} by" in title
    assert f"funding ({frame.loc['Funding (allocation)', 'growth']:.1%})" in title


def test_variation_chart_title_is_the_sum_of_its_lines(book):
    spec = variation.variation_chart(book).to_dict()
    per_line = [float(m) for m in re.findall(r"\(£([\d.]+)m\)", spec["description"])]
    total = float(re.search(r"about £([\d.]+)m a year", title_text(spec)).group(1))
    assert total == pytest.approx(sum(per_line), abs=0.05 * len(per_line))
