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
from analysis.model.interventions import scheme_of
from analysis.report.projected import assumptions, has_costs, model_source, projection
from analysis.report.wording import literal, money_words, pounds_each, semicolon_list

NOT_COMPUTED = "*Not computed: this edition has no costs (see above).*"
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
    frame = _gap_frame(book)
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
            f"{effect}, leaving {money_words(plan)}. {_closing_words(book)}"
        ).strip(),
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


def _gap_frame(book: Catalog) -> pd.DataFrame:
    """The economy's allocation, costs and gap per year, worked out once per catalog."""
    return book.computed(
        "finance.gap",
        lambda b: finance.economy_total(finance.gap(projection(b), b.table("unit_costs"), assumptions(b))),
    )


def _m(value: float) -> str:
    """Pounds as '£1,234.5 million'."""
    return f"£{value / 1e6:,.1f} million"


def money_by_year(book: Catalog) -> tables.Table | Markdown:
    """Where the money goes each year: allocation, activity, other spending, the schemes, and the gap."""
    if not has_costs(book):
        return Markdown(NO_COSTS)
    f = _gap_frame(book)
    # One column per year and one row per line of the story: a table of eight money columns would not
    # fit a page, and read across, each row shows how that line grows.
    lines = {
        "Allocation": f["allocation"],
        "Hospital and community activity": f["activity_cost_do_nothing"],
        "Other spending": f["other_spend"],
        "Gap, doing nothing": f["gap_do_nothing"],
        "The plan's schemes cost": f["intervention_costs"],
        "Activity the plan avoids": f["activity_cost_do_nothing"] - f["activity_cost_plan"],
        "Gap, with the plan": f["gap_plan"],
    }
    shown = pd.DataFrame({"Where the money goes": list(lines)})
    for j, year in enumerate(f["year_label"]):
        shown[year] = [float(values.iloc[j]) for values in lines.values()]
    money = tables.pounds(1, 1e6, "m")
    columns = list(f["year_label"])
    return tables.table(
        shown,
        caption="Where the money goes each year (a positive gap is a shortfall, a negative one a surplus)",
        source=model_source(book),
        synthetic=book.synthetic,
        formats={c: money for c in columns},
        align_right=columns,
    )


def _runs(changes: pd.DataFrame) -> list[pd.DataFrame]:
    """Consecutive years grouped by whether the allocation grows faster than the cost of doing nothing."""
    ahead = (changes["allocation_growth"] > changes["cost_growth"]).to_numpy()
    groups, start = [], 0
    for i in range(1, len(ahead) + 1):
        if i == len(ahead) or ahead[i] != ahead[start]:
            groups.append(changes.iloc[start:i])
            start = i
    return groups


def _years(run: pd.DataFrame) -> str:
    first, last = fy_label(int(run["year"].iloc[0])), fy_label(int(run["year"].iloc[-1]))
    return f"in {first}" if first == last else f"from {first} to {last}"


def why_text(book: Catalog) -> Markdown:
    """Why each stretch of years shows a surplus or a shortfall, from the growth of money and of costs."""
    if not has_costs(book):
        return Markdown(NOT_COMPUTED)
    p = projection(book)
    f = _gap_frame(book)
    price = finance.cost_basis(p, book.table("unit_costs"), assumptions(book)).price
    changes = finance.yearly_changes(f, price)
    lines = []
    for run in _runs(changes):
        alloc, cost, prices = run["allocation_growth"].mean(), run["cost_growth"].mean(), run["price_growth"].mean()
        last = run.iloc[-1]
        faster = alloc > cost
        lines.append(
            f"{_years(run).capitalize()} the allocation grows by {alloc:.1%} a year and the cost of carrying on as "
            "now by "
            f"{cost:.1%} ({prices:.1%} from pay and prices, the rest from a growing, ageing population and the trend "
            "in "
            "activity), so "
            f"{'money arrives faster than costs rise' if faster else 'costs rise faster than the money'}: "
            f"by {fy_label(int(last['year']))} doing nothing leaves {money_words(float(last['gap_do_nothing']))}."
        )
    surplus = f[(f["gap_do_nothing"] < 0) & (f["year"] > p.baseline_year)]
    if len(surplus) and f["gap_do_nothing"].iloc[-1] > 0 and p.interventions:
        lines.append(
            f"The early surplus (largest in {surplus.loc[surplus['gap_do_nothing'].idxmin(), 'year_label']}, "
            f"{_m(-surplus['gap_do_nothing'].min())}) is growth money not yet committed: the plan's schemes are paid "
            "from it, "
            "and it is gone once growth slows."
        )
    return Markdown(" ".join(lines))


def plan_text(book: Catalog) -> Markdown:
    """How the plan changes the horizon gap and, if a shortfall remains, what would close it."""
    if not has_costs(book):
        return Markdown(NOT_COMPUTED)
    p = projection(book)
    f = _gap_frame(book)
    last = f.iloc[-1]
    year = fy_label(int(last["year"]))
    cost, avoided = (
        float(last["intervention_costs"]),
        float(last["activity_cost_do_nothing"] - last["activity_cost_plan"]),
    )
    dn, plan = float(last["gap_do_nothing"]), float(last["gap_plan"])
    if not p.interventions:
        text = f"This edition's plan has no schemes, so the gap in {year} is the gap of doing nothing."
    else:
        text = (
            f"In {year} the plan's schemes cost {_m(cost)} and the hospital and community activity they avoid is worth "
            f"{_m(avoided)}, so the plan {'narrows' if plan < dn else 'widens'} the gap by {_m(abs(dn - plan))}, "
            f"leaving {money_words(plan)}."
        )
    if plan <= 0:
        return Markdown(text + " The plan leaves no shortfall to close.")
    a = finance.as_assumptions(assumptions(book))
    assumed = finance.mean_rate(a.efficiency, list(p.years)[1:], "efficiency")
    need = finance.efficiency_to_close(
        float(last["activity_cost_plan"] + last["other_spend"]),
        cost,
        float(last["allocation"]),
        p.horizon_year - p.baseline_year,
    )
    more = f", on top of the {assumed:.1%} a year assumed" if assumed > 0 else ""
    text += (
        f" The plan does not close the gap. Closing it needs cash-releasing efficiency of {need:.1%} a year on all "
        "spending "
        f"from {fy_label(p.baseline_year + 1)}{more}."
    )
    losing = _losing_schemes(book)
    if len(losing):
        text += (
            f" Stopping or redesigning the {len(losing)} costed {'scheme' if len(losing) == 1 else 'schemes'} that "
            "return less "
            f"than £1 for each £1 would narrow the {year} gap by {_m(float(losing['net_cost'].sum()))}; "
            "the priorities chapter weighs that against their health gain."
        )
    return Markdown(text)


def _closing_words(book: Catalog) -> str:
    """One sentence: the yearly efficiency that would close the horizon shortfall with the plan ('' if none)."""
    p = projection(book)
    last = _gap_frame(book).iloc[-1]
    if last["gap_plan"] <= 0:
        return ""
    need = finance.efficiency_to_close(
        float(last["activity_cost_plan"] + last["other_spend"]),
        float(last["intervention_costs"]),
        float(last["allocation"]),
        p.horizon_year - p.baseline_year,
    )
    return (
        f"Closing it needs cash-releasing efficiency of {need:.1%} a year on all spending from "
        f"{fy_label(p.baseline_year + 1)}."
    )


def _losing_schemes(book: Catalog) -> pd.DataFrame:
    """Costed schemes saving less than £1 per £1, with their net cash cost in the horizon year (cost - saving)."""
    p = projection(book)
    schemes = _schemes(book)
    saved = finance.savings(p, book.table("unit_costs"), assumptions(book))
    saved = saved[saved["year"] == p.horizon_year]
    ids = [i.id for i in p.interventions]
    by_scheme = (
        saved.assign(scheme=saved["intervention"].map(dict(zip(ids, scheme_of(ids), strict=True))))
        .groupby("scheme")["saving"]
        .sum()
    )
    losing = schemes[schemes["costed"] & (schemes["savings_per_pound"] < 1)].copy()
    horizon_cost = losing["recurrent_cost"] + losing["investment"].where(losing["start_year"] == p.horizon_year, 0.0)
    losing["net_cost"] = horizon_cost - losing["scheme"].map(by_scheme).fillna(0.0)
    return losing[losing["net_cost"] > 0]


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
        grid, source=model_source(book), synthetic=book.synthetic, efficiency=a.get("efficiency"), title=gap_title(book)
    )


def gap_title(book: Catalog) -> str:
    """The gap chart's message at the plan's assumptions, in words that stay true while a reader moves the sliders."""
    f = _gap_frame(book)
    later = f[f["year"] > int(f["year"].min())]
    short = later[later["gap_do_nothing"] > 0]
    if short.empty:
        return f"At the plan's assumptions the allocation covers the cost of care to {fy_label(int(f['year'].max()))}"
    first = short.iloc[0]["year_label"]
    last = f.iloc[-1]
    effect = "narrow" if last["gap_plan"] < last["gap_do_nothing"] else "widen"
    return (
        f"At the plan's assumptions the cost of care overtakes the allocation in {first}, and the plan's schemes "
        f"{effect} the gap"
    )


def tornado(book: Catalog) -> alt.LayerChart | Markdown:
    """How far the horizon-year gap moves when each main assumption moves."""
    if not has_costs(book):
        return Markdown("*Not computed: this edition has no costs (see above).*")
    p = projection(book)
    frame = finance.tornado(p, book.table("unit_costs"), assumptions(book))
    return model_charts.tornado_chart(frame, source=model_source(book), synthetic=book.synthetic)


def appraisal(book: Catalog) -> tables.Table | Markdown:
    """Each scheme's cost, saving, net present value, return and payback to the horizon (one row per scheme)."""
    if not has_costs(book):
        return Markdown("*Not computed: this edition has no costs (see above).*")
    frame = _schemes(book).sort_values(["costed", "npv"], ascending=[False, False])
    not_costed = "not costed"
    shown = pd.DataFrame({
        "Scheme": frame["name"],
        "Starts": frame["start_year"].map(lambda y: fy_label(int(y))),
        "Cost a year": [v if c else None for v, c in zip(frame["recurrent_cost"], frame["costed"], strict=True)],
        "Costs (present value)": [v if c else None for v, c in zip(frame["pv_costs"], frame["costed"], strict=True)],
        "Savings (present value)": frame["pv_savings"],
        "Net present value": [v if c else None for v, c in zip(frame["npv"], frame["costed"], strict=True)],
        "Savings per £1": frame["savings_per_pound"],
        "Pays back in": [
            not_costed if not c else ("not by the horizon" if pd.isna(y) else fy_label(int(y)))
            for y, c in zip(frame["payback_year"], frame["costed"], strict=True)
        ],
    })
    rate = assumptions(book).get("discount_rate", finance.DEFAULT_DISCOUNT_RATE)
    money = tables.pounds(1, 1e6, "m")
    return tables.table(
        shown,
        caption=f"The plan's schemes appraised to {fy_label(book.params.period.horizon_year)} at a {rate:.1%} "
        "discount rate",
        source=model_source(book),
        synthetic=book.synthetic,
        formats={"Savings (present value)": money}
        | {
            "Net present value": lambda v: not_costed if v is None or pd.isna(v) else money(v),
            "Cost a year": lambda v: not_costed if v is None or pd.isna(v) else tables.pounds(2, 1e6, "m")(v),
            "Costs (present value)": lambda v: not_costed if v is None or pd.isna(v) else money(v),
            "Savings per £1": lambda v: not_costed if pd.isna(v) else pounds_each(v),
        },
        align_right=[
            "Cost a year",
            "Costs (present value)",
            "Savings (present value)",
            "Net present value",
            "Savings per £1",
        ],
    )


def appraisal_note(book: Catalog) -> Markdown:
    """How the schemes are counted, and which are not costed and why."""
    if not has_costs(book):
        return Markdown(NOT_COMPUTED)
    frame = _schemes(book)
    text = (
        "Each scheme is one row: where the plan moves care out of hospital, the new community service "
        "and the hospital activity it avoids are counted together, so its cost, saving and return are "
        "the same here as in the priorities chapter."
    )
    uncosted = frame[~frame["costed"]]
    if len(uncosted):
        text += (
            f" Not costed: {literal(semicolon_list(uncosted['name']))}. The plan names "
            f"{'it' if len(uncosted) == 1 else 'them'} without any cost, so the model counts "
            f"{'its' if len(uncosted) == 1 else 'their'} effect on activity but cannot judge the return; "
            "each needs a business case that prices it before it can be ranked."
        )
    return Markdown(text)


def _schemes(book: Catalog) -> pd.DataFrame:
    """The edition's scheme appraisal (one row per scheme), worked out once per catalog."""
    return book.computed(
        "finance.schemes", lambda b: finance.appraise_schemes(projection(b), b.table("unit_costs"), assumptions(b))
    )
