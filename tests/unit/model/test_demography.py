"""Demographic factors on toy populations, computed by hand from constant rates by age and sex."""

import pandas as pd
import pytest

from analysis.model.demography import check_age_profile, default_age_profile, demographic_factors

pytestmark = pytest.mark.unit


def two_age_population():
    # Age 0: 100 then 110 (+10%); age 80: 50 then 60 (+20%). Women only.
    rows = [
        ("X", 2008, "female", 0, 100.0, "estimate"),
        ("X", 2008, "female", 80, 50.0, "estimate"),
        ("X", 2009, "female", 0, 110.0, "principal"),
        ("X", 2009, "female", 80, 60.0, "principal"),
        ("X", 2008, "female", 0, 100.0, "principal"),
        ("X", 2008, "female", 80, 50.0, "principal"),
    ]
    return pd.DataFrame(rows, columns=["area", "year", "sex", "age", "population", "variant"])


def profile(young_share):
    return pd.DataFrame(
        [
            ("urgent_care", "*", "female", 0, 4, young_share),
            ("urgent_care", "*", "female", 75, 84, 1 - young_share),
        ],
        columns=["pathway", "pod", "sex", "age_from", "age_to", "share"],
    )


def test_factor_is_the_share_weighted_growth_of_each_band():
    # 0.25 x 110/100 + 0.75 x 60/50 = 0.275 + 0.9 = 1.175
    got = demographic_factors(two_age_population(), "X", 2008, 2009, profile(0.25))
    row = got[(got["year"] == 2009) & (got["variant"] == "principal")]
    assert row["factor"].iloc[0] == pytest.approx(1.175)
    base = got[got["year"] == 2008]["factor"]
    assert base.tolist() == [1.0]


def test_estimates_fill_the_years_a_variant_lacks():
    pop = two_age_population()
    pop = pop[~((pop["variant"] == "principal") & (pop["year"] == 2008))]
    got = demographic_factors(pop, "X", 2008, 2009, profile(0.5))
    # 0.5 x 1.1 + 0.5 x 1.2 = 1.15, with 2008 taken from the estimates.
    assert got[got["year"] == 2009]["factor"].iloc[0] == pytest.approx(1.15)


def test_missing_year_names_area_variant_and_year():
    with pytest.raises(ValueError, match=r"area 'X', variant 'principal' has no rows for year\(s\) 2010"):
        demographic_factors(two_age_population(), "X", 2008, 2010, profile(0.5))


def test_unknown_area_lists_the_areas():
    with pytest.raises(ValueError, match="no rows for area 'Y'.*X"):
        demographic_factors(two_age_population(), "Y", 2008, 2009, profile(0.5))


def test_default_profile_shares_sum_to_one_and_urgent_care_leans_old_and_young():
    prof = check_age_profile(default_age_profile())
    assert set(prof["pathway"]) == {
        "maternity", "children", "staying_healthy", "long_term_conditions",
        "urgent_care", "planned_care", "mental_health", "end_of_life",
    }
    maternity = prof[prof["pathway"] == "maternity"]
    assert maternity[(maternity["sex"] == "female") & (maternity["band"] == "15-44")]["share"].iloc[0] > 0.9
    urgent = prof[prof["pathway"] == "urgent_care"].groupby("band")["share"].sum()
    per_year_of_age = {b: urgent[b] / w for b, w in (("0-4", 5), ("5-14", 10), ("45-64", 20), ("85+", 6))}
    assert per_year_of_age["0-4"] > per_year_of_age["45-64"] < per_year_of_age["85+"]


def test_profile_shares_must_sum_to_one():
    with pytest.raises(ValueError, match="sum to 0.9"):
        check_age_profile(profile(0.25).assign(share=[0.2, 0.7]))
