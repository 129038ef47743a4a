"""What every chapter shares: loading its edition, source lines, plain-English numbers."""

from __future__ import annotations

import html
import logging

import pandas as pd
from IPython.display import Markdown

from analysis import catalog
from analysis.catalog import Catalog
from analysis.charts import render

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


def synthetic_notice(book: Catalog) -> Markdown:
    """A visible label on every page: synthetic data, or which published statistics a real edition uses."""
    if not book.synthetic:
        return real_notice(book)
    return Markdown(
        '<div class="sb-synthetic"><strong>Synthetic data.</strong> '
        f"{book.params.edition.description}</div>"
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
    names = "; ".join(publishers(book)) or f"the files named in {book.params_file}"
    return Markdown(
        f'<div class="sb-real" style="{REAL_STYLE}"><strong>Published statistics.</strong> '
        f"Every figure on this page is computed from published statistics ({html.escape(names)}), read unchanged "
        "from the national files. Where those files have no data for a section, the section says so.</div>"
    )


def commissioner_names(book: Catalog) -> dict[str, str]:
    """Commissioner code -> name, for labels."""
    return {c.code: c.name for c in book.params.economy.commissioners}


def fiscal_year(dates: pd.Series) -> pd.Series:
    """The fiscal year (starting April) of each date, as the starting calendar year."""
    d = pd.to_datetime(dates)
    return (d.dt.year - (d.dt.month < 4).astype(int)).astype(int)


def fiscal_label(year: int) -> str:
    """2007 -> '2007/08'."""
    return f"{year}/{str(year + 1)[-2:]}"


def words_number(value: float) -> str:
    """A count in words a board member reads easily: 4,512 -> 'about 4,500'; 1,234,567 -> 'about 1.2 million'."""
    if pd.isna(value):
        return "not known"
    v = float(value)
    if abs(v) >= 1e6:
        return f"about {v / 1e6:,.1f} million"
    if abs(v) >= 1000:
        return f"about {round(v, -2):,.0f}"
    return f"{v:,.0f}"


def percent_text(value: float, decimals: int = 1) -> str:
    """0.123 -> '12.3%'."""
    return "not known" if pd.isna(value) else f"{100 * value:.{decimals}f}%"
