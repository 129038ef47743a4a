import numpy as np
import pandas as pd
import pytest

from .specs import financial_year

pytestmark = pytest.mark.unit

MONTHLY = {
    "births": "no_judgement",
    "midwife_led_births_pct": "high_is_good",
    "high_risk_pregnancy_pct": "no_judgement",
    "ownhealth_members": "high_is_good",
    "four_hour_performance_pct": "high_is_good",
    "ucc_diversion_pct": "high_is_good",
    "msk_triage_referrals": "no_judgement",
    "msk_triage_onward_pct": "low_is_good",
    "rtt_18_weeks_admitted_pct": "high_is_good",
    "mh_length_of_stay_days": "low_is_good",
    "iapt_access_per_100k": "high_is_good",
}
ANNUAL_WITH_PEERS = {
    "perinatal_mortality": "low_is_good",
    "midwives_per_1000_births": "high_is_good",
    "excess_weight_reception_pct": "low_is_good",
    "excess_weight_year6_pct": "low_is_good",
    "dental_decay_5yr_pct": "low_is_good",
    "ae_0_4_per_1000": "low_is_good",
    "smoking_prevalence_pct": "low_is_good",
    "physical_inactivity_pct": "low_is_good",
    "alcohol_admissions_per_100k": "low_is_good",
    "healthy_life_expectancy_male": "high_is_good",
    "healthy_life_expectancy_female": "high_is_good",
    "falls_admissions_65_per_100k": "low_is_good",
    "dementia_diagnosis_pct": "high_is_good",
    "self_harm_admissions_per_100k": "low_is_good",
    "smi_excess_mortality_ratio": "low_is_good",
    "deaths": "no_judgement",
    "deaths_usual_residence_pct": "high_is_good",
    "hospital_deaths_pct": "low_is_good",
}
OWNHEALTH_ANNUAL = ["ownhealth_gp_visits_members", "ownhealth_gp_visits_non_members",
                    "ownhealth_unplanned_admissions_members", "ownhealth_unplanned_admissions_non_members"]


@pytest.fixture(scope="module")
def ind(tables) -> pd.DataFrame:
    return tables["indicators"]


def series(ind: pd.DataFrame, indicator: str, area: str) -> pd.DataFrame:
    return ind[(ind["indicator"] == indicator) & (ind["area"] == area)].sort_values("period_start")


def test_exactly_the_agreed_indicators(ind):
    expected = set(MONTHLY) | set(ANNUAL_WITH_PEERS) | set(OWNHEALTH_ANNUAL) | {"life_expectancy_by_decile"}
    assert set(ind["indicator"]) == expected


def test_polarities(ind):
    polarity = ind.groupby("indicator")["polarity"].unique().map(list)
    for indicator, expected in {**MONTHLY, **ANNUAL_WITH_PEERS}.items():
        assert polarity[indicator] == [expected], indicator


def test_monthly_periods(ind):
    rows = ind[ind["indicator"].isin(MONTHLY) & (ind["indicator"] != "ownhealth_members")]
    assert rows.groupby(["indicator", "area"])["period"].nunique().eq(48).all()
    assert (rows["period_start"].dt.strftime("%Y-%m") == rows["period"]).all()
    assert set(rows["area"]) == {"5PG", "TAM", "E92000001"}


def test_annual_periods_areas_and_peers(ind):
    rows = ind[ind["indicator"].isin(ANNUAL_WITH_PEERS)]
    assert set(rows["period"]) == {"2004/05", "2005/06", "2006/07", "2007/08"}
    assert (rows["period_start"].dt.month == 4).all() and (rows["period_start"].dt.day == 1).all()
    peers = rows[rows["area_type"] == "peer"]
    assert sorted(peers["area"].unique()) == [f"SYNP{i:02d}" for i in range(1, 11)]
    assert set(peers["area_name"]) == {f"Peer area {i}" for i in range(1, 11)}
    for indicator in ANNUAL_WITH_PEERS:
        areas = set(rows.loc[rows["indicator"] == indicator, "area_type"])
        assert {"commissioner", "england", "peer"} <= areas, indicator
    assert set(ind.loc[ind["area"] == "E92000001", "area_type"]) == {"england"}


def test_practice_level_indicators(ind):
    practice = ind[ind["area_type"] == "practice"]
    assert set(practice["indicator"]) == {"ae_0_4_per_1000", "smoking_prevalence_pct"}
    assert practice.groupby("indicator")["area"].nunique().eq(100).all()
    assert practice["count"].notna().all() and (practice["denominator"] > 0).all()


def test_practices_add_up_to_commissioners(ind, tables):
    owner = tables["practices"].drop_duplicates("practice").set_index("practice")["commissioner"]
    for indicator in ("ae_0_4_per_1000", "smoking_prevalence_pct"):
        rows = ind[(ind["indicator"] == indicator) & (ind["area_type"] == "practice")]
        summed = rows.groupby([rows["area"].map(owner), "period"])[["count", "denominator"]].sum()
        area = ind[(ind["indicator"] == indicator) & (ind["area_type"] == "commissioner")].set_index(["area", "period"])
        assert np.allclose(summed.loc[area.index, "count"], area["count"])


def test_values_come_from_counts_and_intervals_bracket_them(ind):
    per = {
        "per 1,000 births": 1000,
        "per 1,000 aged 0-4": 1000,
        "per 100,000": 100_000,
        "per 100,000 aged 65+": 100_000,
        "per 100,000 adults a month": 100_000,
        "proportion": 1,
        "per 1,000 a year": 1000,
        "GP visits per person a year": 1,
        "ratio (observed / expected deaths)": 1,
    }
    rated = ind[ind["unit"].isin(per) & (ind["denominator"] > 0)]
    assert np.allclose(rated["value"], rated["count"] / rated["denominator"] * rated["unit"].map(per))
    with_ci = ind.dropna(subset=["lower_ci", "upper_ci"])
    assert (with_ci["lower_ci"] <= with_ci["value"] + 1e-9).all() and (
        with_ci["value"] <= with_ci["upper_ci"] + 1e-9
    ).all()
    assert with_ci["indicator"].nunique() >= 25
    proportions = ind[ind["unit"] == "proportion"]
    assert proportions["value"].between(0, 1).all()


def test_ben_deaths_about_4500_a_year(ind):
    deaths = series(ind, "deaths", "5PG")["value"]
    assert deaths.mean() == pytest.approx(4500, rel=0.05)  # plan section 10.0


def test_perinatal_mortality_high_in_ben(ind):
    ben = series(ind, "perinatal_mortality", "5PG")
    england = series(ind, "perinatal_mortality", "E92000001")
    assert ben["count"].sum() / ben["denominator"].sum() > 1.2 * england["count"].sum() / england["denominator"].sum()


def test_births_rise_and_match_the_population(ind, tables):
    births = series(ind, "births", "5PG")
    by_year = births.groupby(financial_year(births["period_start"]))["value"].sum()
    assert by_year[2007] > by_year[2004] * 1.04  # plan sections 3.0 and 12.2: rising births
    pop = tables["population"]
    infants = pop[(pop["area"] == "5PG") & (pop["variant"] == "estimate") & (pop["year"] == 2007) & (pop["age"] == 0)]
    assert by_year[2007] == pytest.approx(infants["population"].sum(), rel=0.1)


def test_ownhealth_reaches_about_2000_members_by_march_2008(ind):
    members = series(ind, "ownhealth_members", "5PG")
    assert set(ind.loc[ind["indicator"] == "ownhealth_members", "area"]) == {"5PG"}
    assert members["value"].is_monotonic_increasing
    assert members["period"].iloc[-1] == "2008-03"
    assert members["value"].iloc[-1] == pytest.approx(2000, rel=0.05)  # plan appendix 2


def test_ownhealth_members_use_fewer_services(ind):
    def rate(indicator):
        rows = series(ind, indicator, "5PG")
        return rows["count"].sum() / rows["denominator"].sum()

    assert rate("ownhealth_gp_visits_members") / rate("ownhealth_gp_visits_non_members") == pytest.approx(0.7, abs=0.05)
    ratio = rate("ownhealth_unplanned_admissions_members") / rate("ownhealth_unplanned_admissions_non_members")
    assert 0.5 <= ratio <= 0.7  # plan: 30% to 50% fewer unplanned admissions


def test_four_hour_performance_near_the_98_percent_standard(ind):
    for area in ("5PG", "TAM", "E92000001"):
        last = series(ind, "four_hour_performance_pct", area).iloc[-12:]
        assert 0.96 < last["count"].sum() / last["denominator"].sum() < 0.99


def test_four_hour_denominators_are_the_activity_tables_ae(ind, tables):
    a = tables["activity"]
    ae = a[(a["commissioner"] == "5PG") & (a["pod"] == "ae")].groupby("month")["count"].sum()
    rows = series(ind, "four_hour_performance_pct", "5PG").set_index("period_start")
    assert np.allclose(rows["denominator"], ae.reindex(rows.index))


def test_msk_triage_about_12000_a_year_with_30_percent_onward(ind):
    rows = ind[(ind["indicator"] == "msk_triage_referrals") & (ind["period_start"] >= "2007-04-01")]
    assert rows["value"].sum() == pytest.approx(12000, rel=0.05)  # plan section 8.0
    onward = ind[(ind["indicator"] == "msk_triage_onward_pct") & (ind["period_start"] >= "2007-04-01")]
    assert onward["count"].sum() / onward["denominator"].sum() == pytest.approx(0.30, abs=0.02)


def test_life_expectancy_deciles_show_the_gradient(ind):
    rows = ind[ind["indicator"] == "life_expectancy_by_decile"]
    assert set(rows["area_type"]) == {"deprivation_decile"}
    assert sorted(rows["area"].unique())[:2] == ["5PG-D01", "5PG-D02"] and "TAM-D10" in set(rows["area"])
    assert (rows["denominator"] > 0).all()
    for code in ("5PG", "TAM"):
        last = rows[(rows["area"].str.startswith(code)) & (rows["period"] == "2007/08")].sort_values("area")
        share = last["denominator"].to_numpy() / last["denominator"].sum()
        rank = np.cumsum(share) - share / 2
        slope = np.polyfit(rank, last["value"].to_numpy(), 1, w=np.sqrt(share))[0]
        assert 4 < slope < 13  # a slope index of inequality of the order of the published 6-10 years
        assert last["value"].iloc[0] < last["value"].iloc[-1]


def test_rates_in_plausible_ranges(ind):
    def latest(indicator, area):
        return series(ind, indicator, area)["value"].iloc[-1]

    assert 0.2 < latest("smoking_prevalence_pct", "5PG") < 0.3
    assert latest("smoking_prevalence_pct", "TAM") < latest("smoking_prevalence_pct", "5PG")
    assert 0.25 < latest("deaths_usual_residence_pct", "5PG") < 0.35
    assert 0.3 < latest("deaths_usual_residence_pct", "E92000001") < 0.45
    assert 20 < latest("mh_length_of_stay_days", "E92000001") < 45
    assert latest("healthy_life_expectancy_male", "TAM") > latest("healthy_life_expectancy_male", "5PG") + 4
    assert 1.5 < latest("smi_excess_mortality_ratio", "E92000001") < 4.5


def test_smoking_and_young_childrens_ae_rise_with_practice_deprivation(ind, tables):
    imd = tables["practices"].drop_duplicates("practice").set_index("practice")["imd_score"]
    for indicator in ("smoking_prevalence_pct", "ae_0_4_per_1000"):
        rows = ind[(ind["indicator"] == indicator) & (ind["area_type"] == "practice") & (ind["period"] == "2007/08")]
        assert np.corrcoef(rows["value"], rows["area"].map(imd))[0, 1] > 0.3
