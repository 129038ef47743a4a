"""What every chapter shares.

Loading its edition, source lines and notices, the economy's organisations, and disclosure control of counts from
patient-level data.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
import pandas as pd
from IPython.display import Markdown

from analysis import catalog
from analysis.catalog import Catalog
from analysis.charts import render
from analysis.charts.table import Table
from analysis.charts.theme import finish
from analysis.report.wording import literal
from analysis.stats import sdc

SYNTHETIC_SOURCE = "the strategy book's synthetic data generator (default edition)"


def load(params_file: str) -> Catalog:
    """Open an edition for a chapter: validated parameters and tables, and the book's chart renderer."""
    render.enable()
    # The adapters log rejected and repaired rows as warnings; the catalog keeps them (book.notes) for
    # the data-quality appendix, so they are not printed at the top of every chapter.
    adapters = logging.getLogger("analysis.adapters")
    level = adapters.level
    adapters.setLevel(logging.ERROR)
    try:
        return catalog.load(params_file)
    finally:
        adapters.setLevel(level)


def source(book: Catalog, table: str) -> str:
    """The source line of a table in this edition."""
    if book.synthetic:
        return SYNTHETIC_SOURCE
    return book.sources.get(table, f"the {table} files named in {book.params_file}")


def sources(book: Catalog, *tables_used: str) -> str:
    """The source line of several tables, each publisher once."""
    return "; ".join(dict.fromkeys(source(book, t) for t in tables_used))


def synthetic_notice(book: Catalog) -> Markdown:
    """A visible label on every page: synthetic data, or which published statistics a real edition uses."""
    if not book.synthetic:
        return real_notice(book)
    return Markdown(
        '<div class="sb-synthetic"><strong>Synthetic data.</strong> '
        f"{literal(book.params.edition.description)}</div>"
    )


def glue_all(values: dict) -> None:
    """Store a chapter's headline figures in its notebook, for the executive summary to paste (myst-nb glue)."""
    from myst_nb import glue

    for key, value in values.items():
        glue(key, value, display=False)


REAL_STYLE = "border-left: 4px solid #005EB8; background: #EEF4FB; padding: 0.5rem 0.8rem; margin: 0.5rem 0 1rem 0;"


def publishers(book: Catalog) -> list[str]:
    """Who published the statistics a files edition reads, each once, in the order of its tables."""
    return list(dict.fromkeys(p.strip() for text in book.sources.values() for p in text.split(";")))


def real_notice(book: Catalog) -> Markdown:
    """The label of every page of a real-data edition: what is real, and where it comes from."""
    if book.patient_level:
        return _patient_level_notice(book)
    names = "; ".join(publishers(book)) or f"the files named in {book.params_file}"
    return Markdown(
        f'<div class="sb-real" style="{REAL_STYLE}"><strong>Published statistics.</strong> '
        f"Every figure on this page is computed from published statistics ({literal(names)}), read unchanged "
        "from the national files. Where those files have no data for a section, the section says so.</div>"
    )


def _patient_level_notice(book: Catalog) -> Markdown:
    """The label of an edition with tables counted from patient-level data: which, and the disclosure rule."""
    extracts = "; ".join(book.sources.get(t, t) for t in sorted(book.patient_level))
    others = [p for t, text in book.sources.items() if t not in book.patient_level for p in text.split(";")]
    published = "; ".join(dict.fromkeys(p.strip() for p in others))
    rest = (
        f" Every other figure is computed from published statistics ({literal(published)}), read unchanged."
        if published
        else ""
    )
    return Markdown(
        f'<div class="sb-real" style="{REAL_STYLE}"><strong>Patient-level data, with disclosure control.</strong> '
        f"Activity is counted from {literal(extracts)}, records of individual patients: every count shown from it has "
        "1 to 7 "
        "suppressed (*) and others rounded to the nearest 5 as the data are loaded, so every total, rate and "
        f"statistic is worked out from rounded counts.{rest} "
        "Where the data have nothing for a section, the section says so.</div>"
    )


def commissioner_names(book: Catalog) -> dict[str, str]:
    """Commissioner code -> name, for labels."""
    return {c.code: c.name for c in book.params.economy.commissioners}


def economy_organisations(book: Catalog) -> dict[str, str]:
    """The economy's own organisations, code -> name: commissioners, then providers."""
    e = book.params.economy
    return {o.code: o.name for o in (*e.commissioners, *e.providers)}


def latest_by_organisation(frame: pd.DataFrame, organisations) -> pd.DataFrame:
    """The rows of each organisation's latest period, for the organisations listed (others dropped)."""
    mine = frame[frame["organisation"].astype(str).isin(list(organisations))]
    if mine.empty:
        return mine
    latest = mine.groupby("organisation")["period"].transform("max")
    return mine[mine["period"] == latest].reset_index(drop=True)


# --- disclosure control ---------------------------------------------------------------------------------

DISCLOSURE_NOTE = (
    "Counts from patient-level data: 1 to 7 suppressed (*), others rounded to the nearest 5, before any total or "
    "statistic is worked out (a total counts a suppressed count as 0)"
)


def patient_level(book: Catalog, table: str) -> bool:
    """Whether this edition counts `table` from patient-level data (episodes), so that disclosure control applies."""
    return table in getattr(book, "patient_level", frozenset())


def disclosure_note(book: Catalog, table: str) -> str:
    """The note a table or chart built on `table` carries under disclosure control; "" when none applies."""
    return DISCLOSURE_NOTE if patient_level(book, table) else ""


def shown_count(book: Catalog, table: str, value: float) -> str:
    """A count (or an estimate from counts) for a sentence: '12,347', or under disclosure control '12,345' / '*'."""
    if pd.isna(value):
        return "not known"
    if patient_level(book, table):
        return sdc.shown(round(float(value)))
    return f"{float(value):,.0f}"


def disclose(
    book: Catalog,
    table_name: str,
    data: pd.DataFrame | Table,
    counts: Sequence[str] = (),
    rates: Sequence[str] | Mapping[str, str | Sequence[str]] = (),
    *,
    rows: Sequence[bool] | None = None,
) -> pd.DataFrame | Table:
    """`data` as the book may show it: returned unchanged unless this edition's `table_name` is patient-level.

    Then (DESIGN.md section 4, analysis.stats.sdc.suppress_table) each column of `counts` shows "*"
    for 1 to 7 and otherwise the count rounded to the nearest 5, as text with thousands separators
    (estimates made from counts, such as a modelled "fewer a year", are rounded to whole numbers
    first); each column of `rates` (a list: it depends on every count column; or a mapping rate ->
    its count column(s)) shows "*" where a count it depends on is suppressed and keeps its value
    elsewhere. `rows` (a boolean mask) limits this to the rows derived from `table_name`.

    `data` is a frame (a copy comes back, with the note in attrs["disclosure"]) or a book Table (it
    comes back with the note on its source line, and its column formats pass "*" and the rounded
    counts through).
    """
    if not patient_level(book, table_name):
        return data
    if isinstance(data, Table):
        frame = disclose(book, table_name, data.frame, counts, rates, rows=rows)
        changed = {*counts, *rates}
        formats = {c: (_text_passes(f) if c in changed else f) for c, f in data.formats.items()}
        return replace(data, frame=frame, formats=formats, source=f"{data.source.rstrip('. ')}. {DISCLOSURE_NOTE}")
    frame = data
    mask = np.ones(len(frame), dtype=bool) if rows is None else np.asarray(rows, dtype=bool)
    depends = dict(rates) if isinstance(rates, Mapping) else {r: list(counts) for r in rates}
    part = frame.loc[mask, list(dict.fromkeys([*counts, *depends]))].copy()
    for column in counts:
        part[column] = [np.nan if pd.isna(v) else round(float(v)) for v in part[column]]
    safe = sdc.suppress_table(part, list(counts), depends)
    out = frame.copy()
    for column in counts:
        out[column] = out[column].astype(object)
        out.loc[mask, column] = [v if text == "" else (text if text == sdc.SUPPRESSED else f"{int(text):,}")
                                 for v, text in zip(frame.loc[mask, column], safe[column], strict=True)]
    for column in depends:
        out[column] = out[column].astype(object)
        out.loc[mask, column] = [sdc.SUPPRESSED if text == sdc.SUPPRESSED else v
                                 for v, text in zip(frame.loc[mask, column], safe[column], strict=True)]
    out.attrs["disclosure"] = DISCLOSURE_NOTE
    return out


def _text_passes(fmt):
    """A column format that leaves text (a suppressed or rounded count) as it is."""
    return lambda v: v if isinstance(v, str) else fmt(v)


def finish_from(
    book: Catalog,
    table: str,
    chart,
    *,
    title: str,
    description: str,
    subtitle: str | None = None,
    interaction: str | None = None,
):
    """A chart of this edition finished with its message, the source line of `table` and the synthetic-data label.

    `interaction` is what a reader can do on screen (kept out of print).
    """
    return finish(
        chart,
        title=title,
        subtitle=subtitle,
        source=source(book, table),
        synthetic=book.synthetic,
        description=description,
        interaction=interaction,
    )
