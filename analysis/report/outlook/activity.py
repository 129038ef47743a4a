"""The five-year outlook's activity page (book/outlook/activity).

The trajectory, what drives the change, and the plan against what happened (also drawn for each pathway).
"""

from __future__ import annotations

import altair as alt
import pandas as pd
from IPython.display import Markdown

from analysis.catalog import Catalog
from analysis.charts import model as model_charts
from analysis.charts.scaffold import centile_band
from analysis.charts.theme import MEANING, NHS, WIDTH, finish
from analysis.model import projection as pj
from analysis.model.fiscal import fiscal_year, fy_label
from analysis.report.pathway.plans import needs_plan
from analysis.report.projected import (
    has_economy_activity,
    has_pathway_activity,
    model_source,
    needs_projection,
    no_projection,
    projection,
)


def activity_headlines(book: Catalog) -> dict:
    """The activity chapter's headline figures (glued for the executive summary)."""
    if not has_economy_activity(book):
        return {
            "activity_summary": "This edition has no activity by commissioner for its period, so activity is not "
            "projected."
        }
    p = projection(book)
    grid = pj.trajectory_grid(p)
    horizon = int(grid["year"].max())
    at = grid[grid["year"] == horizon]
    dn = float(at.loc[at["scenario"] == "do_nothing", "count"].iloc[0])
    plan = at[(at["scenario"] == "plan") & ((at["effect_scale"] - 1).abs() < 1e-9)]
    plan_count = float(plan["count"].iloc[0])
    # Growth without change is the waterfall's own figure (the same base, the same rounding): the
    # demography and trend steps over the baseline level, which sum to doing nothing minus the baseline.
    steps = pj.waterfall_steps(pj.waterfall(p))
    base = float(steps.loc[steps["kind"] == "baseline", "value"].iloc[0])
    rise = float(steps.loc[steps["kind"].isin(["demography", "trend"]), "value"].sum())
    # A small patient-level extract can be all suppressed after disclosure: no activity to compare.
    change = plan_count / dn - 1 if dn > 0 else 0.0
    growth = f"{rise / base:.1%}" if base > 0 else "not known"
    with_plan = (
        f"; with the plan it ends {abs(change):.1%} {'below' if change < 0 else 'above'} doing nothing"
        if book.has_plan
        else " (no plan is loaded, so doing nothing is the only projection)"
    )
    return {
        "activity_summary": f"Without change, hospital and community activity grows by {growth} by "
        f"{fy_label(horizon)}{with_plan}.",
        "activity_growth_do_nothing_text": growth,
    }


@needs_projection
def activity_trajectory(book: Catalog, pathway: str | None = None) -> alt.LayerChart:
    """Activity to the horizon: history, do nothing and the plan with its band, with an effect slider."""
    if pathway and not has_pathway_activity(book, pathway):
        return no_projection(pathway)
    p = projection(book)
    grid = pj.trajectory_grid(p, pathway=pathway) if pathway else pj.trajectory_grid(p)
    return model_charts.trajectory_chart(
        grid,
        source=model_source(book),
        synthetic=book.synthetic,
        measure="Activity a year (count)",  # a longer axis title runs off the chart's height
        with_plan=book.has_plan,
    )


@needs_projection
def activity_waterfall(book: Catalog, pathway: str | None = None) -> alt.LayerChart:
    """From baseline to horizon by change factor: demography, trend and each intervention."""
    if pathway and not has_pathway_activity(book, pathway):
        return no_projection(pathway)
    p = projection(book)
    steps = pj.waterfall_steps(pj.waterfall(p), pathway=pathway) if pathway else pj.waterfall_steps(pj.waterfall(p))
    return model_charts.waterfall_chart(steps, source=model_source(book), synthetic=book.synthetic,
                                        measure="Activity a year (count)")


def outturn_frame(book: Catalog, pathway: str | None = None) -> pd.DataFrame:
    """Projected (do nothing, the plan with its 10th-90th centile band) and actual activity by fiscal year.

    The projection starts from the baseline year; "actual" is the activity table's total for the same
    commissioners, pathways and points of delivery in each complete fiscal year from the baseline on.
    Columns: year, year_label, series, count, p10, p90 (the band on the plan's rows only).
    """
    p = projection(book)
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
        pd.DataFrame(
            {"year": list(p.years), "series": "Do nothing (projected)", "count": pj.do_nothing(p)[:, mask].sum(axis=1)}
        ),
        pd.DataFrame(
            {
                "year": list(p.years),
                "series": "The plan (projected)",
                "count": pj.plan(p)[:, mask].sum(axis=1),
                "p10": band.loc[list(p.years), "p10"].to_numpy(),
                "p90": band.loc[list(p.years), "p90"].to_numpy(),
            }
        ),
        pd.DataFrame(
            {"year": actual.index.astype(int), "series": "What happened", "count": actual.to_numpy(dtype=float)}
        ),
    ]
    out = pd.concat(rows, ignore_index=True)
    out["year"] = out["year"].astype("int64")
    out["year_label"] = out["year"].map(fy_label)
    return out[["year", "year_label", "series", "count", "p10", "p90"]]


OUTTURN_COLOURS = {
    "Do nothing (projected)": MEANING["do_nothing"],
    "The plan (projected)": MEANING["plan"],
    "What happened": NHS["black"],
}


@needs_plan
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
            f"{fy_label(base)}, before the years the plan projects.*"
        )
    last = int(actual["year"].max())
    at = frame[frame["year"] == last].set_index("series")["count"]
    vs_plan = at["What happened"] / at["The plan (projected)"] - 1
    vs_dn = at["What happened"] / at["Do nothing (projected)"] - 1

    def words(change: float, what: str) -> str:
        return (
            f"{abs(change):.0%} {'above' if change > 0 else 'below'} {what}"
            if abs(change) >= 0.005
            else f"in line with {what}"
        )

    band = frame[frame["series"] == "The plan (projected)"]
    inside = actual.merge(band[["year", "p10", "p90"]], on="year", suffixes=("_a", ""))
    outside = int(((inside["count"] < inside["p10"]) | (inside["count"] > inside["p90"])).sum())
    x = alt.X("year_label:O", title="Fiscal year", sort="ascending", axis=alt.Axis(labelAngle=0))
    measure = "Activity a year (count)"
    colour = alt.Color(
        "series:N", title=None, scale=alt.Scale(domain=list(OUTTURN_COLOURS), range=list(OUTTURN_COLOURS.values()))
    )
    tooltip = [
        alt.Tooltip("series:N", title="Series"),
        alt.Tooltip("year_label:O", title="Year"),
        alt.Tooltip("count:Q", title=measure, format=",.0f"),
    ]
    chart = alt.layer(
        centile_band(
            alt.Chart(band), x, measure, colour=OUTTURN_COLOURS["The plan (projected)"], opacity=0.18,
            lower="Plan, 10th centile", upper="Plan, 90th centile",
        ),
        alt.Chart(frame[frame["series"] != "What happened"])
        .mark_line(point=True, strokeDash=[6, 4])
        .encode(
            x=x,
            y=alt.Y("count:Q", title=measure, axis=alt.Axis(format=",.0f")),
            color=colour,
            tooltip=tooltip,
        ),
        alt.Chart(frame[frame["series"] == "What happened"])
        .mark_line(point=alt.OverlayMarkDef(size=70, filled=True), strokeWidth=3)
        .encode(
            x=x,
            y="count:Q",
            color=colour,
            tooltip=tooltip,
        ),
    )
    what = "this pathway's" if pathway else "the economy's"
    return finish(
        chart.properties(width=WIDTH, height=320),
        title=f"In {fy_label(last)}, activity was {words(vs_plan, 'what the plan projected')} and "
        f"{words(vs_dn, 'doing nothing')}",
        subtitle=(
            f"{what.capitalize()} activity projected from {fy_label(base)} (dashed; the band holds eight in ten model "
            "runs) "
            f"against the activity recorded (solid); {outside} of {len(inside)} recorded years fall outside the "
            "plan's band"
        ),
        source=model_source(book),
        synthetic=book.synthetic,
        description=(
            f"Line chart of {what} activity a year: the do-nothing and plan projections from {fy_label(base)} to "
            f"{fy_label(book.params.period.horizon_year)} and the recorded activity to {fy_label(last)}, "
            f"which ended {words(vs_plan, 'the plan')}."
        ),
    )
