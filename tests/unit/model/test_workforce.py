"""Workforce: WTE from activity and ratios, caseloads, midwives, and the plan's shift between sectors."""

import numpy as np
import pandas as pd
import pytest

from analysis.model import workforce as wf

from .conftest import one_band_population

pytestmark = pytest.mark.unit


def test_wte_is_activity_over_activity_per_wte():
    # 3,100 non-elective spells at 31 a nurse and 155 a doctor: 100 nurses and 20 doctors.
    activity = pd.DataFrame({"year": [2008], "pod": ["non_elective"], "count": [3100.0]})
    got = wf.wte(activity, {"non_elective": {"Nurses": 31.0, "Doctors": 155.0}}).set_index("staff_group")["wte"]
    assert got["Nurses"] == pytest.approx(100.0)
    assert got["Doctors"] == pytest.approx(20.0)


def test_pods_without_a_ratio_need_no_staff_and_bad_ratios_are_named():
    activity = pd.DataFrame({"pod": ["gp_referral"], "count": [1000.0]})
    assert wf.wte(activity).empty
    with pytest.raises(ValueError, match="non_elective/Nurses must be positive"):
        wf.productivity_table({"non_elective": {"Nurses": 0.0}})


def test_telephone_care_managers_for_the_plan_membership():
    # Plan section 11: up to 135 care managers for 27,000 members, i.e. 200 members each.
    assert wf.caseload_wte(27_000) == pytest.approx(135.0)
    assert wf.caseload_wte(11_000, per_wte=100) == pytest.approx(110.0)


def test_midwives_from_births():
    assert wf.midwives(2800.0) == pytest.approx(100.0)
    np.testing.assert_allclose(wf.midwives(np.array([280.0, 560.0]), births_per_midwife=35), [8.0, 16.0])


def test_births_are_the_infants_at_the_next_mid_year():
    pop = one_band_population({2008: 1.0}).assign(age=0)
    pop = pd.concat([pop, pop.assign(year=2009, population=2.0, variant="principal")])
    births = wf.births_from_population(pop, ["A"], [2008])
    assert births["births"].tolist() == [2.0]


def test_new_roles_ramp_in(tiny):
    # The tiny plan's 10 care managers, ramped over 2 years from 2008: 0, 5, 10.
    roles = wf.intervention_staff(tiny.interventions, tiny.years)
    assert roles["fte"].tolist() == [0.0, 5.0, 10.0]


def test_workforce_shift_counts_released_acute_staff_and_new_roles(tiny):
    proj = wf.workforce_projection(tiny, {"non_elective": {"Nurses": 30.0}})
    shift = wf.workforce_shift(proj).set_index(["year", "sector", "staff_group"])
    # 2009/10: do nothing 1,452 spells, plan 1,234.2: 48.4 and 41.14 nurses.
    assert shift.loc[(2009, "acute", "Nurses"), "change"] == pytest.approx((1234.2 - 1452) / 30)
    assert shift.loc[(2009, "new roles", "Telephone care managers"), "change"] == pytest.approx(10.0)
