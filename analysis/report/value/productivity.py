"""The value chapter's productivity challenge.

The growth in the cost of care against the allocation, and the challenge as the source documents put it.
"""

from __future__ import annotations

from dataclasses import replace

import altair as alt
import numpy as np
import pandas as pd
from IPython.display import Markdown

from analysis.catalog import Catalog
from analysis.charts import table as tables
from analysis.charts import value as value_charts
from analysis.model import finance
from analysis.model.fiscal import fy_label
from analysis.model.projection import do_nothing
from analysis.report.common import sources
from analysis.report.kpis import economy_codes
from analysis.report.projected import MODEL_NOTE, assumptions, has_costs, projection
from analysis.report.value.content import VALUE_SOURCE, value_content
from analysis.report.value.spend import population_by_area
from analysis.report.wording import literal


def productivity(book: Catalog) -> pd.DataFrame:
    """Growth from the baseline year to the horizon in demand, prices, the cost of care and funding.

    Demand is the do-nothing activity at baseline unit costs (demography and trend); prices are the
    plan's cost-pressure index; the cost of care is both together plus other spending at rising
    prices; funding is the allocation. No efficiency is assumed (it is what the gap asks for).
    Columns: component, growth (proportion, baseline to horizon), yearly (the same as a yearly rate),
    plus attrs: baseline_year, horizon_year, gap (horizon cost - allocation), efficiency_needed (a year).
    """
    p = projection(book)
    a = replace(finance.as_assumptions(assumptions(book)), efficiency={})
    basis = finance.cost_basis(p, book.table("unit_costs"), a)
    dn = do_nothing(p)
    base_value = float((p.baseline * basis.unit_cost).sum())
    demand = float((dn[-1] * basis.unit_cost).sum()) / base_value - 1 if base_value > 0 else np.nan
    prices = float(basis.price[-1]) - 1
    frame = finance.economy_total(finance.gap(p, book.table("unit_costs"), a))
    first, last = frame.iloc[0], frame.iloc[-1]
    cost = float(last["cost_do_nothing"] / first["cost_do_nothing"]) - 1
    funding = float(last["allocation"] / first["allocation"]) - 1
    n = p.horizon_year - p.baseline_year
    out = pd.DataFrame(
        {
            "component": [
                "Demand (activity)",
                "Prices (pay, drugs, technology)",
                "Cost of care, doing nothing",
                "Funding (allocation)",
            ],
            "kind": ["cost", "cost", "cost", "funding"],
            "growth": [demand, prices, cost, funding],
        }
    )
    out["yearly"] = (1 + out["growth"]) ** (1 / n) - 1 if n > 0 else np.nan
    out.attrs.update(
        {
            "baseline_year": p.baseline_year,
            "horizon_year": p.horizon_year,
            "gap": float(last["gap_do_nothing"]),
            "allocation": float(last["allocation"]),
            "efficiency_needed": float(1 - (last["allocation"] / last["cost_do_nothing"]) ** (1 / n))
            if n > 0 and last["cost_do_nothing"] > 0
            else np.nan,
        }
    )
    return out


NO_COSTS = "*Not computed: this edition has no unit costs, so the growth in the cost of care cannot be priced.*"


def productivity_chart(book: Catalog) -> alt.LayerChart | Markdown:
    """Demand and cost growth against funding growth, baseline to horizon, with the yearly productivity needed."""
    if not has_costs(book):
        return Markdown(NO_COSTS)
    frame = productivity(book)
    return value_charts.productivity_chart(
        frame,
        source=f"{sources(book, 'activity', 'population', 'unit_costs')}; {MODEL_NOTE}"
        + (f"; assumptions in {book.params.plan}" if book.has_plan else ""),
        synthetic=book.synthetic,
        baseline_label=fy_label(frame.attrs["baseline_year"]),
        horizon_label=fy_label(frame.attrs["horizon_year"]),
        efficiency_needed=frame.attrs["efficiency_needed"],
    )


def _fact(facts: dict, key: str) -> dict:
    return facts.get(key, {})


def national_share(book: Catalog) -> dict:
    """The economy's share of England's population and of a national challenge shared by population."""
    pop = book.table("population")
    est = pop[pop["variant"] == "estimate"]
    if est.empty:
        return {}
    year = int(est["year"].max())
    by_area = population_by_area(book, year)
    england = float(by_area.get(book.params.economy.england, np.nan))
    local = float(by_area.reindex(economy_codes(book)).sum())
    facts = {f.get("id"): f for f in value_content(book).get("productivity_challenge", [])}
    national = _fact(facts, "kings_fund_22bn")
    share = local / england if england > 0 else np.nan
    return {
        "year": year,
        "local": local,
        "england": england,
        "share": share,
        "national": national,
        "local_challenge": share * float(national["value"]) if national and not np.isnan(share) else np.nan,
    }


def productivity_text(book: Catalog) -> Markdown:
    """The productivity challenge in words: growth in demand and cost against funding, and the local share."""
    if not has_costs(book):
        return Markdown(NO_COSTS)
    frame = productivity(book).set_index("component")
    a = frame.attrs
    base, horizon = fy_label(a["baseline_year"]), fy_label(a["horizon_year"])
    demand, prices = frame.loc["Demand (activity)", "growth"], frame.loc["Prices (pay, drugs, technology)", "growth"]
    cost, funding = frame.loc["Cost of care, doing nothing", "growth"], frame.loc["Funding (allocation)", "growth"]
    gap = a["gap"]
    gap_words = f"£{gap / 1e6:,.0f} million short" if gap > 0 else f"£{-gap / 1e6:,.0f} million in surplus"
    parts = [
        f"From {base} to {horizon} the activity the economy's population needs grows by {demand:.1%} and the price "
        f"of the same care by {prices:.1%}. Together with other spending, doing nothing makes care cost {cost:.1%} "
        "more, "
        f"while funding grows by {funding:.1%}. By {horizon} the economy would be {gap_words} "
        f"({abs(gap) / a['allocation']:.1%} of its allocation). Closing that with productivity alone means "
        f"delivering the same care for about {a['efficiency_needed']:.2%} less each year, every year."
    ]
    share = national_share(book)
    if share and share.get("national"):
        n = share["national"]
        parts.append(
            f"For scale: the economy's {share['local']:,.0f} residents are {share['share']:.2%} of England's "
            "population "
            f"(mid-{share['year']}). Nationally, the challenge is £{n['value'] / 1e9:,.0f} billion: "
            f"{literal(n['text'][0].lower() + n['text'][1:].rstrip('.') + ', ' + str(n['period']))}. Shared by "
            "population, this economy's part would be "
            f"about £{share['local_challenge'] / 1e6:,.0f} million. That figure belongs to a later period than this "
            "plan, "
            "so it shows the size of the task, not a target.\n\n*Source of the national figure: "
            f"{literal(n['source'])}.*"
        )
    return Markdown("\n\n".join(parts))


def _format_fact(value: float, unit: str) -> str:
    """A challenge figure in its unit: 5.5 'percent a year' -> '5.5% a year', 2.2e10 'GBP' -> '£22 billion'."""
    if unit == "GBP":
        if abs(value) >= 1e9:
            return f"£{value / 1e9:,.0f} billion"
        if abs(value) >= 1e6:
            return f"£{value / 1e6:,.0f} million"
        return f"£{value:,.0f}"
    if unit.startswith("percent"):
        rest = unit.removeprefix("percent").strip()
        return f"{value:g}%" + (f" {rest}" if rest else "")
    return f"{value:,.0f} {unit}"


def challenge_facts(book: Catalog) -> tables.Table | None:
    """The scale of the challenge as the source documents state it, in their own units and periods.

    None without content.
    """
    if not book.has_content:
        return None
    facts = value_content(book).get("productivity_challenge", [])
    frame = pd.DataFrame({
        "What": [f["text"] for f in facts],
        "Figure": [_format_fact(float(f["value"]), f["unit"]) for f in facts],
        "Period": [f["period"] for f in facts],
        "Source": [f["source"] for f in facts],
    })
    return tables.table(
        frame,
        caption="The productivity challenge as the source documents put it",
        source=f"{VALUE_SOURCE} (the sources' figures in our own words)",
        align_right=["Figure"],
    )
