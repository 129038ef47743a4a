"""Funnel plots: units against their denominators, the 95% and 99.8% limits, the target and the outliers."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from analysis.charts import theme
from analysis.charts.spc import TOOLTIP_NUMBER  # figures as the tables show them, never 1.366e+4
from analysis.charts.theme import HEIGHT, MEANING, NHS, WIDTH, finish
from analysis.stats import sdc
from analysis.stats.funnel import FunnelResult, funnel_curve

# Position of each unit against the limits in use; no judgement (a funnel carries no polarity).
STATUS = ("Within 95% limits", "Between 95% and 99.8% limits", "Beyond 99.8% limits")
STATUS_COLOURS = (MEANING["common_cause"], NHS["pink"], MEANING["neutral"])
LIMIT_LEVELS = ("95% limits", "99.8% limits")
DENOMINATOR_LABELS = {"SR": "Expected count", "PR": "Denominator", "RC": "Denominator"}
MAX_LABELS = 5  # outliers named on the chart: the furthest beyond the 99.8% limits; the tooltip names every unit
# Where a label may sit against its point, in order of preference: (name, text align, dx, dy) in pixels.
LABEL_PLACES = (
    ("above right", "left", 7, -8),
    ("below right", "left", 7, 9),
    ("above left", "right", -7, -8),
    ("below left", "right", -7, 9),
)
LABEL_CHAR_PX, LABEL_HEIGHT_PX = 6.5, 12.0  # an 11-pixel label, roughly
SUBTITLE_CHARACTERS = 105  # a 12-pixel subtitle line this long fits above the 620-pixel plot and its axis


def funnel_frames(
    result: FunnelResult, multiplier: float = 1.0, highlight: Sequence[object] = ()
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The points table (one row per unit) and the long table of limit curves, scaled by `multiplier`."""
    t = result.table
    status = [
        STATUS[2] if o998 else STATUS[1] if o95 else STATUS[0]
        for o95, o998 in zip(t["outlier95"], t["outlier998"], strict=True)
    ]
    wanted = {str(h) for h in highlight}
    points = pd.DataFrame(
        {
            "unit": t["unit"].astype(str).to_numpy(),
            "numerator": t["numerator"].to_numpy(dtype=float),
            "denominator": t["denominator"].to_numpy(dtype=float),
            "value": t["value"].to_numpy(dtype=float) * multiplier,
            "status": status,
            "highlight": [str(u) in wanted for u in t["unit"]],
        }
    )
    points["extremity"] = extremity(t)
    points["label"] = [
        u if (h or s == STATUS[2]) else ""
        for u, h, s in zip(points["unit"], points["highlight"], points["status"], strict=True)
    ]
    curve = funnel_curve(result)
    long = []
    for level, low, high in (("95% limits", "ll95", "ul95"), ("99.8% limits", "ll998", "ul998")):
        for side, column in (("lower", low), ("upper", high)):
            long.append(
                pd.DataFrame(
                    {
                        "denominator": curve["denominator"],
                        "limit": curve[column] * multiplier,
                        "level": level,
                        "side": f"{level} {side}",
                    }
                )
            )
    return points, pd.concat(long, ignore_index=True)


def extremity(table: pd.DataFrame) -> np.ndarray:
    """How far each unit lies beyond its 99.8% limit, as a share of the limit's distance from the target (0 inside)."""
    value, target = table["value"].to_numpy(dtype=float), table["target"].to_numpy(dtype=float)
    low, high = table["od_ll998"].to_numpy(dtype=float), table["od_ul998"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        above = np.where(value > high, (value - high) / np.maximum(high - target, 1e-12), 0.0)
        below = np.where(value < low, (low - value) / np.maximum(target - low, 1e-12), 0.0)
    return np.nan_to_num(np.maximum(above, below), nan=0.0, posinf=1e12)


def place_labels(
    points: pd.DataFrame,
    curves: pd.DataFrame,
    centre: float,
    *,
    max_labels: int = MAX_LABELS,
    width: float = WIDTH,
    height: float = HEIGHT,
) -> pd.DataFrame:
    """Which labelled units are named and where each label sits, so that no two labels overlap.

    Highlighted units always get a label; outliers follow from the furthest beyond the limits (ties by
    name), up to `max_labels`. At the chart's approximate pixel scale, each label takes the place of
    LABEL_PLACES that stays inside the plot, overlaps no label already placed and covers the fewest
    dots (ties go to the first place: above first for values at or above `centre`, the centre line;
    below first for lower ones); an outlier with no free place is left to its tooltip. Deterministic.
    """
    wanted = points[points["label"] != ""].copy()
    if wanted.empty:
        return wanted.assign(place=pd.Series(dtype=object))
    wanted["_order"] = np.where(wanted["highlight"], np.inf, wanted["extremity"])
    wanted = wanted.sort_values(["_order", "unit"], ascending=[False, True], kind="mergesort")
    x_all = np.concatenate([points["denominator"].to_numpy(float), curves["denominator"].to_numpy(float)])
    y_all = np.concatenate([points["value"].to_numpy(float), curves["limit"].to_numpy(float), [0.0]])
    (x0, x1), (y0, y1) = (np.nanmin(x_all), np.nanmax(x_all)), (np.nanmin(y_all), np.nanmax(y_all))
    def pixels(x, y):
        """Data to approximate pixels: x from the left, y from the top of the plot."""
        return (x - x0) / ((x1 - x0) or 1.0) * width, (1 - (y - y0) / ((y1 - y0) or 1.0)) * height

    dots_x, dots_y = pixels(points["denominator"].to_numpy(float), points["value"].to_numpy(float))
    placed: list[tuple[float, float, float, float]] = []
    places, outliers = [], 0
    for row in wanted.itertuples():
        if not row.highlight and outliers >= max_labels:
            places.append(None)
            continue
        px, py = pixels(float(row.denominator), float(row.value))
        order = (
            LABEL_PLACES
            if row.value >= centre
            else (LABEL_PLACES[1], LABEL_PLACES[0], LABEL_PLACES[3], LABEL_PLACES[2])
        )
        w = LABEL_CHAR_PX * len(str(row.label))
        best = None  # (dots under the label, preference, place name, box): fewest dots covered, then preference
        for rank, (name, align, dx, dy) in enumerate(order):
            left = px + dx if align == "left" else px + dx - w
            box = (left, py + dy - LABEL_HEIGHT_PX / 2, left + w, py + dy + LABEL_HEIGHT_PX / 2)
            # Vega-Lite rounds the y scale up to a nice number, so a label may rise a little above the top point.
            inside = box[0] >= 0 and box[2] <= width and box[1] >= -LABEL_HEIGHT_PX and box[3] <= height
            clash = any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed)
            if not inside or clash:
                continue
            covered = int(
                ((dots_x > box[0] - 4) & (dots_x < box[2] + 4) & (dots_y > box[1] - 4) & (dots_y < box[3] + 4)).sum()
            )
            if best is None or (covered, rank) < best[:2]:
                best = (covered, rank, name, box)
        if best is None and row.highlight:  # the local organisation is always named, wherever it fits least badly
            best = (0, 0, order[0][0], (0.0, 0.0, 0.0, 0.0))
        if best is None:
            places.append(None)
            continue
        placed.append(best[3])
        places.append(best[2])
        outliers += 0 if row.highlight else 1
    wanted["place"] = places
    return wanted[wanted["place"].notna()].drop(columns="_order")


def plain_limits(result: FunnelResult) -> str:
    """What the funnel's lines are, in plain words.

    The method's detail is in the description and the methods appendix.
    """
    if result.adjusted:
        return ("Lines: the 95% and 99.8% limits, widened because units differ more than chance alone explains; "
                "a dot outside them stands out even so (the methods appendix explains)")
    if result.overdispersion:
        return (
            "Lines: the 95% and 99.8% limits; units differ no more than chance explains, so the lines are not widened"
        )
    return "Lines: the 95% and 99.8% limits, how far a unit of each size can differ from the average by chance"


def funnel_chart(
    result: FunnelResult,
    *,
    title: str,
    source: str,
    description: str,
    value_label: str,
    synthetic: bool = False,
    highlight: Sequence[object] = (),
    denominator_label: str | None = None,
    multiplier: float = 1.0,
    suppress_counts: bool = False,
    left_out: int = 0,
) -> alt.LayerChart:
    """A funnel plot with its limits (adjusted when used), target line, labelled outliers and a method subtitle.

    `highlight` names units to ring and label (the local organisation, say); `multiplier` scales the
    values for display (100 for percentages). `suppress_counts` applies disclosure control to counts
    from patient-level data (analysis.stats.sdc): the tooltip shows each unit's count (and, unless the
    denominator is an expected count, its denominator) with 1 to 7 suppressed and others rounded to
    the nearest 5, and a unit with a suppressed count is not drawn, since its position would give the
    count away; it still counts in the target and the limits, and the subtitle says how many are left off.
    `left_out` is the number of units the caller left out of `result` because their counts were
    suppressed before it was computed (disclosure at the data boundary); the subtitle counts them too.
    """
    points, curves = funnel_frames(result, multiplier, highlight)
    missing = {str(h) for h in highlight} - set(points["unit"])
    if missing:
        raise ValueError(f"funnel_chart: highlight names unit(s) not in the funnel: {', '.join(sorted(missing))}")
    left_off = left_out
    if suppress_counts:
        counted = ["numerator"] + ([] if result.data_type == "SR" else ["denominator"])
        for column in counted:
            points[f"{column}_text"] = [sdc.shown(round(v)) for v in points[column]]
        keep = ~points[[f"{c}_text" for c in counted]].eq(sdc.SUPPRESSED).any(axis=1)
        left_off += int((~keep).sum())
        points = points[keep].drop(columns="numerator").reset_index(drop=True)  # the page's data holds no exact count
    x_title = denominator_label or DENOMINATOR_LABELS[result.data_type]
    x = alt.X("denominator:Q", title=x_title, scale=alt.Scale(zero=False, nice=False))
    limits = (
        alt.Chart(curves)
        .mark_line(color=MEANING["limit"], strokeWidth=1.2)
        .encode(
            x=x,
            y=alt.Y("limit:Q", title=value_label),
            detail="side:N",
            strokeDash=alt.StrokeDash(
                "level:N", title="Limits", scale=alt.Scale(domain=list(LIMIT_LEVELS), range=[[5, 4], [1, 0]])
            ),
        )
    )
    # The centre line is the expected value (1 for ratios, the pooled average otherwise), not a goal.
    centre = (
        alt.Chart(pd.DataFrame({"target": [result.target * multiplier]}))
        .mark_rule(color=MEANING["england"], strokeWidth=1.2)
        .encode(
            y=alt.Y("target:Q", title=value_label),
            tooltip=[alt.Tooltip("target:Q", title="Expected", format=TOOLTIP_NUMBER)],
        )
    )
    dots = (
        alt.Chart(points)
        .mark_circle(size=50, opacity=0.9)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=value_label),
            color=alt.Color(
                "status:N", title="Position", scale=alt.Scale(domain=list(STATUS), range=list(STATUS_COLOURS))
            ),
            tooltip=[
                alt.Tooltip("unit:N", title="Unit"),
                alt.Tooltip("value:Q", title=value_label, format=TOOLTIP_NUMBER),
                alt.Tooltip("numerator_text:N", title="Numerator")
                if suppress_counts
                else alt.Tooltip("numerator:Q", title="Numerator", format=TOOLTIP_NUMBER),
                alt.Tooltip("denominator_text:N", title=x_title)
                if "denominator_text" in points
                else alt.Tooltip("denominator:Q", title=x_title, format=TOOLTIP_NUMBER),
                alt.Tooltip("status:N", title="Position"),
            ],
        )
    )
    layers = [limits, centre, dots]
    chosen = points[points["highlight"]]
    if len(chosen):
        layers.append(
            alt.Chart(chosen)
            .mark_point(size=160, shape="circle", filled=False, strokeWidth=2.5, color=MEANING["local"])
            .encode(x=x, y=alt.Y("value:Q", title=value_label))
        )
    labelled = place_labels(points, curves, result.target * multiplier)
    for name, align, dx, dy in LABEL_PLACES:
        here = labelled[labelled["place"] == name]
        if len(here):
            layers.append(
                alt.Chart(here[["unit", "denominator", "value", "label"]])
                .mark_text(align=align, dx=dx, dy=dy, fontSize=11, color=NHS["black"])
                .encode(x=x, y=alt.Y("value:Q", title=value_label), text="label:N")
            )
    subtitle = plain_limits(result)
    description = f"{description} Method: {result.method}."
    unnamed = int((points["status"] == STATUS[2]).sum()) - int((labelled["status"] == STATUS[2]).sum())
    how = None
    if unnamed > 0:
        subtitle += f". Labels name the units furthest beyond the 99.8% limits; {unnamed} more are outside them"
        how = "Hover over a dot to see which unit it is and its figures."
    if suppress_counts:
        subtitle += ". Counts from patient-level data: 1 to 7 suppressed, others rounded to the nearest 5"
        if left_off:
            subtitle += (
                f"; {left_off} {'unit' if left_off == 1 else 'units'} with a suppressed count not drawn (the limits "
                "include them)"
            )
    chart = finish(
        alt.layer(*layers),
        title=title,
        source=source,
        description=description,
        subtitle=subtitle,
        synthetic=synthetic,
        interaction=how,
    )
    # The subtitle may be long: its lines are rewrapped to this chart's width, replacing the lines the
    # theme wrapped it into (counted at the theme's own width, so that none is repeated or lost); the
    # source lines after them stay as they are.
    theme_lines = len(textwrap.wrap(subtitle, theme.SUBTITLE_CHARACTERS))
    chart.title.subtitle = textwrap.wrap(subtitle, SUBTITLE_CHARACTERS) + list(chart.title.subtitle[theme_lines:])
    return chart
