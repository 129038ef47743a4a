import pytest

pytestmark = pytest.mark.unit


def test_quarters_organisations_and_sectors(tables):
    b = tables["beds"]
    assert b["period"].nunique() == 16
    assert set(b["period"].dt.month) == {1, 4, 7, 10} and set(b["period"].dt.day) == {1}
    assert set(zip(b["organisation"], b["sector"], strict=True)) == {
        ("RR1", "general_acute"), ("RR1", "maternity"), ("RXT", "mental_illness"),
        ("5PG", "community"), ("TAM", "learning_disabilities"),
    }


def test_occupied_never_exceeds_available(tables):
    b = tables["beds"]
    assert (b["occupied"] <= b["available"]).all() and (b["occupied"] > 0).all()


def test_acute_beds_near_kh03_carried_back(tables):
    b = tables["beds"]
    rr1 = b[(b["organisation"] == "RR1") & (b["sector"] == "general_acute")].set_index("period")["available"]
    # KH03 April-June 2010: 1,379 general and acute beds, 1.5% more for each year before
    assert rr1["2007-04-01"] == pytest.approx(1379 * 1.015**3, rel=0.03)
    assert rr1.iloc[:4].mean() > rr1.iloc[-4:].mean()
    occupancy = (
        b.loc[b["organisation"] == "RR1", "occupied"].sum() / b.loc[b["organisation"] == "RR1", "available"].sum()
    )
    assert occupancy > 0.9
