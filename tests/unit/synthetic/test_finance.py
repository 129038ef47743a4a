import pytest

from analysis.contract import PATHWAYS, PODS

pytestmark = pytest.mark.unit


def test_budgets_total_the_plans_1_6_billion_in_2007(tables):
    f = tables["finance"]
    assert f.loc[f["year"] == 2007, "budget"].sum() == pytest.approx(
        1.6e9, rel=0.001
    )  # plan section 1.0, 630,000 residents


def test_every_year_organisation_and_programme(tables):
    f = tables["finance"]
    assert sorted(f["year"].unique()) == [2004, 2005, 2006, 2007]
    assert set(f["organisation"]) == {"5PG", "TAM"}
    assert f.groupby(["year", "organisation"])["programme"].apply(set).map(lambda s: s == set(PATHWAYS)).all()


def test_budgets_grow_and_spend_stays_close(tables):
    f = tables["finance"]
    totals = f.groupby("year")[["budget", "spend"]].sum()
    assert totals["budget"].is_monotonic_increasing
    assert ((totals["spend"] / totals["budget"] - 1).abs() < 0.02).all()


def test_ben_gets_more_per_head(tables):
    f = tables["finance"][lambda d: d["year"] == 2007].groupby("organisation")["budget"].sum()
    assert f["5PG"] / 425000 > f["TAM"] / 205000


def test_unit_costs_every_pod_and_year_rising(tables):
    u = tables["unit_costs"]
    assert len(u) == 4 * len(PODS)
    wide = u.pivot(index="year", columns="pod", values="unit_cost")
    assert (wide.drop(columns="gp_referral").diff().dropna() > 0).all().all()
    assert (wide["gp_referral"] == 0).all()
    assert wide.loc[2006, "elective_ordinary"] > wide.loc[2006, "day_case"] > wide.loc[2006, "outpatient_first"]
