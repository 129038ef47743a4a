"""calibration.yml: every number has a basis, and the plan's figures are the plan's."""

import pytest

from analysis.synthetic.calibrate import differences, lookup
from analysis.synthetic.calibration import load, load_raw, unexplained, values

pytestmark = pytest.mark.unit


def test_every_number_has_a_basis_of_a_known_kind():
    assert unexplained(load_raw()) == []


def test_unexplained_finds_bare_numbers_and_bad_bases():
    raw = {"a": {"value": 1, "basis": "assumption: why"}, "b": 2, "c": {"d": {"value": 3, "basis": "because"}}}
    problems = unexplained(raw)
    assert len(problems) == 2
    assert problems[0].startswith("b:") and problems[1].startswith("c.d:")


def test_values_strip_the_bases():
    assert values({"a": {"value": [1, 2], "basis": "x"}, "b": {"c": {"value": 3, "basis": "y"}}}) == {
        "a": [1, 2],
        "b": {"c": 3},
    }


def test_derived_entries_name_their_file():
    raw = load_raw()

    def walk(node, path=""):
        if isinstance(node, dict) and set(node) == {"value", "basis"}:
            yield path, node["basis"]
        elif isinstance(node, dict):
            for key, child in node.items():
                yield from walk(child, f"{path}.{key}" if path else str(key))

    derived = [(p, b) for p, b in walk(raw) if b.startswith("derived from ")]
    assert len(derived) > 50
    for path, basis in derived:
        assert ".csv" in basis.split(":")[0], path


def test_the_plans_figures():
    cal = load()
    assert cal["activity"]["trends"]["outpatient_first"][2006] == 0.86  # section 8.0: -14% in 2006/07
    assert cal["activity"]["trends"]["outpatient_first"][2007] == 0.93  # section 8.0: -7% in 2007/08
    assert cal["activity"]["trends"]["non_elective"][2006] == cal["activity"]["trends"]["non_elective"][2007] == 1.0
    assert cal["finance"]["lhe_budget_2007"] == 1.6e9 and cal["finance"]["plan_population"] == 630000
    assert cal["indicators"]["end_of_life"]["deaths_per_year"]["5PG"] == 4500
    assert cal["indicators"]["planned_care"]["msk_triage_per_year"] == 12000
    assert cal["indicators"]["long_term_conditions"]["gp_visit_reduction"] == 0.30


def test_shares_add_up():
    cal = load()
    assert sum(cal["finance"]["programme_shares"].values()) == pytest.approx(1.0)
    for pod, shares in cal["activity"]["pathway_shares"].items():
        assert sum(shares.values()) == pytest.approx(1.0), pod
    for code, shares in cal["indicators"]["staying_healthy"]["decile_population_shares"].items():
        assert sum(shares) == pytest.approx(1.0), code


def test_lookup_and_differences():
    cal = {"a": {"b": {"value": [1.0, 2.0], "basis": "derived from x.csv: y"}}}
    assert lookup(cal, "a.b") == [1.0, 2.0]
    assert differences(cal, {"a.b": [1.0, 2.0001]}) == []
    assert "stored" in differences(cal, {"a.b": [1.0, 3.0]})[0]
    assert "no entry 'a.c'" in differences(cal, {"a.c": 1})[0]
