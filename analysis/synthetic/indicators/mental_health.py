"""Mental health and dementia.

Length of stay, access to psychological therapies, dementia diagnosis, self-harm admissions, excess mortality of people
with serious mental illness.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from analysis.synthetic.indicators.context import Context, area_type
from analysis.synthetic.indicators.rows import Block, annual_series, rate_rows, rows
from analysis.synthetic.population import ENGLAND

ADULTS = range(18, 91)
OLDER = range(65, 91)
MH_ADMISSIONS = ["elective_ordinary", "non_elective"]


def stays(rng: np.random.Generator, n: int, mean: float, cv: float) -> np.ndarray:
    """Whole-day lengths of stay (at least 1) from a log-normal with the given mean and coefficient of variation."""
    sigma2 = np.log(1 + cv**2)
    return np.maximum(1.0, np.round(rng.lognormal(np.log(mean) - sigma2 / 2, np.sqrt(sigma2), n)))


def mean_interval(values: np.ndarray) -> tuple[float, float, float]:
    """Mean and its 95% t interval (NaN limits with fewer than two values)."""
    if len(values) == 0:
        return np.nan, np.nan, np.nan
    mean = float(values.mean())
    if len(values) < 2:
        return mean, np.nan, np.nan
    half = stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values))
    return mean, mean - half, mean + half


def length_of_stay(ctx: Context) -> list[Block]:
    """Mean length of stay of the month's discharges (the month's mental health admissions), simulated stay by stay."""
    cal = ctx.cal["mental_health"]
    indicator = "mh_length_of_stay_days"
    rng = ctx.rng(indicator)
    trend = ctx.trend(cal["length_of_stay_annual_change"], base_year=2004)[ctx.month_year]
    frames = []
    for area in ctx.areas:
        if area == ENGLAND:
            discharges = np.round(
                cal["england_admissions_per_1000"] / 1000 * ctx.residents_by_year(ENGLAND)[ctx.month_year] / 12
            )
        else:
            discharges = ctx.activity_by_month(area, ["mental_health"], MH_ADMISSIONS)
        result = np.array(
            [
                mean_interval(stays(rng, int(n), cal["length_of_stay_2004"][area] * t, cal["length_of_stay_cv"]))
                for n, t in zip(discharges, trend, strict=True)
            ]
        )
        mean, lower, upper = result[:, 0], result[:, 1], result[:, 2]
        bed_days = np.round(mean * discharges)
        frames.append(rows(indicator, area, ctx.names[area], area_type(area), ctx.monthly_periods(), mean,
                           polarity="low_is_good", unit="days", count=bed_days, denominator=discharges,
                           lower=lower, upper=upper))
    return frames


def psychological_therapies(ctx: Context) -> list[Block]:
    """Adults entering psychological therapy per 100,000 adults a month."""
    cal = ctx.cal["mental_health"]
    indicator = "iapt_access_per_100k"
    rng = ctx.rng(indicator)
    trend = ctx.trend(cal["iapt_annual_change"])[ctx.month_year]
    frames = []
    for area in ctx.areas:
        den = np.round(ctx.residents_by_year(area, ADULTS))[ctx.month_year]
        count = rng.poisson(den * cal["iapt_2007"][area] * trend / 100_000).astype(float)
        frames.append(
            rate_rows(
                indicator,
                area,
                ctx.names[area],
                area_type(area),
                ctx.monthly_periods(),
                count,
                den,
                100_000,
                polarity="high_is_good",
                unit="per 100,000 adults a month",
            )
        )
    return frames


def annual(ctx: Context) -> list[Block]:
    """Dementia diagnosis, self-harm admissions and excess mortality in serious mental illness (with peers)."""
    cal = ctx.cal["mental_health"]
    areas = ctx.areas
    trend = ctx.trend(cal["dementia_annual_change"])
    frames = annual_series(
        ctx, "dementia_diagnosis_pct", "proportion",
        {a: cal["dementia_diagnosis_2017"][a] / 100 * cal["dementia_ratio_2007_to_2017"] * trend for a in areas},
        {a: np.round(ctx.residents_by_year(a, OLDER) * cal["dementia_prevalence_65"]) for a in areas},
        polarity="high_is_good", unit="proportion")
    frames += annual_series(
        ctx, "self_harm_admissions_per_100k", "rate",
        {a: np.full(len(ctx.years), cal["self_harm_2010"][a]) for a in areas},
        {a: np.round(ctx.residents_by_year(a)) for a in areas}, per=100_000,
        polarity="low_is_good", unit="per 100,000")
    # observed deaths over the deaths expected at general-population rates: a ratio with Byar limits on the observed
    expected_deaths = {
        a: np.round(ctx.residents_by_year(a) * cal["smi_register_share"] * cal["under75_death_rate"], 1) for a in areas
    }
    frames += annual_series(
        ctx, "smi_excess_mortality_ratio", "rate",
        {a: np.full(len(ctx.years), cal["smi_excess_mortality_2009"][a] / 100) for a in areas},
        expected_deaths, per=1, polarity="low_is_good", unit="ratio (observed / expected deaths)")
    return frames


def generate(ctx: Context) -> list[Block]:
    """The mental health indicators."""
    return length_of_stay(ctx) + psychological_therapies(ctx) + annual(ctx)
