"""Area populations for years the published files lack, by national cohort change (Hamilton-Perry).

The real files hold each local authority's mid-2011 estimate by sex and single year of age, and only
national projections (ONS 2018-based, 2018 onwards). An area's population in other years is derived
by the Hamilton-Perry cohort change method, with England's projected change standing in for the
area's:

- cohort change ratio of age a (0-88) and sex s: CCR(a) = sum_t N(t+1, a+1) / sum_t N(t, a) over the
  first `span` years of the national projection (2018 to 2023 by default); the open group 90+ takes
  CCR(89+) = sum N(t+1, 90+) / sum (N(t, 89) + N(t, 90+)); newborns R0 = sum N(t+1, 0) / sum N(t, 0);
- forward, a year at a time: P(y+1, a+1) = P(y, a) CCR(a), P(y+1, 90+) = (P(y, 89) + P(y, 90+))
  CCR(89+), P(y+1, 0) = P(y, 0) R0;
- backward: P(y-1, a) = P(y, a+1) / CCR(a) for ages 0-88, and P(y-1, 89) + P(y-1, 90+) =
  P(y, 90+) / CCR(89+), split as England's ages 89 and 90+ are in the projection's first year.
  Years before the estimate use the principal ratios for every variant (the past has one variant).

So cohorts age through the years (the post-war bulge moves into the 65-74 band) while the area keeps
its own age structure; what the area cannot have is its own migration or fertility. Derived years
carry the projection variant whose ratios made them; the estimate year is also kept as "estimate".
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis.contract import SEXES

OPEN_AGE = 90


def _grid(frame: pd.DataFrame, years: Iterable[int]) -> dict[tuple[int, str], np.ndarray]:
    """Population by (year, sex) as an array over ages 0..90 (90 = 90 and over)."""
    out = {}
    for (year, sex), rows in frame.groupby(["year", "sex"]):
        if int(year) not in set(years):
            continue
        ages = rows["age"].astype(int).clip(upper=OPEN_AGE).to_numpy()
        out[(int(year), str(sex))] = np.bincount(
            ages, weights=rows["population"].to_numpy(dtype=float), minlength=OPEN_AGE + 1
        )
    return out


def cohort_change_ratios(national: pd.DataFrame, *, span: int = 5) -> dict[str, np.ndarray]:
    """Per sex, an array of OPEN_AGE + 1 ratios: CCR(0..88), CCR(89+) at index 89, and R0 at index 90.

    `national` is one area and one variant of the population table (year, sex, age, population).
    """
    first = int(national["year"].min())
    years = list(range(first, first + span + 1))
    grid = _grid(national, years)
    missing = [(y, s) for y in years for s in SEXES if (y, s) not in grid]
    if missing:
        raise ValueError(
            f"national projection: no rows for year {missing[0][0]}, sex {missing[0][1]} (needs {first} to "
            f"{first + span})"
        )
    out = {}
    for sex in SEXES:
        now = sum(grid[(y, sex)] for y in years[:-1])
        then = sum(grid[(y, sex)] for y in years[1:])
        ratios = np.empty(OPEN_AGE + 1)
        ratios[:89] = then[1:90] / now[:89]
        ratios[89] = then[OPEN_AGE] / (now[89] + now[OPEN_AGE])
        ratios[OPEN_AGE] = then[0] / now[0]
        out[sex] = ratios
    return out


def _forward(p: np.ndarray, r: np.ndarray) -> np.ndarray:
    nxt = np.empty_like(p)
    nxt[0] = p[0] * r[OPEN_AGE]
    nxt[1:OPEN_AGE] = p[: OPEN_AGE - 1] * r[: OPEN_AGE - 1]
    nxt[OPEN_AGE] = (p[89] + p[OPEN_AGE]) * r[89]
    return nxt


def _backward(p: np.ndarray, r: np.ndarray, share_89: float) -> np.ndarray:
    prev = np.empty_like(p)
    prev[:89] = p[1:90] / r[:89]
    old = p[OPEN_AGE] / r[89]
    prev[89], prev[OPEN_AGE] = old * share_89, old * (1 - share_89)
    return prev


def derive_area_population(
    estimate: pd.DataFrame,
    national: pd.DataFrame,
    years: Iterable[int],
    *,
    area: str,
    scale: float = 1.0,
    span: int = 5,
) -> pd.DataFrame:
    """An area's population (contract columns) for `years`, from its estimate and the national projection.

    `estimate`: the area's rows of one estimate year (sex, age, population). `national`: the national
    rows of the projection variants (variant, year, sex, age, population). `scale` multiplies every
    figure (a commissioner that covers part of an authority). Returns the estimate year as
    "estimate" and every year of `years` under each projection variant.
    """
    if estimate.empty:
        raise ValueError(f"population: no estimate rows for area {area!r}")
    if not (estimate["year"] == estimate["year"].iloc[0]).all():
        raise ValueError(
            f"population: the estimate of area {area!r} must be one year, found {sorted(estimate['year'].unique())}"
        )
    base = int(estimate["year"].iloc[0])
    start = _grid(estimate, [base])
    variants = [v for v in ("principal", "high", "low") if (national["variant"] == v).any()]
    if "principal" not in variants:
        raise ValueError("national projection: no principal variant to derive area populations from")
    ratios = {v: cohort_change_ratios(national[national["variant"] == v], span=span) for v in variants}
    principal = national[national["variant"] == "principal"]
    first_year = _grid(principal, [int(principal["year"].min())])
    years = sorted(set(int(y) for y in years))
    rows = []
    for sex in SEXES:
        if (base, sex) not in start:
            raise ValueError(f"population: area {area!r} has no {sex} estimate for {base}")
        n0 = first_year[(int(principal["year"].min()), sex)]
        share_89 = float(n0[89] / (n0[89] + n0[OPEN_AGE]))
        past = {base: start[(base, sex)]}
        for y in range(base - 1, min(years + [base]) - 1, -1):
            past[y] = _backward(past[y + 1], ratios["principal"][sex], share_89)
        for variant in variants:
            levels = dict(past)
            for y in range(base + 1, max(years + [base]) + 1):
                levels[y] = _forward(levels[y - 1], ratios[variant][sex])
            for y in years:
                rows.append((variant, y, sex, levels[y]))
        rows.append(("estimate", base, sex, start[(base, sex)]))
    frame = pd.DataFrame(
        [
            {
                "area": area,
                "year": y,
                "sex": sex,
                "age": age,
                "population": float(values[age]) * scale,
                "variant": variant,
            }
            for variant, y, sex, values in rows
            for age in range(OPEN_AGE + 1)
        ]
    )
    return frame.sort_values(["variant", "year", "sex", "age"], ignore_index=True)
