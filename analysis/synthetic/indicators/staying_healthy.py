"""Staying healthy.

Smoking (also by practice), inactivity, alcohol admissions, healthy life expectancy, and life expectancy by deprivation
decile (for the slope index of inequality).
"""

from __future__ import annotations

import numpy as np

from analysis.synthetic.indicators.context import COMMISSIONER, DECILE, PRACTICE, Context
from analysis.synthetic.indicators.rows import Block, annual_series, proportion_rows, rows
from analysis.synthetic.population import ENGLAND

ADULTS_15 = range(15, 91)


def smoking(ctx: Context) -> list[Block]:
    """Recorded smoking prevalence (15+) by practice, graded by deprivation, summed to commissioners; England, peers."""
    cal = ctx.cal["staying_healthy"]
    indicator = "smoking_prevalence_pct"
    rng = ctx.rng(indicator)
    periods = ctx.annual_periods()
    trend = ctx.trend(cal["smoking_annual_change"])
    level = {a: cal["smoking_qof_2013"][a] / 100 * cal["smoking_ratio_2007_to_2013"] * trend for a in ctx.areas}
    slope, sd = cal["smoking_gradient"]["log_slope_per_imd_point"], cal["smoking_gradient"]["residual_sd"]
    table = ctx.practice_table
    people = np.round(ctx.practice_residents(ADULTS_15))
    effect = np.exp(rng.normal(0, sd * cal["smoking_practice_spread"], len(table)))
    frames, totals = [], {}
    for code in ctx.spec.codes:
        mine = np.flatnonzero((table["commissioner"] == code).to_numpy())
        weights = people[mine, 0]
        imd = table["imd_score"].to_numpy()[mine]
        relative = np.exp(slope * (imd - np.average(imd, weights=weights))) * effect[mine]
        relative /= np.average(relative, weights=weights)
        for i, r in zip(mine, relative, strict=True):
            den = people[i]
            count = rng.binomial(den.astype(np.int64), np.clip(level[code] * r, 0, 0.9)).astype(float)
            frames.append(
                proportion_rows(
                    indicator,
                    table["practice"].iloc[i],
                    table["name"].iloc[i],
                    PRACTICE,
                    periods,
                    count,
                    den,
                    polarity="low_is_good",
                )
            )
            c, d = totals.get(code, (0.0, 0.0))
            totals[code] = (c + count, d + den)
    for code, (count, den) in totals.items():
        frames.append(
            proportion_rows(indicator, code, ctx.names[code], COMMISSIONER, periods, count, den, polarity="low_is_good")
        )
    england = {ENGLAND: level[ENGLAND]}
    den = {
        ENGLAND: np.round(ctx.residents_by_year(ENGLAND, ADULTS_15)),
        ctx.reference: np.round(ctx.residents_by_year(ctx.reference, ADULTS_15)),
    }
    frames += annual_series(ctx, indicator, "proportion", england, den, polarity="low_is_good", unit="proportion",
                            peer_expected=level[ctx.reference])
    return frames


def surveys_and_admissions(ctx: Context) -> list[Block]:
    """Physical inactivity (a survey sample), alcohol-related admissions, healthy life expectancy."""
    cal = ctx.cal["staying_healthy"]
    n = len(ctx.years)
    frames = []
    trend = ctx.trend(cal["inactivity_annual_change"])
    expected = {
        a: cal["physically_inactive_2015"][a] / 100 * cal["inactivity_ratio_2007_to_2015"] * trend for a in ctx.areas
    }
    sample = cal["survey_sample"]
    frames += annual_series(ctx, "physical_inactivity_pct", "proportion", expected,
                            {a: np.full(n, float(sample[a])) for a in ctx.areas}, polarity="low_is_good",
                            unit="proportion", peer_denominator=sample["peers"])
    trend = ctx.trend(cal["alcohol_annual_change"], base_year=2008)
    expected = {a: cal["alcohol_admissions_2008"][a] * trend for a in ctx.areas}
    frames += annual_series(ctx, "alcohol_admissions_per_100k", "rate", expected,
                            {a: np.round(ctx.residents_by_year(a)) for a in ctx.areas}, per=100_000,
                            polarity="low_is_good", unit="per 100,000")
    change = cal["hle_annual_change_years"] * (np.array(ctx.years) - 2010)  # 2009-11 is centred on 2010
    for sex in ("male", "female"):
        expected = {a: cal[f"hle_{sex}_2009"][a] + change for a in ctx.areas}
        frames += annual_series(ctx, f"healthy_life_expectancy_{sex}", "years", expected, polarity="high_is_good",
                                unit="years", noise_sd=cal["hle_noise_years"])
    return frames


def decile_ranks(shares: np.ndarray) -> np.ndarray:
    """Relative rank (0 most deprived, 1 least) of the middle of each decile's population."""
    return np.cumsum(shares) - shares / 2


def life_expectancy_by_decile(ctx: Context) -> list[Block]:
    """Life expectancy by national deprivation decile within each commissioner, with its residents as denominator.

    Values lie on a line with the commissioner's slope index of inequality (the mean of the male and
    female slope indices of its local authority) around its life expectancy, plus noise that is
    larger for smaller deciles.
    """
    cal = ctx.cal["staying_healthy"]
    indicator = "life_expectancy_by_decile"
    rng = ctx.rng(indicator)
    periods = ctx.annual_periods()
    frames = []
    for code in ctx.spec.codes:
        if code not in cal["decile_population_shares"]:
            continue
        shares = np.asarray(cal["decile_population_shares"][code], float)
        shares = shares / shares.sum()
        ranks = decile_ranks(shares)
        sii = (cal["sii_male_2010"][code] + cal["sii_female_2010"][code]) / 2
        le = cal["life_expectancy_2007"][code] + cal["life_expectancy_annual_change_years"] * (
            np.array(ctx.years) - ctx.anchor
        )
        residents = ctx.residents_by_year(code)
        for d, (share, rank) in enumerate(zip(shares, ranks, strict=True), start=1):
            noise = rng.normal(0, cal["decile_noise_years"] * np.sqrt(0.1 / share), len(ctx.years))
            value = np.round(le + sii * (rank - np.sum(shares * ranks)) + noise, 2)
            label = " (most deprived)" if d == 1 else " (least deprived)" if d == 10 else ""
            frames.append(
                rows(
                    indicator,
                    f"{code}-D{d:02d}",
                    f"{ctx.names[code]}, deprivation decile {d}{label}",
                    DECILE,
                    periods,
                    value,
                    polarity="high_is_good",
                    unit="years",
                    denominator=np.round(residents * share),
                )
            )
    return frames


def generate(ctx: Context) -> list[Block]:
    """The staying-healthy indicators."""
    return smoking(ctx) + surveys_and_admissions(ctx) + life_expectancy_by_decile(ctx)
