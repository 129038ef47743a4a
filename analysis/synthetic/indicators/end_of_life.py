"""End of life: deaths, and the shares of deaths in the usual place of residence and in hospital."""

from __future__ import annotations

import numpy as np

from analysis.synthetic.indicators.context import PEER, Context, area_type
from analysis.synthetic.indicators.rows import Block, count_rows, proportion_rows, shift
from analysis.synthetic.population import AGES, ENGLAND, Arrays
from analysis.synthetic.spec import SpecError


def death_rates(gompertz: dict) -> np.ndarray:
    """Death rates by sex (male, female) and single year of age: Gompertz from 40, a floor below, infants apart."""
    male = np.maximum(gompertz["rate_at_60_male"] * np.exp(gompertz["slope"] * (AGES - 60)), gompertz["floor_male"])
    male[0] = gompertz["infant_male"]
    return np.stack([male, male * gompertz["female_ratio"]])


def standard_deaths(arrays: Arrays, calibration: dict, area: str, year: int) -> float:
    """Deaths at standard (unscaled) rates for an area's residents, with rates falling year by year."""
    cal = calibration["indicators"]["end_of_life"]
    change = cal["mortality_annual_change"] ** (year - calibration["periods"]["anchor_year"])
    return float((arrays[(area, year, "estimate")] * death_rates(cal["gompertz"]) * change).sum())


def expected_deaths(ctx: Context) -> dict[str, np.ndarray]:
    """Expected deaths by area and year: standard rates scaled to England's crude rate, times each area's ratio.

    An area given a number of deaths a year (BEN: 4,500, from the plan) gets the ratio that makes the
    mean of its expected deaths over the history equal that number.
    """
    cal = ctx.cal["end_of_life"]
    scale = (
        cal["england_crude_death_rate_2007"]
        * ctx.residents(ENGLAND, ctx.anchor)
        / standard_deaths(ctx.arrays, ctx.calibration, ENGLAND, ctx.anchor)
    )
    out = {}
    for area in ctx.areas:
        standard = scale * np.array([standard_deaths(ctx.arrays, ctx.calibration, area, y) for y in ctx.years])
        if area in cal["deaths_per_year"]:
            ratio = cal["deaths_per_year"][area] / standard.mean()
        elif area in cal["smr"]:
            ratio = cal["smr"][area]
        else:
            raise SpecError(f"calibration.yml indicators.end_of_life needs deaths_per_year or smr for '{area}'")
        out[area] = standard * ratio
    return out


def usual_residence_share(ctx: Context, area: str) -> np.ndarray:
    """The published share of deaths in the usual residence for the history's years (nearest year beyond them)."""
    values = np.asarray(ctx.cal["end_of_life"]["deaths_usual_residence"][area], float) / 100
    index = np.clip(np.arange(len(ctx.years)) + (ctx.years[0] - 2004), 0, len(values) - 1)  # the values start in 2004
    return values[index]


def generate(ctx: Context) -> list[Block]:
    """Deaths, deaths in the usual place of residence, hospital deaths; for commissioners, England and peers."""
    cal = ctx.cal["end_of_life"]
    rng = ctx.rng("deaths")
    periods = ctx.annual_periods()
    expected = expected_deaths(ctx)
    home = {a: usual_residence_share(ctx, a) for a in expected}
    targets = [(a, ctx.names[a], area_type(a), expected[a], home[a], rng) for a in expected]
    ref = ctx.reference
    ref_residents = ctx.residents_by_year(ref)
    peer_rng = ctx.rng("deaths", "peers")
    spread = ctx.cal["peers"]["spread"]
    for peer in ctx.peers:
        deaths = shift(expected[ref] * peer.population / ref_residents, "count", peer_rng.normal(0, spread["log"]))
        targets.append(
            (
                peer.code,
                peer.name,
                PEER,
                deaths,
                shift(home[ref], "proportion", peer_rng.normal(0, spread["logit"])),
                peer_rng,
            )
        )
    frames = []
    for area, name, kind, deaths_expected, home_share, draws in targets:
        deaths = draws.poisson(deaths_expected).astype(float)
        at_home = draws.binomial(deaths.astype(np.int64), home_share).astype(float)
        in_hospital = draws.binomial((deaths - at_home).astype(np.int64), cal["hospital_share_elsewhere"]).astype(float)
        frames.append(count_rows("deaths", area, name, kind, periods, deaths, polarity="no_judgement", unit="deaths"))
        frames.append(
            proportion_rows(
                "deaths_usual_residence_pct", area, name, kind, periods, at_home, deaths, polarity="high_is_good"
            )
        )
        frames.append(
            proportion_rows(
                "hospital_deaths_pct", area, name, kind, periods, in_hospital, deaths, polarity="low_is_good"
            )
        )
    return frames
