"""A pathway chapter's activity by point of delivery and how its practices compare (funnel plots)."""

from __future__ import annotations

import altair as alt
import pandas as pd
from IPython.display import Markdown

from analysis.catalog import Catalog
from analysis.charts import funnel as funnel_charts
from analysis.charts.theme import WIDTH
from analysis.config import Kpi
from analysis.contract import PODS
from analysis.model.fiscal import fiscal_year, fy_label
from analysis.report.common import disclose, finish_from, patient_level, source
from analysis.report.kpis import economy_codes, indicator_info, practice_counts, practice_years
from analysis.report.pathway.measures import kpi_list
from analysis.report.wording import POD_LABELS, literal, sentence_case
from analysis.stats import funnel


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
    yearly["Year"] = yearly["year"].map(fy_label)
    yearly["Point of delivery"] = yearly["pod"].map(POD_LABELS)
    patient = patient_level(book, "activity")
    if patient:  # disclosure control: the tooltip shows each yearly count as text, suppressed or rounded
        yearly["Activity"] = disclose(book, "activity", yearly[["count"]], counts=["count"])["count"]
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
            x=alt.X("Year:O", title="Financial year", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("count:Q", title="Activity a year (count)", axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                "Point of delivery:N", sort=order,
                legend=alt.Legend(title="Point of delivery", columns=2, titleLimit=WIDTH, labelLimit=WIDTH // 2),
            ),
            opacity=alt.condition(selection, alt.value(1.0), alt.value(0.15)),
            tooltip=[
                alt.Tooltip("Point of delivery:N"),
                alt.Tooltip("Year:O"),
                alt.Tooltip("Activity:N") if patient else alt.Tooltip("count:Q", title="Activity", format=",.0f"),
            ],
        )
        .add_params(selection)
        # A few years on an ordinal axis would draw ~120 pixels wide; the full width less room for
        # six-figure axis labels keeps the chart inside the page's column.
        .properties(width=WIDTH - 20)
    )
    word = "rose" if change[biggest] > 0 else "fell"
    label = POD_LABELS[biggest]
    return finish_from(
        book,
        "activity",
        chart,
        title=f"{label} {word} {abs(change[biggest]):.0%} between {fy_label(first)} and {fy_label(last)}, the largest "
        "change",
        subtitle="Activity of this pathway by point of delivery, whole economy",
        interaction="Click a point of delivery in the legend to pick out its line.",
        description=f"Line chart of yearly activity by point of delivery from {fy_label(first)} to {fy_label(last)}; "
        f"{sentence_case(label)} {word} by {abs(change[biggest]):.0%}.",
    )


def practice_rates(book: Catalog, pathway: str, pod: str, year: int | None = None) -> pd.DataFrame:
    """Each practice's activity of one pod in a complete fiscal year against its registered list.

    Columns practice, count, suppressed, list_size. Under disclosure control the count is the
    disclosed one (missing where suppressed: kpis.practice_counts).
    """
    rows = practice_years(book)
    rows = rows[rows["commissioner"].isin(economy_codes(book)) & (rows["pathway"] == pathway) & (rows["pod"] == pod)]
    if rows.empty:
        return pd.DataFrame(columns=["practice", "count", "suppressed", "list_size"])
    year = year or int(rows["year"].max())
    counts = practice_counts(rows[rows["year"] == year], ["practice"])[["practice", "count", "suppressed"]]
    practices = book.table("practices")
    lists = practices[practices["year"] == practices.loc[practices["year"] <= year, "year"].max()][
        ["practice", "list_size"]
    ]
    out = counts.merge(lists, on="practice", how="inner")
    out.attrs["year"] = year
    return out[out["list_size"] > 0].reset_index(drop=True)


def practice_funnel(book: Catalog, pathway: str) -> alt.LayerChart | Markdown:
    """Practices compared on a funnel plot: the pathway's practice indicator, or its first activity KPI."""
    spec = book.params.pathways.get(pathway)
    if spec and spec.funnel:
        return _indicator_funnel(book, spec.funnel)
    first = next((k for k in kpi_list(book, pathway) if k.source == "activity" and not k.ratio_to), None)
    if first is None:
        return Markdown("*This pathway has no measure reported by practice.*")
    return _activity_funnel(book, pathway, first)


RATIO_LABEL = "Ratio to the economy's rate"


def _activity_funnel(book: Catalog, pathway: str, kpi: Kpi) -> alt.LayerChart | Markdown:
    frames = [practice_rates(book, p, pod) for p in (kpi.pathways or [pathway]) for pod in kpi.pods]
    frames = [f for f in frames if len(f)]
    if not frames:
        return Markdown("*This edition has no activity by practice for this pathway.*")
    year = frames[0].attrs["year"]
    rows = pd.concat(frames)
    rates = rows.groupby("practice", as_index=False).agg(
        count=("count", "sum"),
        suppressed=("suppressed", "any"),
        unknown=("count", lambda c: c.isna().all()),
        list_size=("list_size", "first"),
    )
    # Disclosure control: a practice whose count is suppressed is left out of the funnel (its position
    # and the limits would give the count away); a sum over suppressed cells counts them as 0.
    left_out = int(rates["unknown"].sum())
    rates = rates[~rates["unknown"]].reset_index(drop=True)
    if rates.empty:
        return Markdown("*Every practice's count for this pathway is suppressed (1 to 7), so no funnel is drawn.*")
    overall = rates["count"].sum() / rates["list_size"].sum()
    expected = rates["list_size"] * overall
    result = funnel.funnel(rates["count"], expected, group=rates["practice"], data_type="SR", overdispersion=True)
    outliers = result.table[result.table["outlier998"]]
    high = int((outliers["value"] > 1).sum())
    low = int((outliers["value"] < 1).sum())
    name = sentence_case(kpi.name)
    return funnel_charts.funnel_chart(
        result,
        title=outlier_title(high, low, "has", f"{name}, allowing for list size"),
        value_label=RATIO_LABEL,  # the title names the measure; a longer axis title is cut at the chart's height
        denominator_label=f"Expected {name} at the economy's rate, {fy_label(year)}",
        source=source(book, "activity"),
        synthetic=book.synthetic,
        suppress_counts=patient_level(book, "activity"),  # the counts are disclosed ones: the chart says so
        left_out=left_out,
        description=f"Funnel plot of {len(result.table)} practices' {name} in {fy_label(year)} against the number "
        f"expected from their list size; {high + low} {'falls' if high + low == 1 else 'fall'} outside "
        "the 99.8% limits.",
    )


def outlier_title(high: int, low: int, verb: str, what: str) -> str:
    """A funnel title with the counts in words that agree: '1 practice has unusually high and 2 unusually low X'.

    `verb` is the singular verb ('has' or 'is'); `what` follows the adjective ('A&E attendances', 'on smoking').
    """
    plural = {"has": "have", "is": "are"}[verb]

    def practices(n: int) -> str:
        return f"{n} practice {verb}" if n == 1 else f"{n} practices {plural}"

    if high and low:
        return f"{practices(high)} unusually high and {low} unusually low {what}"
    if high:
        return f"{practices(high)} unusually high {what}; none {verb} unusually low"
    if low:
        return f"{practices(low)} unusually low {what}; none {verb} unusually high"
    return f"No practice {verb} unusually high or low {what}"


PRACTICE_AREA_TYPES = ("practice", "GPs")  # the book's own name, and Fingertips' name for GP practices


def economy_practices(book: Catalog, candidates: pd.Series) -> set[str]:
    """The practices among `candidates` that belong to the economy's commissioners (by the practices table).

    Where the practices table places none of them (an edition whose indicators are the economy's
    own practices only), every candidate is kept.
    """
    practices = book.table("practices")
    ours = set(practices.loc[practices["commissioner"].isin(economy_codes(book)), "practice"].astype(str))
    listed = set(map(str, candidates)) & set(practices["practice"].astype(str))
    return ours if listed else set(map(str, candidates))


def _indicator_funnel(book: Catalog, indicator: str) -> alt.LayerChart | Markdown:
    ind = book.table("indicators")
    rows = ind[
        (ind["indicator"] == indicator)
        & ind["area_type"].isin(PRACTICE_AREA_TYPES)
        & ind["count"].notna()
        & ind["denominator"].notna()
    ]
    rows = rows[rows["area"].isin(economy_practices(book, rows["area"]))]
    if rows.empty:
        return Markdown(
            f"*No practice-level data for {literal(sentence_case(indicator_info(book, indicator)['name']))} in this "
            "edition.*"
        )
    rows = rows[rows["period_start"] == rows["period_start"].max()]
    info = indicator_info(book, indicator)
    if info["percent"]:
        result = funnel.funnel(rows["count"], rows["denominator"], group=rows["area"], data_type="PR")
        value_label, multiplier = info["name"] + " (%)", 100.0
        denominator_label = "Patients in the denominator"
    else:
        overall = rows["count"].sum() / rows["denominator"].sum()
        result = funnel.funnel(rows["count"], rows["denominator"] * overall, group=rows["area"], data_type="SR")
        value_label, multiplier = RATIO_LABEL, 1.0
        denominator_label = "Expected count at the economy's rate"
    t = result.table
    high, low = (
        int((t["outlier998"] & (t["value"] > t["target"])).sum()),
        int((t["outlier998"] & (t["value"] < t["target"])).sum()),
    )
    period = rows["period"].iloc[0]
    return funnel_charts.funnel_chart(
        result,
        title=outlier_title(high, low, "is", f"on {sentence_case(info['name'])}"),
        value_label=value_label,
        denominator_label=denominator_label,
        multiplier=multiplier,
        source=source(book, "indicators"),
        synthetic=book.synthetic,
        description=f"Funnel plot of {len(t)} practices on {sentence_case(info['name'])} in {period}; {high + low} "
        f"{'falls' if high + low == 1 else 'fall'} outside the 99.8% limits.",
    )
