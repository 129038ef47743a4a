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
from analysis.charts.theme import WIDTH, finish
from analysis.report.common import fiscal_label, fiscal_year, source

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
    activity = book.table("activity")
    ours = [c.code for c in p.economy.commissioners]
    return pj.project(
        activity[activity["commissioner"].isin(ours)],  # the economy's own, not its peers'
        book.table("population"),
        economy_interventions(book),
        baseline_year=p.period.baseline_year,
        horizon_year=p.period.horizon_year,
        runs=p.model.runs,
        seed=p.model.seed,
    )


def economy_interventions(book: Catalog) -> list[dict]:
    """The plan's interventions that act in this economy: economy-wide ones, and those of its commissioners.

    A plan written for other organisations (another economy's parameter file pointing at this
    plan) has none: its economy-wide schemes belong to that plan too.
    """
    items = book.plan.get("interventions", [])
    ours = {c.code for c in book.params.economy.commissioners}
    named = {str(i.get("organisation")) for i in items} - {"all"}
    if named and not named & ours:
        return []
    return [i for i in items if str(i.get("organisation")) in ours | {"all"}]


def has_pathway_activity(book: Catalog, pathway: str) -> bool:
    """Whether the projection has any of the pathway's activity."""
    return bool(pj.select(projection(book.params_file), pathway=pathway).any())


def no_projection(pathway: str | None = None) -> Markdown:
    """The one line shown where the edition has no activity to project."""
    what = "this pathway's activity" if pathway else "activity"
    return Markdown(f"*No projection: this edition has no data on {what} by commissioner.*")


def assumptions(book: Catalog) -> dict:
    """The finance assumptions of the plan file, as plain values."""
    return plain_values(book.plan.get("allocation", {}))


def _source(book: Catalog) -> str:
    return f"{source(book, 'activity')}; {MODEL_NOTE}; assumptions in {book.params.plan}"


def activity_trajectory(book: Catalog, pathway: str | None = None) -> alt.LayerChart:
    """Activity to the horizon: history, do nothing and the plan with its band, with an effect slider."""
    if pathway and not has_pathway_activity(book, pathway):
        return no_projection(pathway)
    p = projection(book.params_file)
    grid = pj.trajectory_grid(p, pathway=pathway) if pathway else pj.trajectory_grid(p)
    return model_charts.trajectory_chart(grid, source=_source(book), synthetic=book.synthetic,
                                         measure="Hospital and community activity a year (count)")


def activity_waterfall(book: Catalog, pathway: str | None = None) -> alt.LayerChart:
    """From baseline to horizon by change factor: demography, trend and each intervention."""
    if pathway and not has_pathway_activity(book, pathway):
        return no_projection(pathway)
    p = projection(book.params_file)
    steps = pj.waterfall_steps(pj.waterfall(p), pathway=pathway) if pathway else pj.waterfall_steps(pj.waterfall(p))
    return model_charts.waterfall_chart(steps, source=_source(book), synthetic=book.synthetic,
                                        measure="Activity a year (count)")


def has_costs(book: Catalog) -> bool:
    """Whether the edition can put a price on activity: unit costs, or costs in the activity table."""
    activity = book.table("activity")
    return book.has("unit_costs") or bool(len(activity) and pd.to_numeric(activity["cost"], errors="coerce").notna().any())


NO_COSTS = (
    "*No costs in this edition: its published files have no unit costs, budgets or allocations, "
    "so the financial gap and the interventions' returns are not computed.*"
)


def gap(book: Catalog) -> alt.VConcatChart | Markdown:
    """Allocation against the cost of care, do nothing and the plan, with sliders on the main assumptions."""
    if not has_costs(book):
        return Markdown(NO_COSTS)
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
    if not has_costs(book):
        unknown = "not known in this edition"
        return {
            "horizon_year": fiscal_label(book.params.period.horizon_year),
            "gap_do_nothing_m": float("nan"),
            "gap_plan_m": float("nan"),
            "gap_do_nothing_text": "a gap this edition cannot measure, because its published files have no costs,",
            "gap_plan_text": "the size of the gap " + unknown,
            "gap_share_text": unknown,
            "plan_effect_text": "cannot be costed from published statistics",
            "money_summary": (
                "This edition's published files carry no costs, so the financial gap between the cost of care "
                f"and the allocation is not estimated for {fiscal_label(book.params.period.horizon_year)}."
            ),
        }
    p = projection(book.params_file)
    frame = finance.economy_total(finance.gap(p, book.table("unit_costs"), assumptions(book)))
    last = frame[frame["year"] == frame["year"].max()].iloc[0]
    dn, plan = float(last["gap_do_nothing"]), float(last["gap_plan"])
    year = fiscal_label(int(last["year"]))
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
            f"narrows the gap by £{(dn - plan) / 1e6:,.1f} million" if plan < dn
            else f"widens the gap by £{(plan - dn) / 1e6:,.1f} million, because the schemes cost more than they save by then"
        ),
    }


def gap_text(book: Catalog) -> Markdown:
    """The financial gap at the horizon in words, do nothing against the plan."""
    if not has_costs(book):
        return Markdown(NO_COSTS)
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


def tornado(book: Catalog) -> alt.LayerChart | Markdown:
    """How far the horizon-year gap moves when each main assumption moves."""
    if not has_costs(book):
        return Markdown("*Not computed: this edition has no costs (see above).*")
    p = projection(book.params_file)
    frame = finance.tornado(p, book.table("unit_costs"), assumptions(book))
    return model_charts.tornado_chart(frame, source=_source(book), synthetic=book.synthetic)


def appraisal(book: Catalog) -> tables.Table | Markdown:
    """Each intervention's costs, savings, net present value, return and payback to the horizon."""
    if not has_costs(book):
        return Markdown("*Not computed: this edition has no costs (see above).*")
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
        | {"Savings per £1": tables.pounds(2)},
        align_right=["Costs (present value)", "Savings (present value)", "Net present value", "Savings per £1"],
    )


def staff(book: Catalog) -> alt.Chart:
    """Whole-time equivalents by staff group at the horizon, do nothing against the plan."""
    p = projection(book.params_file)
    return model_charts.workforce_chart(workforce.workforce_projection(p), source=_source(book), synthetic=book.synthetic)


def community_commissions(book: Catalog) -> list[dict]:
    """The community beds the plan commissions, [{organisation, year, beds}] (empty when it lists none)."""
    return [{k: c[k] for k in ("organisation", "year", "beds")} for c in book.plan.get("community_beds", []) or []]


def beds(book: Catalog) -> alt.Chart:
    """Hospital beds the plan avoids against the community beds it commissions."""
    p = projection(book.params_file)
    commissions = community_commissions(book)
    community = estates.community_beds(commissions, p.years) if commissions else None
    balance = estates.bed_balance(estates.beds_projection(p), community)
    return model_charts.beds_chart(balance, source=_source(book), synthetic=book.synthetic)


def organisation_names(book: Catalog, text: object) -> str:
    """Organisation codes in a text replaced by the names the parameter file gives ('5PG and TAM' -> names)."""
    e = book.params.economy
    names = {o.code: o.name for o in (*e.commissioners, *e.providers, *e.local_authorities)}
    return " ".join(names.get(word, word) for word in str(text).split(" "))


def estate_changes(book: Catalog) -> tables.Table:
    """The sites and changes the plan lists (section 11)."""
    items = book.content.get("economy", {}).get("estates", []) or book.content.get("economy", {}).get("estates_changes", [])
    frame = pd.DataFrame(items)
    cols = [c for c in ("site", "change", "organisation") if c in frame.columns]
    if "organisation" in frame.columns:
        frame["organisation"] = frame["organisation"].map(lambda text: organisation_names(book, text))
    return tables.table(frame[cols].rename(columns=str.capitalize), caption="Estate changes named in the plan",
                        source="Working Together for Health: BENS overarching vision and plans 2008-2013, section 11.0")


# --- the plan against what happened -----------------------------------------------------------------


def outturn_frame(book: Catalog, pathway: str | None = None) -> pd.DataFrame:
    """Projected (do nothing, the plan with its 10th-90th centile band) and actual activity by fiscal year.

    The projection starts from the baseline year; "actual" is the activity table's total for the same
    commissioners, pathways and points of delivery in each complete fiscal year from the baseline on.
    Columns: year, year_label, series, count, p10, p90 (the band on the plan's rows only).
    """
    p = projection(book.params_file)
    mask = pj.select(p, pathway=pathway)
    keys = p.series.loc[mask, ["commissioner", "pathway", "pod"]].astype(str)
    activity = book.table("activity")
    act = activity.assign(**{c: activity[c].astype(str) for c in ("commissioner", "pathway", "pod")})
    act = act.merge(keys.drop_duplicates(), on=["commissioner", "pathway", "pod"])
    act = act.assign(year=fiscal_year(act["month"]))
    months = act.groupby("year")["month"].nunique()
    complete = [int(y) for y in months[months == 12].index if p.baseline_year <= y <= p.horizon_year]
    actual = act[act["year"].isin(complete)].groupby("year")["count"].sum()
    band = pj.band_by(p, (), mask=mask)
    band = band[band["scenario"] == "plan"].set_index("year")
    rows = [
        pd.DataFrame({"year": list(p.years), "series": "Do nothing (projected)", "count": pj.do_nothing(p)[:, mask].sum(axis=1)}),
        pd.DataFrame({"year": list(p.years), "series": "The plan (projected)", "count": pj.plan(p)[:, mask].sum(axis=1),
                      "p10": band.loc[list(p.years), "p10"].to_numpy(), "p90": band.loc[list(p.years), "p90"].to_numpy()}),
        pd.DataFrame({"year": actual.index.astype(int), "series": "What happened", "count": actual.to_numpy(dtype=float)}),
    ]
    out = pd.concat(rows, ignore_index=True)
    out["year"] = out["year"].astype("int64")
    out["year_label"] = out["year"].map(fiscal_label)
    return out[["year", "year_label", "series", "count", "p10", "p90"]]


OUTTURN_COLOURS = {"Do nothing (projected)": "#ED8B00", "The plan (projected)": "#005EB8", "What happened": "#231F20"}


def plan_against_outturn(book: Catalog, pathway: str | None = None) -> alt.LayerChart | Markdown:
    """The plan's projection from the baseline year against the activity that actually happened."""
    if pathway and not has_pathway_activity(book, pathway):
        return no_projection(pathway)
    if not book.table("activity")["commissioner"].isin([c.code for c in book.params.economy.commissioners]).any():
        return no_projection()
    frame = outturn_frame(book, pathway)
    base = book.params.period.baseline_year
    actual = frame[(frame["series"] == "What happened") & (frame["year"] > base)]
    if actual.empty:
        return Markdown(
            f"*No outturn to compare with the plan: this edition's activity ends with the baseline year "
            f"{fiscal_label(base)}, before the years the plan projects.*"
        )
    last = int(actual["year"].max())
    at = frame[frame["year"] == last].set_index("series")["count"]
    vs_plan = at["What happened"] / at["The plan (projected)"] - 1
    vs_dn = at["What happened"] / at["Do nothing (projected)"] - 1

    def words(change: float, what: str) -> str:
        return f"{abs(change):.0%} {'above' if change > 0 else 'below'} {what}" if abs(change) >= 0.005 else f"in line with {what}"

    band = frame[frame["series"] == "The plan (projected)"]
    inside = actual.merge(band[["year", "p10", "p90"]], on="year", suffixes=("_a", ""))
    outside = int(((inside["count"] < inside["p10"]) | (inside["count"] > inside["p90"])).sum())
    x = alt.X("year_label:O", title="Fiscal year", sort="ascending", axis=alt.Axis(labelAngle=0))
    measure = "Activity a year (count)"
    colour = alt.Color("series:N", title=None, scale=alt.Scale(domain=list(OUTTURN_COLOURS), range=list(OUTTURN_COLOURS.values())))
    tooltip = [alt.Tooltip("series:N", title="Series"), alt.Tooltip("year_label:O", title="Year"), alt.Tooltip("count:Q", title=measure, format=",.0f")]
    chart = alt.layer(
        alt.Chart(band).mark_area(opacity=0.18, color=OUTTURN_COLOURS["The plan (projected)"]).encode(
            x=x, y=alt.Y("p10:Q", title=measure, scale=alt.Scale(zero=False)), y2="p90:Q",
            tooltip=[alt.Tooltip("year_label:O", title="Year"), alt.Tooltip("p10:Q", title="Plan, 10th centile", format=",.0f"), alt.Tooltip("p90:Q", title="Plan, 90th centile", format=",.0f")],
        ),
        alt.Chart(frame[frame["series"] != "What happened"]).mark_line(point=True, strokeDash=[6, 4]).encode(
            x=x, y=alt.Y("count:Q", title=measure, axis=alt.Axis(format=",.0f")), color=colour, tooltip=tooltip,
        ),
        alt.Chart(frame[frame["series"] == "What happened"]).mark_line(point=alt.OverlayMarkDef(size=70, filled=True), strokeWidth=3).encode(
            x=x, y="count:Q", color=colour, tooltip=tooltip,
        ),
    )
    what = "this pathway's" if pathway else "the economy's"
    return finish(
        chart.properties(width=WIDTH, height=320),
        title=f"In {fiscal_label(last)}, activity was {words(vs_plan, 'what the plan projected')} and {words(vs_dn, 'doing nothing')}",
        subtitle=(
            f"{what.capitalize()} activity projected from {fiscal_label(base)} (dashed; the band holds eight in ten model runs) "
            f"against the activity recorded (solid); {outside} of {len(inside)} recorded years fall outside the plan's band"
        ),
        source=_source(book),
        synthetic=book.synthetic,
        description=(
            f"Line chart of {what} activity a year: the do-nothing and plan projections from {fiscal_label(base)} to "
            f"{fiscal_label(book.params.period.horizon_year)} and the recorded activity to {fiscal_label(last)}, "
            f"which ended {words(vs_plan, 'the plan')}."
        ),
    )
