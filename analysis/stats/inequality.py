"""Inequality by deprivation: the slope index of inequality (SII), as OHID/PHE compute it.

Groups (usually deprivation deciles) are ranked from most to least deprived; each group sits at the
midpoint of its share of the cumulative population (a rank from 0 to 1); a weighted least-squares
line (weights = population) through the groups' values against that rank gives the SII: the
modelled difference in the indicator between the least and the most deprived ends of the
population. A positive SII means higher values in less deprived areas (as for life expectancy).
The relative index (RII) divides the SII by the population-weighted mean.

The confidence interval comes from the regression itself (t distribution on groups - 2 degrees of
freedom), which reflects how far the groups scatter around the line. PHE's tools can instead
simulate from each group's own confidence interval; that needs the groups' intervals, which
published decile tables do not always give.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import statsmodels.api as sm


@dataclass(frozen=True)
class SlopeIndex:
    """The slope index of inequality with its confidence interval, and the relative index."""

    sii: float
    lower: float
    upper: float
    rii: float
    intercept: float  # modelled value at the most deprived end (rank 0)
    level: float
    groups: int


def midpoint_ranks(populations: Sequence[float] | np.ndarray) -> np.ndarray:
    """Each group's cumulative population midpoint as a share of the total (groups in rank order)."""
    pop = np.asarray(populations, dtype=float)
    share = pop / pop.sum()
    return np.cumsum(share) - share / 2


def slope_index(
    values: Sequence[float] | np.ndarray,
    deciles: Sequence[int] | np.ndarray,
    populations: Sequence[float] | np.ndarray,
    *,
    most_deprived_first: bool = True,
    level: float = 0.95,
) -> SlopeIndex:
    """SII of `values` across deprivation groups; `most_deprived_first` says decile 1 is the most deprived (IMD)."""
    y = np.asarray(values, dtype=float)
    d = np.asarray(deciles)
    pop = np.asarray(populations, dtype=float)
    if not len(y) == len(d) == len(pop):
        raise ValueError(
            f"slope_index: values ({len(y)}), deciles ({len(d)}) and populations ({len(pop)}) must have the same length"
        )
    if len(set(d.tolist())) != len(d):
        raise ValueError("slope_index: each decile may appear only once")
    if len(y) < 3:
        raise ValueError(f"slope_index: at least 3 groups are needed for a slope and its interval, found {len(y)}")
    if not (np.isfinite(y).all() and np.isfinite(pop).all()) or (pop <= 0).any():
        raise ValueError("slope_index: values must be finite and populations positive")
    order = np.argsort(d, kind="stable")
    if not most_deprived_first:
        order = order[::-1]
    y, pop = y[order], pop[order]
    rank = midpoint_ranks(pop)
    fit = sm.WLS(y, sm.add_constant(rank), weights=pop).fit()
    low, high = fit.conf_int(alpha=1 - level)[1]
    slope = float(fit.params[1])
    mean = float(np.average(y, weights=pop))
    return SlopeIndex(
        sii=slope,
        lower=float(low),
        upper=float(high),
        rii=slope / mean if mean else float("nan"),
        intercept=float(fit.params[0]),
        level=level,
        groups=len(y),
    )
