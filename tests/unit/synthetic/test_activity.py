import numpy as np
import pandas as pd
import pytest

from analysis.contract import PATHWAYS, PODS
from analysis.synthetic.activity import monthly_levels, provider, year_levels
from analysis.synthetic.calibration import load

from .specs import POPULATION, financial_year

pytestmark = pytest.mark.unit

# the pathways whose activity the Monthly Activity Return counts (general and acute)
GENERAL_ACUTE = ["children", "staying_healthy", "long_term_conditions", "urgent_care", "planned_care", "end_of_life"]


def annual(activity: pd.DataFrame) -> pd.DataFrame:
    return activity.assign(year=financial_year(activity["month"]))


def test_year_levels_chain_changes_around_the_anchor():
    levels = year_levels({2006: 0.86, 2007: 0.93}, [2004, 2005, 2006, 2007], 2007)
    assert levels == pytest.approx([1 / 0.93 / 0.86, 1 / 0.93 / 0.86, 1 / 0.93, 1.0])


def test_monthly_levels_keep_each_years_mean():
    path = monthly_levels(np.array([1.0, 0.5, 0.5]))
    assert path.reshape(3, 12).mean(axis=1) == pytest.approx([1.0, 0.5, 0.5])
    assert path[0] > path[11] > path[23] * 1.0001  # falls smoothly through the first year


def test_providers():
    assert provider("mental_health", "non_elective", "TAM") == "RXT"
    assert provider("planned_care", "community", "TAM") == "TAM"
    assert provider("urgent_care", "ae", "5PG") == "RR1"


def test_size_and_completeness(tables):
    a = tables["activity"]
    assert len(a) < 250_000
    pairs = a[["pathway", "pod"]].drop_duplicates()
    assert len(a) == 48 * 100 * len(pairs)
    assert a.groupby(["practice", "pathway", "pod"])["month"].nunique().eq(48).all()
    assert (a["count"] == 0).any()  # months without activity are rows with 0, not gaps
    assert set(a["pathway"]) == set(PATHWAYS) and set(a["pod"]) == set(PODS)


def test_only_sensible_pairs(tables):
    a = tables["activity"]
    pods = a.groupby("pathway")["pod"].unique().map(set)
    assert pods["staying_healthy"].isdisjoint({"elective_ordinary", "day_case", "non_elective", "ae"})
    assert pods["end_of_life"] == {"non_elective", "outpatient_followup", "community"}
    assert "ae" not in pods["maternity"] | pods["mental_health"]


def test_providers_in_the_table(tables):
    a = tables["activity"]
    assert set(a.loc[a["pathway"] == "mental_health", "provider"]) == {"RXT"}
    community = a[(a["pod"] == "community") & (a["pathway"] != "mental_health")]
    assert (community["provider"] == community["commissioner"]).all()
    acute = a[(a["pod"] != "community") & (a["pathway"] != "mental_health")]
    assert set(acute["provider"]) == {"RR1"}


@pytest.mark.parametrize("pod", ["elective_ordinary", "day_case", "non_elective", "outpatient_first"])
@pytest.mark.parametrize("area", ["5PG", "TAM"])
def test_general_and_acute_rates_match_the_monthly_activity_return(tables, pod, area):
    a = annual(tables["activity"])
    rows = a[(a["year"] == 2007) & (a["commissioner"] == area) & (a["pod"] == pod) & a["pathway"].isin(GENERAL_ACUTE)]
    per_1000 = rows["count"].sum() / POPULATION[area] * 1000
    assert per_1000 == pytest.approx(load()["activity"]["mar_rates_per_1000"][area][pod], rel=0.04)


def test_ben_has_more_emergency_admissions_per_head_than_solihull(tables):
    a = annual(tables["activity"])
    nel = a[(a["year"] == 2007) & (a["pod"] == "non_elective")].groupby("commissioner")["count"].sum()
    assert nel["5PG"] / POPULATION["5PG"] > 1.2 * nel["TAM"] / POPULATION["TAM"]


def test_planned_care_first_outpatients_follow_the_plan(tables):
    a = annual(tables["activity"])
    first = a[(a["pathway"] == "planned_care") & (a["pod"] == "outpatient_first")].groupby("year")["count"].sum()
    assert first[2006] / first[2005] == pytest.approx(0.86, abs=0.015)  # plan section 8.0: -14% in 2006/07
    assert first[2007] / first[2006] == pytest.approx(0.93, abs=0.015)  # and -7% in 2007/08
    follow = a[(a["pathway"] == "planned_care") & (a["pod"] == "outpatient_followup")].groupby("year")["count"].sum()
    assert 0.9 < follow[2007] / follow[2005] < 1.0  # follow-ups down a little


def test_emergency_activity_flat_in_the_last_two_years(tables):
    a = annual(tables["activity"])
    for pod in ("non_elective", "ae"):
        rows = a[(a["pod"] == pod) & a["pathway"].isin(GENERAL_ACUTE)].groupby("year")["count"].sum()
        assert rows[2006] / rows[2005] == pytest.approx(1.0, abs=0.02)
        assert rows[2007] / rows[2006] == pytest.approx(1.0, abs=0.02)
        assert rows[2005] / rows[2004] > 1.015


def test_births_driven_maternity_activity_rises(tables):
    a = annual(tables["activity"])
    deliveries = a[(a["pathway"] == "maternity") & (a["pod"] == "non_elective")].groupby("year")["count"].sum()
    assert deliveries[2007] > deliveries[2004] * 1.04


def test_seasonality_present(tables):
    a = tables["activity"]
    day = a[a["pod"] == "day_case"].groupby(a["month"].dt.month)["count"].sum()
    assert day[12] < 0.95 * day.mean() and day[3] > 1.05 * day.mean()  # Christmas dip, busy March
    ae = a[a["pod"] == "ae"].groupby(a["month"].dt.month)["count"].sum()
    assert ae[2] < ae[5]  # A&E quieter in February than in May


def test_deprived_practices_have_more_emergency_care(tables):
    a, p = annual(tables["activity"]), tables["practices"]
    lists = p[p["year"] == 2007].set_index("practice")
    year = a[a["year"] == 2007]
    for pod in ("non_elective", "ae"):
        rate = year[year["pod"] == pod].groupby("practice")["count"].sum() / lists["list_size"]
        assert np.corrcoef(rate, lists["imd_score"])[0, 1] > 0.5


def test_cost_is_count_times_unit_cost(tables):
    a, costs = annual(tables["activity"]), tables["unit_costs"]
    merged = a.merge(costs, on=["year", "pod"])
    assert np.allclose(merged["cost"], merged["count"] * merged["unit_cost"], atol=0.01)
