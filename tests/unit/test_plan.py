"""The plan file's schema (analysis.plan): organisations of the edition, ranges, and another economy's plan."""

import logging

import pytest
import yaml

from analysis.paths import DATA
from analysis.plan import PlanError, check_plan

pytestmark = pytest.mark.unit

PLAN = yaml.safe_load((DATA / "default" / "plan.yml").read_text(encoding="utf-8"))
YEARS = (2007, 2012)


def test_the_default_plan_is_valid_for_its_economy():
    check_plan(PLAN, "plan.yml", ["5PG", "TAM"], ["RR1", "RXT"], YEARS)


def test_a_plan_naming_one_foreign_organisation_is_refused():
    plan = {**PLAN, "investments": [*PLAN["investments"], {**PLAN["investments"][0], "organisation": "5PE"}]}
    n = len(PLAN["investments"])
    with pytest.raises(
        PlanError, match=rf"plan\.yml, key 'investments\[{n}\]\.organisation': '5PE' is not one of this edition's"
    ):
        check_plan(plan, "plan.yml", ["5PG", "TAM"], ["RR1"], YEARS)


def test_another_economys_plan_is_left_out_with_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="analysis.plan"):
        check_plan(PLAN, "plan.yml", ["5PE", "5PF"], [], YEARS)
    assert "names none of this edition's organisations" in caplog.text


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda p: p["allocation"]["growth"][2010].update(value=0.9),
            r"allocation\.growth\[2010\]': expected a yearly rate",
        ),
        (
            lambda p: p["interventions"][2].update(effect_high=6.0),
            r"interventions\[2\]\.effect_high': expected a proportional change from -1 to 5",
        ),
        (lambda p: p["interventions"][0]["staff"][0].update(fte=1e7), r"interventions\[0\]\.staff\[0\]\.fte'"),
        (lambda p: p.update(source=["BENS"]), r"key 'source': expected text"),
    ],
)
def test_values_out_of_range_name_their_key(change, message):
    plan = yaml.safe_load(yaml.safe_dump(PLAN))
    change(plan)
    with pytest.raises(PlanError, match=message):
        check_plan(plan, "plan.yml", ["5PG", "TAM"], ["RR1", "RXT"], YEARS)
