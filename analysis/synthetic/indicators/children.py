"""Children: excess weight at reception and year 6, dental decay at five, A&E attendances of under-5s by practice."""

from __future__ import annotations

import numpy as np

from analysis.synthetic.indicators.context import COMMISSIONER, ENGLAND_TYPE, PEER, PRACTICE, Context
from analysis.synthetic.indicators.rows import Block, annual_series, rate_rows, shift
from analysis.synthetic.population import ENGLAND

UNDER_5 = range(0, 5)


def _measured(ctx: Context, age: int, share: float) -> dict[str, np.ndarray]:
    """Children of one year of age seen by a programme (a share of the year group)."""
    return {a: np.round(ctx.residents_by_year(a, range(age, age + 1)) * share) for a in ctx.areas}


def school_age(ctx: Context) -> list[Block]:
    """Excess weight (NCMP) and dental decay, as proportions with Wilson limits."""
    cal = ctx.cal["children"]
    frames = []
    for indicator, key, age in (("excess_weight_reception_pct", "excess_weight_reception_2007", 4),
                                ("excess_weight_year6_pct", "excess_weight_year6_2007", 10)):
        trend = ctx.trend(cal["excess_weight_annual_change"])
        expected = {a: cal[key][a] / 100 * trend for a in ctx.areas}
        frames += annual_series(ctx, indicator, "proportion", expected, _measured(ctx, age, cal["ncmp_participation"]),
                                polarity="low_is_good", unit="proportion")
    trend = ctx.trend(cal["dental_decay_annual_change"])
    expected = {a: (100 - cal["decay_free_5yr_2007"][a]) / 100 * trend for a in ctx.areas}
    frames += annual_series(
        ctx,
        "dental_decay_5yr_pct",
        "proportion",
        expected,
        _measured(ctx, 5, cal["dental_survey_sample"]),
        polarity="low_is_good",
        unit="proportion",
    )
    return frames


def ae_under_5(ctx: Context) -> list[Block]:
    """A&E attendances aged 0-4 per 1,000 by practice (England's rate by deprivation), summed to commissioners."""
    cal = ctx.cal["children"]
    indicator, per, unit = "ae_0_4_per_1000", 1000, "per 1,000 aged 0-4"
    rng = ctx.rng(indicator)
    periods = ctx.annual_periods()
    england = cal["ae_0_4_england_2021"] * cal["ae_0_4_ratio_2007_to_2021"] * ctx.trend(cal["ae_0_4_annual_change"])
    slope, sd = cal["ae_0_4_gradient"]["log_slope_per_imd_point"], cal["ae_0_4_gradient"]["residual_sd"]
    centre = ctx.calibration["practices"]["imd_england_mean"]
    table = ctx.practice_table
    people = np.round(ctx.practice_residents(UNDER_5, cal["young_child_gradient"]))
    # England's rate at England's mean deprivation, graded by the practice's; log-normal practice effects of mean 1
    effect = np.exp(slope * (table["imd_score"].to_numpy() - centre) + rng.normal(0, sd, len(table)) - sd**2 / 2)
    frames, totals = [], {}
    for i, (code, practice, name) in enumerate(
        zip(table["commissioner"], table["practice"], table["name"], strict=True)
    ):
        den = people[i]
        count = rng.poisson(den * england * effect[i] / per).astype(float)
        frames.append(rate_rows(indicator, practice, name, PRACTICE, periods, count, den, per,
                                polarity="low_is_good", unit=unit))
        c, d = totals.get(code, (0.0, 0.0))
        totals[code] = (c + count, d + den)
    for code, (count, den) in totals.items():
        frames.append(rate_rows(indicator, code, ctx.names[code], COMMISSIONER, periods, count, den, per,
                                polarity="low_is_good", unit=unit))
    den = np.round(ctx.residents_by_year(ENGLAND, UNDER_5))
    count = rng.poisson(den * england / per).astype(float)
    frames.append(
        rate_rows(
            indicator, ENGLAND, "England", ENGLAND_TYPE, periods, count, den, per, polarity="low_is_good", unit=unit
        )
    )
    ref = (table["commissioner"] == ctx.reference).to_numpy()
    ref_rate = england * np.average(effect[ref], weights=people[ref, 0])
    spread = ctx.cal["peers"]["spread"]["log"]
    peer_rng = ctx.rng(indicator, "peers")
    for peer in ctx.peers:
        pden = np.round(ctx.residents_by_year(peer.code, UNDER_5))
        rate = shift(ref_rate, "rate", peer_rng.normal(0, spread))
        count = peer_rng.poisson(pden * rate / per).astype(float)
        frames.append(
            rate_rows(
                indicator, peer.code, peer.name, PEER, periods, count, pden, per, polarity="low_is_good", unit=unit
            )
        )
    return frames


def generate(ctx: Context) -> list[Block]:
    """The children's indicators."""
    return school_age(ctx) + ae_under_5(ctx)
