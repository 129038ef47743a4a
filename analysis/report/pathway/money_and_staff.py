"""A pathway chapter's five-year outlook of its own.

The money its activity costs and its schemes save, and the staff its activity needs (the trajectory and outturn charts
are in outlook.activity).
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
from IPython.display import Markdown

from analysis.catalog import Catalog
from analysis.charts import model as model_charts
from analysis.model import finance, workforce
from analysis.model import projection as pj
from analysis.model.fiscal import fy_label
from analysis.report.outlook.workforce import midwife_frame
from analysis.report.projected import (
    assumptions,
    has_costs,
    has_pathway_activity,
    model_source,
    no_projection,
    projection,
)


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
        saving = (
            saved[saved["pathway"] == pathway].groupby("year")["saving"].sum().reindex(years, fill_value=0.0).to_numpy()
        )
    out = pd.DataFrame({
        "year": years,
        "year_label": [fy_label(y) for y in years],
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
        return Markdown(
            "*No costs in this edition: its published files have no unit costs, so this pathway's money is not "
            "computed.*"
        )
    if not has_pathway_activity(book, pathway):
        return no_projection(pathway)
    frame = pathway_money_frame(projection(book), book.table("unit_costs"), assumptions(book), pathway)
    return model_charts.pathway_money_chart(frame, source=model_source(book), synthetic=book.synthetic)


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
    return out[["year", "scenario", "sector", "staff_group", "wte"]].sort_values(
        ["scenario", "sector", "staff_group", "year"], ignore_index=True
    )


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
    extra = pd.DataFrame(
        {
            "year": [year, year],
            "scenario": ["do_nothing", "plan"],
            "sector": FROM_BIRTHS,
            "staff_group": "Midwives",
            "wte": [wte, wte],
        }
    )
    return pd.concat([frame, extra], ignore_index=True)


def pathway_staff(book: Catalog, pathway: str) -> alt.Chart | Markdown:
    """WTE a pathway's activity needs at the horizon, do nothing against the plan, with its schemes' new roles."""
    if not has_pathway_activity(book, pathway):
        return no_projection(pathway)
    p = projection(book)
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
        source=model_source(book),
        synthetic=book.synthetic,
        year=horizon,
        title=model_charts.staff_change_words(
            workforce.workforce_shift(frame), horizon, subject="the plan for this pathway"
        ),
        subtitle=(
            f"Whole-time equivalents this pathway's activity needs in {fy_label(horizon)} at assumed productivity "
            "ratios, plus the new roles its own schemes bring"
            + (" and the midwives the year's births need." if (frame["sector"] == FROM_BIRTHS).any() else ".")
        ),
    )
