"""Small hand-checkable inputs for the model tests: one commissioner, flat activity, a growing population."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

PODS_BY_PATHWAY = {
    "long_term_conditions": ("non_elective", "outpatient_followup", "community"),
    "urgent_care": ("ae", "non_elective"),
    "end_of_life": ("non_elective",),
}


def flat_activity(
    monthly: float = 100.0,
    first: str = "2006-04-01",
    last: str = "2008-03-01",
    commissioner: str = "A",
    pathway: str = "long_term_conditions",
    pod: str = "non_elective",
) -> pd.DataFrame:
    """One constant monthly series (no trend), in the activity contract."""
    months = pd.date_range(first, last, freq="MS")
    return pd.DataFrame(
        {
            "month": months,
            "commissioner": commissioner,
            "provider": "P",
            "practice": None,
            "pathway": pathway,
            "pod": pod,
            "count": monthly,
            "cost": monthly * 1000.0,
        }
    )


def one_band_population(sizes: dict[int, float], area: str = "A") -> pd.DataFrame:
    """A one-age population (age 40, female) by year, as the 'principal' variant (estimates for 2006-2007)."""
    rows = []
    for year, size in sizes.items():
        variant = "estimate" if year <= 2007 else "principal"
        rows.append((area, year, "female", 40, size, variant))
    return pd.DataFrame(rows, columns=["area", "year", "sex", "age", "population", "variant"])


def one_band_profile(pathways=("long_term_conditions",)) -> pd.DataFrame:
    """All activity of each pathway in women aged 40."""
    return pd.DataFrame(
        [(p, "*", "female", "40", 40, 40, 1.0) for p in pathways],
        columns=["pathway", "pod", "sex", "band", "age_from", "age_to", "share"],
    )


def intervention(**overrides) -> dict:
    """An intervention dict with every field, overridable."""
    base = dict(
        id="boh",
        name="Telephone care management",
        pathway="long_term_conditions",
        organisation="A",
        acts_on=[{"pathway": "long_term_conditions", "pod": "non_elective"}],
        start_year=2008,
        ramp_years=2,
        effect_low=-0.2,
        effect_high=-0.1,
        investment=50_000.0,
        recurrent_cost=10_000.0,
        staff=[{"staff_group": "Telephone care managers", "fte": 10.0}],
        basis="test",
        source="test",
        note=None,
    )
    base.update(overrides)
    return base


@pytest.fixture
def tiny():
    """Flat 100 a month (1,200 in 2007/08), population +10% a year from 2008, one intervention."""
    from analysis.model.projection import project

    activity = flat_activity()
    population = one_band_population({2006: 1000.0, 2007: 1000.0, 2008: 1100.0, 2009: 1210.0})
    return project(
        activity, population, [intervention()], horizon_year=2009, runs=400, seed=7, age_profile=one_band_profile()
    )


def varied_activity(
    seed: int = 1, commissioners=("A", "B"), first: str = "2004-04-01", last: str = "2008-03-01"
) -> pd.DataFrame:
    """Several noisy seasonal series with different growth, for reproducibility and shape tests."""
    rng = np.random.default_rng(seed)
    months = pd.date_range(first, last, freq="MS")
    t = np.arange(len(months))
    frames = []
    for c in commissioners:
        for pathway, pods in PODS_BY_PATHWAY.items():
            for pod in pods:
                level = rng.uniform(200, 2000)
                growth = rng.normal(0.02, 0.02)
                mean = level * (1 + growth) ** (t / 12) * (1 + 0.08 * np.sin(2 * np.pi * (t - 3) / 12))
                frames.append(
                    pd.DataFrame(
                        {
                            "month": months,
                            "commissioner": c,
                            "pathway": pathway,
                            "pod": pod,
                            "count": rng.poisson(mean).astype(float),
                        }
                    )
                )
    return pd.concat(frames, ignore_index=True)


def full_population(areas=("A", "B"), years=range(2003, 2014)) -> pd.DataFrame:
    """A smooth single-year population (ages 0-90, both sexes) with estimates to 2007 and three variants after."""
    rows = []
    for area in areas:
        for year in years:
            for sex in ("male", "female"):
                for age in range(91):
                    size = (
                        4000 * np.exp(-age / 60) * (1 + 0.01 * (year - 2003)) * (1 + 0.02 * (year - 2003) * (age >= 75))
                    )
                    if year <= 2007:
                        rows.append((area, year, sex, age, size, "estimate"))
                    else:
                        for variant, k in (("principal", 0.0), ("high", 0.005), ("low", -0.005)):
                            rows.append((area, year, sex, age, size * (1 + k * (year - 2007)), variant))
    return pd.DataFrame(rows, columns=["area", "year", "sex", "age", "population", "variant"])


@pytest.fixture(scope="session")
def economy():
    """A two-commissioner economy with three pathways and two interventions, 300 runs."""
    from analysis.model.projection import project

    items = [
        intervention(
            id="boh",
            organisation="A",
            acts_on=[
                {"pathway": "long_term_conditions", "pod": "non_elective"},
                {"pathway": "long_term_conditions", "pod": "outpatient_followup"},
            ],
            ramp_years=4,
        ),
        intervention(
            id="eol",
            name="End of life at home",
            pathway="end_of_life",
            organisation="all",
            acts_on=[
                {"pathway": "end_of_life", "pod": "non_elective"},
                {"pathway": "long_term_conditions", "pod": "non_elective"},
            ],
            start_year=2009,
            ramp_years=3,
            effect_low=-0.25,
            effect_high=-0.05,
            staff=[],
        ),
    ]
    return project(varied_activity(), full_population(), items, horizon_year=2012, runs=300, seed=11)
