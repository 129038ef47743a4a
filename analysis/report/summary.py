"""The executive summary: headline figures pasted from the chapters, concerns, and the KPI matrix."""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import Markdown

from analysis.catalog import Catalog
from analysis.charts import table as tables
from analysis.charts.icons import assurance_svg, variation_svg
from analysis.charts.spc import RUN, period_text
from analysis.report.common import disclosure_note, source
from analysis.report.pathway import measures, plans
from analysis.report.wording import literal


def matrix_rows(book: Catalog) -> pd.DataFrame:
    """Every KPI of every pathway with its latest value, target and icons (the pathway chapters' own results).

    `latest` is the value as the chapters show it: under disclosure control an activity count is text,
    suppressed or rounded (analysis.report.pathway.shown_latest).
    """
    rows = []
    for pid in book.params.pathways:
        title = plans.content(book, pid).get("title", pid)
        results = measures.kpi_results(book, pid)
        for r, latest in zip(results, measures.shown_latest(book, pid, results), strict=True):
            s = r.summary or {}
            rows.append({
                "pathway": pid,
                "pathway_title": title,
                "kpi": r.kpi.id,
                "name": r.kpi.name,
                "unit": r.kpi.unit,
                "latest": latest if s else None,
                "latest_period": r.series["period_start"].iloc[-1] if s else None,
                "target": r.kpi.target,
                "percent": r.kpi.percent,
                "variation": s.get("variation"),
                "assurance": s.get("assurance"),
                "has_data": bool(s),
            })
    return pd.DataFrame(rows)


def _figure(value, percent: bool = False) -> str:
    if isinstance(value, str):  # a count already suppressed or rounded by disclosure control
        return value
    if value is None or pd.isna(value):
        return ""
    v = float(value)
    if percent:
        return f"{100 * v:.1f}%"
    return f"{v:,.0f}" if abs(v) >= 100 else (f"{v:,.1f}" if abs(v) >= 1 else f"{v:.3g}")


def kpi_matrix(book: Catalog) -> tables.Table:
    """One row per KPI of every pathway: icons, latest value and target, each linked to its chart."""
    rows = matrix_rows(book)
    quiet = '<span style="font-size:0.85em;color:#425563">'
    # Each measure names its unit and each latest value its period, so "872" reads "872 births a month, Mar 2008".
    link = [
        f'<a href="../pathways/{r.pathway}.html#{measures.kpi_anchor(r.kpi)}">{html.escape(r.name)}</a>'
        f"<br>{quiet}{html.escape(r.unit)}</span>"
        for r in rows.itertuples()
    ]
    latest = [
        (
            html.escape(_figure(v, p))
            + (
                f'<br>{quiet}<span style="white-space:nowrap">{html.escape(period_text(when))}</span></span>'
                if period_text(when)
                else ""
            )
        )
        if h
        else "No data in this edition"
        for v, when, h, p in zip(rows["latest"], rows["latest_period"], rows["has_data"], rows["percent"], strict=True)
    ]
    frame = pd.DataFrame(
        {
            "Pathway": rows["pathway_title"],
            "Measure": link,
            "Latest": latest,
            "Target": [_figure(v, p) for v, p in zip(rows["target"], rows["percent"], strict=True)],
            "Variation": [
                "Running total (run chart)" if v == RUN else (variation_svg(v, 28) if isinstance(v, str) else "")
                for v in rows["variation"]
            ],
            "Assurance": [
                "Against the plan's trajectory"
                if a == RUN
                else (assurance_svg(a, 28) if isinstance(a, str) else ("No target" if h else ""))
                for a, h in zip(rows["assurance"], rows["has_data"], strict=True)
            ],
        }
    )
    sources = source(book, "activity") if book.synthetic else "; ".join(sorted(set(book.sources.values())))
    if disclosure_note(book, "activity") and any(
        k.source == "activity" for p in book.params.pathways.values() for k in p.kpis
    ):
        sources += f". {disclosure_note(book, 'activity')}"
    return tables.table(
        frame,
        caption="Every measure at a glance, with its unit and the period of its latest value",
        source=sources,
        synthetic=book.synthetic,
        html_columns=["Measure", "Latest", "Variation", "Assurance"],
        align_right=["Latest", "Target"],
    )


def concerns(book: Catalog) -> Markdown:
    """The measures whose latest point is a special cause of concern, or that will keep missing a target."""
    rows = matrix_rows(book)
    rows = rows[rows["has_data"]]
    concern = rows[rows["variation"].fillna("").str.startswith("concern")]
    failing = rows[rows["assurance"] == "consistent_fail"]
    lines = []
    for r in concern.itertuples():
        lines.append(
            f"- **{literal(r.name)}** ({literal(r.pathway_title.lower())}): special cause of concern at the latest "
            "point."
        )
    for r in failing.itertuples():
        lines.append(
            f"- **{literal(r.name)}** ({literal(r.pathway_title.lower())}): will keep missing its target unless the "
            "process changes."
        )
    total = len(rows)
    if not lines:
        return Markdown(
            f"None of the {total} measures with data shows a special cause of concern or a target it will keep missing."
        )
    shows = {0: "none shows", 1: "1 shows"}.get(len(concern), f"{len(concern)} show")
    misses = {0: "none will keep missing a target", 1: "1 will keep missing its target"}.get(
        len(failing), f"{len(failing)} will keep missing their targets"
    )
    head = f"Of {total} measures with data, {shows} a special cause of concern and {misses}:"
    return Markdown(head + "\n\n" + "\n".join(lines))
