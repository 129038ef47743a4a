"""The seeded Monte Carlo of the plan's interventions, vectorised over runs (no Python loop per run).

Arrays are named by their axes: R runs, K interventions, Y years, S series (commissioner x pathway x
point of delivery).

- Each intervention's effect at full strength is drawn from Normal(mean=(low+high)/2,
  sd=(high-low)/2.563), so that (low, high) is its 80% interval, and clipped to stay above -1 (a
  draw at or below -1 would remove all the activity or more).
- In year y an intervention multiplies the activity it acts on by 1 + effect x ramp(y), ramp rising
  linearly from 1/ramp_years in the start year to 1 (see `interventions.ramp_fractions`); effects
  on the same series multiply.
- The non-demographic trend is uncertain too: each run draws one standard normal z, common to every
  series and year, and uses trend factor + z x its standard deviation (floored at 0). Treating the
  trend error as common to all series is deliberately cautious: it gives the widest band for totals.

Random streams come from `numpy.random.SeedSequence(seed).spawn(2)`: one for effects, one for the
trend, so adding an intervention does not change the trend draws.
"""

from __future__ import annotations

import numpy as np

EFFECT_FLOOR = -1 + 1e-6
QUANTILES = (0.1, 0.5, 0.9)


def streams(seed: int) -> tuple[np.random.Generator, np.random.Generator]:
    """Two independent generators (effects, trend) from one seed."""
    effects, trend = np.random.SeedSequence(seed).spawn(2)
    return np.random.default_rng(effects), np.random.default_rng(trend)


def draw_effects(low: np.ndarray, high: np.ndarray, runs: int, rng: np.random.Generator) -> np.ndarray:
    """Effects at full strength (R x K) from normals with 80% intervals (low, high), clipped above -1."""
    low = np.asarray(low, dtype=float)
    high = np.asarray(high, dtype=float)
    if runs < 1:
        raise ValueError(f"runs must be at least 1, found {runs}")
    if np.any(high < low):
        k = int(np.flatnonzero(high < low)[0])
        raise ValueError(f"intervention {k}: effect_high {high[k]:g} is below effect_low {low[k]:g}")
    mean = (low + high) / 2
    sd = (high - low) / 2.563
    draws = mean[None, :] + sd[None, :] * rng.standard_normal((runs, len(low)))
    return np.maximum(draws, EFFECT_FLOOR)


def log_factors(effects: np.ndarray, ramps: np.ndarray, exposure: np.ndarray) -> np.ndarray:
    """Log of the combined intervention factor per run, year and series (R x Y x S).

    effects (R x K), ramps (K x Y), exposure (K x S, 1 where intervention k acts on series s).
    """
    effects = np.atleast_2d(np.asarray(effects, dtype=float))
    per_year = np.log1p(np.maximum(effects[:, :, None] * ramps[None, :, :], EFFECT_FLOOR))  # R x K x Y
    return np.einsum("rky,ks->rys", per_year, np.asarray(exposure, dtype=float), optimize=True)


def factors(effects: np.ndarray, ramps: np.ndarray, exposure: np.ndarray) -> np.ndarray:
    """The combined intervention factor per run, year and series (R x Y x S)."""
    return np.exp(log_factors(effects, ramps, exposure))


def draw_trend_z(runs: int, rng: np.random.Generator) -> np.ndarray:
    """One standard normal per run for the trend error (R,)."""
    return rng.standard_normal(runs)


def trend_draws(central: np.ndarray, sd: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Trend factors per run (R x Y x S): central + z x sd, floored at zero."""
    return np.maximum(central[None, :, :] + z[:, None, None] * sd[None, :, :], 0.0)


def quantiles(draws: np.ndarray, q: tuple[float, ...] = QUANTILES) -> np.ndarray:
    """Quantiles over runs (axis 0) of an (R x ...) array, as (len(q) x ...)."""
    return np.quantile(draws, q, axis=0)
