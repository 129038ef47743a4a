"""Demographic growth: activity rates by age band and sex held constant, applied to projected population.

The activity table carries no age, so each pathway (or pathway and point of delivery) has an age-sex
profile: the share of its baseline activity in each age band and sex. With rates per head held at
their baseline value, activity in year y relative to the baseline year is

    factor(y) = sum over bands b of share_b x population_b(y) / population_b(baseline).

Population is the mid-year figure of the calendar year a fiscal year starts in (mid-2008 for
2008/09). A projection variant ("principal", "high", "low") is used where it has the year; the
"estimate" rows fill the years it lacks (usually the past). With no projection variants at all, the
estimates serve as the principal variant.

`DEFAULT_AGE_WEIGHTS` is a small, illustrative profile (an assumption to replace with local
age-specific activity where it exists): relative weights per band and sex, normalised to shares.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

import numpy as np
import pandas as pd

AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("0-4", 0, 4),
    ("5-14", 5, 14),
    ("15-44", 15, 44),
    ("45-64", 45, 64),
    ("65-74", 65, 74),
    ("75-84", 75, 84),
    ("85+", 85, 120),
)
PROJECTION_VARIANTS = ("principal", "high", "low")

# Relative weight of activity per band, as (male, female), for each pathway; every point of delivery
# of the pathway shares the profile (pod "*"). Illustrative shapes, not measured:
# maternity is women 15-44 with newborns; children 0-17 (the 15-17 in the 15-44 band); urgent care is
# U-shaped, weighted to the very young and the old; long-term conditions, planned care and end of
# life rise with age; mental health is working-age adults with dementia in the oldest bands.
DEFAULT_AGE_WEIGHTS: dict[str, dict[str, tuple[float, float]]] = {
    "maternity": {"0-4": (2, 2), "15-44": (0, 94), "45-64": (0, 2)},
    "children": {"0-4": (27, 23), "5-14": (22, 20), "15-44": (4, 4)},
    "staying_healthy": {
        "5-14": (3, 3),
        "15-44": (18, 22),
        "45-64": (15, 16),
        "65-74": (7, 7),
        "75-84": (4, 4),
        "85+": (0.5, 0.5),
    },
    "long_term_conditions": {"15-44": (5, 5), "45-64": (14, 13), "65-74": (14, 13), "75-84": (13, 14), "85+": (4, 5)},
    "urgent_care": {
        "0-4": (9, 7),
        "5-14": (4, 3),
        "15-44": (12, 12),
        "45-64": (8, 8),
        "65-74": (7, 7),
        "75-84": (8, 9),
        "85+": (5, 7),
    },
    "planned_care": {
        "0-4": (1, 1),
        "5-14": (2, 2),
        "15-44": (9, 11),
        "45-64": (15, 16),
        "65-74": (12, 12),
        "75-84": (8, 8),
        "85+": (1.5, 1.5),
    },
    "mental_health": {
        "5-14": (3, 3),
        "15-44": (24, 22),
        "45-64": (13, 13),
        "65-74": (4, 5),
        "75-84": (4, 5),
        "85+": (1.5, 2.5),
    },
    "end_of_life": {"15-44": (1, 1), "45-64": (6, 5), "65-74": (11, 9), "75-84": (16, 17), "85+": (14, 21)},
}


def default_age_profile() -> pd.DataFrame:
    """The default age-sex profile: pathway, pod ('*' = every pod), sex, band, age_from, age_to, share."""
    bands = {name: (lo, hi) for name, lo, hi in AGE_BANDS}
    rows = []
    for pathway, weights in DEFAULT_AGE_WEIGHTS.items():
        total = sum(m + f for m, f in weights.values())
        for band, (male, female) in weights.items():
            lo, hi = bands[band]
            for sex, w in (("male", male), ("female", female)):
                if w > 0:
                    rows.append((pathway, "*", sex, band, lo, hi, w / total))
    return pd.DataFrame(rows, columns=["pathway", "pod", "sex", "band", "age_from", "age_to", "share"])


def check_age_profile(profile: pd.DataFrame) -> pd.DataFrame:
    """Check an age profile's columns and that each pathway x pod's shares sum to 1."""
    need = ["pathway", "pod", "sex", "age_from", "age_to", "share"]
    missing = [c for c in need if c not in profile.columns]
    if missing:
        raise ValueError(f"age profile: missing column(s) {', '.join(missing)}; expected {', '.join(need)}")
    if (profile["share"] < 0).any():
        row = profile.index[profile["share"] < 0][0]
        raise ValueError(f"age profile, row {row}: column 'share' must be non-negative")
    if (profile["age_from"] > profile["age_to"]).any():
        row = profile.index[profile["age_from"] > profile["age_to"]][0]
        raise ValueError(f"age profile, row {row}: age_from must not exceed age_to")
    sums = profile.groupby(["pathway", "pod"])["share"].sum()
    off = sums[(sums - 1).abs() > 1e-6]
    if len(off):
        (pathway, pod), total = off.index[0], off.iloc[0]
        raise ValueError(f"age profile: shares of pathway={pathway}, pod={pod} sum to {total:.6g}, expected 1")
    return profile


def variant_population(population: pd.DataFrame, area: str) -> dict[str, pd.DataFrame]:
    """Population of one area per projection variant, estimates filling the years a variant lacks."""
    pop = population[population["area"] == area]
    if pop.empty:
        areas = ", ".join(sorted(map(str, population["area"].unique()))[:20])
        raise ValueError(f"population table: no rows for area {area!r} (areas present: {areas})")
    estimate = pop[pop["variant"] == "estimate"]
    present = [v for v in PROJECTION_VARIANTS if (pop["variant"] == v).any()]
    if not present:
        return {"principal": estimate}
    if "principal" not in present:
        raise ValueError(
            f"population table: area {area!r} has projection variant(s) {', '.join(present)} but no 'principal'"
        )
    out = {}
    for v in present:
        rows = pop[pop["variant"] == v]
        fill = estimate[~estimate["year"].isin(set(rows["year"]))]
        out[v] = pd.concat([rows, fill], ignore_index=True)
    return out


def _band_population(pop: pd.DataFrame, profile: pd.DataFrame, years: Iterable[int]) -> np.ndarray:
    """Population per profile row (rows x years): the sum over the row's sex and age range."""
    years = list(years)
    table = pop.pivot_table(index=["year", "sex"], columns="age", values="population", aggfunc="sum", fill_value=0.0)
    max_age = int(max(table.columns.max(), profile["age_to"].clip(upper=200).max()))
    table = table.reindex(columns=range(max_age + 1), fill_value=0.0)
    cum = np.concatenate([np.zeros((len(table), 1)), np.cumsum(table.to_numpy(dtype=float), axis=1)], axis=1)
    index = {key: i for i, key in enumerate(table.index)}
    lo = profile["age_from"].to_numpy(dtype=int)
    hi = np.minimum(profile["age_to"].to_numpy(dtype=int), max_age) + 1
    out = np.zeros((len(profile), len(years)))
    for j, year in enumerate(years):
        for sex in profile["sex"].unique():
            rows = np.flatnonzero(profile["sex"].to_numpy() == sex)
            k = index.get((year, sex))
            if k is None:
                raise KeyError((year, sex))
            out[rows, j] = cum[k, hi[rows]] - cum[k, lo[rows]]
    return out


def demographic_factors(
    population: pd.DataFrame,
    area: str,
    baseline_year: int,
    horizon_year: int,
    age_profile: pd.DataFrame | None = None,
    *,
    first_year: int | None = None,
) -> pd.DataFrame:
    """Growth factor relative to the baseline year per pathway x pod x variant x year.

    Returns columns pathway, pod ('*' = every pod of the pathway), variant, year, factor, for years
    from `first_year` (default the baseline year) to the horizon; the factor is 1 in the baseline year.
    """
    profile = check_age_profile(default_age_profile() if age_profile is None else age_profile).reset_index(drop=True)
    start = baseline_year if first_year is None else first_year
    years = list(range(min(start, baseline_year), horizon_year + 1))
    frames = []
    for variant, pop in variant_population(population, area).items():
        have = set(pop["year"].astype(int))
        lacking = [y for y in years if y not in have]
        if lacking:
            raise ValueError(
                f"population table: area {area!r}, variant {variant!r} has no rows for year(s) "
                f"{', '.join(map(str, lacking))} (needed from {years[0]} to {horizon_year})"
            )
        try:
            band = _band_population(pop, profile, years)
        except KeyError as missing:
            year, sex = missing.args[0]
            raise ValueError(
                f"population table: area {area!r}, variant {variant!r}, year {year}: no rows for sex {sex!r}"
            ) from None
        base = band[:, years.index(baseline_year)]
        empty = (base <= 0) & (profile["share"].to_numpy() > 0)
        if empty.any():
            r = profile.iloc[int(np.flatnonzero(empty)[0])]
            raise ValueError(
                f"population table: area {area!r}, variant {variant!r}, year {baseline_year}: no {r['sex']} population "
                f"aged {r['age_from']}-{r['age_to']}, which the age profile of {r['pathway']} gives a share of activity"
            )
        ratio = np.divide(band, base[:, None], out=np.zeros_like(band), where=base[:, None] > 0)
        weighted = ratio * profile["share"].to_numpy()[:, None]
        keys = profile[["pathway", "pod"]].astype(str)
        summed = (
            pd.DataFrame(weighted, columns=years)
            .assign(pathway=keys["pathway"], pod=keys["pod"])
            .groupby(["pathway", "pod"], sort=True)
            .sum()
        )
        stacked = cast(pd.Series, summed.stack())  # one column level, so a Series
        long = stacked.rename("factor").reset_index().rename(columns={"level_2": "year"})
        long["variant"] = variant
        frames.append(long)
    out = pd.concat(frames, ignore_index=True)
    out["year"] = out["year"].astype("int64")
    return out[["pathway", "pod", "variant", "year", "factor"]].sort_values(
        ["pathway", "pod", "variant", "year"], ignore_index=True
    )


def available_years(population: pd.DataFrame, area: str) -> set[int]:
    """Years that every variant of an area's population covers (estimates filling gaps)."""
    pops = variant_population(population, area)
    return set.intersection(*(set(p["year"].astype(int)) for p in pops.values()))
