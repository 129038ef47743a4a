"""The five-year outlook's finance page (book/outlook/finance).

The gap between the cost of care and the allocation, which assumptions matter most, and each intervention's appraisal.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
from IPython.display import Markdown

from analysis.catalog import Catalog
from analysis.charts import model as model_charts
from analysis.charts import table as tables
from analysis.model import finance
from analysis.model.fiscal import fy_label
from analysis.report.projected import assumptions, has_costs, model_source, projection
from analysis.report.wording import money_words

NO_COSTS = (
    "*No costs in this edition: its published files have no unit costs, budgets or allocations, "
    "so the financial gap and the interventions' returns are not computed.*"
)


def finance_headlines(book: Catalog) -> dict:
    """The finance chapter's headline figures (glued for the executive summary)."""
    if not has_costs(book):
        unknown = "not known in this edition"
        return {
            "horizon_year": fy_label(book.params.period.horizon_year),
            "gap_do_nothing_m": float("nan"),
            "gap_plan_m": float("nan"),
            "gap_do_nothing_text": "a gap this edition cannot measure, because its published files have no costs,",
            "gap_plan_text": "the size of the gap " + unknown,
            "gap_share_text": unknown,
            "plan_effect_text": "cannot be costed from published statistics",
            "money_summary": (
                "This edition's published files carry no costs, so the financial gap between the cost of care "
                f"and the allocation is not estimated for {fy_label(book.params.period.horizon_year)}."
            ),
        }
    p = projection(book)
    frame = finance.economy_total(finance.gap(p, book.table("unit_costs"), assumptions(book)))
    last = frame[frame["year"] == frame["year"].max()].iloc[0]
    dn, plan = float(last["gap_do_nothing"]), float(last["gap_plan"])
    year = fy_label(int(last["year"]))
    effect = (
        f"narrow the gap by £{(dn - plan) / 1e6:,.1f} million" if plan < dn
        else f"widen it by £{(plan - dn) / 1e6:,.1f} million, because the schemes cost more than they save by then"
    )
    return {
        "money_summary": (
            f"By {year}, if nothing changes, the economy faces {money_words(dn)} between the cost of care and its "
            f"allocation ({abs(float(last['gap_share_do_nothing'])):.1%} of the allocation). The plan's interventions "
            f"{effect}, leaving {money_words(plan)}."
        ),
        "horizon_year": year,
        "gap_do_nothing_m": round(dn / 1e6, 1),
        "gap_plan_m": round(plan / 1e6, 1),
        "gap_do_nothing_text": money_words(dn),
        "gap_plan_text": money_words(plan),
        "gap_share_text": f"{abs(float(last['gap_share_do_nothing'])):.1%}",
        "plan_effect_text": (
            f"narrows the gap by £{(dn - plan) / 1e6:,.1f} million"
            if plan < dn
            else f"widens the gap by £{(plan - dn) / 1e6:,.1f} million, because the schemes cost more than they save "
            "by then"
        ),
    }


def gap_text(book: Catalog) -> Markdown:
    """The financial gap at the horizon in words, do nothing against the plan."""
    if not has_costs(book):
        return Markdown(NO_COSTS)
    h = finance_headlines(book)
    return Markdown(
        f"By {h['horizon_year']}, doing nothing leaves {h['gap_do_nothing_text']} between the cost of care and the "
        f"allocation ({h['gap_share_text']} of the allocation); with the plan's interventions it is "
        f"{h['gap_plan_text']}. "
        "A shortfall is money the economy must find through efficiency or further change."
    )


def gap(book: Catalog) -> alt.VConcatChart | Markdown:
    """Allocation against the cost of care, do nothing and the plan, with sliders on the main assumptions."""
    if not has_costs(book):
        return Markdown(NO_COSTS)
    p = projection(book)
    a = assumptions(book)
    grid = finance.gap_grid(p, book.table("unit_costs"), a)
    return model_charts.gap_chart(
        grid, source=model_source(book), synthetic=book.synthetic, efficiency=a.get("efficiency")
    )


def tornado(book: Catalog) -> alt.LayerChart | Markdown:
    """How far the horizon-year gap moves when each main assumption moves."""
    if not has_costs(book):
        return Markdown("*Not computed: this edition has no costs (see above).*")
    p = projection(book)
    frame = finance.tornado(p, book.table("unit_costs"), assumptions(book))
    return model_charts.tornado_chart(frame, source=model_source(book), synthetic=book.synthetic)


def appraisal(book: Catalog) -> tables.Table | Markdown:
    """Each intervention's costs, savings, net present value, return and payback to the horizon."""
    if not has_costs(book):
        return Markdown("*Not computed: this edition has no costs (see above).*")
    p = projection(book)
    frame = finance.appraise(p, book.table("unit_costs"), assumptions(book)).sort_values("npv", ascending=False)
    shown = pd.DataFrame({
        "Intervention": frame["name"],
        "Starts": frame["start_year"].map(lambda y: fy_label(int(y))),
        "Costs (present value)": frame["pv_costs"],
        "Savings (present value)": frame["pv_savings"],
        "Net present value": frame["npv"],
        "Savings per £1": frame["savings_per_pound"],
        "Pays back in": frame["payback_year"].map(lambda y: "not by the horizon" if pd.isna(y) else fy_label(int(y))),
    })
    rate = assumptions(book).get("discount_rate", finance.DEFAULT_DISCOUNT_RATE)
    return tables.table(
        shown,
        caption=f"The plan's interventions appraised to {fy_label(book.params.period.horizon_year)} at a {rate:.1%} "
        "discount rate",
        source=model_source(book),
        synthetic=book.synthetic,
        formats={
            c: tables.pounds(1, 1e6, "m")
            for c in ("Costs (present value)", "Savings (present value)", "Net present value")
        }
        | {"Savings per £1": tables.pounds(2)},
        align_right=["Costs (present value)", "Savings (present value)", "Net present value", "Savings per £1"],
    )
