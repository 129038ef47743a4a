"""Charts of the five-year model.

Activity trajectories, the waterfall, the financial gap, the tornado, workforce and beds.

The trajectory and gap charts carry sliders (Altair parameters bound to range inputs) for the main
assumptions. Everything a slider needs is precomputed in `analysis.model` on a small grid (effect scale,
allocation growth shift) or is a closed form (efficiency compounds as (1 - e) ** years), so the chart
recomputes in the reader's browser with Vega-Lite filter and calculate transforms: no server, no kernel.
Parameter names are fixed ("growth", "efficiency", "effect_scale") so specs are deterministic.
"""

from __future__ import annotations

import textwrap
from typing import Unpack

import altair as alt
import pandas as pd

from analysis.charts.scaffold import (
    ChartWords,
    centile_band,
    described,
    finish_chart,
    require_columns,
    series_colour,
    series_tooltip,
    side_by_side_bars,
    year_x,
)
from analysis.charts.theme import MEANING, NHS, WIDTH, finish
from analysis.model.finance import GAP_GRID_COLUMNS
from analysis.model.fiscal import fy_label

SCENARIO_LABELS = {"history": "Actual", "do_nothing": "Do nothing", "plan": "The plan"}
SCENARIO_COLOURS = [NHS["dark_grey"], MEANING["do_nothing"], MEANING["plan"]]
MATCH = 1e-6  # tolerance when a slider value picks a precomputed grid row
SECTOR_WORDS = {"acute": "hospital", "community": "community", "primary care": "primary care", "new roles": "new role"}
BAR_WIDTH = WIDTH - 200  # horizontal bars: the labels take about 200 pixels of the reading column


def _effect_param(default: float = 1.0, maximum: float = 2.0) -> alt.Parameter:
    """The effect-scale slider (name fixed so specs are deterministic)."""
    return alt.param(
        name="effect_scale",
        value=default,
        bind=alt.binding_range(min=0, max=maximum, step=0.25, name="Interventions' effect (1 = as planned, 0 = none) "),
    )


def _pct(x: float) -> str:
    """A proportion as a percentage with one decimal."""
    return f"{100 * x:.1f}%"


def _millions(x: float) -> str:
    """Pounds as £ millions with one decimal."""
    return f"{'-' if x < 0 else ''}£{abs(x) / 1e6:,.1f}m"


def _gap_words(x: float) -> str:
    """A gap in words: positive is a shortfall, negative a surplus."""
    return f"a shortfall of £{x / 1e6:,.1f}m" if x >= 0 else f"a surplus of £{-x / 1e6:,.1f}m"


def do_nothing_chart(grid: pd.DataFrame, *, source: str, measure: str, synthetic: bool = False) -> alt.Chart:
    """History and the do-nothing projection only: the trajectory of an edition without a plan."""
    data = grid[grid["scenario"].isin(["history", "do_nothing"])].drop_duplicates(["scenario", "year"]).copy()
    data["series"] = data["scenario"].map(SCENARIO_LABELS)
    horizon = int(data["year"].max())
    dn = float(data[(data["scenario"] == "do_nothing") & (data["year"] == horizon)]["count"].iloc[0])
    labels = [SCENARIO_LABELS["history"], SCENARIO_LABELS["do_nothing"]]
    chart = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("year_label:O", title="Fiscal year", sort="ascending", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("count:Q", title=measure, scale=alt.Scale(zero=False)),
            color=alt.Color("series:N", title=None, scale=alt.Scale(domain=labels, range=SCENARIO_COLOURS[:2])),
            strokeDash=alt.StrokeDash("series:N", title=None, scale=alt.Scale(domain=labels, range=[[1, 0], [6, 4]])),
            tooltip=[
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("year_label:O", title="Year"),
                alt.Tooltip("count:Q", title=measure, format=",.0f"),
            ],
        )
        .properties(width=WIDTH)
    )
    return finish(
        chart,
        title=f"Doing nothing, activity reaches {dn:,.0f} in {fy_label(horizon)}",
        source=source,
        synthetic=synthetic,
        subtitle="No plan is loaded: the projection is demography and trend only.",
        description=f"Line chart of {measure.lower()} by fiscal year: actual history and the do-nothing projection, "
        f"which reaches {dn:,.0f} in {fy_label(horizon)}.",
    )


def trajectory_chart(
    grid: pd.DataFrame,
    *,
    source: str,
    measure: str = "Activity a year",
    with_plan: bool = True,
    **words: Unpack[ChartWords],
) -> alt.LayerChart:
    """History, do nothing and the plan with its 10th-90th centile band, and a slider for the effect scale.

    `grid` comes from `analysis.model.projection.trajectory_grid`. with_plan=False (an edition without a
    plan): history and doing nothing only, no band and no slider.
    """
    require_columns(
        grid, {"scenario", "year", "year_label", "effect_scale", "count", "p10", "p90"}, "trajectory_chart", "grid"
    )
    if not with_plan:
        return do_nothing_chart(grid, source=source, measure=measure, synthetic=bool(words.get("synthetic", False)))
    data = grid.copy()
    data["series"] = data["scenario"].map(SCENARIO_LABELS)
    horizon = int(data["year"].max())
    dn = data[(data["scenario"] == "do_nothing") & (data["year"] == horizon)]["count"].iloc[0]
    pl = data[(data["scenario"] == "plan") & (data["year"] == horizon) & ((data["effect_scale"] - 1).abs() < MATCH)][
        "count"
    ]
    pl = pl.iloc[0] if len(pl) else dn
    change = pl / dn - 1 if dn else 0.0
    # The slider rescales the plan's effects, so the title states the direction at the assumed
    # effects (which rescaling cannot reverse), not a number the slider changes.
    title = (
        f"At its assumed effects the plan ends {fy_label(horizon)} with {'less' if change < 0 else 'more'} activity "
        "than doing nothing"
        if abs(change) >= 0.0005
        else f"The plan leaves activity in {fy_label(horizon)} where doing nothing would"
    )
    description = (
        f"Line chart of {measure.lower()} by fiscal year: actual history, the do-nothing projection and the plan "
        f"with its 10th to 90th centile band; in {fy_label(horizon)} do nothing reaches {dn:,.0f} and the plan "
        f"{pl:,.0f}."
    )
    scale = _effect_param()
    picked = f"datum.scenario == 'plan' && abs(datum.effect_scale - effect_scale) < {MATCH}"
    x = year_x(sort="ascending")
    colour = series_colour(list(SCENARIO_LABELS.values()), SCENARIO_COLOURS)
    base = alt.Chart(data)
    band = centile_band(
        base.transform_filter(picked), x, measure, colour=MEANING["plan"], opacity=0.2,
        lower="10th centile", upper="90th centile",
    )
    fixed = (
        base.transform_filter("datum.scenario != 'plan'")
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("count:Q", title=measure),
            color=colour,
            strokeDash=alt.StrokeDash(
                "series:N",
                title=None,
                scale=alt.Scale(domain=list(SCENARIO_LABELS.values()), range=[[1, 0], [6, 4], [1, 0]]),
            ),
            tooltip=series_tooltip("count:Q", measure, ",.0f"),
        )
    )
    planned = base.transform_filter(picked).mark_line(point=True).encode(
        x=x,
        y=alt.Y("count:Q", title=measure),
        color=colour,
        tooltip=series_tooltip("count:Q", measure, ",.0f"),
    )
    chart = alt.layer(band, fixed, planned).add_params(scale).properties(width=WIDTH)
    subtitle = "Shaded: 10th to 90th centile of the plan's Monte Carlo runs."
    return finish_chart(
        chart, source=source, words=words, title=title, description=description, subtitle=subtitle,
        interaction="Move the slider under the chart to scale every intervention's effect; hover over a line to read "
        "its values.",
    )


def _wrap(text: str, width: int = 14) -> str:
    """Wrap an axis label onto lines joined by '|' (split again by the axis label expression)."""
    return "|".join(textwrap.wrap(text, width)) or text


def waterfall_chart(
    steps: pd.DataFrame,
    *,
    source: str,
    measure: str = "Activity a year",
    **words: Unpack[ChartWords],
) -> alt.LayerChart:
    """The change from baseline to horizon by factor: demography, trend, each intervention, and the total.

    `steps` comes from `analysis.model.projection.waterfall_steps`. Bars float from the running total
    of the change (starting at zero), so small changes stay visible beside large levels; the levels
    themselves are in the subtitle.
    """
    require_columns(steps, {"order", "step", "kind", "value", "start", "end"}, "waterfall_chart", "steps")
    levels = steps[steps["kind"].isin(["baseline", "horizon"])].set_index("kind")
    if set(levels.index) != {"baseline", "horizon"}:
        raise ValueError("waterfall_chart: the steps need one baseline and one horizon row")
    baseline, horizon = float(levels.loc["baseline", "value"]), float(levels.loc["horizon", "value"])
    data = steps[~steps["kind"].isin(["baseline", "horizon"])].sort_values("order").copy()
    data["start"] = data["start"] - baseline
    data["end"] = data["end"] - baseline
    total = pd.DataFrame(
        [
            {
                "order": len(steps),
                "step": "Total change",
                "kind": "total",
                "value": horizon - baseline,
                "start": 0.0,
                "end": horizon - baseline,
            }
        ]
    )
    data = pd.concat([data[["order", "step", "kind", "value", "start", "end"]], total], ignore_index=True)
    data["direction"] = [
        "Total" if k == "total" else ("Increase" if v >= 0 else "Decrease")
        for k, v in zip(data["kind"], data["value"], strict=True)
    ]
    data["label"] = [f"{v:+,.0f}" for v in data["value"]]
    data["axis"] = [_wrap(s) for s in data["step"]]
    data["top"] = data[["start", "end"]].max(axis=1)
    interventions = data.loc[data["kind"] == "intervention", "value"].sum()
    growth = data.loc[data["kind"].isin(["demography", "trend"]), "value"].sum()
    base_step = levels.loc["baseline", "step"]
    horizon_step = levels.loc["horizon", "step"]
    title = (
        f"Demography and trend add {growth:,.0f} ({growth / baseline:.1%}); "
        f"the plan's interventions {'remove' if interventions < 0 else 'add'} "
        f"{abs(interventions):,.0f}"
    )
    description = described(
        f"Waterfall chart of the change from {base_step} ({baseline:,.0f}) to {horizon_step} ({horizon:,.0f}), "
        "one bar per factor",
        (f"{s} {label}" for s, label in zip(data["step"], data["label"], strict=True)),
    )
    x = alt.X(
        "axis:N", sort=list(data["axis"]), title=None, axis=alt.Axis(labelAngle=0, labelExpr="split(datum.label, '|')")
    )
    y_title = f"Change in {measure[0].lower()}{measure[1:]}"
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("start:Q", title=y_title),
            y2="end:Q",
            color=alt.Color(
                "direction:N",
                title=None,
                scale=alt.Scale(
                    domain=["Increase", "Decrease", "Total"],
                    range=[MEANING["do_nothing"], MEANING["plan"], NHS["dark_grey"]],
                ),
            ),
            tooltip=[alt.Tooltip("step:N", title="Step"), alt.Tooltip("label:N", title="Change")],
        )
    )
    labels = alt.Chart(data).mark_text(dy=-6, fontSize=11, color=NHS["black"]).encode(x=x, y="top:Q", text="label:N")
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color=NHS["dark_grey"]).encode(y="y:Q")
    default_subtitle = (
        f"{base_step}: {baseline:,.0f}; {horizon_step}: {horizon:,.0f}. Changes split by the log-mean Divisia method, "
        "so the bars sum exactly to the total."
    )
    chart = alt.layer(bars, zero, labels).properties(width=WIDTH)
    return finish_chart(
        chart, source=source, words=words, title=title, description=description, subtitle=default_subtitle
    )


def gap_chart(
    grid: pd.DataFrame,
    *,
    source: str,
    efficiency: float | None = None,
    efficiency_max: float = 0.05,
    **words: Unpack[ChartWords],
) -> alt.VConcatChart:
    """Allocation against cost (do nothing and the plan), and the gap, with sliders for growth, efficiency and effect.

    `grid` comes from `analysis.model.finance.gap_grid`; `efficiency` is the slider's starting value
    (default: the grid's efficiency_assumed, else 0). Money is rounded to the nearest £1,000 to keep
    the page small; the chart shows £ millions.
    """
    require_columns(grid, GAP_GRID_COLUMNS, "gap_chart", "grid")
    if efficiency is None:
        efficiency = float(grid["efficiency_assumed"].iloc[0]) if "efficiency_assumed" in grid.columns else 0.0
    money_columns = ["allocation", "spend_do_nothing", "spend_plan", "intervention_costs"]
    data = grid[["growth_shift", "effect_scale", "year", "year_label", "years_from_base", *money_columns]].copy()
    data[money_columns] = data[money_columns].round(-3)
    horizon = int(data["year"].max())
    at = data[
        (data["growth_shift"].abs() < MATCH) & ((data["effect_scale"] - 1).abs() < MATCH) & (data["year"] == horizon)
    ].iloc[0]
    eff_index = (1 - efficiency) ** at["years_from_base"]
    gap_dn = at["spend_do_nothing"] * eff_index - at["allocation"]
    gap_plan = at["spend_plan"] * eff_index + at["intervention_costs"] - at["allocation"]
    title = f"Doing nothing leaves {_gap_words(gap_dn)} in {fy_label(horizon)}; with the plan, {_gap_words(gap_plan)}"
    description = (
        "Line chart of allocation and cost by fiscal year, doing nothing and with the plan, above a bar chart of the "
        "gap; "
        f"in {fy_label(horizon)} the gap is {_millions(gap_dn)} doing nothing and {_millions(gap_plan)} with the plan "
        f"(a positive gap is a shortfall)."
    )
    growth = alt.param(
        name="growth",
        value=0.0,
        bind=alt.binding_range(
            min=float(data["growth_shift"].min()),
            max=float(data["growth_shift"].max()),
            step=0.5,
            name="Allocation growth, change from assumption (points a year) ",
        ),
    )
    eff = alt.param(
        name="efficiency",
        value=float(round(efficiency, 4)),
        bind=alt.binding_range(min=0, max=efficiency_max, step=0.0025, name="Efficiency delivered a year (0.01 = 1%) "),
    )
    scale = _effect_param(maximum=float(data["effect_scale"].max()))
    base = (
        alt.Chart(data)
        .transform_filter(
            f"abs(datum.growth_shift - growth) < {MATCH} && abs(datum.effect_scale - effect_scale) < {MATCH}"
        )
        .transform_calculate(
            Allocation="datum.allocation / 1e6",
            **{
                "Cost, do nothing": "datum.spend_do_nothing * pow(1 - efficiency, datum.years_from_base) / 1e6",
                "Cost, the plan": "(datum.spend_plan * pow(1 - efficiency, datum.years_from_base) + "
                "datum.intervention_costs) / 1e6",
            },
        )
    )
    x = year_x()
    series = ["Allocation", "Cost, do nothing", "Cost, the plan"]
    lines = (
        base.transform_fold(series, as_=["series", "pounds"])
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("pounds:Q", title="£ million", scale=alt.Scale(zero=False)),
            color=series_colour(series, [NHS["black"], MEANING["do_nothing"], MEANING["plan"]]),
            tooltip=series_tooltip("pounds:Q", "£ million", ",.1f"),
        )
        .properties(width=WIDTH, height=220)
    )
    gaps = ["Gap, do nothing", "Gap, the plan"]
    gap_columns = base.transform_calculate(
        **{
            "Gap, do nothing": "datum['Cost, do nothing'] - datum.Allocation",
            "Gap, the plan": "datum['Cost, the plan'] - datum.Allocation",
        }
    )
    bars = side_by_side_bars(
        gap_columns,
        gaps,
        "gap",
        x=x,
        y=alt.Y("gap:Q", title="Gap, £ million (above 0 = shortfall)"),
        colour=series_colour(gaps, [MEANING["do_nothing"], MEANING["plan"]]),
        tooltip=series_tooltip("gap:Q", "£ million", ",.1f"),
    ).properties(width=WIDTH, height=160)
    chart = alt.vconcat(lines, bars).resolve_scale(color="independent").add_params(growth, eff, scale)
    subtitle = (
        "Drawn at the plan's assumptions: its allocation growth, the efficiency it assumes and its schemes' central "
        "effects."
    )
    return finish_chart(
        chart, source=source, words=words, title=title, description=description, subtitle=subtitle,
        interaction="Move the sliders under the chart to change allocation growth, the efficiency delivered and the "
        "interventions' effect.",
    )


def tornado_chart(frame: pd.DataFrame, *, source: str, **words: Unpack[ChartWords]) -> alt.LayerChart:
    """The horizon-year gap with each assumption at its low and high value, widest swing on top (`finance.tornado`)."""
    require_columns(
        frame,
        {"assumption", "low_label", "high_label", "base", "gap_low", "gap_high", "swing"},
        "tornado_chart",
        "frame",
    )
    base_gap = float(frame["base"].iloc[0])
    rows = []
    for r in frame.itertuples(index=False):
        for end, value, label in (("Lower value", r.gap_low, r.low_label), ("Higher value", r.gap_high, r.high_label)):
            rows.append(
                {
                    "assumption": r.assumption,
                    "end": end,
                    "setting": label,
                    "base": base_gap / 1e6,
                    "gap": value / 1e6,
                    "swing": r.swing,
                }
            )
    data = pd.DataFrame(rows)
    order = list(frame.sort_values("swing", ascending=False)["assumption"])
    top = frame.sort_values("swing", ascending=False).iloc[0]
    title = (
        f"{top['assumption']} moves the horizon gap most, from {_gap_words(min(top['gap_low'], top['gap_high']))} to "
        f"{_gap_words(max(top['gap_low'], top['gap_high']))}"
    )
    description = described(
        "Tornado chart of the horizon-year gap with each assumption moved low and high",
        (f"{r.assumption} {_millions(r.gap_low)} to {_millions(r.gap_high)}" for r in frame.itertuples(index=False)),
        end=f"; central {_millions(base_gap)}.",
    )
    y = alt.Y("assumption:N", sort=order, title=None, axis=alt.Axis(labelLimit=200))
    bars = (
        alt.Chart(data)
        .mark_bar(height=14)
        .encode(
            y=y,
            x=alt.X("base:Q", title="Gap in the horizon year, £ million (above 0 = shortfall)"),
            x2="gap:Q",
            color=alt.Color(
                "end:N",
                title="Assumption set to its",
                scale=alt.Scale(domain=["Lower value", "Higher value"], range=[NHS["aqua_green"], NHS["dark_blue"]]),
            ),
            tooltip=[
                alt.Tooltip("assumption:N", title="Assumption"),
                alt.Tooltip("setting:N", title="Setting"),
                alt.Tooltip("gap:Q", title="Gap, £ million", format=",.1f"),
            ],
        )
    )
    centre = (
        alt.Chart(pd.DataFrame({"base": [base_gap / 1e6]}))
        .mark_rule(color=NHS["black"], strokeDash=[4, 3])
        .encode(x="base:Q")
    )
    # The assumption names take about 110 pixels left of the plot: the whole chart stays within WIDTH.
    chart = alt.layer(bars, centre).properties(width=WIDTH - 110, height=max(120, 28 * len(order)))
    subtitle = f"Dashed line: the central gap, {_millions(base_gap)}."
    return finish_chart(chart, source=source, words=words, title=title, description=description, subtitle=subtitle)


def workforce_chart(
    frame: pd.DataFrame,
    *,
    source: str,
    year: int | None = None,
    **words: Unpack[ChartWords],
) -> alt.Chart:
    """WTE by staff group in one year, do nothing against the plan (from `workforce.workforce_projection`)."""
    require_columns(frame, {"year", "scenario", "sector", "staff_group", "wte"}, "workforce_chart", "frame")
    year = int(frame["year"].max()) if year is None else year
    data = frame[frame["year"] == year].groupby(["scenario", "sector", "staff_group"], as_index=False)["wte"].sum()
    if data.empty:
        raise ValueError(f"workforce_chart: no rows for {year}")
    data["group"] = data["staff_group"] + " (" + data["sector"].map(lambda s: SECTOR_WORDS.get(s, s)) + ")"
    data["series"] = data["scenario"].map(SCENARIO_LABELS)
    wide = data.pivot_table(index="group", columns="scenario", values="wte", aggfunc="sum", fill_value=0.0)
    for s in ("do_nothing", "plan"):
        if s not in wide.columns:
            wide[s] = 0.0
    change = (wide["plan"] - wide["do_nothing"]).sort_values()
    new_posts = float(data.loc[(data["scenario"] == "plan") & (data["sector"] == "new roles"), "wte"].sum())
    released = float(-change[change < 0].sum())
    needs = f"needs {new_posts:,.0f} WTE in new roles" if new_posts >= 0.5 else ""
    frees = f"frees {released:,.0f} WTE elsewhere" if released >= 0.5 else ""
    title = (
        f"By {fy_label(year)} the plan " + " and ".join(t for t in (needs, frees) if t)
        if needs or frees else f"In {fy_label(year)} the plan needs the staff doing nothing needs"
    )
    description = described(
        f"Bar chart of whole-time equivalents by staff group in {fy_label(year)}, do nothing against the plan",
        (f"{g} {wide.loc[g, 'do_nothing']:,.0f} to {wide.loc[g, 'plan']:,.0f}" for g in wide.index),
    )
    order = list(wide.sort_values("plan", ascending=False).index)
    series = ["Do nothing", "The plan"]
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("group:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
            yOffset=alt.YOffset("series:N", sort=series),
            x=alt.X("wte:Q", title="Whole-time equivalents"),
            color=series_colour(series, [MEANING["do_nothing"], MEANING["plan"]]),
            tooltip=[
                alt.Tooltip("group:N", title="Staff group"),
                alt.Tooltip("series:N", title="Scenario"),
                alt.Tooltip("wte:Q", title="WTE", format=",.1f"),
            ],
        )
    )
    chart = chart.properties(width=BAR_WIDTH)  # leaves room for the staff-group labels in the reading column
    subtitle = "Activity-driven staff at assumed productivity ratios, plus the plan's new roles."
    return finish_chart(chart, source=source, words=words, title=title, description=description, subtitle=subtitle)


def beds_chart(balance: pd.DataFrame, *, source: str, **words: Unpack[ChartWords]) -> alt.Chart:
    """Hospital beds the plan avoids against community beds commissioned, by year (from `estates.bed_balance`)."""
    require_columns(
        balance,
        {"year", "hospital_do_nothing", "hospital_plan", "hospital_reduction", "community_commissioned"},
        "beds_chart",
        "frame",
    )
    data = balance.copy()
    data["year_label"] = data["year"].map(fy_label)
    names = {
        "hospital_reduction": "Hospital beds fewer than doing nothing",
        "community_commissioned": "Community beds commissioned",
    }
    long = data.melt(
        id_vars=["year", "year_label", "hospital_do_nothing", "hospital_plan"],
        value_vars=list(names),
        var_name="measure",
        value_name="beds",
    )
    long["series"] = long["measure"].map(names)
    last = data.sort_values("year").iloc[-1]
    horizon = int(last["year"])
    cut = float(last["hospital_reduction"])
    beds = (
        f"By {fy_label(horizon)} the plan needs {cut:,.0f} fewer hospital beds" if cut >= 0.5
        else f"By {fy_label(horizon)} the plan needs {-cut:,.0f} more hospital beds" if cut <= -0.5
        else f"In {fy_label(horizon)} the plan needs the hospital beds doing nothing needs"
    )
    community = float(last["community_commissioned"])
    title = beds + (f", with {community:,.0f} community beds commissioned" if community >= 0.5 else "")
    description = (
        "Bar chart by fiscal year of the hospital beds the plan avoids and the community beds commissioned; in "
        f"{fy_label(horizon)} "
        f"hospital beds are {last['hospital_do_nothing']:,.0f} doing nothing and {last['hospital_plan']:,.0f} with "
        "the plan, "
        f"and {last['community_commissioned']:,.0f} community beds are commissioned."
    )
    series = list(names.values())
    chart = alt.Chart(long).properties(width=WIDTH).mark_bar().encode(
        x=year_x(),
        xOffset=alt.XOffset("series:N", sort=series),
        y=alt.Y("beds:Q", title="Beds (at target occupancy)"),
        color=series_colour(series, [MEANING["plan"], NHS["aqua_green"]], legend=alt.Legend(labelLimit=400)),
        tooltip=[
            *series_tooltip("beds:Q", "Beds", ",.0f"),
            alt.Tooltip("hospital_do_nothing:Q", title="Hospital beds, do nothing", format=",.0f"),
            alt.Tooltip("hospital_plan:Q", title="Hospital beds, the plan", format=",.0f"),
        ],
    )
    subtitle = "Beds = admissions x length of stay / 365 / target occupancy."
    return finish_chart(chart, source=source, words=words, title=title, description=description, subtitle=subtitle)


# --- a pathway's money and staff, and the staff consequence of the shift -------------------------------



def money_short(x: float) -> str:
    """Pounds for a title: £1.2m from £950,000, else £350k, and £0 below £500; the sign first (-£0.2m)."""
    v = abs(x)
    if v < 500:
        return "£0"
    sign = "-" if x < 0 else ""
    return f"{sign}£{v / 1e6:,.1f}m" if v >= 0.95e6 else f"{sign}£{v / 1e3:,.0f}k"


def staff_change_words(shift: pd.DataFrame, year: int, subject: str = "the plan") -> str:
    """What the plan does to staff in a year, in words (from `workforce.workforce_shift`).

    Sums plan minus do nothing: new roles, hospital ("acute") and community; changes under half a WTE
    are left out. Returns e.g. "By 2012/13 the plan needs 135 WTE in new roles and 47 more WTE in the
    community, and releases 78 WTE of hospital staff time" (`subject` replaces "the plan").
    """
    require_columns(shift, {"year", "sector", "change"}, "staff_change_words", "frame")
    at = shift[shift["year"] == year].groupby("sector")["change"].sum()
    new, community, acute = (float(at.get(s, 0.0)) for s in ("new roles", "community", "acute"))
    needs, frees = [], []
    if new >= 0.5:
        needs.append(f"{new:,.0f} WTE in new roles")
    if community >= 0.5:
        needs.append(f"{community:,.0f} more WTE in the community")
    elif community <= -0.5:
        frees.append(f"{-community:,.0f} WTE of community staff time")
    if acute >= 0.5:
        needs.append(f"{acute:,.0f} more WTE in hospital")
    elif acute <= -0.5:
        frees.append(f"{-acute:,.0f} WTE of hospital staff time")
    if not needs and not frees:
        return f"In {fy_label(year)} {subject} leaves staff where doing nothing would"
    parts = []
    if needs:
        parts.append("needs " + " and ".join(needs))
    if frees:
        parts.append("releases " + " and ".join(frees))
    return f"By {fy_label(year)} {subject} " + ", and ".join(parts)


def staff_shift_chart(
    shift: pd.DataFrame,
    *,
    source: str,
    year: int | None = None,
    **words: Unpack[ChartWords],
) -> alt.Chart:
    """The plan minus do nothing in WTE by staff group and sector in one year (from `workforce.workforce_shift`).

    Bars left of zero are staff time the plan releases, bars right of it staff the plan needs;
    changes under 0.05 WTE are left out.
    """
    require_columns(
        shift, {"year", "sector", "staff_group", "do_nothing", "plan", "change"}, "staff_shift_chart", "frame"
    )
    year = int(shift["year"].max()) if year is None else int(year)
    data = shift[(shift["year"] == year) & (shift["change"].abs() >= 0.05)].copy()
    if data.empty:
        raise ValueError(f"staff_shift_chart: the plan changes no staff group in {year}")
    data["group"] = data["staff_group"] + " (" + data["sector"].map(lambda s: SECTOR_WORDS.get(s, s)) + ")"
    data["direction"] = ["Needed by the plan" if c > 0 else "Released by the plan" for c in data["change"]]
    data = data.sort_values("change", ascending=False)
    title = staff_change_words(shift, year)
    description = described(
        f"Bar chart of the change in whole-time equivalents the plan makes against doing nothing in {fy_label(year)}",
        (f"{g} {c:+,.0f}" for g, c in zip(data["group"], data["change"], strict=True)),
    )
    domain = ["Needed by the plan", "Released by the plan"]
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("group:N", sort=list(data["group"]), title=None, axis=alt.Axis(labelLimit=280)),
            x=alt.X("change:Q", title=f"Change in WTE against doing nothing, {fy_label(year)}"),
            color=alt.Color(
                "direction:N", title=None, scale=alt.Scale(domain=domain, range=[NHS["aqua_green"], MEANING["plan"]])
            ),
            tooltip=[
                alt.Tooltip("group:N", title="Staff group"),
                alt.Tooltip("change:Q", title="Change, WTE", format="+,.1f"),
                alt.Tooltip("do_nothing:Q", title="WTE, do nothing", format=",.1f"),
                alt.Tooltip("plan:Q", title="WTE, the plan", format=",.1f"),
            ],
        )
    )
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color=NHS["dark_grey"]).encode(x="x:Q")
    chart = alt.layer(bars, zero).properties(width=BAR_WIDTH, height=max(90, 34 * len(data)))
    subtitle = "The plan minus doing nothing, in whole-time equivalents."
    return finish_chart(chart, source=source, words=words, title=title, description=description, subtitle=subtitle)


def pathway_money_chart(
    frame: pd.DataFrame,
    *,
    source: str,
    **words: Unpack[ChartWords],
) -> alt.VConcatChart | alt.Chart:
    """A pathway's money by year.

    The cost of its activity, do nothing and the plan, above its own schemes' net saving on activity and their costs
    (the lower panel only when it has schemes).

    `frame` has columns year, year_label, cost_do_nothing, cost_plan, saving, scheme_costs, net (pounds).
    """
    require_columns(
        frame,
        {"year", "year_label", "cost_do_nothing", "cost_plan", "saving", "scheme_costs", "net"},
        "pathway_money_chart",
        "frame",
    )
    data = frame.sort_values("year").copy()
    first, last = data.iloc[0], data.iloc[-1]
    horizon = int(last["year"])
    schemes = bool((data["saving"].abs() > 0).any() or (data["scheme_costs"] > 0).any())
    if schemes:
        saved = (
            f"save {money_short(last['saving'])} a year on activity"
            if last["saving"] >= 0
            else f"add {money_short(-last['saving'])} a year to the cost of activity"
        )
        if last["scheme_costs"] < 500:
            title = f"By {fy_label(horizon)} this pathway's schemes {saved}, at no cost of their own"
        else:
            verdict = (
                f"a net saving of {money_short(last['net'])}"
                if last["net"] >= 0
                else f"a net cost of {money_short(-last['net'])}"
            )
            title = (
                f"By {fy_label(horizon)} this pathway's schemes {saved} and cost {money_short(last['scheme_costs'])}: "
                f"{verdict}"
            )
    else:
        growth = last["cost_do_nothing"] / first["cost_do_nothing"] - 1 if first["cost_do_nothing"] else 0.0
        title = (
            f"No scheme of the plan is this pathway's own; its activity costs {money_short(last['cost_do_nothing'])} "
            f"in {fy_label(horizon)} doing nothing, {_pct(abs(growth))} {'more' if growth >= 0 else 'less'} than in "
            f"{fy_label(int(first['year']))}"
        )
    description = (
        f"Line chart of the cost of the pathway's activity by fiscal year, doing nothing and with the plan "
        f"({_millions(last['cost_do_nothing'])} and {_millions(last['cost_plan'])} in {fy_label(horizon)})"
        + (
            f", above a bar chart of its schemes' net saving on activity and their costs ({_millions(last['saving'])} "
            "and "
            f"{_millions(last['scheme_costs'])} in {fy_label(horizon)})."
            if schemes
            else "."
        )
    )
    x = year_x()
    money = data.assign(**{"Do nothing": data["cost_do_nothing"] / 1e6, "The plan": data["cost_plan"] / 1e6})
    series = ["Do nothing", "The plan"]
    lines = (
        alt.Chart(money)
        .transform_fold(series, as_=["series", "pounds"])
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("pounds:Q", title="Cost of activity, £ million", scale=alt.Scale(zero=False)),
            color=series_colour(series, [MEANING["do_nothing"], MEANING["plan"]]),
            tooltip=series_tooltip("pounds:Q", "£ million", ",.2f"),
        )
        .properties(width=WIDTH, height=200)
    )
    if not schemes:
        chart = lines
    else:
        parts = ["Saving on activity (below 0: extra cost)", "Cost of its schemes"]
        flows = data.assign(
            **{parts[0]: data["saving"] / 1e6, parts[1]: data["scheme_costs"] / 1e6, "net_m": data["net"] / 1e6}
        )
        tooltip = [
            *series_tooltip("pounds:Q", "£ million", ",.2f"),
            alt.Tooltip("net_m:Q", title="Net (saving less cost), £ million", format=",.2f"),
        ]
        bars = side_by_side_bars(
            alt.Chart(flows),
            parts,
            "pounds",
            x=x,
            y=alt.Y("pounds:Q", title="£ million a year"),
            colour=series_colour(parts, [NHS["aqua_green"], NHS["dark_grey"]], legend=alt.Legend(labelLimit=400)),
            tooltip=tooltip,
        ).properties(width=WIDTH, height=150)
        chart = alt.vconcat(lines, bars).resolve_scale(color="independent")
    if schemes:
        default_subtitle = (
            "Top: the pathway's activity at the finance chapter's unit costs, cost pressures and efficiency. Bottom: "
            "what its own "
            "schemes save on the activity they change (net of any community activity they add) and what they cost."
        )
    else:
        same = bool(((data["cost_plan"] - data["cost_do_nothing"]).abs() < 500).all())
        default_subtitle = (
            "The pathway's activity at the finance chapter's unit costs, cost pressures and efficiency"
            + ("; no scheme changes it, so the plan's line lies on doing nothing's." if same else ".")
        )
    return finish_chart(
        chart, source=source, words=words, title=title, description=description, subtitle=default_subtitle
    )
