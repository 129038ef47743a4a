"""The five-year outlook's estates page (book/outlook/estates).

Hospital beds avoided against community beds commissioned, the recorded KH03 beds against the model, and the plan's
estate changes.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
from IPython.display import Markdown

from analysis.catalog import Catalog
from analysis.charts import model as model_charts
from analysis.charts import table as tables
from analysis.model import estates
from analysis.model.fiscal import fy_label
from analysis.report.common import economy_organisations, latest_by_organisation, source
from analysis.report.pathway.plans import NO_PLAN, needs_plan, plan_source
from analysis.report.projected import MODEL_NOTE, model_source, needs_projection, projection
from analysis.report.wording import name_list, quarter_words


def community_commissions(book: Catalog) -> list[dict]:
    """The community beds the plan commissions in this economy, [{organisation, year, beds}] (empty when it lists none).

    A plan written for other organisations (another economy's parameter file pointing at it) commissions
    none here.
    """
    ours = {c.code for c in book.params.economy.commissioners} | {p.code for p in book.params.economy.providers}
    items = [c for c in book.plan.get("community_beds", []) or [] if str(c.get("organisation")) in ours | {"all"}]
    return [{k: c[k] for k in ("organisation", "year", "beds")} for c in items]


@needs_plan
@needs_projection
def beds(book: Catalog) -> alt.Chart | Markdown:
    """Hospital beds the plan avoids against the community beds it commissions (a line when neither changes)."""
    p = projection(book)
    commissions = community_commissions(book)
    community = estates.community_beds(commissions, p.years) if commissions else None
    balance = estates.bed_balance(estates.beds_projection(p), community)
    if (balance["hospital_reduction"].abs() < 0.5).all() and (balance["community_commissioned"] < 0.5).all():
        return Markdown(
            "*The plan changes no hospital beds in this economy and commissions no community beds in it, "
            "so there is no change to chart. The recorded beds and the model's baseline follow.*"
        )
    return model_charts.beds_chart(balance, source=model_source(book), synthetic=book.synthetic)


SECTOR_NAMES = {
    "general_acute": "General and acute",
    estates.GENERAL_ACUTE: "General and acute",
    estates.MATERNITY: "Maternity",
    estates.MENTAL_ILLNESS: "Mental illness",
    "learning_disabilities": "Learning disabilities",
    estates.COMMUNITY: "Community",
}
RECORDED_SECTOR = {"general_acute": estates.GENERAL_ACUTE}  # KH03's name -> the model's, where they differ


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
    r = (
        recorded.assign(sector=recorded["sector"].map(lambda s: RECORDED_SECTOR.get(s, s)))
        .groupby("sector")[["available", "occupied"]]
        .sum()
    )
    m = model.groupby("sector")["beds"].sum()
    rows = [
        (
            s,
            float(m[s]),
            float(r.loc[s, "available"]),
            float(r.loc[s, "occupied"]),
            float(r.loc[s, "occupied"] / r.loc[s, "available"]),
        )
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
    rows = rows.sort_values(
        by=["organisation", "sector"], key=lambda c: c.map(order) if c.name == "organisation" else c
    )
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
        caption=f"Beds at the economy's organisations, latest quarter of each: {available:,.0f} available, "
        f"{occupied / available:.0%} of them occupied",
        source=source(book, "beds"),
        synthetic=book.synthetic,
        formats={"Available": tables.number(0), "Occupied": tables.number(0), "Occupancy": tables.percent(0)},
        align_right=["Available", "Occupied", "Occupancy"],
    )


@needs_projection
def beds_comparison(book: Catalog) -> tables.Table | Markdown:
    """The model's beds in the baseline year against the beds the organisations recorded, sector by sector."""
    orgs = economy_organisations(book)
    rows = beds_latest(book.table("beds"), orgs)
    p = projection(book)
    base = p.baseline_year
    model = estates.beds_projection(p)
    model = model[(model["year"] == base) & (model["scenario"] == "do_nothing")]
    both = compare_beds(model, rows) if len(rows) else pd.DataFrame()
    if both.empty:
        return Markdown("*No recorded beds in the sectors the model sizes, so the two are not compared.*")
    target = both["sector"].map(estates.DEFAULT_OCCUPANCY)
    frame = pd.DataFrame({
        "Sector": both["sector"].map(SECTOR_NAMES),
        f"Model's beds, {fy_label(base)}": both["model"],
        "Model's target occupancy": target,
        "Beds recorded": both["available"],
        "Recorded occupancy": both["occupancy"],
    })
    above = [
        SECTOR_NAMES[s].lower() for s, occ, t in zip(both["sector"], both["occupancy"], target, strict=True) if occ > t
    ]
    quarters = name_list([quarter_words(x) for x in sorted(rows["period"].unique())])
    return tables.table(
        frame,
        caption=(
            f"Beds the model needs for the economy's residents in {fy_label(base)} against the beds recorded in "
            f"{quarters}" + (f": recorded occupancy is above the model's target in {name_list(above)}" if above else "")
        ),
        source=f"{source(book, 'beds')}; {MODEL_NOTE}",
        synthetic=book.synthetic,
        formats={
            f"Model's beds, {fy_label(base)}": tables.number(0),
            "Beds recorded": tables.number(0),
            "Model's target occupancy": tables.percent(0),
            "Recorded occupancy": tables.percent(0),
        },
        align_right=[
            f"Model's beds, {fy_label(base)}",
            "Model's target occupancy",
            "Beds recorded",
            "Recorded occupancy",
        ],
    )


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
    items = book.content.get("economy", {}).get("estates", []) or book.content.get("economy", {}).get(
        "estates_changes", []
    )
    if not items:
        return Markdown(NO_PLAN if not book.has_plan else "*The edition's content lists no estate changes.*")
    frame = pd.DataFrame(items)
    cols = [c for c in ("site", "change", "organisation") if c in frame.columns]
    if "organisation" in frame.columns:
        if not plan_names_economy(book, frame["organisation"]):
            return Markdown(
                "*The plan's estate changes belong to other organisations: it names none of this economy's.*"
            )
        frame["organisation"] = frame["organisation"].map(lambda text: organisation_names(book, text))
    return tables.table(frame[cols].rename(columns=str.capitalize), caption="Estate changes named in the plan",
                        source=f"{plan_source(book)}, section 11.0")
