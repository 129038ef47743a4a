"""Hamilton-Perry area populations, against cases worked by hand from the method in the module docstring."""

import numpy as np
import pandas as pd
import pytest

from analysis.store.population import OPEN_AGE, cohort_change_ratios, derive_area_population

pytestmark = pytest.mark.unit
AGES = range(OPEN_AGE + 1)


def national(growth: float, years=range(2018, 2024), variant="principal") -> pd.DataFrame:
    """Every age and sex holds 100 x growth^(year - 2018)."""
    return pd.DataFrame(
        [{"variant": variant, "year": y, "sex": s, "age": a, "population": 100 * growth ** (y - 2018)}
         for y in years for s in ("male", "female") for a in AGES]
    )


def estimate(level: float = 10.0, year: int = 2011) -> pd.DataFrame:
    return pd.DataFrame(
        [{"year": year, "sex": s, "age": a, "population": level} for s in ("male", "female") for a in AGES]
    )


def test_ratios_of_a_growing_flat_population():
    # N(t+1, a+1) / N(t, a) = 1.02; open group 102 / (100 + 100) = 0.51; newborns 1.02
    r = cohort_change_ratios(national(1.02))["male"]
    assert r[:89] == pytest.approx(np.full(89, 1.02))
    assert r[89] == pytest.approx(0.51)
    assert r[OPEN_AGE] == pytest.approx(1.02)


def test_forward_and_backward_by_hand():
    out = derive_area_population(estimate(10.0), national(1.02), range(2010, 2013), area="X")
    principal = out[out["variant"] == "principal"].set_index(["year", "sex", "age"])["population"]
    # forward: every single age 10 x 1.02; the open group (10 + 10) x 0.51 = 10.2
    assert principal.loc[(2012, "female")].to_numpy() == pytest.approx(np.full(91, 10.2))
    # backward: ages 0-88 are 10 / 1.02; 89 and 90+ share 10 / 0.51 half and half (England's 2018 split)
    assert principal.loc[(2010, "male")].to_numpy() == pytest.approx(np.full(91, 10 / 1.02))
    assert principal.loc[(2011, "male")].to_numpy() == pytest.approx(np.full(91, 10.0))
    est = out[out["variant"] == "estimate"]
    assert set(est["year"]) == {2011} and est["population"].sum() == pytest.approx(2 * 91 * 10)


def test_scale_and_cohorts_age():
    base = estimate(0.0)
    base.loc[(base["sex"] == "female") & (base["age"] == 64), "population"] = 1000.0
    out = derive_area_population(base, national(1.0), [2013], area="X", scale=0.5)
    row = out[(out["variant"] == "principal") & (out["sex"] == "female")].set_index("age")["population"]
    # with no national change a cohort simply ages: 1,000 aged 64 in 2011 are 1,000 aged 66 in 2013, halved
    assert row[66] == pytest.approx(500.0)
    assert row.drop(66).sum() == pytest.approx(0.0)


def test_high_and_low_variants_follow_their_own_ratios():
    nat = pd.concat([national(1.0), national(1.1, variant="high"), national(0.9, variant="low")])
    out = derive_area_population(estimate(10.0), nat, [2012], area="X")
    totals = out[out["year"] == 2012].groupby("variant")["population"].sum()
    assert totals["low"] < totals["principal"] < totals["high"]


def test_missing_principal_is_an_error():
    with pytest.raises(ValueError, match="principal"):
        derive_area_population(estimate(), national(1.0, variant="high"), [2012], area="X")
