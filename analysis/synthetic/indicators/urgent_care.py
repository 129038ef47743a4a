"""Urgent care: four-hour A&E performance and the share of urgent attendances seen in urgent care centres."""

from __future__ import annotations

import numpy as np

from analysis.synthetic.indicators.context import COMMISSIONER, ENGLAND_TYPE, Context
from analysis.synthetic.indicators.rows import Block, proportion_rows
from analysis.synthetic.population import ENGLAND


def by_year(values: dict, years: list[int]) -> np.ndarray:
    """Values keyed by year, for the given years (the nearest year given where one is missing)."""
    known = np.array(sorted(values))
    return np.array([values[int(known[np.argmin(abs(known - y))])] for y in years], dtype=float)


def england_attendances(ctx: Context) -> np.ndarray:
    """England's major A&E attendances each month (its rate per head, residents, the A&E season)."""
    act = ctx.calibration["activity"]
    residents = ctx.residents_by_year(ENGLAND)[ctx.month_year]
    return np.round(act["ae_major_per_1000_england"] / 1000 * residents / 12 * ctx.seasonal(act["seasonality"]["ae"]))


def four_hour(ctx: Context) -> list[Block]:
    """Share of A&E attendances (from the activity table) seen within four hours."""
    cal = ctx.cal["urgent_care"]
    indicator = "four_hour_performance_pct"
    rng = ctx.rng(indicator)
    breach = (1 - by_year(cal["four_hour_england"], ctx.years))[ctx.month_year] * ctx.seasonal(
        cal["four_hour_winter_breach"]
    )
    frames = []
    for area in ctx.areas:
        if area == ENGLAND:
            den, rate, kind = england_attendances(ctx), breach, ENGLAND_TYPE
        else:
            den, rate, kind = (
                ctx.activity_by_month(area, None, ["ae"]),
                breach * cal["four_hour_breach_ratio"],
                COMMISSIONER,
            )
        count = rng.binomial(den.astype(np.int64), np.clip(1 - rate, 0, 1)).astype(float)
        frames.append(proportion_rows(indicator, area, ctx.names[area], kind, ctx.monthly_periods(), count, den,
                                      polarity="high_is_good"))
    return frames


def diversion(ctx: Context) -> list[Block]:
    """Urgent care centre attendances over all urgent attendances (urgent care centre plus A&E)."""
    cal = ctx.cal["urgent_care"]
    indicator = "ucc_diversion_pct"
    frames = []
    for area in ctx.spec.codes:
        ucc = ctx.activity_by_month(area, ["urgent_care"], ["community"])
        den = ucc + ctx.activity_by_month(area, None, ["ae"])
        frames.append(proportion_rows(indicator, area, ctx.names[area], COMMISSIONER, ctx.monthly_periods(), ucc, den,
                                      polarity="high_is_good"))
    share = (
        cal["england_type3_share"]
        * cal["type3_ratio_2007_to_2010"]
        * ctx.trend(cal["type3_annual_change"])[ctx.month_year]
    )
    den = np.round(england_attendances(ctx) / (1 - share))
    count = ctx.rng(indicator).binomial(den.astype(np.int64), share).astype(float)
    frames.append(proportion_rows(indicator, ENGLAND, "England", ENGLAND_TYPE, ctx.monthly_periods(), count, den,
                                  polarity="high_is_good"))
    return frames


def generate(ctx: Context) -> list[Block]:
    """The urgent care indicators."""
    return four_hour(ctx) + diversion(ctx)
