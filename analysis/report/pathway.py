"""A clinical pathway chapter: the plan's content, KPIs as SPC charts, benchmarking, activity, plans."""

from __future__ import annotations

import html

import altair as alt
import pandas as pd
from IPython.display import Markdown

from analysis.catalog import Catalog
from analysis.charts import table as tables
from analysis.charts.theme import finish
from analysis.contract import PODS
from analysis.report.common import fiscal_label, fiscal_year, source
from analysis.report.kpis import economy_codes, kpi_series

POD_LABELS = {
    "elective_ordinary": "Elective ordinary admissions",
    "day_case": "Day cases",
    "non_elective": "Emergency admissions",
    "outpatient_first": "First outpatient attendances",
    "outpatient_followup": "Follow-up outpatient attendances",
    "ae": "A&E attendances",
    "gp_referral": "GP referrals",
    "community": "Community contacts",
}
STATUS_RAG = {"planned": "grey", "on_track": "green", "at_risk": "amber", "off_track": "red", "complete": "blue"}
STATUS_TEXT = {"planned": "Planned", "on_track": "On track", "at_risk": "At risk", "off_track": "Off track", "complete": "Complete"}
PLAN_SOURCE = "Working Together for Health: BENS overarching vision and plans 2008-2013"


def content(book: Catalog, pathway: str) -> dict:
    """The pathway's content (key messages, plans, deliverables) from the content file."""
    return book.content.get("pathways", {}).get("pathways", {}).get(pathway, {})


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {i}" for i in items)


def key_messages(book: Catalog, pathway: str) -> Markdown:
    """The chapter's summary and the key messages of the plan, in our words."""
    c = content(book, pathway)
    text = [c.get("summary", "")]
    if c.get("key_messages"):
        text += ["", "**Key messages**", "", _bullets(c["key_messages"])]
    return Markdown("\n".join(text))


def aspiration_and_plans(book: Catalog, pathway: str) -> Markdown:
    """What the economy aspires to, its plans and who governs them."""
    c = content(book, pathway)
    parts = []
    if c.get("aspiration"):
        parts += ["**Aspiration.** " + c["aspiration"], ""]
    if c.get("plans"):
        parts += ["**Plans**", "", _bullets(c["plans"]), ""]
    if c.get("governance"):
        parts += ["**Governance.** " + c["governance"]]
    sub = c.get("dementia")
    if sub:
        parts += ["", "**Dementia**", "", sub.get("aspiration", ""), "", _bullets(sub.get("plans", [])) if sub.get("plans") else ""]
    section = c.get("plan_section")
    if section:
        parts += ["", f"*Source: {PLAN_SOURCE}, section {section}; summarised in our own words.*"]
    return Markdown("\n".join(parts))


def activity_by_pod(book: Catalog, pathway: str) -> alt.Chart | Markdown:
    """Yearly activity of the pathway by point of delivery, with the change since the first full year."""
    act = book.table("activity")
    act = act[act["commissioner"].isin(economy_codes(book)) & (act["pathway"] == pathway)]
    if act.empty:
        return Markdown("*This edition has no activity data for this pathway.*")
    act = act.assign(year=fiscal_year(act["month"]))
    months = act.groupby("year")["month"].nunique()
    full = months[months == 12].index
    yearly = act[act["year"].isin(full)].groupby(["year", "pod"], as_index=False)["count"].sum()
    yearly = yearly[yearly.groupby("pod")["count"].transform("sum") > 0]
    yearly["Year"] = yearly["year"].map(fiscal_label)
    yearly["Point of delivery"] = yearly["pod"].map(POD_LABELS)
    first, last = int(full.min()), int(full.max())
    change = yearly.pivot(index="pod", columns="year", values="count")
    change = (change[last] / change[first] - 1).dropna()
    biggest = change.abs().idxmax()
    selection = alt.selection_point(fields=["Point of delivery"], bind="legend", name="pod_pick")
    order = [POD_LABELS[p] for p in PODS if p in set(yearly["pod"])]
    chart = (
        alt.Chart(yearly)
        .mark_line(point=True)
        .encode(
            x=alt.X("Year:O", title="Financial year"),
            y=alt.Y("count:Q", title="Activity a year (count)", axis=alt.Axis(format=",.0f")),
            color=alt.Color("Point of delivery:N", sort=order, legend=alt.Legend(title="Point of delivery (click to highlight)", columns=2)),
            opacity=alt.condition(selection, alt.value(1.0), alt.value(0.15)),
            tooltip=[alt.Tooltip("Point of delivery:N"), alt.Tooltip("Year:O"), alt.Tooltip("count:Q", title="Activity", format=",.0f")],
        )
        .add_params(selection)
    )
    word = "rose" if change[biggest] > 0 else "fell"
    label = POD_LABELS[biggest]
    return finish(
        chart,
        title=f"{label} {word} {abs(change[biggest]):.0%} between {fiscal_label(first)} and {fiscal_label(last)}, the largest change",
        subtitle="Activity of this pathway by point of delivery, whole economy",
        source=source(book, "activity"),
        synthetic=book.synthetic,
        description=f"Line chart of yearly activity by point of delivery from {fiscal_label(first)} to {fiscal_label(last)}; {label.lower()} {word} by {abs(change[biggest]):.0%}.",
    )


def practice_rates(book: Catalog, pathway: str, pod: str, year: int | None = None) -> pd.DataFrame:
    """Each practice's activity of one pod in a year against its registered list."""
    act = book.table("activity")
    act = act[act["commissioner"].isin(economy_codes(book)) & (act["pathway"] == pathway) & (act["pod"] == pod) & act["practice"].notna()]
    if act.empty:
        return pd.DataFrame(columns=["practice", "count", "list_size"])
    act = act.assign(year=fiscal_year(act["month"]))
    months = act.groupby("year")["month"].nunique()
    year = year or int(months[months == 12].index.max())
    counts = act[act["year"] == year].groupby("practice", as_index=False)["count"].sum()
    practices = book.table("practices")
    lists = practices[practices["year"] == practices.loc[practices["year"] <= year, "year"].max()][["practice", "list_size"]]
    out = counts.merge(lists, on="practice", how="inner")
    out.attrs["year"] = year
    return out[out["list_size"] > 0].reset_index(drop=True)


def deliverables(book: Catalog, pathway: str) -> tables.Table:
    """The deliverables register: owner, due date and status with a RAG colour."""
    items = content(book, pathway).get("deliverables", [])
    frame = pd.DataFrame(items, columns=["id", "text", "owner", "due", "status"]) if items else pd.DataFrame(columns=["id", "text", "owner", "due", "status"])
    frame["Status"] = frame["status"].map(
        lambda s: f'<span class="sb-rag sb-rag-{STATUS_RAG.get(s, "grey")}" aria-label="{STATUS_TEXT.get(s, s)}">{html.escape(STATUS_TEXT.get(s, str(s)))}</span>'
    )
    shown = frame.rename(columns={"text": "Deliverable", "owner": "Owner", "due": "Due"})[["Deliverable", "Owner", "Due", "Status"]]
    return tables.table(
        shown,
        caption="Deliverables register",
        source=f"{PLAN_SOURCE}; status as recorded in data/content/pathways.yml",
        html_columns=["Status"],
    )


def investments(book: Catalog, pathway: str) -> tables.Table | Markdown:
    """The plan's investments in this pathway (the commissioning intentions of appendix 2)."""
    items = [i for i in book.plan.get("investments", []) if i.get("pathway") == pathway]
    if not items:
        return Markdown("*The plan's investment tables name no investment for this pathway.*")
    names = {c.code: c.name for c in book.params.economy.commissioners}
    frame = pd.DataFrame(items)
    frame["Organisation"] = frame["organisation"].map(lambda o: names.get(o, o))
    shown = frame.rename(columns={"intention": "Intention", "description": "What it buys", "investment": "Investment"})
    shown = shown[["Organisation", "Intention", "What it buys", "Investment"]]
    return tables.table(
        shown,
        caption=f"Planned investment in this pathway: £{frame['investment'].sum() / 1e6:,.2f} million",
        source=f"{PLAN_SOURCE}, appendix 2 (approximate figures, as the plan gives them)",
        formats={"Investment": tables.pounds()},
        align_right=["Investment"],
    )


def kpi_list(book: Catalog, pathway: str) -> list:
    """The KPI definitions of a pathway from the parameter file."""
    spec = book.params.pathways.get(pathway)
    return list(spec.kpis) if spec else []


def kpi_frame(book: Catalog, pathway: str) -> dict[str, pd.DataFrame]:
    """Each KPI's series (empty where the edition has no data)."""
    return {k.id: kpi_series(book, pathway, k) for k in kpi_list(book, pathway)}
