"""Funnel plots with overdispersion (Spiegelhalter 2005, as implemented by FunnelPlotR).

Data types: "SR" indirectly standardised ratios (observed / expected, target 1), "PR" proportions
(target the pooled proportion), "RC" ratios of counts (target the pooled ratio).

- Unadjusted limits: exact Poisson (chi-square form) for SR; for PR and RC the normal limits on the
  transformed scale (arcsine square root for PR, log for RC) with no between-unit variance.
- Overdispersion: z-scores on the transformed scale (log for SHMI-style ratios, square root for CQC,
  arcsine square root for PR, log for RC); Winsorised at `trim_by`/1 - `trim_by` (truncated instead
  for the SHMI method); phi = mean of the trimmed z^2; tau^2 = max(0, (n phi - (n - 1)) /
  (sum w - sum w^2 / sum w)), w = 1 / s^2; adjusted limits target +/- z sqrt(s^2 + tau^2),
  back-transformed. No adjustment when phi <= 1 (the adjusted columns then repeat the unadjusted).
- Outliers are flagged against the limits in use (adjusted when the adjustment applies), inclusive
  of the limits: a unit exactly on a limit is not an outlier.

Where FunnelPlotR's code differs from the published method we follow the method and say so:
CQC limits are squared back from the square-root scale; proportion limits are clipped to 0-1 instead
of wrapping round the sine; RC limits use the same standard error as the RC z-scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats

DATA_TYPES = ("SR", "PR", "RC")
SR_METHODS = ("SHMI", "CQC")
Z95 = float(stats.norm.ppf(0.975))
Z998 = float(stats.norm.ppf(0.999))
LIMIT_COLUMNS = ("ll95", "ul95", "ll998", "ul998")


def poisson_limits(expected: Sequence[float] | np.ndarray, target: float = 1.0) -> pd.DataFrame:
    """Exact Poisson 95% and 99.8% limits of an observed/expected ratio at each expected count."""
    e = np.asarray(expected, dtype=float)
    if (e <= 0).any() or not np.isfinite(e).all():
        raise ValueError("poisson_limits: expected counts must be positive finite numbers")
    out = {}
    for level, z_tail in (("95", 0.025), ("998", 0.001)):
        out[f"ll{level}"] = target * stats.chi2.ppf(z_tail, 2 * e) / (2 * e)
        out[f"ul{level}"] = target * stats.chi2.ppf(1 - z_tail, 2 * (e + 1)) / (2 * e)
    return pd.DataFrame(out)[list(LIMIT_COLUMNS)]


def outside(value: ArrayLike, lower: ArrayLike, upper: ArrayLike) -> np.ndarray:
    """True where a value lies strictly outside its limits (a value on a limit is inside)."""
    v = np.asarray(value, dtype=float)
    return (v < np.asarray(lower, dtype=float)) | (v > np.asarray(upper, dtype=float))


# --- transformations ----------------------------------------------------------------------------


def _rc_se(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Standard error of the log ratio of two counts (with the 0.5 continuity correction)."""
    return np.sqrt(numerator / (numerator + 0.5) ** 2 + denominator / (denominator + 0.5) ** 2)


def _zscores(
    o: np.ndarray, d: np.ndarray, target: float, data_type: str, sr_method: str
) -> tuple[np.ndarray, np.ndarray]:
    """Unadjusted z-scores and their standard errors s on the transformed scale."""
    with np.errstate(divide="ignore"):
        if data_type == "SR" and sr_method == "SHMI":
            s = 1 / np.sqrt(d)
            return np.sqrt(d) * np.log(o / d), s
        if data_type == "SR":
            s = 1 / (2 * np.sqrt(d))
            return (np.sqrt(o / d) - 1) / s, s
        if data_type == "PR":
            s = 1 / (2 * np.sqrt(d))
            return (np.arcsin(np.sqrt(o / d)) - np.arcsin(np.sqrt(target))) / s, s
        s = _rc_se(o, d)
        return (np.log((o + 0.5) / (d + 0.5)) - np.log(target)) / s, s


def winsorise(z: np.ndarray, trim_by: float = 0.1) -> np.ndarray:
    """z-scores pulled in to their trim_by and 1 - trim_by quantiles (R's default quantile type)."""
    lo, hi = np.quantile(z, [trim_by, 1 - trim_by])
    return np.clip(z, lo, hi)


def truncate(z: np.ndarray, trim_by: float = 0.1) -> np.ndarray:
    """z-scores with the lowest and highest trim_by groups (by rank) set to NaN, as in the SHMI method."""
    k = 1 / trim_by
    rank = stats.rankdata(z, method="average")
    group = np.floor(rank * k / (len(z) + 1))
    kept = (group > 0) & (group < k - 1)
    return np.where(kept, z, np.nan)


def dispersion(z: np.ndarray, s: np.ndarray) -> tuple[float, float]:
    """Phi (mean of squared z over the units kept) and tau^2 (the between-unit variance)."""
    used = ~np.isnan(z)
    n = int(used.sum())
    if n == 0:
        return float("nan"), 0.0
    phi = float(np.mean(z[used] ** 2))
    w = 1 / s[used] ** 2
    denominator = w.sum() - (w**2).sum() / w.sum()
    if n * phi < n - 1 or denominator <= 0:
        return phi, 0.0
    return phi, float(max(0.0, (n * phi - (n - 1)) / denominator))


def limits(
    denominator: Sequence[float] | np.ndarray,
    *,
    target: float,
    data_type: str = "SR",
    sr_method: str = "SHMI",
    tau2: float = 0.0,
    adjusted: bool = False,
) -> pd.DataFrame:
    """The 95% and 99.8% limits at each denominator (expected count for SR): unadjusted, or adjusted by tau2."""
    d = np.asarray(denominator, dtype=float)
    if data_type == "SR" and not adjusted:
        return poisson_limits(d, target)
    out = {}
    for level, z in (("95", Z95), ("998", Z998)):
        if data_type == "SR" and sr_method == "SHMI":
            spread = z * np.sqrt(1 / d + tau2)
            low, high = target * np.exp(-spread), target * np.exp(spread)
        elif data_type == "SR":
            spread = z * np.sqrt(1 / (4 * d) + tau2)
            low, high = target * np.clip(1 - spread, 0, None) ** 2, target * (1 + spread) ** 2
        elif data_type == "PR":
            spread = z * np.sqrt(1 / (4 * d) + tau2)
            centre = np.arcsin(np.sqrt(target))
            low = np.sin(np.clip(centre - spread, 0, np.pi / 2)) ** 2
            high = np.sin(np.clip(centre + spread, 0, np.pi / 2)) ** 2
        else:
            spread = z * np.sqrt(_rc_se(target * d, d) ** 2 + tau2)
            low, high = target * np.exp(-spread), target * np.exp(spread)
        out[f"ll{level}"], out[f"ul{level}"] = low, high
    return pd.DataFrame(out)[list(LIMIT_COLUMNS)]


# --- the funnel ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelResult:
    """A funnel plot's units, limits and overdispersion, and how they were computed."""

    table: pd.DataFrame
    phi: float
    tau2: float
    target: float
    data_type: str
    sr_method: str
    trim_by: float
    overdispersion: bool  # whether an adjustment was asked for
    adjusted: bool  # whether it was applied (asked for and phi > 1)

    @property
    def method(self) -> str:
        """A plain sentence naming the limits and any overdispersion adjustment, for captions."""
        base = {
            "SR": "Exact Poisson limits",
            "PR": "Limits for proportions (arcsine square-root scale)",
            "RC": "Limits for a ratio of counts (log scale)",
        }[self.data_type]
        if self.data_type == "SR" and self.adjusted:
            base = "Poisson limits"
        if self.adjusted:
            trim = "truncation" if self.data_type == "SR" and self.sr_method == "SHMI" else "Winsorisation"
            how = f"{self.sr_method} method, " if self.data_type == "SR" else ""
            return (
                f"{base} with overdispersion adjustment (phi = {self.phi:.2f}, tau2 = {self.tau2:.4g}; "
                f"{how}{100 * self.trim_by:g}% {trim}); 95% and 99.8% limits"
            )
        if self.overdispersion:
            return f"{base}, 95% and 99.8%; no overdispersion adjustment needed (phi = {self.phi:.2f})"
        return f"{base}, 95% and 99.8%; no overdispersion adjustment"


def _check_inputs(o: np.ndarray, d: np.ndarray, data_type: str, sr_method: str, trim_by: float) -> None:
    """Errors that name the rule broken and the first unit breaking it."""
    if data_type not in DATA_TYPES:
        raise ValueError(f"funnel: data_type must be one of {', '.join(DATA_TYPES)}, found {data_type!r}")
    if sr_method not in SR_METHODS:
        raise ValueError(f"funnel: sr_method must be one of {', '.join(SR_METHODS)}, found {sr_method!r}")
    if not 0 < trim_by < 0.5:
        raise ValueError(f"funnel: trim_by must be between 0 and 0.5, found {trim_by!r}")
    if len(o) != len(d):
        raise ValueError(f"funnel: numerator has {len(o)} values but denominator has {len(d)}")
    checks = [
        (~np.isfinite(o) | (o < 0), "numerators must be finite and at least 0"),
        (~np.isfinite(d) | (d <= 0), "denominators must be finite and above 0"),
    ]
    if data_type == "PR":
        checks.append((o > d, "a proportion's numerator cannot exceed its denominator"))
    for bad, rule in checks:
        if bad.any():
            raise ValueError(f"funnel: unit at position {int(np.flatnonzero(bad)[0])}: {rule}")


def funnel(
    numerator: Sequence[float] | pd.Series | np.ndarray,
    denominator: Sequence[float] | pd.Series | np.ndarray,
    *,
    group: Sequence[object] | pd.Series | None = None,
    data_type: str = "SR",
    sr_method: str = "SHMI",
    trim_by: float = 0.1,
    overdispersion: bool = True,
) -> FunnelResult:
    """Funnel plot statistics: one row per unit (rows of one group summed first) with limits and outlier flags.

    For SR the denominator is the expected count and the value the ratio observed / expected.
    """
    frame = pd.DataFrame(
        {"numerator": np.asarray(numerator, dtype=float), "denominator": np.asarray(denominator, dtype=float)}
    )
    if group is None:
        units = numerator.index if isinstance(numerator, pd.Series) else pd.RangeIndex(len(frame))
        frame.insert(0, "unit", np.asarray(units))
    else:
        frame.insert(0, "unit", np.asarray(group, dtype=object))
        frame = frame.groupby("unit", sort=False, as_index=False)[["numerator", "denominator"]].sum()
    o, d = frame["numerator"].to_numpy(), frame["denominator"].to_numpy()
    _check_inputs(o, d, data_type, sr_method, trim_by)
    if len(o) < 2:
        raise ValueError("funnel: at least two units are needed")

    target = 1.0 if data_type == "SR" else float(o.sum() / d.sum())
    z, s = _zscores(o, d, target, data_type, sr_method)
    # A unit with no events has no finite log z-score (SHMI method): it is left out of phi, not the plot.
    finite = np.isfinite(z)
    trimmed = np.full(len(z), np.nan)
    trim = truncate if (data_type == "SR" and sr_method == "SHMI") else winsorise
    trimmed[finite] = trim(z[finite], trim_by)
    phi, tau2 = dispersion(trimmed, s)
    adjusted = bool(overdispersion and phi > 1)
    if not adjusted:
        tau2 = 0.0

    table = frame.copy()
    table["value"] = o / d
    table["target"] = target
    plain = limits(d, target=target, data_type=data_type, sr_method=sr_method)
    used = (
        limits(d, target=target, data_type=data_type, sr_method=sr_method, tau2=tau2, adjusted=True)
        if adjusted
        else plain
    )
    for c in LIMIT_COLUMNS:
        table[c] = plain[c].to_numpy()
    for c in LIMIT_COLUMNS:
        table[f"od_{c}"] = used[c].to_numpy()
    table["outlier95"] = outside(table["value"], used["ll95"], used["ul95"])
    table["outlier998"] = outside(table["value"], used["ll998"], used["ul998"])
    return FunnelResult(table, phi, tau2, target, data_type, sr_method, trim_by, overdispersion, adjusted)


def funnel_curve(result: FunnelResult, n_points: int = 100) -> pd.DataFrame:
    """The limits in use along a range of denominators, for drawing: denominator, target and the four limits."""
    d = result.table["denominator"].to_numpy()
    low, high = max(d.min() / 2, 1e-9), d.max() * 1.1
    # Geometric spacing puts more points where the funnel bends sharply, at small denominators.
    grid = np.geomspace(low, high, n_points)
    curve = limits(
        grid,
        target=result.target,
        data_type=result.data_type,
        sr_method=result.sr_method,
        tau2=result.tau2,
        adjusted=result.adjusted,
    )
    curve.insert(0, "target", result.target)
    curve.insert(0, "denominator", grid)
    return curve
