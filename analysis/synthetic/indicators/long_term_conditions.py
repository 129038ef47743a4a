"""Long-term conditions: Birmingham OwnHealth (members, GP visits, unplanned admissions) and falls admissions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.synthetic.indicators.context import COMMISSIONER, Context
from analysis.synthetic.indicators.rows import Block, annual_series, count_rows, rate_rows

OLDER = range(65, 91)


def member_curve(months: pd.DatetimeIndex, start: str, at: str, members: float, power: float) -> np.ndarray:
    """Expected members at the end of each month: 0 before the start, members x (t / t_at) ^ power after."""
    t = np.array([(m.to_period("M") - pd.Period(start, "M")).n + 1 for m in months], dtype=float)
    t_at = (pd.Period(at, "M") - pd.Period(start, "M")).n + 1
    return np.where(t > 0, members * (np.clip(t, 0, None) / t_at) ** power, 0.0)


def ownhealth_members(ctx: Context) -> tuple[np.ndarray, list[Block]]:
    """Members each month from the scheme's start: Poisson enrolments along the expected curve."""
    cal = ctx.cal["long_term_conditions"]
    code = cal["ownhealth_commissioner"]
    expected = member_curve(ctx.months, cal["ownhealth_start"], cal["ownhealth_members_at"], cal["ownhealth_members"],
                            cal["ownhealth_ramp_power"])
    joined = ctx.rng("ownhealth_members").poisson(np.diff(expected, prepend=0.0))
    members = np.cumsum(joined).astype(float)
    live = expected > 0
    labels, starts = ctx.monthly_periods()
    periods = ([label for label, keep in zip(labels, live, strict=True) if keep], starts[live])
    frame = count_rows("ownhealth_members", code, ctx.names[code], COMMISSIONER, periods, members[live],
                       polarity="high_is_good", unit="members")
    return members, [frame]


def ownhealth_outcomes(ctx: Context, members: np.ndarray) -> list[Block]:
    """GP visits and unplanned admissions of members and of people with the same conditions who are not members."""
    cal = ctx.cal["long_term_conditions"]
    code = cal["ownhealth_commissioner"]
    member_years = np.bincount(ctx.month_year, weights=members, minlength=len(ctx.years)) / 12
    live = member_years > 0
    labels, starts = ctx.annual_periods()
    periods = ([label for label, keep in zip(labels, live, strict=True) if keep], starts[live])
    others = np.round(cal["ltc_cohort_share"] * ctx.residents_by_year(code) - member_years)
    member_years = np.round(member_years, 1)
    frames = []
    for outcome, base, reduction, per, unit in (
        ("gp_visits", cal["gp_visits_non_members"], cal["gp_visit_reduction"], 1, "GP visits per person a year"),
        (
            "unplanned_admissions",
            cal["unplanned_admissions_non_members"],
            cal["unplanned_reduction"],
            1000,
            "per 1,000 a year",
        ),
    ):
        for group, years, rate in (("members", member_years, base * (1 - reduction)), ("non_members", others, base)):
            indicator = f"ownhealth_{outcome}_{group}"
            count = ctx.rng(indicator).poisson(years[live] * rate / per).astype(float)
            frames.append(rate_rows(indicator, code, ctx.names[code], COMMISSIONER, periods, count, years[live], per,
                                    polarity="low_is_good", unit=unit))
    return frames


def falls(ctx: Context) -> list[Block]:
    """Emergency admissions for falls aged 65+ per 100,000."""
    cal = ctx.cal["long_term_conditions"]
    areas = ctx.areas
    trend = ctx.trend(cal["falls_annual_change"], base_year=2010)
    return annual_series(
        ctx,
        "falls_admissions_65_per_100k",
        "rate",
        {a: cal["falls_65_2010"][a] * trend for a in areas},
        {a: np.round(ctx.residents_by_year(a, OLDER)) for a in areas},
        per=100_000,
        polarity="low_is_good",
        unit="per 100,000 aged 65+",
    )


def generate(ctx: Context) -> list[Block]:
    """The long-term conditions indicators (OwnHealth only where its commissioner is in the spec)."""
    frames = falls(ctx)
    if ctx.cal["long_term_conditions"]["ownhealth_commissioner"] in ctx.spec.codes:
        members, member_frames = ownhealth_members(ctx)
        frames = member_frames + ownhealth_outcomes(ctx, members) + frames
    return frames
