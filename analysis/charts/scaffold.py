"""One scaffolding for the book's chart builders: what every builder checks, encodes and finishes alike.

A builder takes a tidy frame, checks it has the columns it draws (`require_columns`), draws its
marks (fiscal years on x with `year_x`, one colour per series with `series_colour`, the series and
year first in each tooltip with `series_tooltip`), and ends with `finish_chart`: the caller's title,
description and subtitle where it gave them, the builder's own otherwise, then `theme.finish`.

Builders take the caller's words as keyword arguments typed by `ChartWords`
(`title=`, `description=`, `subtitle=`, `synthetic=`), so the same four parameters are declared once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypedDict

import altair as alt
import pandas as pd

from analysis.charts.theme import finish


class ChartWords(TypedDict, total=False):
    """What a caller may say for a chart instead of the builder's own words (None: the builder's)."""

    title: str | None
    description: str | None
    subtitle: str | None
    synthetic: bool


Words = str | Callable[[], str]  # a builder's own text, or how to work it out when the caller gave none


def require_columns(frame: pd.DataFrame, need: Iterable[str], who: str, what: str = "frame") -> None:
    """Stop with the needed columns named when a frame lacks what a chart draws."""
    need = set(need)
    if not need <= set(frame.columns):
        raise ValueError(
            f"{who}: the {what} {'need' if what.endswith('s') else 'needs'} columns {', '.join(sorted(need))}; "
            f"found {', '.join(map(str, frame.columns))}"
        )


def year_x(**options: Any) -> alt.X:
    """Fiscal years along x, labels level."""
    return alt.X("year_label:O", title="Fiscal year", axis=alt.Axis(labelAngle=0), **options)


def series_colour(domain: Sequence[str], colours: Sequence[Any], **options: Any) -> alt.Color:
    """One fixed colour per series (the `series` column), no legend title."""
    return alt.Color("series:N", title=None, scale=alt.Scale(domain=list(domain), range=list(colours)), **options)


def series_tooltip(field: str, title: str, fmt: str) -> list[alt.Tooltip]:
    """A tooltip of the series, the year and one value."""
    return [
        alt.Tooltip("series:N", title="Series"),
        alt.Tooltip("year_label:O", title="Year"),
        alt.Tooltip(field, title=title, format=fmt),
    ]


def centile_tooltip(lower: str, upper: str) -> list[alt.Tooltip]:
    """A tooltip of the year and a band's 10th and 90th centiles (columns p10 and p90)."""
    return [
        alt.Tooltip("year_label:O", title="Year"),
        alt.Tooltip("p10:Q", title=lower, format=",.0f"),
        alt.Tooltip("p90:Q", title=upper, format=",.0f"),
    ]


def centile_band(
    base: alt.Chart, x: alt.X, measure: str, *, colour: str, opacity: float, lower: str, upper: str
) -> alt.Chart:
    """A shaded band from the 10th to the 90th centile (columns p10 and p90) over x, its axis titled `measure`."""
    return base.mark_area(opacity=opacity, color=colour).encode(
        x=x,
        y=alt.Y("p10:Q", title=measure, scale=alt.Scale(zero=False)),
        y2="p90:Q",
        tooltip=centile_tooltip(lower, upper),
    )


def _given_or_own(given: str | None, own: Words) -> str:
    """The caller's text when it gave one, else the builder's (worked out only then)."""
    if given is not None:
        return given
    return own() if callable(own) else own


def finish_chart(
    chart: alt.TopLevelMixin,
    *,
    source: str,
    words: ChartWords,
    title: Words,
    description: Words,
    subtitle: str | None = None,
    interaction: str | None = None,
) -> alt.TopLevelMixin:
    """`theme.finish` with the caller's words where given, else the builder's own title, description, subtitle.

    `interaction` is what a reader can do on screen (theme.finish keeps it out of print).
    """
    unknown = set(words) - set(ChartWords.__annotations__)
    if unknown:
        raise TypeError(
            f"unexpected chart argument(s) {', '.join(sorted(unknown))}; expected "
            f"{', '.join(ChartWords.__annotations__)}"
        )
    return finish(
        chart,
        title=_given_or_own(words.get("title"), title),
        source=source,
        description=_given_or_own(words.get("description"), description),
        subtitle=words.get("subtitle") or subtitle,
        synthetic=bool(words.get("synthetic", False)),
        interaction=interaction,
    )


def side_by_side_bars(
    base: alt.Chart, series: Sequence[str], value: str, *, x: alt.X, y: alt.Y, colour: alt.Color, tooltip: list
) -> alt.Chart:
    """Bars side by side within each x step, one per series, folded from one wide column per series."""
    return (
        base.transform_fold(list(series), as_=["series", value])
        .mark_bar()
        .encode(x=x, xOffset=alt.XOffset("series:N", sort=list(series)), y=y, color=colour, tooltip=tooltip)
    )


def described(lead: str, items: Iterable[str], end: str = ".") -> str:
    """A chart's screen-reader description: what it is, then each item's figures, separated by semicolons."""
    return f"{lead}: " + "; ".join(items) + end
