"""Making Data Count SPC charts and the KPI summary table with variation and assurance icons."""

from __future__ import annotations

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
) -> alt.LayerChart:
    """The Making Data Count chart: values, mean, process limits per rebase group, target and coloured points."""
    data = spc_frame(result, dates)
    base = alt.Chart(data).encode(x=alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0)))
    def y(field: str) -> alt.Y:
        return alt.Y(f"{field}:Q", title=unit, scale=alt.Scale(zero=False))

    line = base.mark_line(color=MEANING["common_cause"], strokeWidth=1.5).encode(y=y("value"))
    # Limits and mean are drawn per rebase group (detail), so they break where the process was rebased.
    mean = base.mark_line(color=MEANING["limit"], strokeWidth=1.5).encode(y=y("mean"), detail="group:N")
    upper = base.mark_line(color=MEANING["limit"], strokeWidth=1.2, strokeDash=[6, 4]).encode(y=y("upl"), detail="group:N")
    lower = base.mark_line(color=MEANING["limit"], strokeWidth=1.2, strokeDash=[6, 4]).encode(y=y("lpl"), detail="group:N")
    points = base.mark_circle(size=55, opacity=1).encode(
        y=y("value"),
        color=alt.Color("meaning:N", title="Variation", scale=alt.Scale(domain=list(LEGEND), range=list(LEGEND_COLOURS))),
        tooltip=[
            alt.Tooltip("date:T", title="Date", format="%b %Y"),
            alt.Tooltip("value:Q", title=unit, format=",.4~g"),
            alt.Tooltip("point:N", title="Point type"),
            alt.Tooltip("mean:Q", title="Mean", format=",.4~g"),
            alt.Tooltip("lpl:Q", title="Lower process limit", format=",.4~g"),
            alt.Tooltip("upl:Q", title="Upper process limit", format=",.4~g"),
        ],
    )
    layers = [line, mean, upper, lower]
    if target is not None and not pd.isna(target):
        layers.append(
            alt.Chart(pd.DataFrame({"target": [float(target)]}))
            .mark_rule(color=MEANING["target"], strokeWidth=1.5)
            .encode(y=y("target"), tooltip=[alt.Tooltip("target:Q", title="Target", format=",.4~g")])
        )
    layers.append(points)
    subtitle = TRIAL_NOTE if bool(np.any(result["trial_limits"].to_numpy())) else None
    return finish(alt.layer(*layers), title=title, source=source, description=description, subtitle=subtitle, synthetic=synthetic)


# --- the KPI summary table -----------------------------------------------------------------------

SUMMARY_COLUMNS = ("kpi", "unit", "latest_period", "latest_value", "mean", "lpl", "upl", "variation", "assurance", "target")
SUMMARY_HEADINGS = {
    "kpi": "Indicator",
    "unit": "Unit",
    "latest_period": "Latest period",
    "latest_value": "Latest value",
    "mean": "Mean",
    "lpl": "Lower process limit",
    "upl": "Upper process limit",
    "target": "Target",
    "variation": "Variation",
    "assurance": "Assurance",
}


def _figure(value: object) -> str:
    """A KPI number with sensible precision: whole numbers when large, three significant figures when small."""
    if value is None or pd.isna(value):
        return ""
    v = float(value)
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 1:
        return f"{v:,.1f}"
    return f"{v:.3g}"


def _period(value: object) -> str:
    """A period as text: a month for dates, the value itself otherwise."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, (pd.Timestamp, np.datetime64)) or hasattr(value, "strftime"):
        return pd.Timestamp(value).strftime("%b %Y")
    return str(value)


def summary_table(
    rows: pd.DataFrame,
    *,
    caption: str = "Key performance indicators: latest value, process limits, variation and assurance",
    source: str | None = None,
    synthetic: bool = False,
    icon_size: int = 32,
) -> tables.Table:
    """The KPI summary table: one row per KPI with its latest value, limits, target and the two icons.

    `rows` has the columns kpi, unit, latest_period, latest_value, mean, lpl, upl, variation,
    assurance and target (assurance and target may be missing values). The source line comes from
    `source`, or else from a `source` column of `rows`.
    """
    missing = [c for c in SUMMARY_COLUMNS if c not in rows.columns]
    if missing:
        raise ValueError(f"summary_table: rows need column(s) {', '.join(missing)}; found {', '.join(map(str, rows.columns))}")
    if source is None:
        if "source" not in rows.columns or rows["source"].isna().all():
            raise ValueError("summary_table: give source=... or a 'source' column naming where each KPI comes from")
        source = "; ".join(dict.fromkeys(str(s) for s in rows["source"].dropna()))
    frame = pd.DataFrame(
        {
            SUMMARY_HEADINGS["kpi"]: rows["kpi"].astype(str).to_numpy(),
            SUMMARY_HEADINGS["unit"]: rows["unit"].fillna("").astype(str).to_numpy(),
            SUMMARY_HEADINGS["latest_period"]: [_period(v) for v in rows["latest_period"]],
            SUMMARY_HEADINGS["latest_value"]: rows["latest_value"].to_numpy(),
            SUMMARY_HEADINGS["mean"]: rows["mean"].to_numpy(),
            SUMMARY_HEADINGS["lpl"]: rows["lpl"].to_numpy(),
            SUMMARY_HEADINGS["upl"]: rows["upl"].to_numpy(),
            SUMMARY_HEADINGS["target"]: rows["target"].to_numpy(),
            SUMMARY_HEADINGS["variation"]: [variation_svg(v, icon_size) for v in rows["variation"]],
            SUMMARY_HEADINGS["assurance"]: [
                "No target" if (a is None or (not isinstance(a, str) and pd.isna(a))) else assurance_svg(a, icon_size) for a in rows["assurance"]
            ],
        }
    )
    numbers = [SUMMARY_HEADINGS[c] for c in ("latest_value", "mean", "lpl", "upl", "target")]
    return tables.table(
        frame,
        caption=caption,
        source=source,
        synthetic=synthetic,
        formats={c: _figure for c in numbers},
        html_columns=[SUMMARY_HEADINGS["variation"], SUMMARY_HEADINGS["assurance"]],
        align_right=numbers,
    )
