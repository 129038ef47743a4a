"""A pathway chapter's measures.

Each KPI's SPC analysis, the at-a-glance table, the charts over time and what to watch.
"""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd
from IPython.display import Markdown

from analysis.catalog import Catalog
from analysis.charts import render
from analysis.charts import spc as spc_charts
from analysis.charts import table as tables
from analysis.charts.theme import NHS, WIDTH, finish
from analysis.config import Kpi
from analysis.report.common import (
    disclose,
    disclosure_note,
    patient_level,
    source,
)
from analysis.report.kpis import activity_counts, kpi_series, pathway_kpis
from analysis.report.wording import literal, one_or_many, sentence_case, sentence_list
from analysis.stats import sdc, spc


def kpi_list(book: Catalog, pathway: str) -> list:
    """The KPI definitions of a pathway: the parameter file's, with the A&E KPIs where there is a provider series."""
    return pathway_kpis(book, pathway)


def kpi_frame(book: Catalog, pathway: str) -> dict[str, pd.DataFrame]:
    """Each KPI's series (empty where the edition has no data)."""
    return {k.id: kpi_series(book, pathway, k) for k in kpi_list(book, pathway)}


VARIATION_TITLES = {
    "common_cause": "{name} varies within its usual range",
    "improvement_high": "{name} is improving: recent values are unusually high",
    "improvement_low": "{name} is improving: recent values are unusually low",
    "concern_high": "{name} needs attention: recent values are unusually high",
    "concern_low": "{name} needs attention: recent values are unusually low",
    "neutral_high": "{name} has risen beyond its usual range",
    "neutral_low": "{name} has fallen beyond its usual range",
}
ASSURANCE_PHRASES = {
    "consistent_fail": "will keep missing its target unless the process changes",
    "consistent_pass": "will keep meeting its target",
    "inconsistent": "will meet its target only some of the time",
}


@dataclass(frozen=True)
class KpiResult:
    """One KPI: its definition, its series and its SPC result (None when the edition has no data)."""

    kpi: Kpi
    series: pd.DataFrame
    spc: pd.DataFrame | None
    summary: dict | None


def run_summary(kpi: Kpi, series: pd.DataFrame) -> dict:
    """The summary of a KPI drawn as a run chart: its latest value, no process limits, no SPC icons."""
    return {
        "latest_value": float(series["value"].iloc[-1]), "mean": np.nan, "lpl": np.nan, "upl": np.nan, "target": None,
        "variation": spc_charts.RUN, "assurance": spc_charts.RUN if kpi.trajectory else None, "trial_limits": False,
    }


def kpi_results(book: Catalog, pathway: str) -> list[KpiResult]:
    """Each KPI of the pathway with its SPC analysis; KPIs with fewer than two points get none.

    A KPI marked `chart: run` (a running total) gets no SPC analysis: its summary has the latest value only.
    """
    out = []
    for kpi in kpi_list(book, pathway):
        series = kpi_series(book, pathway, kpi)
        if len(series) < 2:
            out.append(KpiResult(kpi, series, None, None))
            continue
        if kpi.chart == "run":
            out.append(KpiResult(kpi, series, None, run_summary(kpi, series)))
            continue
        result = spc.xmr(series["value"].to_numpy(), improvement=kpi.improvement, target=kpi.target)
        out.append(
            KpiResult(kpi, series, result, spc.summarise(result, improvement=kpi.improvement, target=kpi.target))
        )
    return out


def shown_latest(book: Catalog, pathway: str, results: list[KpiResult]) -> list:
    """Each KPI's latest value as the book may show it (NaN where the KPI has no data).

    Where the activity table is patient-level its counts come disclosed from the catalog: an activity
    count shows as text (a sum of counts rounded to the nearest 5), "*" when every cell of the month
    was suppressed (1 to 7), and an activity ratio is "*" when either of its latest counts is.
    Indicators pass through.
    """
    values = [r.summary["latest_value"] if r.summary else np.nan for r in results]
    if not patient_level(book, "activity"):
        return values
    counted = np.array([r.kpi.source == "activity" and r.summary is not None for r in results], dtype=bool)
    ratio = np.array([bool(r.kpi.ratio_to) for r in results], dtype=bool)
    latest = [
        activity_counts(book, pathway, r.kpi).set_index("period_start").loc[r.series["period_start"].iloc[-1]]
        if c
        else None
        for r, c in zip(results, counted, strict=True)
    ]
    frame = pd.DataFrame({
        "value": values,
        "count": [np.nan if at is None else at["count"] for at in latest],
        "denominator": [np.nan if at is None else at["denominator"] for at in latest],
    })
    frame = disclose(book, "activity", frame, counts=["value"], rows=counted & ~ratio)
    frame = disclose(
        book,
        "activity",
        frame,
        counts=["count", "denominator"],
        rates={"value": ["count", "denominator"]},
        rows=counted & ratio,
    )
    # A latest month whose total is 0 only because every cell in it was suppressed is 1 to 7 a cell: "*".
    unknown = [
        at is not None
        and bool(
            (at["count_suppressed"] and at["count"] == 0) or (at["denominator_suppressed"] and at["denominator"] == 0)
        )
        for at in latest
    ]
    return [sdc.SUPPRESSED if u else v for u, v in zip(unknown, frame["value"], strict=True)]


def _disclosed_count(book: Catalog, result: KpiResult) -> bool:
    """Whether a KPI counts patient-level activity (not a ratio), so its statistics are shown to the nearest 5."""
    return result.kpi.source == "activity" and not result.kpi.ratio_to and patient_level(book, "activity")


def nearest_five(value: float) -> float:
    """A statistic of disclosed counts (an average, a limit) to the nearest 5, as the counts themselves are shown."""
    return value if pd.isna(value) else float(5 * np.floor(float(value) / 5 + 0.5))


def kpi_anchor(kpi_id: str) -> str:
    """The HTML id of a KPI's chart, so other pages can link to it."""
    return f"kpi-{kpi_id}"


def _kpi_source(book: Catalog, kpi: Kpi) -> str:
    return source(book, "provider_series" if kpi.source == "providers" else kpi.source)


def kpi_summary(book: Catalog, pathway: str) -> tables.Table | Markdown:
    """The SPC summary table: one row per KPI with its latest value, limits and icons."""
    every = kpi_results(book, pathway)
    results = [r for r in every if r.summary]
    missing = [r.kpi.name for r in every if not r.summary]
    note = f"No data in this edition for: {', '.join(missing)}." if missing else ""
    if not every:
        return Markdown("*This edition tracks no measure of this pathway over time.*")
    if not results:
        return Markdown(
            "*This edition has no data for this pathway's measures over time.*"
            + (f"\n\n*{literal(note)}*" if note else "")
        )
    rows = pd.DataFrame([
        {
            "kpi": f'{r.kpi.name}',
            "unit": r.kpi.unit,
            "percent": r.kpi.percent,
            "latest_period": r.series["period_start"].iloc[-1],
            **{k: r.summary[k] for k in ("latest_value", "mean", "lpl", "upl", "target")},
            "variation": r.summary["variation"],
            "assurance": r.summary["assurance"],
        }
        for r in results
    ])
    # Disclosure control: the latest value of an activity count is a (disclosed) count; the average and
    # the usual range of a count are worked out from disclosed counts and shown to the nearest 5, like
    # the counts they describe (see the methods appendix).
    rows["latest_value"] = pd.Series(shown_latest(book, pathway, results), dtype=object)
    counted = [_disclosed_count(book, r) for r in results]
    for column in ("mean", "lpl", "upl"):
        rows[column] = pd.Series(
            [
                f"{nearest_five(v):,.0f}" if c and not pd.isna(v) else v
                for v, c in zip(rows[column], counted, strict=True)
            ],
            dtype=object,
        )
    sources = "; ".join(dict.fromkeys(_kpi_source(book, r.kpi) for r in results))
    if any(r.kpi.source == "activity" for r in results) and disclosure_note(book, "activity"):
        sources = f"{sources}. {disclosure_note(book, 'activity')}"
    table = spc_charts.summary_table(rows, source=sources, synthetic=book.synthetic)
    if missing:
        return _Both(table, note)
    return table


@dataclass
class _Both:
    """A table and a plain-text note beneath it, shown as one output."""

    first: object
    second: str

    def _repr_html_(self) -> str:
        return self.first._repr_html_() + f"<p><em>{html.escape(self.second)}</em></p>"

    def __repr__(self) -> str:
        return repr(self.first) + "\n" + self.second


EARLIER_FLAGS = {
    "special_cause_improvement": "a spell of improvement",
    "special_cause_concern": "a spell of concern",
    "special_cause_neutral_high": "a spell of unusually high values",
    "special_cause_neutral_low": "a spell of unusually low values",
}


def kpi_title(result: KpiResult) -> str:
    """A chart title that states the message of the analysis and never contradicts the chart's own flags.

    "Varies within its usual range" only when no point is special cause; when the latest point is
    common cause after flagged points, the title names the month since which every point is common cause.
    """
    if result.kpi.chart == "run":
        return run_title(result)
    variation = result.summary["variation"]
    title = VARIATION_TITLES[variation].format(name=result.kpi.name)
    if variation == "common_cause" and result.spc is not None:
        kinds = result.spc["point_type"].astype(str).to_numpy()
        flagged = np.flatnonzero(kinds != "common_cause")
        if len(flagged):
            last = flagged[-1]
            since = spc_charts.period_text(result.series["period_start"].iloc[last + 1])
            title = (
                f"{result.kpi.name} has varied within its usual range since {since}, after {EARLIER_FLAGS[kinds[last]]}"
            )
    phrase = ASSURANCE_PHRASES.get(result.summary["assurance"] or "")
    return f"{title}, and {phrase}" if phrase else title


def run_title(result: KpiResult) -> str:
    """A run chart's message: where the running total has got to, and what the plan's trajectory asks next."""
    values = result.series["value"].to_numpy(dtype=float)
    pct = result.kpi.percent
    when = spc_charts.period_text(result.series["period_start"].iloc[-1])
    rose = "has risen every month to" if np.all(np.diff(values) > 0) else "has reached"
    title = f"{result.kpi.name} {rose} {spc_charts.kpi_value(values[-1], pct)} in {when}"
    if result.kpi.trajectory:
        after = {
            m: v
            for m, v in result.kpi.trajectory.items()
            if pd.Timestamp(f"{m}-01") > result.series["period_start"].iloc[-1]
        }
        if after:
            month, value = next(iter(after.items()))
            title += (
                f"; the plan asks for {spc_charts.kpi_value(value, pct)} by "
                f"{spc_charts.period_text(pd.Timestamp(month + '-01'))}"
            )
    return title


def kpi_charts(book: Catalog, pathway: str) -> render.Gallery | Markdown:
    """An SPC chart for each KPI with data, each with an anchor for links from the summary."""
    charts = []
    results = kpi_results(book, pathway)
    # Under disclosure control each point is a sum of disclosed counts (the catalog rounded every cell to
    # the nearest 5 and suppressed 1 to 7 before anything was summed), so points, tooltips and limits
    # carry no exact count. Where a month is unknown (every cell suppressed), the chart is not drawn
    # (a note takes its place). The description's figures are shown as the summary table shows them.
    latest = dict(zip((r.kpi.id for r in results), shown_latest(book, pathway, results), strict=True))
    for r in results:
        if not r.summary:
            continue
        small = _small_months(book, pathway, r)
        if small:
            charts.append((kpi_anchor(r.kpi.id), _not_drawn(book, r, small)))
            continue
        s = r.summary
        pct = r.kpi.percent
        if r.kpi.chart == "run":
            charts.append(
                (
                    kpi_anchor(r.kpi.id),
                    spc_charts.run_chart(
                        r.series["period_start"],
                        r.series["value"],
                        title=kpi_title(r),
                        source=_kpi_source(book, r.kpi),
                        description=(
                            f"Run chart of {sentence_case(r.kpi.name)} ({r.kpi.unit}), {len(r.series)} points, a "
                            "running total drawn "
                            f"without process limits; latest {spc_charts.kpi_value(latest[r.kpi.id], pct)}"
                            + (", with the plan's trajectory." if r.kpi.trajectory else ".")
                        ),
                        unit=r.kpi.unit,
                        trajectory=r.kpi.trajectory,
                        synthetic=book.synthetic,
                        percent=pct,
                    ),
                )
            )
            continue
        description = (
            f"Statistical process control chart of {sentence_case(r.kpi.name)} ({r.kpi.unit}), {len(r.series)} points; "
            f"latest {spc_charts.kpi_value(latest[r.kpi.id], pct)} against a mean of "
            f"{spc_charts.kpi_value(nearest_five(s['mean']) if _disclosed_count(book, r) else s['mean'], pct)}."
        )
        chart = spc_charts.spc_chart(
            r.spc, dates=r.series["period_start"], title=kpi_title(r), source=_kpi_source(book, r.kpi),
            description=description, unit=r.kpi.unit, target=r.kpi.target, synthetic=book.synthetic, percent=pct,
        )
        charts.append((kpi_anchor(r.kpi.id), chart))
    if not charts:
        if not kpi_list(book, pathway):
            return Markdown("*No chart over time: this edition tracks no measure of this pathway.*")
        return Markdown("*No measure of this pathway has data in this edition.*")
    return render.gallery(charts)


def _small_months(book: Catalog, pathway: str, result: KpiResult) -> int:
    """Months in which a patient-level activity KPI's count (or either count of a ratio) is unknown.

    Unknown: every cell in it was suppressed. 0 for any other KPI.
    """
    if result.kpi.source != "activity" or not patient_level(book, "activity"):
        return 0
    counts = activity_counts(book, pathway, result.kpi)
    counts = counts[counts["period_start"].isin(result.series["period_start"])]
    # The counts are disclosed ones (the catalog suppressed 1 to 7 in each cell): a month whose total is 0
    # only because its cells are suppressed is unknown, and a chart would show it as a false 0.
    unknown = (counts["count_suppressed"] & counts["count"].fillna(0).eq(0)) | (
        counts["denominator_suppressed"] & counts["denominator"].fillna(0).eq(0)
    )
    return int(unknown.sum())


def _not_drawn(book: Catalog, result: KpiResult, months: int) -> alt.Chart:
    """What stands in for an SPC chart whose points would show counts of 1 to 7 from patient-level data."""
    text = (
        f"Not drawn: in {months} of {len(result.series)} months every count behind this measure is 1 to 7, too few to "
        "show "
        "from patient-level data. The summary table gives the latest month, rounded, with the average and usual range."
    )
    chart = (
        alt.Chart(pd.DataFrame({"line": textwrap.wrap(text, 95), "row": range(len(textwrap.wrap(text, 95)))}))
        .mark_text(align="left", baseline="top", fontSize=13, color=NHS["dark_grey"])
        .encode(x=alt.value(0), y=alt.Y("row:O", axis=None), text="line:N")
        .properties(width=WIDTH, height=alt.Step(20))
        .configure_view(stroke=None)
    )
    return finish(chart, title=kpi_title(result), source=_kpi_source(book, result.kpi), synthetic=book.synthetic,
                  description=f"{result.kpi.name}: {text}")


def what_to_watch(book: Catalog, pathway: str) -> Markdown:
    """A short paragraph generated from the SPC results: special causes and targets at risk (never empty)."""
    every = kpi_results(book, pathway)
    results = [r for r in every if r.summary]
    if not every:
        return Markdown(
            "**What to watch.** With no measure over time there is no special cause variation to report; the practice "
            "comparison and the benchmarking against England below show where this pathway stands."
        )
    if not results:
        names = literal(sentence_list([r.kpi.name for r in every]))
        subject = one_or_many(every, "This pathway's one measure", "None of this pathway's measures")
        return Markdown(
            f"**What to watch.** {subject} ({names}) {one_or_many(every, 'has no data', 'has data')} in this edition, "
            "so there is no special cause variation to report."
        )
    concern = [r.kpi.name for r in results if r.summary["variation"].startswith("concern")]
    better = [r.kpi.name for r in results if r.summary["variation"].startswith("improvement")]
    changed = [r.kpi.name for r in results if r.summary["variation"].startswith("neutral")]
    latest = dict(zip((r.kpi.id for r in results), shown_latest(book, pathway, results), strict=True))
    running = [r for r in results if r.kpi.chart == "run"]
    failing = [_against_target(r, latest[r.kpi.id]) for r in results if r.summary["assurance"] == "consistent_fail"]
    chancy = [_against_target(r, latest[r.kpi.id]) for r in results if r.summary["assurance"] == "inconsistent"]
    sentences = []
    if concern:
        sentences.append(
            f"{literal(sentence_list(concern))} {one_or_many(concern, 'shows', 'show')} special cause variation of "
            "concern at the latest point."
        )
    if failing:
        sentences.append(
            f"{literal(sentence_list(failing))} will consistently miss "
            f"{one_or_many(failing, 'its target', 'their targets')} unless the way care is delivered changes."
        )
    if chancy:
        sentences.append(
            f"{literal(sentence_list(chancy))} will meet {one_or_many(chancy, 'its target', 'their targets')} only "
            "some of the time."
        )
    if better:
        sentences.append(
            f"{literal(sentence_list(better))} {one_or_many(better, 'shows', 'show')} special cause improvement."
        )
    if changed:
        sentences.append(
            f"{literal(sentence_list(changed))} {one_or_many(changed, 'has', 'have')} moved beyond the usual range, "
            "in a direction that is neither good nor bad."
        )
    for r in running:
        sentences.append(
            f"{literal(run_title(r))} (a running total, so it is read against the plan, not a usual range)."
        )
    if not sentences or len(sentences) == len(running):
        sentences.append(
            "No measure shows special cause variation at its latest point, and none is consistently missing a target."
        )
    return Markdown("**What to watch.** " + " ".join(sentences))


def _against_target(result: KpiResult, shown: object = None) -> str:
    """A KPI's name with its latest value and target, as the book shows them (29.9%, not 0.299).

    `shown` is the latest value as the book may show it (see shown_latest); by default the value itself.
    """
    pct = result.kpi.percent
    latest = spc_charts.kpi_value(result.summary["latest_value"] if shown is None else shown, pct)
    target = spc_charts.kpi_value(result.kpi.target, pct)
    when = spc_charts.period_text(result.series["period_start"].iloc[-1])
    return f"{result.kpi.name} ({latest} in {when} against a target of {target})"
