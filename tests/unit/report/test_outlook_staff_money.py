"""A pathway's money and staff, and the workforce and estates chapters' baselines, on small hand-made inputs.

Every expectation is worked by hand from the method in the docstrings: flat activity of 100 a month
(1,200 in the 2007/08 baseline), a population that grows 10% a year, unit cost £1,000, no cost pressure
or efficiency, and one scheme with a central effect of -15% ramped over two years from 2008/09.
"""

import numpy as np
import pandas as pd
import pytest

from analysis.model.interventions import parse_intervention
from analysis.model.projection import project
from analysis.model.workforce import intervention_staff
from analysis.report import common, wording
from analysis.report.outlook import estates as outlook_estates
from analysis.report.outlook import workforce as outlook_workforce
from analysis.report.pathway import money_and_staff

pytestmark = pytest.mark.unit

NO_UNIT_COSTS = pd.DataFrame(
    {"year": pd.Series(dtype="int64"), "pod": pd.Series(dtype=str), "unit_cost": pd.Series(dtype=float)}
)
ASSUMPTIONS = {"baseline": {"A": 5e6}, "growth": 0.0, "cost_pressure": 0.0}


def monthly(pathway: str, pod: str, count: float) -> pd.DataFrame:
    months = pd.date_range("2006-04-01", "2008-03-01", freq="MS")
    return pd.DataFrame({"month": months, "commissioner": "A", "provider": "P", "practice": None, "pathway": pathway,
                         "pod": pod, "count": count, "cost": count * 1000.0})


def scheme(**overrides) -> dict:
    base = dict(
        id="boh", name="Telephone care management", pathway="long_term_conditions", organisation="A",
        acts_on=[{"pathway": "long_term_conditions", "pod": "non_elective"}], start_year=2008, ramp_years=2,
        effect_low=-0.2, effect_high=-0.1, investment=50_000.0, recurrent_cost=10_000.0,
        staff=[{"staff_group": "Telephone care managers", "fte": 10.0}], basis="test", source="test", note=None,
    )
    base.update(overrides)
    return base


@pytest.fixture(scope="module")
def two_pathways():
    """Long-term conditions emergency admissions (100 a month, one scheme) and urgent care A&E (50 a month, none)."""
    activity = pd.concat(
        [monthly("long_term_conditions", "non_elective", 100.0), monthly("urgent_care", "ae", 50.0)], ignore_index=True
    )
    population = pd.DataFrame(
        [
            ("A", y, "female", 40, size, "estimate" if y <= 2007 else "principal")
            for y, size in {2006: 1000.0, 2007: 1000.0, 2008: 1100.0, 2009: 1210.0}.items()
        ],
        columns=["area", "year", "sex", "age", "population", "variant"],
    )
    profile = pd.DataFrame([(p, "*", "female", "40", 40, 40, 1.0) for p in ("long_term_conditions", "urgent_care")],
                           columns=["pathway", "pod", "sex", "band", "age_from", "age_to", "share"])
    return project(activity, population, [scheme()], horizon_year=2009, runs=50, seed=3, age_profile=profile)


# ---- a pathway's money ------------------------------------------------------------------------------


def test_pathway_money_prices_its_activity_and_its_own_scheme(two_pathways):
    frame = money_and_staff.pathway_money_frame(
        two_pathways, NO_UNIT_COSTS, ASSUMPTIONS, "long_term_conditions"
    ).set_index("year")
    # Do nothing: 1,200 x 1.1 = 1,320 and 1,200 x 1.21 = 1,452 admissions at £1,000.
    assert frame["cost_do_nothing"].tolist() == pytest.approx([1_200_000, 1_320_000, 1_452_000])
    # The plan: half the -15% in 2008/09 (x 0.925), all of it in 2009/10 (x 0.85).
    assert frame["cost_plan"].tolist() == pytest.approx([1_200_000, 1_221_000, 1_234_200])
    assert frame["saving"].tolist() == pytest.approx([0, 99_000, 217_800])
    # £50,000 invested in the start year, £10,000 a year from it.
    assert frame["scheme_costs"].tolist() == pytest.approx([0, 60_000, 10_000])
    assert frame["net"].tolist() == pytest.approx([0, 39_000, 207_800])
    assert frame.loc[2008, "year_label"] == "2008/09"


def test_a_pathway_without_schemes_has_costs_but_no_savings(two_pathways):
    frame = money_and_staff.pathway_money_frame(two_pathways, NO_UNIT_COSTS, ASSUMPTIONS, "urgent_care")
    # 600 attendances a year, grown with the population, £1,000 each; the plan does not touch them.
    assert frame["cost_do_nothing"].tolist() == pytest.approx([600_000, 660_000, 726_000])
    assert frame["cost_plan"].tolist() == pytest.approx(frame["cost_do_nothing"].tolist())
    assert (frame[["saving", "scheme_costs", "net"]] == 0).all().all()


# ---- a pathway's staff ------------------------------------------------------------------------------

RATIOS = {"non_elective": {"Nurses": 100.0}, "ae": {"Doctors": 50.0}}


def test_pathway_workforce_counts_its_activity_and_its_schemes_new_roles(two_pathways):
    frame = money_and_staff.pathway_workforce(two_pathways, "long_term_conditions", RATIOS)
    at = frame.set_index(["year", "scenario", "sector", "staff_group"])["wte"]
    assert at[(2009, "do_nothing", "acute", "Nurses")] == pytest.approx(1452 / 100)
    assert at[(2009, "plan", "acute", "Nurses")] == pytest.approx(1234.2 / 100)
    # Ten care managers at full effect: half in 2008/09, all in 2009/10, none before the start.
    assert at[(2008, "plan", "new roles", "Telephone care managers")] == pytest.approx(5.0)
    assert at[(2009, "plan", "new roles", "Telephone care managers")] == pytest.approx(10.0)
    assert (2007, "plan", "new roles", "Telephone care managers") not in at.index
    assert "Doctors" not in set(frame["staff_group"])  # urgent care's A&E doctors belong to the other pathway


def test_pathway_workforce_of_a_pathway_without_schemes(two_pathways):
    frame = money_and_staff.pathway_workforce(two_pathways, "urgent_care", RATIOS)
    assert set(frame["sector"]) == {"acute"}
    at = frame.set_index(["year", "scenario"])["wte"]
    assert at[(2009, "do_nothing")] == pytest.approx(726 / 50) and at[(2009, "plan")] == pytest.approx(726 / 50)


def test_pod_totals_sums_the_selected_series_by_point_of_delivery(two_pathways):
    mask = np.ones(len(two_pathways.series), dtype=bool)
    counts = np.ones((len(two_pathways.years), len(two_pathways.series)))
    totals = money_and_staff.pod_totals(two_pathways, counts, mask)
    assert set(totals["pod"]) == {"non_elective", "ae"} and (totals["count"] == 1.0).all()
    assert len(totals) == 2 * len(two_pathways.years)


# ---- new roles and caseload -------------------------------------------------------------------------


def test_roles_table_ramps_posts_in_year_by_year():
    item = parse_intervention(
        scheme(start_year=2008, ramp_years=4, staff=[{"staff_group": "Care managers", "fte": 100.0}])
    )
    years = [2007, 2008, 2009, 2010, 2011]
    frame = outlook_workforce.roles_table(intervention_staff([item], years), [item], years)
    row = frame.iloc[0]
    assert row["Scheme"] == "Telephone care management" and row["Staff group"] == "Care managers"
    assert row["At full effect"] == 100.0
    # A quarter more each year from the start year: 0, 25, 50, 75, 100.
    assert [row[y] for y in ("2007/08", "2008/09", "2009/10", "2010/11", "2011/12")] == [0.0, 25.0, 50.0, 75.0, 100.0]


def test_caseload_rows_at_the_plans_ratio():
    # The plan: up to 135 telephone care managers for 27,000 members, i.e. 200 members each.
    frame = outlook_workforce.caseload_rows([("by 2012", 27_000), ("2008/09", 11_000), ("before", 2_000)])
    assert frame["Care managers needed"].tolist() == [135.0, 55.0, 10.0]
    assert outlook_workforce.caseload_rows([("x", 300)], per_wte=150)["Care managers needed"].tolist() == [2.0]


# ---- midwives ---------------------------------------------------------------------------------------


def test_birth_years_needs_infants_of_every_area_a_year_later():
    population = pd.DataFrame(
        [("A", 2008, 0), ("A", 2009, 0), ("A", 2010, 0), ("B", 2008, 0), ("B", 2009, 0), ("B", 2010, 5)],
        columns=["area", "year", "age"],
    )
    # 2009/10's births are the infants of mid-2010, which area B lacks (it has only five-year-olds then).
    assert outlook_workforce.birth_years(population, ["A", "B"], [2007, 2008, 2009]) == [2007, 2008]
    assert outlook_workforce.birth_years(population, ["A"], [2007, 2008, 2009]) == [2007, 2008, 2009]


# ---- the recorded workforce -------------------------------------------------------------------------


def test_latest_by_organisation_keeps_each_organisations_own_latest_period():
    frame = pd.DataFrame({
        "period": pd.to_datetime(["2007-09-30", "2008-09-30", "2007-09-30", "2008-09-30"]),
        "organisation": ["X", "X", "Y", "Z"],
        "staff_group": ["Midwives"] * 4,
        "fte": [1.0, 2.0, 3.0, 4.0],
    })
    latest = common.latest_by_organisation(frame, ["X", "Y"])
    assert sorted(zip(latest["organisation"], latest["fte"], strict=True)) == [("X", 2.0), ("Y", 3.0)]
    assert common.latest_by_organisation(frame, ["Q"]).empty


@pytest.mark.parametrize(("group", "family"), [
    ("HCHS doctors", "Doctors"), ("Consultants", "Doctors"), ("Other doctors", "Doctors"),
    ("Nurses & health visitors", "Nurses"), ("Nurses and health visitors", "Nurses"), ("Community nurses", "Nurses"),
    ("Midwives", "Midwives"), ("Support to doctors, nurses & midwives", None), ("Central functions", None),
])
def test_staff_family(group, family):
    assert outlook_workforce.staff_family(group) == family


def test_compare_staff_by_family():
    model = pd.DataFrame({"staff_group": ["Doctors", "Nurses", "Community nurses"], "wte": [100.0, 200.0, 50.0]})
    recorded = pd.DataFrame(
        {
            "staff_group": [
                "Consultants",
                "Other doctors",
                "Nurses and health visitors",
                "Midwives",
                "Support to clinical staff",
            ],
            "fte": [40.0, 60.0, 500.0, 30.0, 999.0],
        }
    )
    frame = outlook_workforce.compare_staff(model, recorded)
    # Doctors 100 against 40 + 60; nurses 200 + 50 against 500; midwives only recorded, so left out.
    assert frame["family"].tolist() == ["Doctors", "Nurses"]
    assert frame["model"].tolist() == [100.0, 250.0]
    assert frame["recorded"].tolist() == [100.0, 500.0]
    assert frame["share"].tolist() == [1.0, 0.5]


# ---- the recorded beds ------------------------------------------------------------------------------


def test_beds_latest_and_compare_beds():
    beds = pd.DataFrame({
        "period": pd.to_datetime(["2007-10-01", "2008-01-01", "2008-01-01", "2008-01-01", "2008-01-01"]),
        "organisation": ["T", "T", "T", "T", "M"],
        "sector": ["general_acute", "general_acute", "maternity", "mental_illness", "mental_illness"],
        "available": [500.0, 200.0, 40.0, 0.0, 100.0],
        "occupied": [450.0, 190.0, 30.0, 0.0, 80.0],
    })
    latest = outlook_estates.beds_latest(beds, ["T", "M"])
    # The January quarter only, and T's mental illness row (no beds) is dropped.
    assert sorted(zip(latest["organisation"], latest["sector"], strict=True)) == [
        ("M", "mental_illness"),
        ("T", "general_acute"),
        ("T", "maternity"),
    ]
    assert latest.set_index("sector").loc["general_acute", "occupancy"] == pytest.approx(0.95)
    model = pd.DataFrame({"sector": ["general_and_acute", "maternity", "mental_illness"], "beds": [180.0, 50.0, 90.0]})
    frame = outlook_estates.compare_beds(model, latest).set_index("sector")
    assert list(frame.index) == ["general_and_acute", "maternity", "mental_illness"]
    assert frame.loc["general_and_acute", ["model", "available", "occupied"]].tolist() == [180.0, 200.0, 190.0]
    assert frame.loc["mental_illness", "occupancy"] == pytest.approx(0.8)
    # A sector the organisations do not record is not compared.
    assert (
        "maternity"
        not in outlook_estates.compare_beds(model, latest[latest["sector"] != "maternity"])["sector"].tolist()
    )


def test_quarter_and_period_words():
    assert wording.quarter_words("2010-04-01") == "Apr–Jun 2010"
    assert wording.quarter_words("2007-11-01") == "Nov 2007–Jan 2008"
    assert (
        wording.period_words(pd.to_datetime(["2018-06-01", "2017-09-01", "2018-06-01"]))
        == "September 2017 and June 2018"
    )


def test_names_joins_as_in_a_sentence():
    assert wording.name_list([]) == ""
    assert wording.name_list(["a"]) == "a"
    assert wording.name_list(["a", "b"]) == "a and b"
    assert wording.name_list(["a", "b", "c"]) == "a, b and c"


def test_with_midwives_adds_the_births_midwives_to_both_scenarios():
    frame = pd.DataFrame(
        {"year": [2012], "scenario": ["plan"], "sector": ["acute"], "staff_group": ["Nurses"], "wte": [5.0]}
    )
    births = pd.DataFrame({"year": [2011, 2012], "births": [2800.0, 2856.0], "wte": [100.0, 102.0]})
    out = money_and_staff.with_midwives(frame, births, 2012)
    midwives = out[out["staff_group"] == "Midwives"].set_index("scenario")["wte"]
    assert midwives.to_dict() == {"do_nothing": 102.0, "plan": 102.0}
    assert set(out.loc[out["staff_group"] == "Midwives", "sector"]) == {"from births"}
    assert money_and_staff.with_midwives(frame, births, 2013).equals(frame)  # no births projected for that year


@pytest.mark.parametrize(
    ("label", "text"),
    [
        ("Community contacts", "community contacts"),
        ("A&E attendances", "A&E attendances"),
        ("GP referrals", "GP referrals"),
    ],
)
def test_lower_first_keeps_acronyms(label, text):
    assert wording.lower_first(label) == text
