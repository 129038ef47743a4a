"""Intervention records: every field checked, and the ramp-in timing."""

import numpy as np
import pytest

from analysis.model.interventions import parse_intervention, parse_interventions, ramp, ramp_fractions

from .conftest import intervention

pytestmark = pytest.mark.unit


def test_a_complete_dict_parses_with_its_central_effect_and_sd():
    item = parse_intervention(intervention(effect_low=-0.10, effect_high=-0.03))
    assert item.effect_mean == pytest.approx(-0.065)
    assert item.effect_sd == pytest.approx(0.07 / 2.563)
    assert item.acts_on == (("long_term_conditions", "non_elective"),)
    assert item.staff == (("Telephone care managers", 10.0),)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"effect_low": -0.01, "effect_high": -0.02}, "effect_low <= effect_high"),
        ({"effect_low": -1.0}, "-1 < effect_low"),
        ({"ramp_years": 0}, "'ramp_years' must be at least 1"),
        ({"pathway": "cardiology"}, "field 'pathway' must be one of"),
        ({"acts_on": [{"pathway": "urgent_care", "pod": "theatre"}]}, r"acts_on\[0\].pod"),
        ({"investment": -5}, "'investment' must be at least 0"),
        ({"start_year": 2008.5}, "whole number"),
    ],
)
def test_bad_values_name_the_intervention_and_field(change, message):
    with pytest.raises(ValueError, match=message) as err:
        parse_intervention(intervention(**change))
    assert "'boh'" in str(err.value)


def test_missing_and_unknown_fields_are_named():
    raw = intervention()
    del raw["basis"]
    with pytest.raises(ValueError, match="missing field\\(s\\) basis"):
        parse_intervention(raw)
    with pytest.raises(ValueError, match="unknown field\\(s\\) colour"):
        parse_intervention(intervention(colour="blue"))


def test_ids_must_be_unique():
    with pytest.raises(ValueError, match="ids must be unique"):
        parse_interventions([intervention(), intervention()])


def test_ramp_starts_in_the_start_year_and_is_full_after_ramp_years():
    # start 2009, 3 years: nothing in 2008, a third in 2009, two thirds in 2010, full from 2011.
    got = ramp_fractions(np.array([2009]), np.array([3]), np.arange(2008, 2013))
    np.testing.assert_allclose(got[0], [0, 1 / 3, 2 / 3, 1, 1])


def test_a_one_year_ramp_is_full_in_the_start_year():
    items = parse_interventions([intervention(ramp_years=1, start_year=2010)])
    np.testing.assert_allclose(ramp(items, [2009, 2010, 2011])[0], [0, 1, 1])
