"""The five-year outlook chapters: activity, finance, workforce and estates, do nothing against the plan."""

from __future__ import annotations

from functools import lru_cache

import altair as alt
import pandas as pd
from IPython.display import Markdown

from analysis import catalog
from analysis.catalog import Catalog
from analysis.charts import model as model_charts
from analysis.charts import table as tables
from analysis.model import estates, finance, workforce
from analysis.model import projection as pj
from analysis.report.common import fiscal_label, source

MODEL_NOTE = "the strategy book's five-year model (analysis/model)"


def plain_values(node):
    """An assumptions mapping with each {value, basis, source, note} record replaced by its value."""
    if isinstance(node, dict):
        if "value" in node:
            return plain_values(node["value"])
        return {k: plain_values(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain_values(v) for v in node]
    return node


@lru_cache(maxsize=4)
def projection(params_file: str) -> pj.Projection:
    """The edition's projection, computed once per process (seeded, so always the same)."""
    book = catalog.load(params_file)
    p = book.params
    return pj.project(
        book.table("activity"),
        book.table("population"),
        book.plan.get("interventions", []),
        baseline_year=p.period.baseline_year,
        horizon_year=p.period.horizon_year,
        runs=p.model.runs,
        seed=p.model.seed,
    )


def assumptions(book: Catalog) -> dict:
    """The finance assumptions of the plan file, as plain values."""
    return plain_values(book.plan.get("allocation", {}))


def _source(book: Catalog) -> str:
    return f"{source(book, 'activity')}; {MODEL_NOTE}; assumptions in {book.params.plan}"


def activity_trajectory(book: Catalog, pathway: str | None = None) -> alt.LayerChart:
    """Activity to the horizon: history, do nothing and the plan with its band, with an effect slider."""
    p = projection(book.params_file)
    grid = pj.trajectory_grid(p, pathway=pathway) if pathway else pj.trajectory_grid(p)
    return model_charts.trajectory_chart(grid, source=_source(book), synthetic=book.synthetic,
                                         measure="Hospital and community activity a year (count)")


def activity_waterfall(book: Catalog, pathway: str | None = None) -> alt.LayerChart:
    """From baseline to horizon by change factor: demography, trend and each intervention."""
    p = projection(book.params_file)
    steps = pj.waterfall_steps(pj.waterfall(p), pathway=pathway) if pathway else pj.waterfall_steps(pj.waterfall(p))
    return model_charts.waterfall_chart(steps, source=_source(book), synthetic=book.synthetic,
                                        measure="Activity a year (count)")


def gap(book: Catalog) -> alt.VConcatChart:
    """Allocation against the cost of care, do nothing and the plan, with sliders on the main assumptions."""
    p = projection(book.params_file)
    a = assumptions(book)
    grid = finance.gap_grid(p, book.table("unit_costs"), a)
    return model_charts.gap_chart(grid, source=_source(book), synthetic=book.synthetic, efficiency=a.get("efficiency"))


def money_words(value: float) -> str:
    """A gap in words: positive is a shortfall, negative a surplus."""
    kind = "a shortfall" if value > 0 else "a surplus"
    return f"{kind} of £{abs(value) / 1e6:,.1f} million"


def finance_headlines(book: Catalog) -> dict:
    """The finance chapter's headline figures (glued for the executive summary)."""
    p = projection(book.params_file)
    frame = finance.economy_total(finance.gap(p, book.table("unit_costs"), assumptions(book)))
    last = frame[frame["year"] == frame["year"].max()].iloc[0]
    dn, plan = float(last["gap_do_nothing"]), float(last["gap_plan"])
    return {
        "horizon_year": fiscal_label(int(last["year"])),
        "gap_do_nothing_m": round(dn / 1e6, 1),
        "gap_plan_m": round(plan / 1e6, 1),
        "gap_do_nothing_text": money_words(dn),
        "gap_plan_text": money_words(plan),
        "gap_share_text": f"{abs(float(last['gap_share_do_nothing'])):.1%}",
        "plan_effect_text": (
            f"narrows the gap by £{(dn - plan) / 1e6:,.1f} million" if plan < dn
            else f"widens the gap by £{(plan - dn) / 1e6:,.1f} million, because the schemes cost more than they save by then"
        ),
    }


def gap_text(book: Catalog) -> Markdown:
    """The financial gap at the horizon in words, do nothing against the plan."""
    h = finance_headlines(book)
    return Markdown(
        f"By {h['horizon_year']}, doing nothing leaves {h['gap_do_nothing_text']} between the cost of care and the "
        f"allocation ({h['gap_share_text']} of the allocation); with the plan's interventions it is {h['gap_plan_text']}. "
        "A shortfall is money the economy must find through efficiency or further change."
    )


def activity_headlines(book: Catalog) -> dict:
    """The activity chapter's headline figures (glued for the executive summary)."""
    p = projection(book.params_file)
    grid = pj.trajectory_grid(p)
    horizon = int(grid["year"].max())
    at = grid[grid["year"] == horizon]
    dn = float(at.loc[at["scenario"] == "do_nothing", "count"].iloc[0])
    plan = at[(at["scenario"] == "plan") & ((at["effect_scale"] - 1).abs() < 1e-9)]
    plan_count = float(plan["count"].iloc[0])
    base = grid[(grid["scenario"] == "history") & (grid["year"] == book.params.period.baseline_year)]["count"]
    change = plan_count / dn - 1
    return {
        "activity_horizon_year": fiscal_label(horizon),
        "activity_plan_vs_do_nothing_text": f"{abs(change):.1%} {'below' if change < 0 else 'above'}",
        "activity_growth_do_nothing_text": f"{dn / float(base.iloc[0]) - 1:.1%}" if len(base) else "not known",
    }


def tornado(book: Catalog) -> alt.LayerChart:
    """How far the horizon-year gap moves when each main assumption moves."""
    p = projection(book.params_file)
    frame = finance.tornado(p, book.table("unit_costs"), assumptions(book))
    return model_charts.tornado_chart(frame, source=_source(book), synthetic=book.synthetic)


def appraisal(book: Catalog) -> tables.Table:
    """Each intervention's costs, savings, net present value, return and payback to the horizon."""
    p = projection(book.params_file)
    frame = finance.appraise(p, book.table("unit_costs"), assumptions(book)).sort_values("npv", ascending=False)
    shown = pd.DataFrame({
        "Intervention": frame["name"],
        "Starts": frame["start_year"].map(lambda y: fiscal_label(int(y))),
        "Costs (present value)": frame["pv_costs"],
        "Savings (present value)": frame["pv_savings"],
        "Net present value": frame["npv"],
        "Savings per £1": frame["savings_per_pound"],
        "Pays back in": frame["payback_year"].map(lambda y: "not by the horizon" if pd.isna(y) else fiscal_label(int(y))),
    })
    rate = assumptions(book).get("discount_rate", finance.DEFAULT_DISCOUNT_RATE)
    return tables.table(
        shown,
        caption=f"The plan's interventions appraised to {fiscal_label(book.params.period.horizon_year)} at a {rate:.1%} discount rate",
        source=_source(book),
        synthetic=book.synthetic,
        formats={c: tables.pounds(1, 1e6, "m") for c in ("Costs (present value)", "Savings (present value)", "Net present value")}
        | {"Savings per £1": lambda v: "" if pd.isna(v) else f"£{v:,.2f}"},
        align_right=["Costs (present value)", "Savings (present value)", "Net present value", "Savings per £1"],
    )


def staff(book: Catalog) -> alt.Chart:
    """Whole-time equivalents by staff group at the horizon, do nothing against the plan."""
    p = projection(book.params_file)
    return model_charts.workforce_chart(workforce.workforce_projection(p), source=_source(book), synthetic=book.synthetic)


def beds(book: Catalog) -> alt.Chart:
    """Hospital beds the plan avoids against community beds commissioned."""
    p = projection(book.params_file)
    balance = estates.bed_balance(estates.beds_projection(p))
    return model_charts.beds_chart(balance, source=_source(book), synthetic=book.synthetic)


def estate_changes(book: Catalog) -> tables.Table:
    """The sites and changes the plan lists (section 11)."""
    items = book.content.get("economy", {}).get("estates", []) or book.content.get("economy", {}).get("estates_changes", [])
    frame = pd.DataFrame(items)
    cols = [c for c in ("site", "change", "organisation") if c in frame.columns]
    return tables.table(frame[cols].rename(columns=str.capitalize), caption="Estate changes named in the plan",
                        source="Working Together for Health: BENS overarching vision and plans 2008-2013, section 11.0")
