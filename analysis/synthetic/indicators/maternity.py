"""Maternity and newborn: births, perinatal mortality, midwives, midwife-led births, high-risk pregnancies."""

from __future__ import annotations

import numpy as np

from analysis.synthetic.births import expected_births
from analysis.synthetic.indicators.context import PEER, Context, area_type
from analysis.synthetic.indicators.rows import Block, annual_series, count_rows, proportion_rows, rows, shift


def monthly_births(ctx: Context) -> dict[str, np.ndarray]:
    """Births each month per area: expected births of the year spread by the birth season, Poisson noise."""
    rng = ctx.rng("births")
    season = ctx.seasonal(ctx.calibration["births"]["seasonality"])
    out = {}
    for area in ctx.areas:
        yearly = np.array([expected_births(ctx.arrays, ctx.calibration, area, y) for y in ctx.years])
        expected = yearly[ctx.month_year] * season / 12
        out[area] = rng.poisson(expected).astype(float)
    return out


def annual_births(ctx: Context, births: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Births per financial year from the monthly births."""
    return {area: np.bincount(ctx.month_year, weights=b, minlength=len(ctx.years)) for area, b in births.items()}


def monthly_share(ctx: Context, indicator: str, levels: dict[str, float], change: float,
                  births: dict[str, np.ndarray], polarity: str) -> list[Block]:
    """A monthly share of births (binomial around a trended level), with Wilson limits."""
    rng = ctx.rng(indicator)
    trend = ctx.trend(change)[ctx.month_year]
    frames = []
    for area in ctx.areas:
        count = rng.binomial(births[area].astype(np.int64), np.clip(levels[area] * trend, 0, 1)).astype(float)
        frames.append(proportion_rows(indicator, area, ctx.names[area], area_type(area), ctx.monthly_periods(),
                                      count, births[area], polarity=polarity))
    return frames


def generate(ctx: Context) -> list[Block]:
    """The maternity indicators."""
    cal = ctx.cal["maternity"]
    births = monthly_births(ctx)
    frames = [count_rows("births", a, ctx.names[a], area_type(a), ctx.monthly_periods(), births[a],
                         polarity="no_judgement", unit="births") for a in ctx.areas]
    frames += monthly_share(
        ctx, "midwife_led_births_pct", cal["midwife_led"], cal["midwife_led_annual_change"], births, "high_is_good"
    )
    frames += monthly_share(
        ctx, "high_risk_pregnancy_pct", cal["high_risk"], cal["high_risk_annual_change"], births, "no_judgement"
    )
    yearly = annual_births(ctx, births)
    trend = ctx.trend(cal["perinatal_annual_change"])
    perinatal = cal["perinatal_mortality"]
    frames += annual_series(ctx, "perinatal_mortality", "rate", {a: perinatal[a] * trend for a in ctx.areas}, yearly,
                            per=1000, polarity="low_is_good", unit="per 1,000 births",
                            peer_expected=perinatal["peers"] * trend)
    frames += midwives(ctx, yearly)
    return frames


def midwives(ctx: Context, yearly_births: dict[str, np.ndarray]) -> list[Block]:
    """Midwife FTE per 1,000 births: count = midwife FTE, denominator = births (no interval: FTE counts no events)."""
    levels = ctx.cal["maternity"]["midwives_per_1000_births"]
    indicator = "midwives_per_1000_births"
    rng, peer_rng = ctx.rng(indicator), ctx.rng(indicator, "peers")
    periods = ctx.annual_periods()
    frames = []
    targets = [(a, ctx.names[a], area_type(a), levels[a], yearly_births[a], rng) for a in ctx.areas]
    ref_births = yearly_births[ctx.reference]
    ref_residents = ctx.residents_by_year(ctx.reference)
    spread = ctx.cal["peers"]["spread"]["log"]
    for peer in ctx.peers:
        births = peer_rng.poisson(ref_births * peer.population / ref_residents).astype(float)
        targets.append(
            (
                peer.code,
                peer.name,
                PEER,
                float(shift(levels["peers"], "log", peer_rng.normal(0, spread))),
                births,
                peer_rng,
            )
        )
    noise = ctx.cal["maternity"]["midwives_noise_sd"]
    for area, name, kind, level, births, draws in targets:
        fte = np.round(level * births / 1000 * np.exp(draws.normal(0, noise, len(births))), 1)
        frames.append(rows(indicator, area, name, kind, periods, 1000 * fte / births,
                           polarity="high_is_good", unit="midwife FTE per 1,000 births", count=fte, denominator=births))
    return frames
