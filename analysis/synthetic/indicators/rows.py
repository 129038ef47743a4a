"""Indicator rows: draw counts around expected values and compute values and 95% intervals from them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.synthetic.indicators.context import PEER, Context, area_type
from analysis.synthetic.intervals import rate_interval, wilson

Periods = tuple[list[str], pd.DatetimeIndex]
Block = dict[str, np.ndarray]  # one area's series, column by column
KINDS = ("proportion", "rate", "count", "years")


def rows(indicator: str, area: str, name: str, area_type: str, periods: Periods, value: np.ndarray, *,
         polarity: str, unit: str, count: np.ndarray | None = None, denominator: np.ndarray | None = None,
         lower: np.ndarray | None = None, upper: np.ndarray | None = None) -> Block:
    """One area's series as columns of the indicators contract (joined into one frame by `frame`)."""
    labels, starts = periods
    n = len(labels)

    def column(x: np.ndarray | None) -> np.ndarray:
        return np.full(n, np.nan) if x is None else np.asarray(x, dtype=float)

    def repeat(text: str) -> np.ndarray:
        return np.full(n, text, dtype=object)

    return {
        "indicator": repeat(indicator), "area": repeat(area), "area_name": repeat(name), "area_type": repeat(area_type),
        "period": np.asarray(labels, dtype=object), "period_start": np.asarray(starts, dtype="datetime64[ns]"),
        "value": column(value), "count": column(count), "denominator": column(denominator),
        "lower_ci": column(lower), "upper_ci": column(upper), "polarity": repeat(polarity), "unit": repeat(unit),
    }


def frame(blocks: list[Block]) -> pd.DataFrame:
    """The indicators table from its blocks, in their order."""
    return pd.DataFrame({column: np.concatenate([b[column] for b in blocks]) for column in blocks[0]})


def proportion_rows(indicator: str, area: str, name: str, area_type: str, periods: Periods,
                    count: np.ndarray, denominator: np.ndarray, *, polarity: str, unit: str = "proportion") -> Block:
    """A proportion (0-1) with Wilson limits."""
    count, denominator = np.asarray(count, float), np.asarray(denominator, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(denominator > 0, count / denominator, np.nan)
    lower, upper = wilson(count, denominator)
    return rows(indicator, area, name, area_type, periods, value, polarity=polarity, unit=unit,
                count=count, denominator=denominator, lower=lower, upper=upper)


def rate_rows(indicator: str, area: str, name: str, area_type: str, periods: Periods, count: np.ndarray,
              denominator: np.ndarray, per: float, *, polarity: str, unit: str) -> Block:
    """A rate per `per` of the denominator, with Byar limits."""
    count, denominator = np.asarray(count, float), np.asarray(denominator, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(denominator > 0, per * count / denominator, np.nan)
    lower, upper = rate_interval(count, denominator, per)
    return rows(indicator, area, name, area_type, periods, value, polarity=polarity, unit=unit,
                count=count, denominator=denominator, lower=lower, upper=upper)


def count_rows(indicator: str, area: str, name: str, area_type: str, periods: Periods, count: np.ndarray, *,
               polarity: str, unit: str) -> Block:
    """A count (births, deaths, members): the value is the count; no denominator, no interval."""
    return rows(indicator, area, name, area_type, periods, np.asarray(count, float), polarity=polarity, unit=unit,
                count=count)


def shift(value: np.ndarray, kind: str, delta: float) -> np.ndarray:
    """Move an expected value: on the logit scale for proportions, log for rates and counts, in years for years."""
    value = np.asarray(value, dtype=float)
    if kind == "proportion":
        logit = np.log(value / (1 - value)) + delta
        return 1 / (1 + np.exp(-logit))
    if kind == "years":
        return value + delta
    return value * np.exp(delta)


def draw(rng: np.random.Generator, kind: str, expected: np.ndarray, denominator: np.ndarray | None,
         per: float = 1.0, noise_sd: float = 0.0) -> np.ndarray:
    """Observed counts (proportion, rate, count) or values (years) around the expected values."""
    expected = np.asarray(expected, dtype=float)
    if kind == "proportion":
        return rng.binomial(np.round(denominator).astype(np.int64), np.clip(expected, 0, 1)).astype(float)
    if kind == "rate":
        return rng.poisson(np.asarray(denominator, float) * expected / per).astype(float)
    if kind == "count":
        return rng.poisson(expected).astype(float)
    if kind == "years":
        return np.round(expected + rng.normal(0, noise_sd, expected.shape), 2)
    raise ValueError(f"unknown indicator kind {kind!r}; expected one of {KINDS}")


def observed_rows(indicator: str, area: str, name: str, area_type: str, periods: Periods, kind: str,
                  observed: np.ndarray, denominator: np.ndarray | None, *, per: float = 1.0,
                  polarity: str, unit: str) -> Block:
    """Rows from observed counts (or values, for years) of one kind."""
    if kind == "proportion":
        return proportion_rows(
            indicator, area, name, area_type, periods, observed, denominator, polarity=polarity, unit=unit
        )
    if kind == "rate":
        return rate_rows(
            indicator, area, name, area_type, periods, observed, denominator, per, polarity=polarity, unit=unit
        )
    if kind == "count":
        return count_rows(indicator, area, name, area_type, periods, observed, polarity=polarity, unit=unit)
    return rows(indicator, area, name, area_type, periods, observed, polarity=polarity, unit=unit)


def annual_series(ctx: Context, indicator: str, kind: str, expected: dict[str, np.ndarray],
                  denominator: dict[str, np.ndarray] | None = None, *, polarity: str, unit: str, per: float = 1.0,
                  noise_sd: float = 0.0, peers: bool = True,
                  peer_expected: np.ndarray | None = None, peer_denominator: float | None = None) -> list[Block]:
    """An annual indicator for the commissioners and England (as given) and the peers.

    Peers take the reference commissioner's expected values (or `peer_expected`), moved by one
    draw of the peer spread each, and its denominator scaled to their residents (or a fixed
    `peer_denominator`, such as a survey sample).
    """
    rng = ctx.rng(indicator)
    periods = ctx.annual_periods()
    frames = []
    for area, exp in expected.items():
        den = None if denominator is None else denominator[area]
        observed = draw(rng, kind, exp, den, per, noise_sd)
        frames.append(observed_rows(indicator, area, ctx.names[area], area_type(area), periods, kind, observed, den,
                                    per=per, polarity=polarity, unit=unit))
    if not peers:
        return frames
    rng = ctx.rng(indicator, "peers")  # peers draw apart, so their number changes no other area
    ref = ctx.reference
    base = expected[ref] if peer_expected is None else peer_expected
    spread = ctx.cal["peers"]["spread"]["logit" if kind == "proportion" else "years" if kind == "years" else "log"]
    ref_residents = ctx.residents_by_year(ref)
    for peer in ctx.peers:
        exp = shift(base, kind, rng.normal(0, spread))
        if kind == "count":
            exp = exp * peer.population / ref_residents
        den = None
        if denominator is not None:
            den = np.full(len(ctx.years), float(peer_denominator)) if peer_denominator is not None \
                else np.round(denominator[ref] * peer.population / ref_residents)
        observed = draw(rng, kind, exp, den, per, noise_sd)
        frames.append(observed_rows(indicator, peer.code, peer.name, PEER, periods, kind, observed, den,
                                    per=per, polarity=polarity, unit=unit))
    return frames
