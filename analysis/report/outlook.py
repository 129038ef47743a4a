"""The five-year outlook chapters: activity, finance, workforce and estates, do nothing against the plan."""

from __future__ import annotations

from functools import lru_cache

import altair as alt
import numpy as np
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
    """The community beds the plan commissions in this economy, [{organisation, year, beds}] (empty when it lists none).

    A plan written for other organisations (another economy's parameter file pointing at it) commissions
    none here.
    """
    ours = {c.code for c in book.params.economy.commissioners} | {p.code for p in book.params.economy.providers}
    items = [c for c in book.plan.get("community_beds", []) or [] if str(c.get("organisation")) in ours | {"all"}]
    return [{k: c[k] for k in ("organisation", "year", "beds")} for c in items]


def beds(book: Catalog) -> alt.Chart | Markdown:
    """Hospital beds the plan avoids against the community beds it commissions (a line when neither changes)."""
    p = projection(book.params_file)
    commissions = community_commissions(book)
    community = estates.community_beds(commissions, p.years) if commissions else None
    balance = estates.bed_balance(estates.beds_projection(p), community)
    if (balance["hospital_reduction"].abs() < 0.5).all() and (balance["community_commissioned"] < 0.5).all():
        return Markdown(
            "*The plan changes no hospital beds in this economy and commissions no community beds in it, "
            "so there is no change to chart. The recorded beds and the model's baseline follow.*"
        )
    return model_charts.beds_chart(balance, source=_source(book), synthetic=book.synthetic)


def organisation_names(book: Catalog, text: object) -> str:
    """Organisation codes in a text replaced by the names the parameter file gives ('5PG and TAM' -> names)."""
    e = book.params.economy
    names = {o.code: o.name for o in (*e.commissioners, *e.providers, *e.local_authorities)}
    return " ".join(names.get(word, word) for word in str(text).split(" "))


def plan_names_economy(book: Catalog, texts) -> bool:
    """Whether any text names one of the economy's organisations by code (commissioner, provider or local authority)."""
    e = book.params.economy
    ours = {o.code for o in (*e.commissioners, *e.providers, *e.local_authorities)}
    return any(word in ours for text in texts for word in str(text).split(" "))


def estate_changes(book: Catalog) -> tables.Table | Markdown:
    """The sites and changes the plan lists (section 11)."""
    items = book.content.get("economy", {}).get("estates", []) or book.content.get("economy", {}).get("estates_changes", [])
    frame = pd.DataFrame(items)
    cols = [c for c in ("site", "change", "organisation") if c in frame.columns]
    if "organisation" in frame.columns:
        if not plan_names_economy(book, frame["organisation"]):
            return Markdown("*The plan's estate changes belong to other organisations: it names none of this economy's.*")
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


# --- a pathway's money and staff -------------------------------------------------------------------------


def pathway_money_frame(p: pj.Projection, unit_costs: pd.DataFrame, assumptions: dict, pathway: str) -> pd.DataFrame:
    """A pathway's money by fiscal year: the cost of its activity, do nothing and the plan, and its own schemes.

    cost_do_nothing, cost_plan: the pathway's activity valued as in the finance chapter (baseline unit
    cost x price index x efficiency index); saving: what the pathway's own interventions (those whose
    `pathway` it is) save on the activity they change, net of any activity they add; scheme_costs: their
    investment and recurrent costs in cash; net = saving - scheme_costs. Columns: year, year_label,
    cost_do_nothing, cost_plan, saving, scheme_costs, net.
    """
    basis = finance.cost_basis(p, unit_costs, assumptions)
    mask = pj.select(p, pathway=pathway)
    years = list(p.years)
    own = [k for k, item in enumerate(p.interventions) if item.pathway == pathway]
    costs = finance.intervention_costs(p, basis)[own].sum(axis=0) if own else np.zeros(len(years))
    saving = np.zeros(len(years))
    if own:
        saved = finance.savings(p, unit_costs, assumptions)
        saving = saved[saved["pathway"] == pathway].groupby("year")["saving"].sum().reindex(years, fill_value=0.0).to_numpy()
    out = pd.DataFrame({
        "year": years,
        "year_label": [fiscal_label(y) for y in years],
        "cost_do_nothing": finance.money(pj.do_nothing(p), basis)[:, mask].sum(axis=1),
        "cost_plan": finance.money(pj.plan(p), basis)[:, mask].sum(axis=1),
        "saving": saving,
        "scheme_costs": costs,
    })
    out["net"] = out["saving"] - out["scheme_costs"]
    return out


def pathway_money(book: Catalog, pathway: str) -> alt.VConcatChart | alt.Chart | Markdown:
    """The cost of a pathway's activity, do nothing against the plan, and what its own schemes save and cost."""
    if not has_costs(book):
        return Markdown("*No costs in this edition: its published files have no unit costs, so this pathway's money is not computed.*")
    if not has_pathway_activity(book, pathway):
        return no_projection(pathway)
    frame = pathway_money_frame(projection(book.params_file), book.table("unit_costs"), assumptions(book), pathway)
    return model_charts.pathway_money_chart(frame, source=_source(book), synthetic=book.synthetic)


def pod_totals(p: pj.Projection, counts: np.ndarray, mask: np.ndarray) -> pd.DataFrame:
    """Activity (Y x S) of the series in `mask`, summed by year and point of delivery (year, pod, count)."""
    pods = p.series.loc[mask, "pod"].astype(str).to_numpy()
    frame = pd.DataFrame(counts[:, mask], index=list(p.years), columns=pods)
    long = frame.T.groupby(level=0).sum().T.stack().rename("count").reset_index()
    long.columns = ["year", "pod", "count"]
    return long


def pathway_workforce(p: pj.Projection, pathway: str, ratios: dict | None = None) -> pd.DataFrame:
    """WTE for a pathway's activity by year, scenario, sector and staff group, plus the new roles of its own schemes.

    The same rules as `workforce.workforce_projection`, for one pathway: activity-driven WTE at the
    productivity ratios, and the posts its own interventions list, ramped in (scenario plan, sector
    "new roles"). Columns: year, scenario, sector, staff_group, wte.
    """
    mask = pj.select(p, pathway=pathway)
    frames = [
        workforce.wte(pod_totals(p, counts, mask).assign(scenario=scenario), ratios)
        for scenario, counts in (("do_nothing", pj.do_nothing(p)), ("plan", pj.plan(p)))
    ]
    roles = workforce.intervention_staff([i for i in p.interventions if i.pathway == pathway], p.years)
    if len(roles):
        extra = roles.groupby(["year", "staff_group"], as_index=False)["fte"].sum().rename(columns={"fte": "wte"})
        frames.append(extra.assign(scenario="plan", sector=workforce.NEW_ROLES))
    out = pd.concat(frames, ignore_index=True)
    out = out[out["wte"] > 0]
    return out[["year", "scenario", "sector", "staff_group", "wte"]].sort_values(["scenario", "sector", "staff_group", "year"], ignore_index=True)


MATERNITY = "maternity"  # the pathway whose staff include the midwives that births need
FROM_BIRTHS = "from births"


def with_midwives(frame: pd.DataFrame, midwife: pd.DataFrame, year: int) -> pd.DataFrame:
    """A pathway's workforce frame with the midwives a year's births need, the same doing nothing and with the plan.

    `midwife` has columns year, births, wte (from `midwife_frame`); nothing is added when it lacks the year.
    """
    at = midwife[midwife["year"] == year]
    if at.empty:
        return frame
    wte = float(at["wte"].iloc[0])
    extra = pd.DataFrame({"year": [year, year], "scenario": ["do_nothing", "plan"], "sector": FROM_BIRTHS, "staff_group": "Midwives", "wte": [wte, wte]})
    return pd.concat([frame, extra], ignore_index=True)


def pathway_staff(book: Catalog, pathway: str) -> alt.Chart | Markdown:
    """WTE a pathway's activity needs at the horizon, do nothing against the plan, with its schemes' new roles."""
    if not has_pathway_activity(book, pathway):
        return no_projection(pathway)
    p = projection(book.params_file)
    frame = pathway_workforce(p, pathway)
    if pathway == MATERNITY:
        frame = with_midwives(frame, midwife_frame(book), p.horizon_year)
    if frame.empty:
        return Markdown(
            "*No staff modelled for this pathway: the productivity ratios cover none of its points of delivery "
            "(GP referrals count as activity, not as staff work), and its schemes list no new posts.*"
        )
    horizon = p.horizon_year
    return model_charts.workforce_chart(
        frame,
        source=_source(book),
        synthetic=book.synthetic,
        year=horizon,
        title=model_charts.staff_change_words(workforce.workforce_shift(frame), horizon, subject="the plan for this pathway"),
        subtitle=(
            f"Whole-time equivalents this pathway's activity needs in {fiscal_label(horizon)} at assumed productivity ratios, plus the new roles its own schemes bring"
            + (" and the midwives the year's births need." if (frame["sector"] == FROM_BIRTHS).any() else ".")
        ),
    )


# --- the workforce chapter: the shift, new roles, midwives and the recorded baseline -------------------


def productivity_ratios(book: Catalog) -> tables.Table:
    """The assumed activity a year per WTE by point of delivery and staff group, the model's staffing rule."""
    from analysis.report.pathway import POD_LABELS

    ratios = workforce.productivity_table()
    frame = pd.DataFrame({
        "Point of delivery": ratios["pod"].map(POD_LABELS),
        "Sector": ratios["sector"].map(lambda s: model_charts.SECTOR_WORDS.get(s, s).capitalize()),
        "Staff group": ratios["staff_group"],
        "Activity a year per WTE": ratios["per_wte"],
    })
    return tables.table(
        frame,
        caption="Assumed productivity: activity a year that one whole-time equivalent handles (illustrative, to be replaced with local job plans)",
        source="the strategy book's five-year model (analysis/model/workforce.py, where each ratio's derivation is noted)",
        formats={"Activity a year per WTE": tables.number(0)},
        align_right=["Activity a year per WTE"],
    )

SHIFT_NOTE = (
    "The plan minus doing nothing, at assumed productivity ratios. Hospital staff time released is capacity, "
    "not posts removed: when dermatology moved to a new provider, the acute trust's staff did not fall (plan section 11)."
)


def staff_shift(book: Catalog) -> alt.Chart | Markdown:
    """The staff consequence of moving activity from hospital to community: plan minus do nothing at the horizon."""
    p = projection(book.params_file)
    shift = workforce.workforce_shift(workforce.workforce_projection(p))
    at = shift[shift["year"] == p.horizon_year]
    if not (at["change"].abs() >= 0.05).any():
        return Markdown("*The plan changes no staff group here: none of its interventions acts in this economy, so the plan needs the staff doing nothing needs.*")
    return model_charts.staff_shift_chart(shift, source=_source(book), synthetic=book.synthetic, year=p.horizon_year, subtitle=SHIFT_NOTE)


def roles_table(roles: pd.DataFrame, interventions, years) -> pd.DataFrame:
    """New posts by scheme and staff group: the posts at full effect, and the WTE in each year as the scheme grows.

    `roles` comes from `workforce.intervention_staff`. Columns: Scheme, Staff group, At full effect,
    then one column per year of `years` (its fiscal label).
    """
    rows = []
    by_id = {i.id: i for i in interventions}
    for (ident, group), part in roles.groupby(["intervention", "staff_group"], sort=False):
        item = by_id[ident]
        full = dict(item.staff).get(group, 0.0)
        per_year = part.set_index("year")["fte"]
        rows.append({
            "Scheme": item.name,
            "Staff group": group,
            "At full effect": full,
            **{fiscal_label(y): float(per_year.get(y, 0.0)) for y in years},
        })
    return pd.DataFrame(rows)


def new_roles(book: Catalog) -> tables.Table | Markdown:
    """The new posts the plan's schemes bring, by scheme and staff group, ramped in year by year."""
    p = projection(book.params_file)
    roles = workforce.intervention_staff(p.interventions, p.years)
    roles = roles[roles["fte"] > 0] if len(roles) else roles
    if roles.empty:
        return Markdown("*None of the plan's interventions in this economy lists new posts.*")
    shown = sorted(int(y) for y in roles.loc[roles["fte"] > 0, "year"].unique())  # from the first year with a post
    frame = roles_table(roles, p.interventions, shown)
    years = [fiscal_label(y) for y in shown]
    at = frame[fiscal_label(p.horizon_year)].sum()
    schemes = len({ident for ident in roles["intervention"]})
    return tables.table(
        frame,
        caption=(
            f"The plan's new roles: {at:,.0f} WTE by {fiscal_label(p.horizon_year)} from {schemes} scheme{'s' if schemes > 1 else ''}, "
            "growing with each scheme (WTE a year)"
        ),
        source=f"{book.params.plan} (the interventions' staff lists); {MODEL_NOTE}",
        synthetic=book.synthetic,
        formats={c: tables.number(0) for c in ["At full effect", *years]},
        align_right=["At full effect", *years],
    )


# The plan's caseload rule: "up to 135 telephone care managers" for Birmingham OwnHealth's 27,000
# members (plan section 11), i.e. workforce.DEFAULT_CASELOAD_PER_WTE members each.
CASELOAD_ROLE = "Telephone care managers"
CASELOAD_UNIT = "members"
CASELOAD_INDICATOR = "ownhealth_members"


def caseload_rows(figures: list[tuple[str, float]], per_wte: float = workforce.DEFAULT_CASELOAD_PER_WTE) -> pd.DataFrame:
    """Care managers a list of (label, members) needs at `per_wte` members each (Caseload, Members, Care managers needed)."""
    return pd.DataFrame(
        [(label, float(members), workforce.caseload_wte(float(members), per_wte)) for label, members in figures],
        columns=["Caseload", "Members", "Care managers needed"],
    )


def caseload_figures(book: Catalog) -> list[tuple[str, float]]:
    """The plan's membership figures (content plan_figures in members) and the latest recorded membership."""
    out = []
    for spec in book.content.get("pathways", {}).get("pathways", {}).values():
        for figure in spec.get("plan_figures", []) or []:
            if figure.get("unit") == CASELOAD_UNIT:
                out.append((str(figure["text"]).rstrip("."), float(figure["value"])))
    ind = book.table("indicators")
    ours = [c.code for c in book.params.economy.commissioners]
    rec = ind[(ind["indicator"] == CASELOAD_INDICATOR) & ind["area"].isin(ours)].dropna(subset=["value"])
    if len(rec):
        last = rec["period_start"].max()
        out.append((f"Members recorded in {pd.Timestamp(last):%B %Y}", float(rec.loc[rec["period_start"] == last, "value"].sum())))
    return out


def care_managers(book: Catalog) -> tables.Table | Markdown:
    """Telephone care managers from caseload: the plan's membership figures at the plan's members per care manager."""
    p = projection(book.params_file)
    if not any(group == CASELOAD_ROLE for item in p.interventions for group, _ in item.staff):
        return Markdown(f"*No scheme in this economy lists {CASELOAD_ROLE.lower()}, so no caseload is sized.*")
    figures = caseload_figures(book)
    if not figures:
        return Markdown("*The plan gives no membership figures to size the caseload from.*")
    frame = caseload_rows(figures)
    per = workforce.DEFAULT_CASELOAD_PER_WTE
    top = frame.loc[frame["Members"].idxmax()]
    return tables.table(
        frame,
        caption=(
            f"Telephone care managers from caseload at {per:,.0f} members each: {top['Members']:,.0f} members need "
            f"{top['Care managers needed']:,.0f} care managers"
        ),
        source="BENS plan 2008-2013, sections 6.0 and 11.0 and appendix two (members, and up to 135 care managers for 27,000 members)"
        + ("; " + source(book, "indicators") if any(label.startswith("Members recorded") for label, _ in figures) else ""),
        synthetic=book.synthetic and any(label.startswith("Members recorded") for label, _ in figures),
        formats={"Members": tables.number(0), "Care managers needed": tables.number(0)},
        align_right=["Members", "Care managers needed"],
    )


def birth_years(population: pd.DataFrame, areas, years) -> list[int]:
    """The fiscal years whose births the population can estimate: aged-0 rows for every area at mid-year y + 1."""
    infants = population[(population["age"] == 0) & population["area"].isin(list(areas))]
    have = infants.groupby("year")["area"].nunique()
    return [int(y) for y in years if have.get(y + 1, 0) == len(set(areas))]


def midwife_frame(book: Catalog) -> pd.DataFrame:
    """Births and the midwives they need per fiscal year of the projection the population covers (year, births, wte)."""
    p = projection(book.params_file)
    areas = sorted(p.series["area"].astype(str).unique())
    population = book.table("population")
    years = birth_years(population, areas, p.years)
    if not years:
        return pd.DataFrame(columns=["year", "births", "wte"])
    return workforce.midwife_projection(workforce.births_from_population(population, areas, years))[["year", "births", "wte"]]


def midwives(book: Catalog) -> tables.Table | Markdown:
    """Midwives needed from projected births, year by year."""
    frame = midwife_frame(book)
    p = projection(book.params_file)
    if frame.empty:
        return Markdown("*No births projected: the population table has no children under one for the years the model projects.*")
    first, last = frame.iloc[0], frame.iloc[-1]
    change = last["wte"] - first["wte"]
    move = "as many as" if abs(change) < 0.5 else f"{abs(change):,.0f} {'more' if change > 0 else 'fewer'} than"
    short = "" if int(last["year"]) >= p.horizon_year else f"; the population projection ends before {fiscal_label(p.horizon_year)}'s births"
    shown = pd.DataFrame({
        "Year": frame["year"].map(lambda y: fiscal_label(int(y))),
        "Births (estimated)": frame["births"],
        "Midwives needed (WTE)": frame["wte"],
    })
    return tables.table(
        shown,
        caption=(
            f"Births in {fiscal_label(int(last['year']))} need {last['wte']:,.0f} midwives at "
            f"{workforce.DEFAULT_BIRTHS_PER_MIDWIFE:,.0f} births each, {move} in {fiscal_label(int(first['year']))}{short}"
        ),
        source=f"{source(book, 'population')}; {MODEL_NOTE}",
        synthetic=book.synthetic,
        formats={"Births (estimated)": tables.number(0), "Midwives needed (WTE)": tables.number(0)},
        align_right=["Births (estimated)", "Midwives needed (WTE)"],
    )


def economy_organisations(book: Catalog) -> dict[str, str]:
    """The economy's own organisations, code -> name: commissioners, then providers."""
    e = book.params.economy
    return {o.code: o.name for o in (*e.commissioners, *e.providers)}


def latest_by_organisation(frame: pd.DataFrame, organisations) -> pd.DataFrame:
    """The rows of each organisation's latest period, for the organisations listed (others dropped)."""
    mine = frame[frame["organisation"].astype(str).isin(list(organisations))]
    if mine.empty:
        return mine
    latest = mine.groupby("organisation")["period"].transform("max")
    return mine[mine["period"] == latest].reset_index(drop=True)


def staff_family(group: str) -> str | None:
    """The model's staff family of a recorded or modelled staff group: Doctors, Nurses, Midwives, or None.

    Support staff ("Support to doctors, nurses & midwives") belong to none of them.
    """
    text = str(group).lower()
    if text.startswith("support"):
        return None
    if "midwi" in text:
        return "Midwives"
    if "doctor" in text or "consultant" in text:
        return "Doctors"
    if "nurs" in text:
        return "Nurses"
    return None


def compare_staff(model: pd.DataFrame, recorded: pd.DataFrame) -> pd.DataFrame:
    """The model's WTE (staff_group, wte) against recorded FTE (staff_group, fte), by staff family.

    Columns: family, model, recorded, share (model / recorded); only families both have, in the order
    Doctors, Nurses, Midwives.
    """
    m = model.assign(family=model["staff_group"].map(staff_family)).dropna(subset=["family"]).groupby("family")["wte"].sum()
    r = recorded.assign(family=recorded["staff_group"].map(staff_family)).dropna(subset=["family"]).groupby("family")["fte"].sum()
    rows = [(f, float(m[f]), float(r[f]), float(m[f] / r[f])) for f in ("Doctors", "Nurses", "Midwives") if f in m.index and f in r.index and r[f] > 0]
    return pd.DataFrame(rows, columns=["family", "model", "recorded", "share"])


def period_words(periods) -> str:
    """Recorded periods as month and year, each once, in order ('September 2007')."""
    return " and ".join(dict.fromkeys(f"{pd.Timestamp(x):%B %Y}" for x in sorted(periods)))


def workforce_baseline(book: Catalog) -> tables.Table | Markdown:
    """Staff in post at the economy's organisations in their latest return, by staff group (WTE)."""
    orgs = economy_organisations(book)
    rows = latest_by_organisation(book.table("workforce"), orgs)
    if rows.empty:
        return Markdown("*No recorded staff: this edition's workforce table has none of the economy's organisations.*")
    periods = rows.groupby("organisation")["period"].max()
    one = periods.nunique() == 1  # one return date: say it once, in the caption
    columns = {code: orgs[code] if one else f"{orgs[code]} ({pd.Timestamp(periods[code]):%b %Y})" for code in orgs if code in periods.index}
    wide = rows.pivot_table(index="staff_group", columns="organisation", values="fte", aggfunc="sum", fill_value=0.0)
    wide = wide[[c for c in columns]].rename(columns=columns)
    wide["All organisations"] = wide.sum(axis=1)
    wide = wide.sort_values("All organisations", ascending=False)
    wide.loc["All staff groups"] = wide.sum(axis=0)
    frame = wide.reset_index().rename(columns={"staff_group": "Staff group"})
    numbers = [c for c in frame.columns if c != "Staff group"]
    return tables.table(
        frame,
        caption=(
            f"Staff in post at the economy's organisations, "
            f"{f'{pd.Timestamp(periods.iloc[0]):%B %Y}' if one else 'latest return of each'}: "
            f"{wide.loc['All staff groups', 'All organisations']:,.0f} WTE in all"
        ),
        source=source(book, "workforce"),
        synthetic=book.synthetic,
        formats={c: tables.number(0) for c in numbers},
        align_right=numbers,
    )


def workforce_comparison(book: Catalog) -> Markdown:
    """The model's activity-driven WTE in the baseline year against the staff the organisations recorded."""
    orgs = economy_organisations(book)
    rows = latest_by_organisation(book.table("workforce"), orgs)
    p = projection(book.params_file)
    base = p.baseline_year
    model = workforce.workforce_projection(p)
    model = model[(model["year"] == base) & (model["scenario"] == "do_nothing")][["staff_group", "wte"]]
    births = midwife_frame(book)
    if len(births) and (births["year"] == base).any():
        model = pd.concat([model, pd.DataFrame({"staff_group": ["Midwives"], "wte": [float(births.loc[births["year"] == base, "wte"].iloc[0])]})])
    missing = [name for code, name in orgs.items() if code not in set(rows["organisation"].astype(str))]
    gone = f" {_names(missing)} {'has' if len(missing) == 1 else 'have'} no return in this edition's workforce table." if missing else ""
    if rows.empty:
        return Markdown(f"*No recorded staff to compare the model with.{gone}*")
    both = compare_staff(model, rows)
    if both.empty:
        return Markdown(f"*The recorded staff groups match none of the model's (doctors, nurses, midwives), so the two are not compared.{gone}*")
    community = bool((model.loc[model["staff_group"] == "Community nurses", "wte"] > 0).any())
    fam = {"Doctors": "doctors", "Nurses": "nurses (with community nurses)" if community else "nurses", "Midwives": "midwives"}
    from analysis.report.pathway import POD_LABELS

    have = set(p.series["pod"].astype(str))
    absent = [lower_first(POD_LABELS[pod]) for pod in workforce.DEFAULT_PRODUCTIVITY if pod not in have]
    lacks = f" This edition's activity has no {_names(absent)}, so the model leaves out the staff for them." if absent else ""
    model_words = _names([f"{r.model:,.0f} {fam[r.family]}" for r in both.itertuples()])
    recorded_words = _names([f"{r.recorded:,.0f} {r.family.lower()}" for r in both.itertuples()])
    shares = _names([f"{r.share:.0%} of recorded {r.family.lower()}" for r in both.itertuples()])
    years = sorted({pd.Timestamp(x).year for x in rows["period"]})
    # A return's period (a month) against the model's fiscal baseline year: how many years apart.
    apart = max(abs(fiscal_year(pd.Series([pd.Timestamp(x)])).iloc[0] - base) for x in rows["period"].unique())
    caution = (
        f" The returns are from {_names([str(y) for y in years])}, {apart} years from the model's baseline, "
        "so this is a rough guide to scale, not a like-for-like check."
        if apart > 2 else ""
    )
    return Markdown(
        f"In {fiscal_label(base)} the model needs {model_words} for the economy's own residents, at the assumed "
        f"productivity ratios{' and births per midwife' if 'Midwives' in set(both['family']) else ''}. "
        f"The economy's organisations recorded {recorded_words} in {period_words(rows['period'].unique())}, "
        f"so the model accounts for {shares}. The model counts direct patient activity only; the organisations' staff "
        "also treat patients from other areas, teach, manage and cover nights, so read a large gap as a prompt to set "
        f"local ratios, not as a shortage or surplus of staff.{lacks}{caution}{gone}"
    )


def lower_first(text: str) -> str:
    """A label in mid-sentence: 'Community contacts' -> 'community contacts'; 'A&E attendances' and 'GP referrals' keep their capitals."""
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def _names(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# --- the estates chapter: the recorded beds baseline -------------------------------------------------

SECTOR_NAMES = {
    "general_acute": "General and acute",
    estates.GENERAL_ACUTE: "General and acute",
    estates.MATERNITY: "Maternity",
    estates.MENTAL_ILLNESS: "Mental illness",
    "learning_disabilities": "Learning disabilities",
    estates.COMMUNITY: "Community",
}
RECORDED_SECTOR = {"general_acute": estates.GENERAL_ACUTE}  # KH03's name -> the model's, where they differ


def quarter_words(start) -> str:
    """A KH03 quarter from its first day: 2010-04-01 -> 'Apr-Jun 2010'."""
    s = pd.Timestamp(start)
    end = s + pd.DateOffset(months=2)
    return f"{s:%b}–{end:%b %Y}" if s.year == end.year else f"{s:%b %Y}–{end:%b %Y}"


def beds_latest(beds_table: pd.DataFrame, organisations) -> pd.DataFrame:
    """Each organisation's latest quarter, sectors with beds available, with occupancy (occupied / available)."""
    rows = latest_by_organisation(beds_table, organisations)
    rows = rows[rows["available"] > 0].copy()
    rows["occupancy"] = rows["occupied"] / rows["available"]
    return rows.reset_index(drop=True)


def compare_beds(model: pd.DataFrame, recorded: pd.DataFrame) -> pd.DataFrame:
    """The model's beds (sector, beds) against recorded beds (sector, available, occupied), by the model's sectors.

    Recorded sectors are renamed to the model's (KH03 general_acute -> general_and_acute). Columns:
    sector, model, available, occupied, occupancy; sectors both have, in the model's order.
    """
    r = recorded.assign(sector=recorded["sector"].map(lambda s: RECORDED_SECTOR.get(s, s))).groupby("sector")[["available", "occupied"]].sum()
    m = model.groupby("sector")["beds"].sum()
    rows = [
        (s, float(m[s]), float(r.loc[s, "available"]), float(r.loc[s, "occupied"]), float(r.loc[s, "occupied"] / r.loc[s, "available"]))
        for s in estates.SECTORS
        if s in m.index and s in r.index and r.loc[s, "available"] > 0
    ]
    return pd.DataFrame(rows, columns=["sector", "model", "available", "occupied", "occupancy"])


def beds_baseline(book: Catalog) -> tables.Table | Markdown:
    """Beds available and occupied at the economy's organisations in their latest quarter, with occupancy."""
    orgs = economy_organisations(book)
    rows = beds_latest(book.table("beds"), orgs)
    if rows.empty:
        return Markdown("*No recorded beds: this edition's beds table has none of the economy's organisations.*")
    order = {code: n for n, code in enumerate(orgs)}
    rows = rows.sort_values(by=["organisation", "sector"], key=lambda c: c.map(order) if c.name == "organisation" else c)
    frame = pd.DataFrame({
        "Organisation": rows["organisation"].map(orgs),
        "Sector": rows["sector"].map(lambda s: SECTOR_NAMES.get(s, s.replace("_", " ").capitalize())),
        "Quarter": rows["period"].map(quarter_words),
        "Available": rows["available"],
        "Occupied": rows["occupied"],
        "Occupancy": rows["occupancy"],
    })
    available, occupied = rows["available"].sum(), rows["occupied"].sum()
    total = pd.DataFrame([{"Organisation": "All organisations", "Sector": "All sectors", "Quarter": "",
                           "Available": available, "Occupied": occupied, "Occupancy": occupied / available}])
    frame = pd.concat([frame, total], ignore_index=True)
    return tables.table(
        frame,
        caption=f"Beds at the economy's organisations, latest quarter of each: {available:,.0f} available, {occupied / available:.0%} of them occupied",
        source=source(book, "beds"),
        synthetic=book.synthetic,
        formats={"Available": tables.number(0), "Occupied": tables.number(0), "Occupancy": tables.percent(0)},
        align_right=["Available", "Occupied", "Occupancy"],
    )


def beds_comparison(book: Catalog) -> tables.Table | Markdown:
    """The model's beds in the baseline year against the beds the organisations recorded, sector by sector."""
    orgs = economy_organisations(book)
    rows = beds_latest(book.table("beds"), orgs)
    p = projection(book.params_file)
    base = p.baseline_year
    model = estates.beds_projection(p)
    model = model[(model["year"] == base) & (model["scenario"] == "do_nothing")]
    both = compare_beds(model, rows) if len(rows) else pd.DataFrame()
    if both.empty:
        return Markdown("*No recorded beds in the sectors the model sizes, so the two are not compared.*")
    target = both["sector"].map(estates.DEFAULT_OCCUPANCY)
    frame = pd.DataFrame({
        "Sector": both["sector"].map(SECTOR_NAMES),
        f"Model's beds, {fiscal_label(base)}": both["model"],
        "Model's target occupancy": target,
        "Beds recorded": both["available"],
        "Recorded occupancy": both["occupancy"],
    })
    above = [SECTOR_NAMES[s].lower() for s, occ, t in zip(both["sector"], both["occupancy"], target) if occ > t]
    quarters = _names([quarter_words(x) for x in sorted(rows["period"].unique())])
    return tables.table(
        frame,
        caption=(
            f"Beds the model needs for the economy's residents in {fiscal_label(base)} against the beds recorded in {quarters}"
            + (f": recorded occupancy is above the model's target in {_names(above)}" if above else "")
        ),
        source=f"{source(book, 'beds')}; {MODEL_NOTE}",
        synthetic=book.synthetic,
        formats={f"Model's beds, {fiscal_label(base)}": tables.number(0), "Beds recorded": tables.number(0),
                 "Model's target occupancy": tables.percent(0), "Recorded occupancy": tables.percent(0)},
        align_right=[f"Model's beds, {fiscal_label(base)}", "Model's target occupancy", "Beds recorded", "Recorded occupancy"],
    )
