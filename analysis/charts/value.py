"""Charts of the value and prioritisation chapters.

The spend and outcome quadrant, practice variation, the productivity challenge, and the schemes' savings per pound and
health gain.

Each builder takes a small tidy frame (computed in `analysis.report`), states its message in a title
computed from that frame unless one is given, and ends with `finish`.
"""

from __future__ import annotations

import textwrap
from functools import partial
from typing import Unpack

import altair as alt
import numpy as np
import pandas as pd

from analysis.charts.scaffold import ChartWords, described, finish_chart, require_columns
from analysis.charts.table import pounds
from analysis.charts.theme import CATEGORICAL, MEANING, NHS, WIDTH
from analysis.stats import sdc

DECISION_COLOURS = {
    "Scale up": NHS["blue"],
    "Keep and evaluate": NHS["aqua_green"],
    "Review or stop": MEANING["concern"],
    "Cost it first": NHS["mid_grey"],
}
QUADRANTS = (
    # (x sign, y sign, label)
    (1, 1, "Higher spend, better outcome"),
    (-1, 1, "Lower spend, better outcome"),
    (-1, -1, "Lower spend, worse outcome"),
    (1, -1, "Higher spend, worse outcome"),
)



def _two_lines(label: str, width: int = 40) -> str:
    """A long name on at most two lines for a label expression that splits on "|" (cut with an ellipsis)."""
    lines = textwrap.wrap(label, width)
    return "|".join(lines[:2]) + ("…" if len(lines) > 2 else "")

def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _money(x: float) -> str:
    return f"{'-' if x < 0 else ''}£{abs(x) / 1e6:,.1f}m"


_pounds2 = pounds(2)  # savings per pound, with a true minus sign before the £


def spread_labels(values: np.ndarray, gap: float, low: float, high: float) -> np.ndarray:
    """Label positions as close as possible to `values`, at least `gap` apart, kept within [low, high] where they fit.

    Sorted from the top, each label goes no higher than its value and at least `gap` below the one
    above; the column is then moved up as a whole by the mean drift (so a crowded cluster spreads
    both ways around its points), but never above `high`, and up again if it fell below `low`.
    Returned in the input's order.
    """
    v = np.asarray(values, dtype=float)
    if v.size == 0:
        return v.copy()
    placed = np.empty_like(v)
    level = np.inf
    for i in np.argsort(-v, kind="stable"):
        level = min(v[i], level - gap)
        placed[i] = level
    shift = min(float(np.mean(v - placed)), high - float(placed.max()))
    placed = placed + max(shift, 0.0)
    if placed.min() < low:
        placed = placed + (low - placed.min())
    return placed


def quadrant_title(frame: pd.DataFrame) -> str:
    """The quadrant's message: who combines above-average spend with a significantly worse outcome than England."""
    worse = frame[(frame["index"] > 0) & (frame["comparison"] == "worse")]
    if worse.empty:
        return "No programme combines above-average spend with a significantly worse outcome than England"
    counts = worse.groupby("area_name").size().sort_values(ascending=False, kind="stable")
    area = counts.index[0]
    mine = frame[frame["area_name"] == area]
    k, n = int(counts.iloc[0]), len(mine)
    if (mine["index"] > 0).all():
        return (
            f"{area} spends more per resident than the economy's average on every programme and does significantly "
            f"worse than England on {k} of {n}"
        )
    return f"{k} of {area}'s programmes cost more per resident than average and do significantly worse than England"


def quadrant_chart(frame: pd.DataFrame, *, source: str, year_label: str, **words: Unpack[ChartWords]) -> alt.LayerChart:
    """Spend per resident against the economy's average (x) and outcome against England (y).

    One point per commissioner and programme.

    Needs columns area_name, pathway_title, index (spend per head / economy average - 1), relative
    (outcome against England, above 0 = better), comparison, name (the outcome), period, value_text,
    england_text, per_head. Filled points differ significantly from England at 95%; hollow ones do not.
    """
    require_columns(
        frame,
        {
            "area_name",
            "pathway_title",
            "index",
            "relative",
            "comparison",
            "name",
            "period",
            "value_text",
            "england_text",
            "per_head",
        },
        "quadrant_chart",
    )
    data = frame.copy()
    reach_x = float(max(data["index"].abs().max(), 0.01)) * 2.2  # room for the label columns
    reach_y = float(max(data["relative"].abs().max(), 0.01)) * 1.15
    areas = list(dict.fromkeys(data["area_name"]))
    colour = alt.Color(
        "area_name:N",
        title="Commissioner",
        scale=alt.Scale(domain=areas, range=CATEGORICAL[: len(areas)]),
        legend=alt.Legend(labelLimit=320),
    )
    x = alt.X(
        "index:Q",
        title=f"Spend per resident against the economy's average for the programme, {year_label}",
        axis=alt.Axis(format="+%", tickCount=7),
        scale=alt.Scale(domain=[-reach_x, reach_x]),
    )
    y = alt.Y(
        "relative:Q",
        title="Headline outcome against England (above 0 = better)",
        axis=alt.Axis(format="+%"),
        scale=alt.Scale(domain=[-reach_y, reach_y]),
    )
    tooltip = [
        alt.Tooltip("area_name:N", title="Commissioner"),
        alt.Tooltip("pathway_title:N", title="Programme"),
        alt.Tooltip("per_head:Q", title="Spend per resident (£)", format=",.0f"),
        alt.Tooltip("index:Q", title="Against the economy's average", format="+.1%"),
        alt.Tooltip("name:N", title="Headline outcome"),
        alt.Tooltip("period:N", title="Period"),
        alt.Tooltip("value_text:N", title="Value"),
        alt.Tooltip("england_text:N", title="England"),
        alt.Tooltip("comparison:N", title="Against England (95%)"),
    ]
    points = (
        alt.Chart(data).mark_point(size=90, strokeWidth=2, filled=False).encode(x=x, y=y, color=colour, tooltip=tooltip)
    )
    # Filled where the outcome differs significantly from England (the subtitle says so).
    filled = (
        alt.Chart(data[data["comparison"].isin(["better", "worse"])])
        .mark_point(size=90, filled=True, opacity=1)
        .encode(x=x, y=y, color=colour, tooltip=tooltip)
    )
    # Labels sit in a column beside each side's points, spread so they never overlap, with a leader line.
    height = 380
    gap = 2 * reach_y * 14 / height
    data["right"] = data["index"] >= 0
    placed = []
    for right, group in data.groupby("right"):
        edge = group["index"].max() if right else group["index"].min()
        column = edge + (1 if right else -1) * reach_x * 0.12
        group = group.assign(
            label_x=column, label_y=spread_labels(group["relative"].to_numpy(), gap, -reach_y, reach_y)
        )
        placed.append(group)
    data = pd.concat(placed).sort_index()
    leaders = (
        alt.Chart(data)
        .mark_rule(color=NHS["mid_grey"], strokeWidth=1, opacity=0.5)
        .encode(x=x, y=y, x2="label_x:Q", y2="label_y:Q")
    )
    labels = [
        alt.Chart(data[data["right"] == right])
        .mark_text(align="left" if right else "right", dx=3 if right else -3, fontSize=10, color=NHS["dark_grey"])
        .encode(x="label_x:Q", y="label_y:Q", text="pathway_title:N", tooltip=tooltip)
        for right in (True, False)
        if (data["right"] == right).any()
    ]
    corner_marks = [
        alt.Chart(pd.DataFrame({"x": [sx * reach_x * 0.97], "y": [sy * reach_y * 0.97], "label": [label]}))
        .mark_text(
            align="right" if sx > 0 else "left",
            baseline="top" if sy > 0 else "bottom",
            fontSize=11,
            fontStyle="italic",
            color=NHS["mid_grey"],
        )
        .encode(x="x:Q", y="y:Q", text="label:N")
        for sx, sy, label in QUADRANTS
    ]
    zero_x = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color=NHS["dark_grey"]).encode(x="x:Q")
    zero_y = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color=NHS["dark_grey"]).encode(y="y:Q")
    description = described(
        "Scatter chart of spend per resident against the economy's average and the headline outcome against England",
        (
            f"{r.area_name} {r.pathway_title.lower()} spend {r.index:+.1%}, outcome {r.relative:+.1%} ({r.comparison})"
            for r in data.itertuples(index=False)
        ),
    )
    subtitle = (
        "Spend is the economy's own commissioners only (no England or peer spend by programme in this edition), crude "
        "per resident and not adjusted for age or need; outcomes are each programme's headline indicator. Filled "
        "points differ significantly from England (95%)."
    )
    chart = alt.layer(zero_x, zero_y, *corner_marks, leaders, points, filled, *labels).properties(
        width=WIDTH, height=height
    )
    title = partial(quadrant_title, data)  # worked out only when the caller gives no title
    return finish_chart(chart, source=source, words=words, title=title, description=description, subtitle=subtitle)


def variation_title(summary: pd.DataFrame) -> str:
    """The variation's message: the money if every practice matched its benchmark, and where most of it is."""
    total = float(summary["cost"].sum())
    top = summary.sort_values("cost", ascending=False).iloc[0]
    return (
        f"If every practice matched the best of its similar practices, about {_money(total)} a year of hospital "
        f"activity would go, the largest share in {top['line'].lower()}"
    )


def variation_chart(
    opportunity: pd.DataFrame,
    summary: pd.DataFrame,
    *,
    source: str,
    year_label: str,
    note: str,
    suppress_counts: bool = False,
    **words: Unpack[ChartWords],
) -> alt.LayerChart:
    """Each practice's rate as a ratio to the economy's rate, one row per activity line.

    Points are coloured by whether the practice is above its benchmark.

    `opportunity` has one row per practice and line (columns line, practice, ratio, rate, benchmark,
    activity, cost); `summary` one row per line (line, activity, cost). `suppress_counts` is for
    patient-level data (disclosure control): the lines' counts show suppressed or rounded
    (analysis.stats.sdc), and the tooltip leaves out each practice's count-like figures (fewer a year
    and its value); the caller leaves off practices whose own count is suppressed.
    """
    require_columns(
        opportunity, {"line", "practice", "ratio", "rate", "benchmark", "activity", "cost"}, "variation_chart"
    )
    require_columns(summary, {"line", "activity", "cost"}, "variation_chart")
    data = opportunity.copy()
    data["status"] = np.where(data["activity"] > 0, "Above its benchmark", "At or below its benchmark")
    if suppress_counts:  # the page's data holds no practice's count-like figures either
        data = data.drop(columns=["activity", "cost"])
    count = (lambda v: sdc.shown(round(v))) if suppress_counts else (lambda v: f"{v:,.0f}")
    labels = {r.line: f"{r.line}: {count(r.activity)} fewer, {_money(r.cost)}" for r in summary.itertuples(index=False)}
    data["row"] = data["line"].map(labels)
    # a fixed spread within each row, so points do not overlap and the chart is the same on every load
    data["jitter"] = data.groupby("line").cumcount().map(lambda i: ((i * 0.618034) % 1) * 1.6 - 0.8)
    order = [labels[line] for line in summary.sort_values("cost", ascending=False)["line"]]
    y = alt.Y("row:N", sort=order, title=None, axis=alt.Axis(labelLimit=320, labelFontSize=11))
    jitter = alt.YOffset("jitter:Q", scale=alt.Scale(domain=[-1, 1]))
    points = (
        alt.Chart(data)
        .mark_circle(size=30, opacity=0.75)
        .encode(
            x=alt.X(
                "ratio:Q",
                title=f"Practice's rate per registered patient as a ratio to the economy's rate, {year_label}",
                scale=alt.Scale(zero=False),
            ),
            y=y,
            yOffset=jitter,
            color=alt.Color(
                "status:N",
                title=None,
                scale=alt.Scale(
                    domain=["Above its benchmark", "At or below its benchmark"],
                    range=[MEANING["concern"], MEANING["peer"]],
                ),
            ),
            tooltip=[
                alt.Tooltip("practice:N", title="Practice"),
                alt.Tooltip("line:N", title="Activity"),
                alt.Tooltip("rate:Q", title="Rate per 1,000", format=",.1f"),
                alt.Tooltip("benchmark:Q", title="Benchmark per 1,000", format=",.1f"),
            ]
            + (
                []
                if suppress_counts
                else [
                    alt.Tooltip("activity:Q", title="Fewer a year if matched", format=",.0f"),
                    alt.Tooltip("cost:Q", title="Value a year (£)", format=",.0f"),
                ]
            ),
        )
    )
    one = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(color=NHS["black"], strokeDash=[4, 3]).encode(x="x:Q")
    description = described(
        "Strip chart of practices' activity rates as a ratio to the economy's rate",
        (
            f"{r.line} {count(r.activity)} fewer a year ({_money(r.cost)}) if every practice matched its benchmark"
            for r in summary.itertuples(index=False)
        ),
    )
    chart = alt.layer(one, points).properties(width=WIDTH - 120, height=alt.Step(34))
    subtitle = f"Dashed line: the economy's rate. {note}"
    title = partial(variation_title, summary)  # worked out only when the caller gives no title
    return finish_chart(chart, source=source, words=words, title=title, description=description, subtitle=subtitle)


def productivity_title(frame: pd.DataFrame, horizon_label: str) -> str:
    """The productivity challenge's message: cost growth doing nothing against funding growth."""
    g = frame.set_index("component")["growth"]
    cost = float(g[frame.loc[frame["kind"] == "cost", "component"].iloc[-1]])
    funding = float(g[frame.loc[frame["kind"] == "funding", "component"].iloc[0]])
    verb = "outgrows" if cost > funding else "grows no faster than"
    return f"Doing nothing, the cost of care ({cost:.1%} by {horizon_label}) {verb} funding ({funding:.1%})"


def productivity_chart(
    frame: pd.DataFrame,
    *,
    source: str,
    baseline_label: str,
    horizon_label: str,
    efficiency_needed: float,
    **words: Unpack[ChartWords],
) -> alt.LayerChart:
    """Growth from baseline to horizon in demand, prices, the cost of care and funding, as bars with labels."""
    require_columns(frame, {"component", "kind", "growth", "yearly"}, "productivity_chart")
    data = frame.copy()
    data["label"] = [f"{g:+.1%} ({y:+.1%} a year)" for g, y in zip(data["growth"], data["yearly"], strict=True)]
    data["colour"] = np.where(data["kind"] == "funding", "Funding", "Cost")
    order = list(data["component"])
    y = alt.Y("component:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    reach = float(data["growth"].max()) * 1.6  # room for the labels right of the longest bar
    x = alt.X(
        "growth:Q",
        title=f"Growth from {baseline_label} to {horizon_label}",
        axis=alt.Axis(format="%", tickCount=6),
        scale=alt.Scale(domain=[min(0.0, float(data["growth"].min()) * 1.2), reach]),
    )
    bars = (
        alt.Chart(data)
        .mark_bar(height=22)
        .encode(
            y=y,
            x=x,
            color=alt.Color(
                "colour:N",
                title=None,
                scale=alt.Scale(domain=["Cost", "Funding"], range=[MEANING["do_nothing"], MEANING["plan"]]),
            ),
            tooltip=[
                alt.Tooltip("component:N", title="What grows"),
                alt.Tooltip("growth:Q", title="Growth", format=".1%"),
                alt.Tooltip("yearly:Q", title="A year", format=".2%"),
            ],
        )
    )
    text = (
        alt.Chart(data).mark_text(align="left", dx=4, fontSize=11, color=NHS["black"]).encode(y=y, x=x, text="label:N")
    )
    description = described(
        f"Bar chart of growth from {baseline_label} to {horizon_label}",
        (f"{c} {g:+.1%}" for c, g in zip(data["component"], data["growth"], strict=True)),
        end=f"; closing the gap needs {efficiency_needed:.2%} efficiency a year.",
    )
    subtitle = (
        "Demand is activity at fixed unit costs (population and trend); prices are the plan's cost pressure; the "
        "cost of care adds both to other spending. "
        f"Closing the gap by productivity alone needs about {efficiency_needed:.2%} a year."
    )
    chart = alt.layer(bars, text).properties(width=WIDTH - 140, height=alt.Step(36))
    title = partial(productivity_title, data, horizon_label)  # worked out only when the caller gives no title
    return finish_chart(chart, source=source, words=words, title=title, description=description, subtitle=subtitle)


def savings_title(frame: pd.DataFrame, break_even: float) -> str:
    """The savings chart's message: how many schemes pay for themselves in most runs, and what the others offer."""
    paying = int((frame["decision"] == "Scale up").sum())
    gain = int((frame["decision"] == "Keep and evaluate").sum())
    neither = len(frame) - paying - gain
    title = f"{paying} of {len(frame)} costed schemes save more than they cost in most model runs"
    if gain or neither:
        title += f"; {gain} more avoid emergency admissions and {neither} {'does' if neither == 1 else 'do'} neither"
    return title


def savings_range_chart(
    frame: pd.DataFrame,
    *,
    source: str,
    break_even: float = 1.0,
    runs: int | None = None,
    **words: Unpack[ChartWords],
) -> alt.LayerChart:
    """Savings per pound of each scheme: central run a point, 10th-90th centile a bar, break-even a line."""
    require_columns(
        frame, {"name", "savings_per_pound", "spp_p10", "spp_p90", "share_paying", "decision"}, "savings_range_chart"
    )
    data = frame.copy()
    data["paying"] = data["share_paying"].map(lambda v: f"{v:.0%}")
    data["label"] = (
        [f"{r}. {n}" for r, n in zip(data["rank_savings"], data["name"], strict=True)]
        if "rank_savings" in data
        else data["name"]
    )
    order = list(data.sort_values("savings_per_pound", ascending=False)["label"])
    decisions = [d for d in DECISION_COLOURS if d in set(data["decision"])]
    scale = alt.Scale(domain=decisions, range=[DECISION_COLOURS[d] for d in decisions])
    colour = alt.Color("decision:N", title="Decision", scale=scale)
    # Long scheme names wrap onto two lines ("|" splits them), so the names and the plot fit the page.
    data["label"] = [_two_lines(label) for label in data["label"]]
    order = [_two_lines(label) for label in order]
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=240, labelExpr="split(datum.label, '|')"))
    tooltip = [
        alt.Tooltip("name:N", title="Scheme"),
        alt.Tooltip("savings_per_pound:Q", title="Savings per £1, central", format=",.2f"),
        alt.Tooltip("spp_p10:Q", title="10th centile", format=",.2f"),
        alt.Tooltip("spp_p90:Q", title="90th centile", format=",.2f"),
        alt.Tooltip("paying:N", title="Runs paying back"),
        alt.Tooltip("decision:N", title="Decision"),
    ]
    band = (
        alt.Chart(data)
        .mark_rule(strokeWidth=3, opacity=0.5)
        .encode(
            y=y,
            x=alt.X("spp_p10:Q", title="Savings for each £1 spent, to the horizon (£)"),
            x2="spp_p90:Q",
            color=colour,
            tooltip=tooltip,
        )
    )
    point = (
        alt.Chart(data)
        .mark_point(filled=True, size=70)
        .encode(y=y, x="savings_per_pound:Q", color=colour, tooltip=tooltip)
    )
    line = alt.Chart(pd.DataFrame({"x": [break_even]})).mark_rule(color=NHS["black"], strokeDash=[4, 3]).encode(x="x:Q")
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color=NHS["mid_grey"]).encode(x="x:Q")
    description = described(
        "Range chart of savings per pound by scheme",
        (
            f"{r.name} {_pounds2(r.savings_per_pound)} ({_pounds2(r.spp_p10)} to {_pounds2(r.spp_p90)}), "
            f"{r.decision.lower()}"
            for r in data.itertuples(index=False)
        ),
    )
    runs_text = f" of {runs:,} model runs" if runs else " of the model's runs"
    subtitle = (
        f"Point: the central run; bar: the 10th to 90th centile{runs_text}. Dashed line: £{break_even:,.0f} saved "
        "for each £1 spent."
    )
    chart = alt.layer(zero, line, band, point).properties(width=WIDTH - 240, height=alt.Step(30))
    title = partial(savings_title, data, break_even)  # worked out only when the caller gives no title
    return finish_chart(chart, source=source, words=words, title=title, description=description, subtitle=subtitle)


def matrix_title(frame: pd.DataFrame, break_even: float) -> str:
    """The matrix's message: whether any scheme both pays for itself and avoids emergency admissions."""
    both = frame[(frame["savings_per_pound"] > break_even) & (frame["gain_p50"] > 0)]
    gain = frame.sort_values("gain_p50", ascending=False).iloc[0]
    if both.empty:
        return (
            f"No scheme both pays for itself and avoids emergency admissions; {gain['name']} avoids the most per pound"
        )
    return (
        f"{_join(list(both['name']))} both {'pays' if len(both) == 1 else 'pay'} for "
        f"{'itself' if len(both) == 1 else 'themselves'} and avoid{'s' if len(both) == 1 else ''} emergency "
        "admissions"
    )


def priority_matrix_chart(
    frame: pd.DataFrame,
    *,
    source: str,
    break_even: float = 1.0,
    **words: Unpack[ChartWords],
) -> alt.LayerChart:
    """Health gain (emergency admissions avoided per £1,000, median run) against savings per pound (central run)."""
    require_columns(
        frame,
        {"name", "pathway_title", "savings_per_pound", "gain_p50", "gain_p10", "gain_p90", "decision"},
        "priority_matrix_chart",
    )
    data = frame.copy()
    decisions = [d for d in DECISION_COLOURS if d in set(data["decision"])]
    colour = alt.Color(
        "decision:N",
        title="Decision",
        scale=alt.Scale(domain=decisions, range=[DECISION_COLOURS[d] for d in decisions]),
    )
    x = alt.X("savings_per_pound:Q", title="Savings for each £1 spent, central run (£)")
    y = alt.Y("gain_p50:Q", title="Emergency admissions avoided per £1,000 spent")
    tooltip = [
        alt.Tooltip("name:N", title="Scheme"),
        alt.Tooltip("pathway_title:N", title="Pathway"),
        alt.Tooltip("savings_per_pound:Q", title="Savings per £1", format=",.2f"),
        alt.Tooltip("gain_p50:Q", title="Admissions avoided per £1,000", format=",.2f"),
        alt.Tooltip("gain_p10:Q", title="10th centile", format=",.2f"),
        alt.Tooltip("gain_p90:Q", title="90th centile", format=",.2f"),
        alt.Tooltip("decision:N", title="Decision"),
    ]
    whiskers = alt.Chart(data).mark_rule(opacity=0.5).encode(x=x, y="gain_p10:Q", y2="gain_p90:Q", color=colour)
    points = alt.Chart(data).mark_point(filled=True, size=90).encode(x=x, y=y, color=colour, tooltip=tooltip)
    data["label"] = data["rank_savings"].astype(str) if "rank_savings" in data else data["pathway_title"]
    labels = (
        alt.Chart(data)
        .mark_text(align="left", dx=7, dy=-7, fontSize=11, color=NHS["black"])
        .encode(x=x, y=y, text="label:N")
    )
    line = alt.Chart(pd.DataFrame({"x": [break_even]})).mark_rule(color=NHS["black"], strokeDash=[4, 3]).encode(x="x:Q")
    subtitle = (
        "Right of the dashed line a scheme saves more than it costs; higher up it avoids more emergency admissions "
        "per pound. "
        "Whiskers: 10th to 90th centile of health gain. Numbers are the schemes' ranks in the table above."
    )
    description = described(
        "Scatter chart of schemes by savings per pound and emergency admissions avoided per £1,000",
        (f"{r.name} {_pounds2(r.savings_per_pound)} and {r.gain_p50:,.2f}" for r in data.itertuples(index=False)),
    )
    chart = alt.layer(line, whiskers, points, labels).properties(width=WIDTH, height=340)
    title = partial(matrix_title, data, break_even)  # worked out only when the caller gives no title
    return finish_chart(chart, source=source, words=words, title=title, description=description, subtitle=subtitle)
