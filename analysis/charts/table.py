"""Tables for the book: plain, accessible HTML with a caption and a source, and a text fallback.

pandas' Styler puts a random id into its HTML, which nbval would report as a change on every run;
this small renderer is deterministic and styles through the book's CSS (class `sb-table`).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from analysis.charts.theme import source_line

Formatter = Callable[[object], str]


def number(decimals: int = 0) -> Formatter:
    """Format a number with thousands separators and fixed decimals; blanks for missing."""
    return lambda v: "" if pd.isna(v) else f"{v:,.{decimals}f}"


def percent(decimals: int = 1) -> Formatter:
    """Format a proportion (0.123) as a percentage (12.3%)."""
    return lambda v: "" if pd.isna(v) else f"{100 * v:.{decimals}f}%"


# The minus sign (as d3 writes it on chart axes) and a word joiner: browsers would otherwise break a
# narrow table cell after the sign, leaving "−" on one line and "£0.2m" on the next.
MINUS = "\u2212\u2060"


def pounds(decimals: int = 0, scale: float = 1.0, suffix: str = "") -> Formatter:
    """Format money in pounds, optionally scaled (scale=1e6, suffix='m' gives £1.2m); the sign comes first (−£0.2m)."""

    def fmt(v: object) -> str:
        if v is None or pd.isna(v):
            return ""
        text = f"{abs(float(v)) / scale:,.{decimals}f}"
        # A value that rounds to zero shows no sign: "−£0.0m" would suggest a loss that is not there.
        negative = float(v) < 0 and text.strip("0.,") != ""
        return f"{MINUS if negative else ''}£{text}{suffix}"

    return fmt


def figure(value: object) -> str:
    """A number with sensible precision: whole numbers from 100, one decimal from 1, three significant figures below."""
    if value is None or pd.isna(value):
        return ""
    v = float(value)
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 1:
        return f"{v:,.1f}"
    return f"{v:.3g}"


@dataclass
class Table:
    """A table ready for the book: HTML for the web page, plain text for nbval and screen readers."""

    frame: pd.DataFrame
    caption: str
    source: str
    synthetic: bool = False
    formats: Mapping[str, Formatter] = field(default_factory=dict)
    html_columns: Sequence[str] = ()  # columns holding trusted HTML (icons, links), not escaped
    align_right: Sequence[str] = ()

    def _cell(self, column: str, value: object) -> str:
        if column in self.html_columns:
            return "" if pd.isna(value) else str(value)
        fmt = self.formats.get(column)
        text = fmt(value) if fmt else ("" if pd.isna(value) else str(value))
        return html.escape(text)

    def _repr_html_(self) -> str:
        head = "".join(
            f'<th scope="col"{" class=sb-num" if c in self.align_right else ""}>{html.escape(str(c))}</th>'
            for c in self.frame.columns
        )
        rows = []
        for record in self.frame.itertuples(index=False, name=None):
            cells = "".join(
                f'<td{" class=sb-num" if c in self.align_right else ""}>{self._cell(c, v)}</td>'
                for c, v in zip(self.frame.columns, record, strict=True)
            )
            rows.append(f"<tr>{cells}</tr>")
        return (
            # The wrapper scrolls sideways on a narrow screen: focusable and named so a keyboard can reach it.
            '<div class="sb-table-wrap" role="region" tabindex="0" '
            f'aria-label="{html.escape(self.caption, quote=True)}"><table class="sb-table">'
            f"<caption>{html.escape(self.caption)}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f'<p class="sb-source">{html.escape(source_line(self.source, self.synthetic))}</p></div>'
        )

    def __repr__(self) -> str:
        """The table as plain text, for nbval and screen readers."""
        plain = self.frame.copy()
        for c in plain.columns:
            if c in self.html_columns:
                plain[c] = plain[c].map(lambda v: "" if pd.isna(v) else html.unescape(_strip_tags(str(v))))
            elif c in self.formats:
                plain[c] = plain[c].map(self.formats[c])
        return f"{self.caption}\n{plain.to_string(index=False)}\n{source_line(self.source, self.synthetic)}"


def _strip_tags(text: str) -> str:
    """The accessible text of an HTML fragment: its title/aria-label if any, else its text."""
    import re

    label = re.search(r'aria-label="([^"]*)"', text)
    if label:
        return label.group(1)
    # Tags become spaces, so "name<br><small>unit</small>" reads "name unit", not "nameunit".
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


def table(
    frame: pd.DataFrame,
    *,
    caption: str,
    source: str,
    synthetic: bool = False,
    formats: Mapping[str, Formatter] | None = None,
    html_columns: Sequence[str] = (),
    align_right: Sequence[str] = (),
) -> Table:
    """Wrap a frame as a book table with a caption, a source line and column formats."""
    return Table(
        frame.reset_index(drop=True),
        caption,
        source,
        synthetic,
        dict(formats or {}),
        tuple(html_columns),
        tuple(align_right),
    )
