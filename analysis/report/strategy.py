"""The plan's strategy page (book/chapters/strategy).

The core strategy's strands with the chapters and measures that follow each, and the services the plan
calls challenged with what the data show.

Words come from the edition's content files (economy.yml: the strands; strategy.yml: the pages and
measures of each strand, and the challenged services); figures from the edition's own data.
"""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import Markdown

from analysis.catalog import Catalog
from analysis.charts import spc as spc_charts
from analysis.charts import table as tables
from analysis.report.kpis import indicator_info
from analysis.report.pathway import benchmarks, measures
from analysis.report.wording import literal, sentence_list

NO_STRATEGY = "*This edition's content names no core strategy, so there is nothing to map to the book's chapters.*"


def _strategy(book: Catalog) -> dict:
    return book.content.get("strategy", {}) or {}


def kpi_results(book: Catalog) -> dict[str, tuple[str, measures.KpiResult]]:
    """KPI id -> (pathway, its result), for every KPI of the edition with data."""
    def compute(b: Catalog) -> dict:
        out = {}
        for pathway in b.params.pathways:
            for r in measures.kpi_results(b, pathway):
                if r.summary:
                    out[r.kpi.id] = (pathway, r)
        return out

    return book.computed("strategy.kpis", compute)


def kpi_words(result: measures.KpiResult) -> str:
    """A KPI's latest value with its unit and month, e.g. '1,219 admissions a month in Mar 2008'."""
    pct = result.kpi.percent
    value = spc_charts.kpi_value(result.summary["latest_value"], pct)
    unit = "" if pct else f" {result.kpi.unit}"
    return f"{value}{unit} in {spc_charts.period_text(result.series['period_start'].iloc[-1])}"


def _page_title(book: Catalog, item: dict) -> str:
    page = item["page"]
    if page.startswith("pathways/"):
        pid = page.removeprefix("pathways/")
        return (book.content.get("pathways", {}).get("pathways", {}).get(pid) or {}).get(
            "title", pid.replace("_", " ").capitalize()
        )
    return item.get("title", page)


def strands(book: Catalog) -> tables.Table | Markdown:
    """The core strategy's strands, each with what it means, the chapters that follow it and its measures."""
    core = (book.content.get("economy", {}) or {}).get("core_strategy", {})
    mapped = _strategy(book).get("strands", {})
    if not core.get("strands"):
        return Markdown(NO_STRATEGY)
    results = kpi_results(book)
    rows = []
    for strand in core["strands"]:
        spec = mapped.get(strand["id"], {})
        pages = [
            p
            for p in spec.get("pages", [])
            if not p["page"].startswith("pathways/") or p["page"].removeprefix("pathways/") in book.params.pathways
        ]
        links = (
            "<br>".join(f'<a href="../{p["page"]}.html">{html.escape(_page_title(book, p))}</a>' for p in pages)
            or "None in this edition"
        )
        shown = [results[k][1] for k in spec.get("measures", []) if k in results]
        if shown:
            cell = "<br>".join(f"{html.escape(r.kpi.name)}: {html.escape(kpi_words(r))}" for r in shown)
        else:
            cell = html.escape(spec.get("gap", "No measure of this strand has data in this edition."))
        rows.append(
            {
                "Strand": strand["title"],
                "What it means": " ".join(strand["explanation"].split()),
                "Chapters": links,
                "Measures (latest)": cell,
            }
        )
    return tables.table(
        pd.DataFrame(rows),
        caption=f"The core strategy's {len(rows)} strands, the chapters that follow each and the measures that show "
        "progress",
        source=f"{core.get('source', 'the edition content')}; measures from the pathway chapters",
        synthetic=book.synthetic,
        html_columns=["Chapters", "Measures (latest)"],
    )


def _indicator_sentence(book: Catalog, indicator: str) -> str | None:
    """One sentence of an indicator's local values against England's (None without data).

    For example: 'Perinatal mortality (per 1,000 births), 2007/08: 12.3 in Birmingham East and North PCT
    and 8.0 in Solihull Care Trust, against 7.9 for England'.
    """
    frame = benchmarks.benchmark_rows(book, _pathway_of(book, indicator))
    rows = frame[(frame["indicator"] == indicator) & frame["area"].notna()] if len(frame) else frame
    if rows is None or rows.empty:
        return None
    info = indicator_info(book, indicator)
    fmt = (lambda v: f"{100 * v:.1f}%") if info.get("percent") else (lambda v: tables.figure(v))
    local = sentence_list([f"{fmt(v)} in {a}" for a, v in zip(rows["area"], rows["value"], strict=True)])
    england = rows["england"].iloc[0]
    against = f", against {fmt(england)} for England" if pd.notna(england) else ""
    return (
        f"{info.get('name', indicator)}, "
        f"{benchmarks.period_label(rows['period'].iloc[0], rows['period_start'].iloc[0])}: {local}{against}."
    )


def _pathway_of(book: Catalog, indicator: str) -> str:
    """The pathway whose benchmark list names an indicator ('' when none does)."""
    for pid, spec in book.params.pathways.items():
        if indicator in spec.benchmark:
            return pid
    return ""


def challenged_services(book: Catalog) -> Markdown:
    """Each service the plan calls challenged: the plan's response in our words, then what this edition's data show."""
    services = _strategy(book).get("challenged_services", [])
    if not services:
        return Markdown("*This edition's content names no challenged services.*")
    results = kpi_results(book)
    parts = []
    for s in services:
        facts = []
        for key in s.get("measures", []):
            if key in results:
                r = results[key][1]
                facts.append(f"{literal(measures.kpi_title(r))} ({literal(kpi_words(r))}).")
            elif _pathway_of(book, key):
                sentence = _indicator_sentence(book, key)
                if sentence:
                    facts.append(literal(sentence))
        shows = " ".join(facts) if facts else f"This edition has no measure of {literal(s['title'].lower())}."
        parts.append(
            f"**{literal(s['title'])}.** {literal(' '.join(s['text'].split()))}\n\n*What the data show.* {shows}"
        )
    return Markdown("\n\n".join(parts))


def about(book: Catalog) -> Markdown:
    """What the page holds, with the number of strands and services from the content files."""
    core = (book.content.get("economy", {}) or {}).get("core_strategy", {})
    n_strands, n_services = len(core.get("strands", [])), len(_strategy(book).get("challenged_services", []))
    if not n_strands and not n_services:
        return Markdown(NO_STRATEGY)
    return Markdown(
        f"The plan rests on a core strategy of {n_strands} strands that every partner signed up to, and it discusses "
        f"{n_services} services that the region counts as challenged. This page shows where the book follows each "
        "strand, and what the edition's data say about each challenged service."
    )
