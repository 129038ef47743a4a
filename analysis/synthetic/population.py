"""Residents by area, year, sex and single year of age: estimates for the history, projections after it.

Shapes come from the ONS mid-2011 estimates (BEN: Birmingham's, tilted younger; Solihull's; England's);
national growth rates by age and sex from the 2018-based projections carry them backwards to the
history and forwards to the projection years. Commissioners are scaled to the spec's populations at
the spec population year; England keeps its own level.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.synthetic.spec import Spec, SpecError

ENGLAND = "E92000001"
SEXES = ("male", "female")
AGES = np.arange(91)  # 90 means 90 and over
BASE_YEAR = 2011  # the year of the ONS estimates behind the shapes
PROJECTION_VARIANTS = ("principal", "high", "low")

# (area, year, variant) -> residents, shape (2 sexes, 91 ages)
Arrays = dict[tuple[str, int, str], np.ndarray]


def _by_sex(entry: dict) -> np.ndarray:
    return np.array([entry[sex] for sex in SEXES], dtype=float).reshape(2, len(AGES))


def base_counts(calibration: dict, area: str) -> np.ndarray:
    """Mid-2011 residents of an area's shape, with the area's young tilt applied."""
    shapes = calibration["population"]["shape_mid2011"]
    if area not in shapes:
        raise SpecError(
            f"calibration.yml population.shape_mid2011 has no entry for area '{area}' (has {', '.join(shapes)})"
        )
    tilt = calibration["population"]["young_tilt"].get(area, 0.0)
    pivot = calibration["population"]["young_tilt_pivot_age"]
    return _by_sex(shapes[area]) * np.exp(-tilt * (AGES - pivot))


def growth(calibration: dict, variant: str) -> np.ndarray:
    """Annual growth rate by sex and age of a projection variant."""
    return _by_sex(calibration["population"]["growth"][variant])


def arrays(spec: Spec, calibration: dict) -> Arrays:
    """Estimates for every year of the history and projections to the last projection year, per area."""
    years = spec.years
    last = years[-1]
    projection_last = calibration["periods"]["projection_last_year"]
    spec_year = calibration["periods"]["spec_population_year"]
    principal = growth(calibration, "principal")
    targets = {c.code: c.population for c in spec.commissioners}
    out: Arrays = {}
    for area in [*spec.codes, ENGLAND]:
        base = base_counts(calibration, area)
        scale = 1.0
        if area in targets:
            at_spec_year = base * (1 + principal) ** (spec_year - BASE_YEAR)
            scale = targets[area] / at_spec_year.sum()
        for year in years:
            out[(area, year, "estimate")] = base * scale * (1 + principal) ** (year - BASE_YEAR)
        for variant in PROJECTION_VARIANTS:
            rate = growth(calibration, variant)
            for year in range(last + 1, projection_last + 1):
                out[(area, year, variant)] = out[(area, last, "estimate")] * (1 + rate) ** (year - last)
    return out


def total(arrays: Arrays, area: str, year: int, ages: range | None = None, sexes: tuple[str, ...] = SEXES) -> float:
    """Residents of an area in an estimate year, optionally within an age range and sexes."""
    grid = arrays[(area, year, "estimate")]
    rows = [SEXES.index(s) for s in sexes]
    cols = list(ages) if ages is not None else list(AGES)
    return float(grid[np.ix_(rows, cols)].sum())


def frame(arrays: Arrays) -> pd.DataFrame:
    """The population contract table (whole persons), in a stable order."""
    parts = []
    for (area, year, variant), grid in sorted(
        arrays.items(), key=lambda kv: (kv[0][0], kv[0][2] != "estimate", kv[0][2], kv[0][1])
    ):
        parts.append(pd.DataFrame({
            "area": area,
            "year": year,
            "sex": np.repeat(SEXES, len(AGES)),
            "age": np.tile(AGES, 2),
            "population": np.round(grid.reshape(-1)),
            "variant": variant,
        }))
    return pd.concat(parts, ignore_index=True)
