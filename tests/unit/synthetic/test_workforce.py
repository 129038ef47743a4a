import pytest

from analysis.synthetic.workforce import STAFF_GROUPS

pytestmark = pytest.mark.unit


def test_organisations_groups_and_september_periods(tables):
    w = tables["workforce"]
    assert set(w["organisation"]) == {"RR1", "RXT", "5PG", "TAM"}
    assert set(w["staff_group"]) <= set(STAFF_GROUPS)
    assert set(w["period"].dt.strftime("%m-%d")) == {"09-30"}
    assert sorted(w["period"].dt.year.unique()) == [2004, 2005, 2006, 2007]
    assert (w["fte"] > 0).all()


def test_midwives_only_at_the_acute_trust(tables):
    w = tables["workforce"]
    assert set(w.loc[w["staff_group"] == "Midwives", "organisation"]) == {"RR1"}


def test_trusts_scaled_back_from_2017(tables):
    w = tables["workforce"]
    rr1 = w[(w["organisation"] == "RR1") & (w["period"].dt.year == 2007)]
    # 2017: 2,463 nurses and health visitors at Heart of England; x 0.87 for 2007
    nurses = rr1.loc[rr1["staff_group"] == "Nurses and health visitors", "fte"].iloc[0]
    assert nurses == pytest.approx(2463 * 0.87, rel=0.05)
    doctors = rr1[rr1["staff_group"].isin(["Consultants", "Other doctors"])].set_index("staff_group")["fte"]
    assert doctors["Consultants"] / doctors.sum() == pytest.approx(0.36, abs=0.02)
