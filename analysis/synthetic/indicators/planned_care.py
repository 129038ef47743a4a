"""Planned care: MSK triage referrals and onward referrals, admitted patients treated within 18 weeks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.synthetic.activity import year_levels
from analysis.synthetic.indicators.context import COMMISSIONER, Context, area_type
from analysis.synthetic.indicators.rows import Block, count_rows, proportion_rows
from analysis.synthetic.population import ENGLAND

ELECTIVE = ["elective_ordinary", "day_case"]


def msk_triage(ctx: Context) -> list[Block]:
    """Referrals to the orthopaedic (MSK) triage service and the share sent on to hospital."""
    cal = ctx.cal["planned_care"]
    per_head = cal["msk_triage_per_year"] / ctx.calibration["finance"]["plan_population"]
    levels = year_levels(cal["msk_trends"], ctx.years, ctx.anchor)[ctx.month_year]
    season = ctx.seasonal(ctx.calibration["activity"]["seasonality"]["outpatient_first"])
    onward = cal["msk_onward_2007"] * ctx.trend(cal["msk_onward_annual_change"])[ctx.month_year]
    rng_referrals, rng_onward = ctx.rng("msk_triage_referrals"), ctx.rng("msk_triage_onward_pct")
    frames = []
    for area in ctx.spec.codes:
        expected = per_head * ctx.residents_by_year(area)[ctx.month_year] * levels * season / 12
        referrals = rng_referrals.poisson(expected).astype(float)
        sent = rng_onward.binomial(referrals.astype(np.int64), np.clip(onward, 0, 1)).astype(float)
        frames.append(count_rows("msk_triage_referrals", area, ctx.names[area], COMMISSIONER, ctx.monthly_periods(),
                                 referrals, polarity="no_judgement", unit="referrals"))
        frames.append(
            proportion_rows(
                "msk_triage_onward_pct",
                area,
                ctx.names[area],
                COMMISSIONER,
                ctx.monthly_periods(),
                sent,
                referrals,
                polarity="low_is_good",
            )
        )
    return frames


def rtt_curve(months: pd.DatetimeIndex, start: float, end: float, midpoint: str, scale: float) -> np.ndarray:
    """A logistic rise from `start` to `end`, halfway at `midpoint`, `scale` months wide."""
    t = np.array([(m.to_period("M") - pd.Period(midpoint, "M")).n for m in months], dtype=float)
    return start + (end - start) / (1 + np.exp(-t / scale))


def rtt(ctx: Context) -> list[Block]:
    """Admitted patients treated within 18 weeks, out of the elective admissions that end an 18-week pathway."""
    cal = ctx.cal["planned_care"]
    indicator = "rtt_18_weeks_admitted_pct"
    rng = ctx.rng(indicator)
    curve = rtt_curve(ctx.months, cal["rtt"]["start"], cal["rtt"]["end"], cal["rtt"]["midpoint"], cal["rtt"]["months"])
    act = ctx.calibration["activity"]
    frames = []
    for area in ctx.areas:
        if area == ENGLAND:
            rate = sum(act["mar_rates_per_1000"][ENGLAND][pod] for pod in ELECTIVE) / 1000
            season = ctx.seasonal(act["seasonality"]["day_case"])
            admissions = rate * ctx.residents_by_year(ENGLAND)[ctx.month_year] / 12 * season
        else:
            admissions = ctx.activity_by_month(area, None, ELECTIVE)
        den = np.round(admissions * cal["rtt_share_of_electives"])
        p = np.clip(curve + cal["rtt_local_difference"].get(area, 0.0), 0, 0.99)
        count = rng.binomial(den.astype(np.int64), p).astype(float)
        frames.append(
            proportion_rows(
                indicator,
                area,
                ctx.names[area],
                area_type(area),
                ctx.monthly_periods(),
                count,
                den,
                polarity="high_is_good",
            )
        )
    return frames


def generate(ctx: Context) -> list[Block]:
    """The planned care indicators."""
    return msk_triage(ctx) + rtt(ctx)
