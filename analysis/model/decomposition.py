"""Splitting a multiplicative change into additive parts that sum exactly (log-mean Divisia, LMDI-I).

When horizon = baseline x f_1 x f_2 x ... x f_n, the change horizon - baseline is split as

    part_i = L(horizon, baseline) x ln f_i,   L(a, b) = (a - b) / (ln a - ln b)  (L(a, a) = a),

and since sum ln f_i = ln(horizon / baseline) the parts sum to horizon - baseline exactly, whatever the
order of the factors (Ang 2004, "Decomposition analysis for policymaking in energy"). Parts of
different series add up, so a total's waterfall is the sum of its series' parts. A zero factor is
floored at 1e-12 so that its part takes (almost all of) the fall to zero.
"""

from __future__ import annotations

import numpy as np

FACTOR_FLOOR = 1e-12


def log_mean(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The logarithmic mean of positive a and b, elementwise (0 where either is 0)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    positive = (a > 0) & (b > 0)
    safe_a = np.where(positive, a, 1.0)
    safe_b = np.where(positive, b, 1.0)
    diff = np.log(safe_a) - np.log(safe_b)
    close = np.abs(diff) < 1e-12
    out = np.where(close, safe_a, (safe_a - safe_b) / np.where(close, 1.0, diff))
    return np.where(positive, out, 0.0)


def lmdi(baseline: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """Additive parts (F x ...) of baseline x prod(factors) - baseline, one per factor (axis 0)."""
    f = np.maximum(np.asarray(factors, dtype=float), FACTOR_FLOOR)
    base = np.asarray(baseline, dtype=float)
    logs = np.log(f)
    horizon = base * np.exp(logs.sum(axis=0))
    return log_mean(horizon, base)[None, ...] * logs
