"""The outlook chapters' new sections on the default edition and on the real-data editions."""

import pytest

from analysis.charts.theme import title_text
from analysis.paths import REAL_DATA
from analysis.report import common
from analysis.report.outlook import estates as outlook_estates
from analysis.report.outlook import workforce as outlook_workforce
from analysis.report.pathway import money_and_staff
from analysis.report.pathway.plans import NO_PLAN

pytestmark = pytest.mark.integration

real = pytest.mark.skipif(not REAL_DATA.exists(), reason=f"the real published files are not here ({REAL_DATA})")


@pytest.fixture(scope="module")
def default():
    return common.load("params/default.yml")


def test_ownhealth_care_managers_from_the_plans_caseload(default):
    table = outlook_workforce.care_managers(default)
    # Plan section 11: up to 135 telephone care managers for 27,000 members
    # (appendix two: 2,000 before, 11,000 in 2008/09).
    assert table.caption.endswith("27,000 members need 135 care managers")
    needed = dict(zip(table.frame["Members"], table.frame["Care managers needed"], strict=True))
    assert needed[27_000] == 135 and needed[11_000] == 55 and needed[2_000] == 10


def test_the_default_editions_new_sections_run(default):
    money = money_and_staff.pathway_money(default, "long_term_conditions").to_dict()
    assert "this pathway's schemes" in title_text(money)
    staff = money_and_staff.pathway_staff(default, "long_term_conditions").to_dict()
    assert "135 WTE in new roles" in title_text(staff)  # OwnHealth is the long-term conditions pathway's scheme
    assert "Telephone care managers" in repr(outlook_workforce.new_roles(default))
    baseline = outlook_workforce.workforce_baseline(default)
    rows = common.latest_by_organisation(default.table("workforce"), common.economy_organisations(default))
    assert baseline.caption.endswith(f"{rows['fte'].sum():,.0f} WTE in all")
    assert "the model accounts for" in outlook_workforce.workforce_comparison(default).data.lower()
    assert "occupied" in outlook_estates.beds_baseline(default).caption


@real
def test_real_edition_says_what_it_cannot_compute():
    bens = common.load("params/bens-real.yml")
    assert money_and_staff.pathway_money(bens, "urgent_care").data.startswith("*No costs in this edition")
    assert money_and_staff.pathway_staff(bens, "maternity").data.startswith("*No projection")
    # The KH03 baseline: Heart of England's general and acute beds are in the published file.
    assert "Heart of England NHS Foundation Trust" in repr(outlook_estates.beds_baseline(bens))
    text = outlook_workforce.workforce_comparison(bens).data
    assert "no return in this edition's workforce table" in text and "rough guide" in text


@real
def test_an_economy_without_a_plan_gets_no_community_beds_or_roles_only_one_line():
    other = common.load("params/black-country-real.yml")  # no plan loaded
    assert outlook_estates.community_commissions(other) == []
    assert outlook_workforce.new_roles(other).data == NO_PLAN
    assert outlook_workforce.care_managers(other).data == NO_PLAN
    assert outlook_workforce.staff_shift(other).data == NO_PLAN


@real
def test_an_economy_without_a_plan_gets_no_beds_chart_and_none_of_the_bens_estate_changes():
    other = common.load("params/black-country-real.yml")
    assert outlook_estates.beds(other).data == NO_PLAN
    assert outlook_estates.estate_changes(other).data == NO_PLAN
    bens = common.load("params/bens-real.yml")
    assert "Heart of England NHS Foundation Trust" in repr(outlook_estates.estate_changes(bens))
