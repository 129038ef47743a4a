"""Making Data Count SPC charts and the KPI summary table with variation and assurance icons."""

from __future__ import annotations

import html
from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from analysis.charts import table as tables
from analysis.charts.icons import assurance_svg, variation_svg
from analysis.charts.theme import MEANING, finish

# Point meanings in legend order, with their colours from the theme.
POINT_MEANINGS = {
    "common_cause": ("Common cause", MEANING["common_cause"]),
    "special_cause_improvement": ("Improvement", MEANING["improvement"]),
    "special_cause_concern": ("Concern", MEANING["concern"]),
    "special_cause_neutral_high": ("Neutral", MEANING["neutral"]),
    "special_cause_neutral_low": ("Neutral", MEANING["neutral"]),
}
LEGEND = ("Improvement", "Concern", "Neutral", "Common cause")
LEGEND_COLOURS = (MEANING["improvement"], MEANING["concern"], MEANING["neutral"], MEANING["common_cause"])
POINT_LABELS = {
    "common_cause": "Common cause variation",
    "special_cause_improvement": "Special cause: improvement",
    "special_cause_concern": "Special cause: concern",
    "special_cause_neutral_high": "Special cause: high (neutral)",
    "special_cause_neutral_low": "Special cause: low (neutral)",
}
TRIAL_NOTE = "Trial limits: fewer than 12 points since the last change, so the limits may still move"


TOOLTIP_NUMBER = ",.2~f"  # as the tables show figures: 13,660 and 1.25, never 1.366e+4
TOOLTIP_PERCENT = ".1%"


def axis_percent_format(data: pd.DataFrame, target: float | None = None) -> str:
    """A d3 format for a percentage axis: whole percentages, or one decimal when the chart spans under 5 points."""
    values = np.concatenate([data[c].to_numpy(dtype=float) for c in ("value", "lpl", "upl")])
    if target is not None and not pd.isna(target):
        values = np.append(values, float(target))
    values = values[np.isfinite(values)]
    span = float(values.max() - values.min()) if len(values) else 1.0
    # Axis ticks fall about a tenth of the span apart; under 0.05 that is under one point, so whole
    # percentages would repeat labels (97%, 97%, 98%).
    return ".1%" if span < 0.05 else ".0%"


def spc_frame(result: pd.DataFrame, dates: Sequence[object]) -> pd.DataFrame:
    """The plotting table of an XmR result: one row per point with its date, limits and meaning."""
    if len(dates) != len(result):
        raise ValueError(f"spc_chart: {len(dates)} dates for {len(result)} points; give one date per point")
    kinds = result["point_type"].astype(object).to_numpy()
    unknown = sorted({k for k in kinds if k not in POINT_MEANINGS})
    if unknown:
        raise ValueError(f"spc_chart: unknown point type(s) {', '.join(unknown)}")
    return pd.DataFrame(
        {
            "date": pd.to_datetime(pd.Series(list(dates))).to_numpy(),
            "value": result["value"].to_numpy(dtype=float),
            "mean": result["mean"].to_numpy(dtype=float),
            "lpl": result["lpl"].to_numpy(dtype=float),
            "upl": result["upl"].to_numpy(dtype=float),
            "group": result["rebase_group"].to_numpy(dtype=int),
            "meaning": [POINT_MEANINGS[k][0] for k in kinds],
            "point": [POINT_LABELS[k] for k in kinds],
        }
    )


def spc_chart(
    result: pd.DataFrame,
    *,
    dates: Sequence[object],
    title: str,
    source: str,
    description: str,
    unit: str,
    target: float | None = None,
    synthetic: bool = False,
    percent: bool = False,
) -> alt.LayerChart:
    """The Making Data Count chart: values, mean, process limits per rebase group, target and coloured points.

    `percent` shows proportions (0.299) as percentages (29.9%) on the axis and in the tooltips.
    """
    data = spc_frame(result, dates)
    base = alt.Chart(data).encode(x=alt.X("date:T", title=None, axis=date_axis(len(data))))
    tip = TOOLTIP_PERCENT if percent else TOOLTIP_NUMBER
    axis = alt.Axis(format=axis_percent_format(data, target)) if percent else alt.Axis()

    def y(field: str) -> alt.Y:
        return alt.Y(f"{field}:Q", title=unit, scale=alt.Scale(zero=False), axis=axis)

    line = base.mark_line(color=MEANING["common_cause"], strokeWidth=1.5).encode(y=y("value"))
    # Limits and mean are drawn per rebase group (detail), so they break where the process was rebased.
    mean = base.mark_line(color=MEANING["limit"], strokeWidth=1.5).encode(y=y("mean"), detail="group:N")
    upper = base.mark_line(color=MEANING["limit"], strokeWidth=1.2, strokeDash=[6, 4]).encode(
        y=y("upl"), detail="group:N"
    )
    lower = base.mark_line(color=MEANING["limit"], strokeWidth=1.2, strokeDash=[6, 4]).encode(
        y=y("lpl"), detail="group:N"
    )
    points = base.mark_circle(size=55, opacity=1).encode(
        y=y("value"),
        color=alt.Color(
            "meaning:N", title="Variation", scale=alt.Scale(domain=list(LEGEND), range=list(LEGEND_COLOURS))
        ),
        tooltip=[
            alt.Tooltip("date:T", title="Date", format="%b %Y"),
            alt.Tooltip("value:Q", title=unit, format=tip),
            alt.Tooltip("point:N", title="Point type"),
            alt.Tooltip("mean:Q", title="Mean", format=tip),
            alt.Tooltip("lpl:Q", title="Lower process limit", format=tip),
            alt.Tooltip("upl:Q", title="Upper process limit", format=tip),
        ],
    )
    layers = [line, mean, upper, lower]
    if target is not None and not pd.isna(target):
        layers.append(
            alt.Chart(pd.DataFrame({"target": [float(target)]}))
            .mark_rule(color=MEANING["target"], strokeWidth=1.5)
            .encode(y=y("target"), tooltip=[alt.Tooltip("target:Q", title="Target", format=tip)])
        )
    layers.append(points)
    subtitle = TRIAL_NOTE if bool(np.any(result["trial_limits"].to_numpy())) else None
    return finish(
        alt.layer(*layers), title=title, source=source, description=description, subtitle=subtitle, synthetic=synthetic
    )


def date_axis(count: int) -> alt.Axis:
    """A month axis whose labels never collide: at most about six ticks, one label per tick, no overlap."""
    return alt.Axis(
        format="%b %Y",
        labelAngle=0,
        tickCount=min(6, max(2, count)),
        labelOverlap="greedy",
        labelSeparation=6,
        grid=False,
    )


RUN_LEGEND = ("Actual", "Plan trajectory")


def run_chart(
    dates: Sequence[object],
    values: Sequence[float],
    *,
    title: str,
    source: str,
    description: str,
    unit: str,
    trajectory: dict[str, float] | None = None,
    synthetic: bool = False,
    percent: bool = False,
) -> alt.LayerChart:
    """A run chart for a series that cannot be a stable process (a running total).

    It shows the values, their median and, when given, the plan's trajectory from the latest value to each
    planned month (no process limits).
    """
    if len(dates) != len(values):
        raise ValueError(f"run_chart: {len(dates)} dates for {len(values)} values; give one date per value")
    actual = pd.DataFrame(
        {
            "date": pd.to_datetime(pd.Series(list(dates))).to_numpy(),
            "value": np.asarray(values, dtype=float),
            "series": RUN_LEGEND[0],
        }
    )
    frames = [actual]
    if trajectory:
        planned = pd.DataFrame(
            {"date": pd.to_datetime([f"{m}-01" for m in trajectory]), "value": list(trajectory.values())}
        )
        frames.append(
            pd.concat([actual.tail(1)[["date", "value"]], planned], ignore_index=True).assign(series=RUN_LEGEND[1])
        )
    data = pd.concat(frames, ignore_index=True)
    tip = TOOLTIP_PERCENT if percent else TOOLTIP_NUMBER
    y = alt.Y("value:Q", title=unit, axis=alt.Axis(format=".0%") if percent else alt.Axis())
    colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=list(RUN_LEGEND), range=[MEANING["plan"], MEANING["target"]]),
        legend=alt.Legend(orient="top", direction="horizontal"),
    )
    months = int(round((data["date"].max() - data["date"].min()).days / 30.4)) + 1
    lines = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("date:T", title=None, axis=date_axis(months)),
            y=y,
            color=colour,
            strokeDash=alt.StrokeDash(
                "series:N", scale=alt.Scale(domain=list(RUN_LEGEND), range=[[1, 0], [6, 4]]), legend=None
            ),
            tooltip=[
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("date:T", title="Month", format="%b %Y"),
                alt.Tooltip("value:Q", title=unit, format=tip),
            ],
        )
    )
    median = (
        alt.Chart(
            pd.DataFrame(
                {
                    "median": [float(np.median(actual["value"]))],
                    "start": [actual["date"].min()],
                    "end": [actual["date"].max()],
                }
            )
        )
        .mark_rule(color=MEANING["limit"], strokeWidth=1.2)
        .encode(
            x="start:T",
            x2="end:T",
            y="median:Q",
            tooltip=[alt.Tooltip("median:Q", title="Median of the actual values", format=tip)],
        )
    )
    return finish(
        alt.layer(median, lines),
        title=title,
        source=source,
        description=description,
        subtitle="A running total cannot be a stable process, so it has no usual range: read it against the plan's "
        "path.",
        synthetic=synthetic,
    )


# --- the KPI summary table -----------------------------------------------------------------------

SUMMARY_COLUMNS = (
    "kpi",
    "unit",
    "latest_period",
    "latest_value",
    "mean",
    "lpl",
    "upl",
    "variation",
    "assurance",
    "target",
)
# Short headings so the table fits a laptop screen and an A4 page: seven columns, the unit in the
# indicator's cell, the period under the latest value, the two process limits as one usual range;
# figures never break inside, so the indicator's name is the column that wraps.
SUMMARY_HEADINGS = {
    "kpi": "Indicator",
    "latest_value": "Latest",
    "mean": "Average",
    "range": "Usual range",
    "target": "Target",
    "variation": "Variation",
    "assurance": "Assurance",
}
RUN = "run"  # the variation of a KPI drawn as a run chart: a running total has no process limits
RUN_CELL = "Running total: run chart, no usual range"
SUMMARY_CAPTION = (
    "Measures at a glance: latest value, average, usual range (the process limits), target, variation and assurance"
)


def kpi_value(value: object, percent: bool = False) -> str:
    """A KPI value as the book shows it: a percentage with one decimal for proportions, else a sensible figure.

    Text passes through as it is: a count already suppressed or rounded by disclosure control ("*", "1,235").
    """
    if isinstance(value, str):
        return value
    if value is None or pd.isna(value):
        return ""
    return f"{100 * float(value):.1f}%" if percent else tables.figure(value)


def usual_range(lower: object, upper: object, percent: bool = False) -> str:
    """The process limits as one range ("12,495–15,077"); blank when either is missing."""
    if lower is None or upper is None or pd.isna(lower) or pd.isna(upper):
        return ""
    return f"{kpi_value(lower, percent)}–{kpi_value(upper, percent)}"


# Secondary text in a cell (the unit, the period): relative to the cell's font, because the theme sizes
# <small> in rem, which on paper came out larger than the 8pt table text around it.
_QUIET = "font-size:0.85em;color:#425563"


def _nowrap(text: str) -> str:
    """Escaped text that a narrow column does not break inside (a figure, a month)."""
    return f'<span style="white-space:nowrap">{html.escape(text)}</span>' if text else ""


def period_text(value: object) -> str:
    """A period as text: a month for dates, the value itself otherwise."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, (pd.Timestamp, np.datetime64)) or hasattr(value, "strftime"):
        return pd.Timestamp(value).strftime("%b %Y")
    return str(value)


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def _shows_unit(name: object, unit: object) -> bool:
    """Whether the unit adds to the name: not blank and not already its last words ('OwnHealth members', 'members')."""
    if _missing(unit) or not str(unit).strip():
        return False
    return not str(name).strip().lower().endswith(str(unit).strip().lower())


def summary_table(
    rows: pd.DataFrame,
    *,
    caption: str = SUMMARY_CAPTION,
    source: str | None = None,
    synthetic: bool = False,
    icon_size: int = 32,
) -> tables.Table:
    """The KPI summary table: one row per KPI with its latest value, average, usual range, target and the two icons.

    `rows` has the columns kpi, unit, latest_period, latest_value, mean, lpl, upl, variation,
    assurance and target (assurance and target may be missing values), and optionally `percent`
    (True shows that row's proportions as percentages). The source line comes from `source`, or else
    from a `source` column of `rows`.
    """
    missing = [c for c in SUMMARY_COLUMNS if c not in rows.columns]
    if missing:
        raise ValueError(
            f"summary_table: rows need column(s) {', '.join(missing)}; found {', '.join(map(str, rows.columns))}"
        )
    if source is None:
        if "source" not in rows.columns or rows["source"].isna().all():
            raise ValueError("summary_table: give source=... or a 'source' column naming where each KPI comes from")
        source = "; ".join(dict.fromkeys(str(s) for s in rows["source"].dropna()))
    percent = rows["percent"].fillna(False).astype(bool).tolist() if "percent" in rows.columns else [False] * len(rows)
    esc = html.escape
    indicator = [
        esc(str(name)) + (f' <span style="{_QUIET}">({esc(str(unit))})</span>' if _shows_unit(name, unit) else "")
        for name, unit in zip(rows["kpi"], rows["unit"], strict=True)
    ]
    latest = [
        _nowrap(kpi_value(v, pct))
        + (f'<br><span style="{_QUIET}">{_nowrap(period_text(when))}</span>' if period_text(when) else "")
        for v, when, pct in zip(rows["latest_value"], rows["latest_period"], percent, strict=True)
    ]
    frame = pd.DataFrame(
        {
            SUMMARY_HEADINGS["kpi"]: indicator,
            SUMMARY_HEADINGS["latest_value"]: latest,
            SUMMARY_HEADINGS["mean"]: [_nowrap(kpi_value(v, p)) for v, p in zip(rows["mean"], percent, strict=True)],
            SUMMARY_HEADINGS["range"]: [
                _nowrap(usual_range(lo, hi, p)) for lo, hi, p in zip(rows["lpl"], rows["upl"], percent, strict=True)
            ],
            SUMMARY_HEADINGS["target"]: [
                _nowrap(kpi_value(v, p)) for v, p in zip(rows["target"], percent, strict=True)
            ],
            SUMMARY_HEADINGS["variation"]: [
                RUN_CELL if v == RUN else variation_svg(v, icon_size) for v in rows["variation"]
            ],
            SUMMARY_HEADINGS["assurance"]: [
                "No target"
                if _missing(a)
                else ("See the plan's trajectory" if a == RUN else assurance_svg(a, icon_size))
                for a in rows["assurance"]
            ],
        }
    )
    numbers = [SUMMARY_HEADINGS[c] for c in ("latest_value", "mean", "range", "target")]
    return tables.table(
        frame,
        caption=caption,
        source=source,
        synthetic=synthetic,
        html_columns=list(SUMMARY_HEADINGS.values()),
        align_right=numbers,
    )
