"""The value chapter's definition of value, and spend against outcome by programme of care."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
from IPython.display import Markdown

from analysis.catalog import Catalog
from analysis.charts import table as tables
from analysis.charts import value as value_charts
from analysis.model.fiscal import fy_label
from analysis.report.common import commissioner_names, sources
from analysis.report.kpis import economy_codes
from analysis.report.value.content import pathway_titles, value_content
from analysis.report.wording import literal
from analysis.stats import benchmark


def population_by_area(book: Catalog, year: int) -> pd.Series:
    """Residents of each area in a year (estimates), summed over age and sex."""
    pop = book.table("population")
    pop = pop[(pop["variant"] == "estimate") & (pop["year"] == year)]
    return pop.groupby("area")["population"].sum()


def spend_per_head(book: Catalog, year: int | None = None) -> pd.DataFrame:
    """Spend and spend per resident by commissioner and programme in a year (the latest with both).

    Columns: organisation, programme, year, spend, population, per_head, economy_per_head (the
    population-weighted average of the economy's commissioners) and index (per_head relative to it).
    """
    fin = book.table("finance")
    fin = fin[fin["organisation"].isin(economy_codes(book))]
    pop = book.table("population")
    years = sorted(set(fin["year"]) & set(pop.loc[pop["variant"] == "estimate", "year"]))
    if not years:
        return pd.DataFrame(
            columns=[
                "organisation",
                "programme",
                "year",
                "spend",
                "population",
                "per_head",
                "economy_per_head",
                "index",
            ]
        )
    year = years[-1] if year is None else year
    frame = fin[fin["year"] == year].groupby(["organisation", "programme"], as_index=False)["spend"].sum()
    frame["year"] = year
    frame["population"] = frame["organisation"].map(population_by_area(book, year))
    frame = frame[frame["population"] > 0].copy()
    frame["per_head"] = frame["spend"] / frame["population"]
    totals = frame.groupby("programme")[["spend", "population"]].sum()
    frame["economy_per_head"] = frame["programme"].map(totals["spend"] / totals["population"])
    frame["index"] = frame["per_head"] / frame["economy_per_head"] - 1
    return frame.reset_index(drop=True)


def definition(book: Catalog) -> Markdown:
    """What value means (the West Midlands definition), and what the economy spends, in numbers."""
    items = {p.get("id"): p for p in value_content(book).get("propositions", [])}
    meaning = items.get("definition", {})
    spend = spend_per_head(book)
    lines = []
    if meaning:
        lines.append(f"> {literal(meaning['text'])}\n>\n> — {literal(meaning['source'])}")
    if len(spend):
        year = int(spend["year"].iloc[0])
        total = spend["spend"].sum()
        heads = spend.drop_duplicates("organisation")["population"].sum()
        biggest = spend.groupby("programme")["spend"].sum().sort_values(ascending=False)
        titles = pathway_titles(book)
        lines.append(
            f"In {fy_label(year)} the economy's commissioners spent £{total / 1e6:,.0f} million on the "
            f"{spend['programme'].nunique()} programmes of care, about £{total / heads:,.0f} for each resident. "
            f"The largest programme was {literal(titles.get(biggest.index[0], biggest.index[0]).lower())} "
            f"(£{biggest.iloc[0] / 1e6:,.0f} million, {biggest.iloc[0] / total:.0%} of the total). "
            "This chapter sets that money beside what it buys: outcomes, the variation between practices, "
            "and the growth in demand and cost the economy must meet."
        )
    return Markdown("\n\n".join(lines))


def _latest(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["period_start"] == rows["period_start"].max()]


def outcome_indicator(book: Catalog, pathway: str) -> str | None:
    """The pathway's headline outcome.

    Its first benchmark or KPI indicator that carries a judgement (high or low is good) and has both the economy's
    commissioners and England in its latest period.
    """
    spec = book.params.pathways.get(pathway)
    if spec is None:
        return None
    candidates = list(spec.benchmark) + [k.indicator for k in spec.kpis if k.source == "indicators" and k.indicator]
    ind = book.table("indicators")
    for indicator in candidates:
        rows = ind[ind["indicator"] == indicator]
        if rows.empty or rows["polarity"].iloc[0] == "no_judgement":
            continue
        latest = _latest(rows)
        if book.params.economy.england in set(latest["area"]) and set(economy_codes(book)) <= set(latest["area"]):
            return indicator
    return None


def indicator_name(book: Catalog, indicator: str) -> tuple[str, bool]:
    """An indicator's plain-English name and whether it is shown as a percentage."""
    info = book.content.get("indicators", {}).get("indicators", {}).get(indicator, {})
    return info.get("name", indicator.replace("_", " ")), bool(info.get("percent", False))


def outcome_frame(book: Catalog) -> pd.DataFrame:
    """Each pathway's headline outcome for each commissioner, against England.

    Columns: pathway, indicator, name, percent, area, period, value, lower, upper, england, polarity,
    comparison (better/similar/worse than England at 95%), relative (the value's difference from
    England as a share of England's value, signed so that above zero is better).
    """
    ind = book.table("indicators")
    england = book.params.economy.england
    rows = []
    for pathway in book.params.pathways:
        indicator = outcome_indicator(book, pathway)
        if indicator is None:
            continue
        latest = _latest(ind[ind["indicator"] == indicator])
        eng = float(latest.loc[latest["area"] == england, "value"].iloc[0])
        name, percent = indicator_name(book, indicator)
        for r in latest[latest["area"].isin(economy_codes(book))].itertuples(index=False):
            sign = 1.0 if r.polarity == "high_is_good" else -1.0
            rows.append({
                "pathway": pathway, "indicator": indicator, "name": name, "percent": percent, "area": r.area,
                "period": r.period, "value": r.value, "lower": r.lower_ci, "upper": r.upper_ci, "england": eng,
                "polarity": r.polarity,
                "comparison": benchmark.compare(r.value, r.lower_ci, r.upper_ci, eng, r.polarity),
                "relative": sign * (r.value / eng - 1) if eng else np.nan,
            })
    return pd.DataFrame(
        rows,
        columns=[
            "pathway",
            "indicator",
            "name",
            "percent",
            "area",
            "period",
            "value",
            "lower",
            "upper",
            "england",
            "polarity",
            "comparison",
            "relative",
        ],
    )


def quadrant_frame(book: Catalog) -> pd.DataFrame:
    """Spend per head against the economy's average and outcome against England, per commissioner and programme."""
    spend = spend_per_head(book).rename(columns={"organisation": "area", "programme": "pathway"})
    outcome = outcome_frame(book)
    frame = spend.merge(outcome, on=["area", "pathway"], how="inner")
    names, titles = commissioner_names(book), pathway_titles(book)
    frame["area_name"] = frame["area"].map(names)
    frame["pathway_title"] = frame["pathway"].map(titles)
    frame["value_text"] = [_value_text(v, p) for v, p in zip(frame["value"], frame["percent"], strict=True)]
    frame["england_text"] = [_value_text(v, p) for v, p in zip(frame["england"], frame["percent"], strict=True)]
    order = {p: i for i, p in enumerate(book.params.pathways)}
    return frame.sort_values(["area", "pathway"], key=lambda s: s.map(order) if s.name == "pathway" else s).reset_index(
        drop=True
    )


def _value_text(value: float, percent: bool) -> str:
    if pd.isna(value):
        return ""
    return f"{100 * value:.1f}%" if percent else f"{value:,.1f}"


COMPARISON_TEXT = {
    "better": "Better",
    "similar": "Similar",
    "worse": "Worse",
    "not_compared": "Not compared",
    "higher": "Higher",
    "lower": "Lower",
}


def side_by_side(book: Catalog) -> tables.Table | Markdown:
    """Quality and finance side by side: one row per programme, each commissioner's spend per resident and outcome."""
    frame = quadrant_frame(book)
    if frame.empty:
        return Markdown("*This edition has no spend by programme, or no outcomes to set beside it.*")
    shown = frame.drop_duplicates("pathway")[
        ["pathway", "pathway_title", "name", "period", "england_text"]
    ].reset_index(drop=True)
    shown.columns = ["pathway", "Programme", "Headline outcome", "Period", "England"]
    names = commissioner_names(book)
    for area in dict.fromkeys(frame["area"]):
        mine = frame[frame["area"] == area].set_index("pathway")
        label = names.get(area, area)
        shown[f"{label}: spend per resident"] = shown["pathway"].map(mine["per_head"])
        shown[f"{label}: outcome"] = shown["pathway"].map(
            {
                pid: f"{r.value_text} ({COMPARISON_TEXT.get(r.comparison, r.comparison).lower()})"
                for pid, r in mine.iterrows()
            }
        )
    shown = shown.drop(columns="pathway")
    year = int(frame["year"].iloc[0])
    money = [c for c in shown.columns if c.endswith("spend per resident")]
    return tables.table(
        shown,
        caption=f"Spend per resident in {fy_label(year)} beside each programme's headline outcome (in brackets: "
        "against England at 95%)",
        source=sources(book, "finance", "population", "indicators"),
        synthetic=book.synthetic,
        formats={c: tables.pounds(0) for c in money},
        align_right=["England", *money, *[c for c in shown.columns if c.endswith(": outcome")]],
    )


def spend_outcome_chart(book: Catalog) -> alt.LayerChart | Markdown:
    """The spend and outcome quadrant: spend per head against the economy's average, outcome against England."""
    frame = quadrant_frame(book)
    if frame.empty:
        return Markdown("*This edition has no spend by programme or no outcomes to set beside it.*")
    return value_charts.quadrant_chart(
        frame,
        source=sources(book, "finance", "population", "indicators"),
        synthetic=book.synthetic,
        year_label=fy_label(int(frame["year"].iloc[0])),
    )
