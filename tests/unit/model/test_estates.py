"""Estates: beds from admissions, length of stay and occupancy; community beds against acute."""

import numpy as np
import pytest

from analysis.model import estates as es

pytestmark = pytest.mark.unit


def test_beds_from_bed_days_and_occupancy():
    # 3,102.5 admissions x 2 days = 6,205 bed days; a bed at 85% gives 365 x 0.85 = 310.25 days: 20 beds.
    days = es.bed_days(3102.5, 2.0)
    assert days == pytest.approx(6205.0)
    assert es.beds_needed(days, 0.85) == pytest.approx(20.0)
    np.testing.assert_allclose(es.beds_needed(np.array([365.0, 730.0]), 1.0), [1.0, 2.0])


def test_occupancy_must_be_a_proportion():
    with pytest.raises(ValueError, match="target occupancy must be in"):
        es.beds_needed(100.0, 85)


def test_length_of_stay_prefers_the_pathway_override():
    assert es.length_of_stay("end_of_life", "non_elective") == 12.0
    assert es.length_of_stay("planned_care", "elective_ordinary") == 3.5
    with pytest.raises(ValueError, match="no value for pod 'day_case'"):
        es.length_of_stay("planned_care", "day_case")


def test_beds_projection_by_hand(tiny):
    # Long-term conditions non-elective at 10 days and 100% occupancy: 2009/10 do nothing
    # 1,452 x 10 / 365 beds; the plan 1,234.2 x 10 / 365.
    beds = es.beds_projection(
        tiny, los_by_pathway={("long_term_conditions", "non_elective"): 10.0}, occupancy={es.GENERAL_ACUTE: 1.0}
    )
    row = beds.set_index(["year", "scenario"]).loc[2009]
    assert row.loc["do_nothing", "beds"] == pytest.approx(14520 / 365)
    assert row.loc["plan", "beds"] == pytest.approx(12342 / 365)
    assert set(beds["sector"]) == {es.GENERAL_ACUTE}


def test_community_beds_open_from_their_year_and_balance_against_hospital_beds(tiny):
    community = es.community_beds([{"organisation": "BEN", "year": 2009, "beds": 36}], tiny.years)
    assert community["beds"].tolist() == [0.0, 0.0, 36.0]
    balance = es.bed_balance(es.beds_projection(tiny), community).set_index("year")
    assert balance.loc[2009, "community_commissioned"] == 36.0
    assert balance.loc[2009, "hospital_reduction"] == pytest.approx(
        balance.loc[2009, "hospital_do_nothing"] - balance.loc[2009, "hospital_plan"]
    )
    assert balance.loc[2007, "hospital_reduction"] == 0


def test_community_beds_for_avoided_bed_days():
    # 6,570 avoided acute bed days, half to community at 1.5x the stay, 90% occupancy:
    # 6,570 x 0.5 x 1.5 / 365 / 0.9 = 15 beds.
    assert es.community_beds_for(6570, share_to_community=0.5, los_ratio=1.5, occupancy=0.9) == pytest.approx(15.0)
