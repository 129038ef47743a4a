"""A pathway's KPIs as series for the whole economy, and each indicator's plain-English name.

The series come from the activity table or the indicators table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.catalog import Catalog
from analysis.config import Kpi


def economy_codes(book: Catalog) -> list[str]:
    """The codes of the economy's commissioners (after any code mapping)."""
    return [c.code for c in book.params.economy.commissioners]


def indicator_areas(book: Catalog) -> dict[str, str]:
    """Area code whose published indicators stand for each commissioner -> that commissioner's code.

    A commissioner's own code, or the local authority the parameter file names as its `area` (the
    national files report indicators by local authority, not by PCT).
    """
    return {(c.area or c.code): c.code for c in book.params.economy.commissioners}


def area_weights(book: Catalog) -> dict[str, float]:
    """Indicator area -> the population of the commissioner it stands for (where the parameter file gives one).

    A commissioner without a population in the parameter file is weighted by its latest population
    in the population table (estimate); with neither, the areas are weighted equally.
    """
    pop = book.table("population")
    pop = pop[pop["variant"] == "estimate"] if len(pop) else pop
    weights = {}
    for c in book.params.economy.commissioners:
        size = c.population if isinstance(c.population, int) else None  # "practices": the derived rows say how many
        if size is None and len(pop):
            rows = pop[pop["area"] == c.code]
            rows = rows[rows["year"] == rows["year"].max()] if len(rows) else rows
            size = float(rows["population"].sum()) if len(rows) else None
        weights[c.area or c.code] = float(size) if size else 1.0
    return weights


def activity_series(activity: pd.DataFrame, areas: list[str], pathways: list[str], pods: list[str]) -> pd.Series:
    """Monthly activity summed over the economy's commissioners, practices and providers.

    Under disclosure control (patient-level activity, disclosed by the catalog) a suppressed cell
    counts as 0 in the sum: the sum of disclosed counts is itself a multiple of 5.
    """
    mask = activity["commissioner"].isin(areas) & activity["pathway"].isin(pathways) & activity["pod"].isin(pods)
    return activity.loc[mask].groupby("month")["count"].sum().sort_index()


def suppressed_series(activity: pd.DataFrame, areas: list[str], pathways: list[str], pods: list[str]) -> pd.Series:
    """Month -> whether any cell summed by `activity_series` was suppressed (always False without disclosure)."""
    mask = activity["commissioner"].isin(areas) & activity["pathway"].isin(pathways) & activity["pod"].isin(pods)
    if "suppressed" not in activity.columns:
        return pd.Series(False, index=activity.loc[mask, "month"].drop_duplicates().sort_values(), dtype=bool)
    return activity.loc[mask].groupby("month")["suppressed"].any().sort_index()


def practice_years(book: Catalog) -> pd.DataFrame:
    """Each practice's activity by complete fiscal year.

    Columns: year, commissioner, practice, pathway, pod, count, cost, suppressed.
    Patient-level activity comes disclosed from the catalog (Catalog.practice_years); otherwise the
    activity table's practice rows are summed by fiscal year here (nothing suppressed).
    """
    if book.practice_years is not None:
        return book.practice_years
    return book.computed("practice_years", _practice_years)


def _practice_years(book: Catalog) -> pd.DataFrame:
    from analysis.catalog import practice_year_activity

    return practice_year_activity(book.table("activity")).assign(suppressed=False)


def practice_counts(rows: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Sum practice-year rows by `by`: count (suppressed cells as 0), cost, and whether any cell was suppressed.

    A sum that is 0 only because every non-zero cell in it was suppressed is itself unknown (missing):
    each of those cells held 1 to 7, so the sum shows as suppressed, not as 0.
    """
    grouped = rows.groupby(by, as_index=False).agg(
        count=("count", "sum"), cost=("cost", "sum"), suppressed=("suppressed", "any")
    )
    hidden = grouped["suppressed"] & (grouped["count"] == 0)
    grouped.loc[hidden, ["count", "cost"]] = np.nan
    return grouped


def activity_counts(book: Catalog, pathway: str, kpi: Kpi) -> pd.DataFrame:
    """The monthly counts behind an activity KPI.

    Columns: period_start, count and (for a ratio KPI) denominator,
    with count_suppressed and denominator_suppressed: whether a cell summed into it was suppressed
    (disclosure control; always False for activity that is not patient-level).
    """
    activity = book.table("activity")
    areas, pathways = economy_codes(book), kpi.pathways or [pathway]
    frame = activity_series(activity, areas, pathways, kpi.pods).rename("count").to_frame()
    frame["count_suppressed"] = suppressed_series(activity, areas, pathways, kpi.pods)
    if kpi.ratio_to:
        frame = frame.join(activity_series(activity, areas, pathways, kpi.ratio_to).rename("denominator"), how="outer")
        frame["denominator_suppressed"] = suppressed_series(activity, areas, pathways, kpi.ratio_to)
    else:
        frame["denominator"] = np.nan
        frame["denominator_suppressed"] = False
    for column in ("count_suppressed", "denominator_suppressed"):
        frame[column] = frame[column].fillna(False).astype(bool)
    frame = frame.rename_axis("period_start").reset_index()
    frame["period_start"] = pd.to_datetime(frame["period_start"])
    return frame


def combine_indicator(rows: pd.DataFrame) -> pd.Series:
    """One value per period for several areas: pooled rates where counts exist, else sums or weighted means.

    A rate or proportion is pooled as sum(count)/sum(denominator), rescaled to the indicator's own
    unit (per 1,000, per 100,000 or a proportion), because averaging two areas' rates would weight a
    small area as much as a large one.
    """
    rows = rows.sort_values("period_start")
    has_counts = rows["count"].notna().all() and rows["denominator"].notna().all() and (rows["denominator"] > 0).all()
    by = rows.groupby("period_start")
    if has_counts and len(rows):
        crude = rows["count"] / rows["denominator"]
        scale = float(np.nanmedian(np.where(crude > 0, rows["value"] / crude, np.nan))) if (crude > 0).any() else 1.0
        scale = 10 ** round(np.log10(scale)) if scale > 0 else 1.0  # 1, 1,000 or 100,000: never a fitted number
        return by["count"].sum() / by["denominator"].sum() * scale
    if rows["denominator"].notna().all() and len(rows):
        weighted = (rows["value"] * rows["denominator"]).groupby(rows["period_start"]).sum()
        return weighted / by["denominator"].sum()
    values = rows["value"]
    if np.allclose(values.dropna(), values.dropna().round()):
        return by["value"].sum()  # counts (births, members) add up across areas
    return by["value"].mean()


# The urgent care chapter's KPIs wherever the edition has NHS England's monthly A&E file (provider_series)
# and its parameter file lists none from it: performance against the 95% four-hour standard (all types and
# type 1), twelve-hour waits from the decision to admit, and attendances a month.
FOUR_HOUR_STANDARD = 0.95
PROVIDER_KPIS = (
    Kpi(
        id="ae_four_hour_all",
        name="A&E patients seen within four hours (all types)",
        source="providers",
        measure="four_hour_all",
        unit="share of attendances",
        improvement="increase",
        polarity="high_is_good",
        target=FOUR_HOUR_STANDARD,
    ),
    Kpi(
        id="ae_four_hour_type_1",
        name="A&E patients seen within four hours (type 1 departments)",
        source="providers",
        measure="four_hour_type_1",
        unit="share of attendances",
        improvement="increase",
        polarity="high_is_good",
        target=FOUR_HOUR_STANDARD,
    ),
    Kpi(
        id="ae_twelve_hour_waits",
        name="Waits of over 12 hours from the decision to admit",
        source="providers",
        measure="dta_over_12h",
        unit="patients a month",
        improvement="decrease",
        polarity="low_is_good",
    ),
    Kpi(
        id="ae_attendances_all",
        name="A&E attendances (all types)",
        source="providers",
        measure="attendances",
        unit="attendances a month",
        improvement="neutral",
        polarity="no_judgement",
    ),
)
PROVIDER_PATHWAY = "urgent_care"


def provider_codes(book: Catalog) -> list[str]:
    """The codes of the economy's providers, as the parameter file names them."""
    return [p.code for p in book.params.economy.providers]


def pathway_kpis(book: Catalog, pathway: str) -> list[Kpi]:
    """A pathway's KPIs: the parameter file's, and for urgent care the A&E KPIs when the provider series is there."""
    spec = book.params.pathways.get(pathway)
    listed = list(spec.kpis) if spec else []
    if pathway != PROVIDER_PATHWAY or spec is None or not book.has("provider_series"):
        return listed
    if any(k.source == "providers" for k in listed) or not provider_codes(book):
        return listed
    return [*PROVIDER_KPIS, *listed]


def four_hour_counts(rows: pd.DataFrame) -> pd.DataFrame:
    """Attendances and four-hour breaches by month, counting only rows where both are reported.

    A row is a provider, department and booking; an exempt provider's blank breaches leave its attendances
    out as well.
    """
    keys = ["month", "provider", "department", "booking"]
    rows = rows.assign(booking=rows["booking"].fillna("")) if "booking" in rows.columns else rows.assign(booking="")
    pair = {m: rows[rows["measure"] == m].groupby(keys)["value"].sum(min_count=1) for m in ("attendances", "over_4h")}
    both = pd.concat(pair, axis=1).dropna()
    if both.empty:
        return pd.DataFrame(columns=["attendances", "over_4h"], dtype="float64")
    return both.groupby(level="month")[["attendances", "over_4h"]].sum()


def provider_measure(series: pd.DataFrame, providers: list[str], measure: str) -> pd.Series:
    """One KPI measure by month from the provider_series table, summed over `providers`.

    four_hour_*: 1 - breaches / attendances, over months where both are reported (an exempt provider's
    blank breaches leave its attendances out too, so it does not count as seen within four hours).
    """
    rows = series[series["provider"].isin(providers)]
    if measure.startswith("four_hour"):
        by = four_hour_counts(rows[rows["department"] == "type_1"] if measure == "four_hour_type_1" else rows)
        by = by[by["attendances"] > 0]
        return (1 - by["over_4h"] / by["attendances"]).sort_index()
    if measure == "attendances_type_1":
        rows, measure = rows[rows["department"] == "type_1"], "attendances"
    chosen = rows[rows["measure"] == measure]
    return chosen.groupby("month")["value"].sum(min_count=1).dropna().sort_index()


def kpi_series(book: Catalog, pathway: str, kpi: Kpi) -> pd.DataFrame:
    """A KPI's series for the economy: columns period_start, value (empty when the edition has no data)."""
    areas = economy_codes(book)
    if kpi.source == "providers":
        series = provider_measure(book.table("provider_series"), provider_codes(book), kpi.measure)
    elif kpi.source == "activity":
        activity = book.table("activity")
        pathways = kpi.pathways or [pathway]
        series = activity_series(activity, areas, pathways, kpi.pods)
        if kpi.ratio_to:
            denominator = activity_series(activity, areas, pathways, kpi.ratio_to)
            series = (series / denominator.replace(0, np.nan)).dropna()
    else:
        ind = book.table("indicators")
        stand_ins = indicator_areas(book)
        rows = ind[(ind["indicator"] == kpi.indicator) & ind["area"].isin(list(stand_ins))]
        if len(rows) and set(stand_ins) != set(areas) and rows["denominator"].isna().all():
            # Local authorities standing for commissioners publish rates without counts: weight each
            # authority's value by the population of the commissioner it stands for.
            rows = rows[rows["value"].notna()]
            rows = rows.assign(denominator=rows["area"].map(area_weights(book)).astype(float))
        series = combine_indicator(rows) if len(rows) else pd.Series(dtype="float64")
    out = series.rename("value").reset_index()
    out.columns = ["period_start", "value"]
    out["period_start"] = pd.to_datetime(out["period_start"])
    return out.dropna().reset_index(drop=True)


def indicator_info(book: Catalog, indicator: str) -> dict:
    """An indicator's plain-English name and display settings from data/content/indicators.yml."""
    info = book.content.get("indicators", {}).get("indicators", {}).get(indicator, {})
    name = info.get("name", indicator.replace("_", " "))
    return {"name": name, "short": info.get("short", name), "percent": bool(info.get("percent", False))}
