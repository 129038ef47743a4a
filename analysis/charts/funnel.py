"""Funnel plots: units against their denominators, the 95% and 99.8% limits, the target and the outliers."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from analysis.charts.theme import MEANING, NHS, finish
from analysis.stats.funnel import FunnelResult, funnel_curve

# Position of each unit against the limits in use; no judgement (a funnel carries no polarity).
STATUS = ("Within 95% limits", "Between 95% and 99.8% limits", "Beyond 99.8% limits")
STATUS_COLOURS = (MEANING["common_cause"], NHS["pink"], MEANING["neutral"])
LIMIT_LEVELS = ("95% limits", "99.8% limits")
DENOMINATOR_LABELS = {"SR": "Expected count", "PR": "Denominator", "RC": "Denominator"}


def funnel_frames(result: FunnelResult, multiplier: float = 1.0, highlight: Sequence[object] = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The points table (one row per unit) and the long table of limit curves, scaled by `multiplier`."""
    t = result.table
    status = [STATUS[2] if o998 else STATUS[1] if o95 else STATUS[0] for o95, o998 in zip(t["outlier95"], t["outlier998"])]
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
    points["label"] = [u if (h or s == STATUS[2]) else "" for u, h, s in zip(points["unit"], points["highlight"], points["status"])]
    curve = funnel_curve(result)
    long = []
    for level, low, high in (("95% limits", "ll95", "ul95"), ("99.8% limits", "ll998", "ul998")):
        for side, column in (("lower", low), ("upper", high)):
            long.append(
                pd.DataFrame(
                    {"denominator": curve["denominator"], "limit": curve[column] * multiplier, "level": level, "side": f"{level} {side}"}
                )
            )
    return points, pd.concat(long, ignore_index=True)


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
) -> alt.LayerChart:
    """A funnel plot with its limits (adjusted when used), target line, labelled outliers and a method subtitle.

    `highlight` names units to ring and label (the local organisation, say); `multiplier` scales the
    values for display (100 for percentages).
    """
    points, curves = funnel_frames(result, multiplier, highlight)
    missing = {str(h) for h in highlight} - set(points["unit"])
    if missing:
        raise ValueError(f"funnel_chart: highlight names unit(s) not in the funnel: {', '.join(sorted(missing))}")
    x_title = denominator_label or DENOMINATOR_LABELS[result.data_type]
    x = alt.X("denominator:Q", title=x_title, scale=alt.Scale(zero=False, nice=False))
    limits = (
        alt.Chart(curves)
        .mark_line(color=MEANING["limit"], strokeWidth=1.2)
        .encode(
            x=x,
            y=alt.Y("limit:Q", title=value_label),
            detail="side:N",
            strokeDash=alt.StrokeDash("level:N", title="Limits", scale=alt.Scale(domain=list(LIMIT_LEVELS), range=[[5, 4], [1, 0]])),
        )
    )
    # The centre line is the expected value (1 for ratios, the pooled average otherwise), not a goal.
    centre = (
        alt.Chart(pd.DataFrame({"target": [result.target * multiplier]}))
        .mark_rule(color=MEANING["england"], strokeWidth=1.2)
        .encode(y=alt.Y("target:Q", title=value_label), tooltip=[alt.Tooltip("target:Q", title="Expected", format=",.4~g")])
    )
    dots = (
        alt.Chart(points)
        .mark_circle(size=50, opacity=0.9)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=value_label),
            color=alt.Color("status:N", title="Position", scale=alt.Scale(domain=list(STATUS), range=list(STATUS_COLOURS))),
            tooltip=[
                alt.Tooltip("unit:N", title="Unit"),
                alt.Tooltip("value:Q", title=value_label, format=",.4~g"),
                alt.Tooltip("numerator:Q", title="Numerator", format=",.4~g"),
                alt.Tooltip("denominator:Q", title=x_title, format=",.4~g"),
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
    labelled = points[points["label"] != ""]
    if len(labelled):
        layers.append(
            alt.Chart(labelled)
            .mark_text(align="left", dx=7, dy=-7, fontSize=11, color=NHS["black"])
            .encode(x=x, y=alt.Y("value:Q", title=value_label), text="label:N")
        )
    return finish(alt.layer(*layers), title=title, source=source, description=description, subtitle=result.method, synthetic=synthetic)
