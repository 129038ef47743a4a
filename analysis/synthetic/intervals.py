"""95% confidence intervals as Fingertips computes them: Wilson for proportions, Byar for counts and rates."""

from __future__ import annotations

import numpy as np

Z95 = 1.959963984540054


def wilson(count: np.ndarray, denominator: np.ndarray, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for count/denominator (NaN where the denominator is 0)."""
    k = np.asarray(count, dtype=float)
    n = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        centre = (2 * k + z**2) / (2 * (n + z**2))
        half = z * np.sqrt(z**2 + 4 * k * (1 - p)) / (2 * (n + z**2))
        bad = n <= 0
        return np.where(bad, np.nan, centre - half), np.where(bad, np.nan, centre + half)


def byar(count: np.ndarray, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Byar's approximation to the exact Poisson interval for an observed count (lower limit 0 for 0)."""
    o = np.asarray(count, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = np.where(o > 0, o * (1 - 1 / (9 * o) - z / (3 * np.sqrt(o))) ** 3, 0.0)
    upper = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * np.sqrt(o + 1))) ** 3
    return lower, upper


def rate_interval(count: np.ndarray, denominator: np.ndarray, per: float) -> tuple[np.ndarray, np.ndarray]:
    """Byar limits of a rate per `per` (NaN where the denominator is 0)."""
    lower, upper = byar(count)
    n = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n > 0, per * lower / n, np.nan), np.where(n > 0, per * upper / n, np.nan)
