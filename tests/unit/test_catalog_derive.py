"""What a files edition derives in the catalog.

Percentages as proportions, practices by first commissioner, and commissioners' populations; expectations worked by
hand.
"""

import pandas as pd
import pytest

from analysis import catalog, contract
from analysis.config import Params, load

pytestmark = pytest.mark.unit


def params_with(**economy) -> Params:
    base = load("params/default.yml").model_dump()
    base["economy"].update(economy)
    return Params.model_validate(base)


def files_params_with(**economy) -> Params:
    """A files edition's parameters (a synthetic one cannot take its population from practices)."""
    base = load("params/black-country-real.yml").model_dump()
    base["economy"].update(economy)
    return Params.model_validate(base)


def indicators(rows):
    frame = pd.DataFrame(rows)
    frame = frame.assign(area_type="UA", period_start="2019-04-01", polarity="low_is_good")
    return contract.validate(frame, "indicators", "test")


def test_percentages_become_proportions_only_where_published_as_percentages():
    ind = indicators([
        {"indicator": "a", "area": "X", "period": "2019/20", "value": 22.5, "unit": "Percentage"},
        {"indicator": "a", "area": "Y", "period": "2019/20", "value": 40.0, "unit": "Percentage"},
        {"indicator": "b", "area": "X", "period": "2019/20", "value": 0.3, "unit": "Proportion"},  # already 0-1
        {"indicator": "c", "area": "X", "period": "2019/20", "value": 680.0, "unit": "Rate per 100,000"},
    ])
    out, note = catalog.percent_to_proportion(ind)
    values = out.set_index(["indicator", "area"])["value"]
    assert values[("a", "X")] == pytest.approx(0.225) and values[("a", "Y")] == pytest.approx(0.40)
    assert values[("b", "X")] == pytest.approx(0.3) and values[("c", "X")] == pytest.approx(680.0)
    assert "1 indicators" in note


def test_practices_keep_the_commissioner_they_were_first_listed_under():
    practices = contract.validate(pd.DataFrame([
        {"practice": "M85001", "year": 2014, "commissioner": "13P", "list_size": 5000.0},
        {"practice": "M85001", "year": 2018, "commissioner": "15E", "list_size": 5100.0},
        {"practice": "M85002", "year": 2016, "commissioner": "04X", "list_size": 3000.0},
    ]), "practices", "test")
    out, note = catalog.practice_commissioners(params_with(code_map={"13P": "5PG"}), practices)
    assert list(out["commissioner"]) == ["5PG", "5PG", "04X"]
    assert "13P as 5PG" in note


def test_a_commissioner_area_is_scaled_to_its_population():
    ages = range(91)
    estimate = pd.DataFrame(
        [
            {"area": "E08000099", "year": 2011, "sex": s, "age": a, "population": 100.0, "variant": "estimate"}
            for s in ("male", "female")
            for a in ages
        ]
    )
    national = pd.DataFrame(
        [
            {"area": "E92000001", "year": y, "sex": s, "age": a, "population": 1000.0, "variant": "principal"}
            for y in range(2018, 2024)
            for s in ("male", "female")
            for a in ages
        ]
    )
    population = contract.validate(pd.concat([estimate, national]), "population", "test")
    params = params_with(commissioners=[{"code": "AAA", "name": "A PCT", "population": 9100, "area": "E08000099"}])
    out, note = catalog.commissioner_population(params, population)
    mine = out[out["area"] == "AAA"]
    # 18,200 residents scaled to 9,100; with no national change every year keeps that total
    assert mine[mine["variant"] == "estimate"]["population"].sum() == pytest.approx(9100)
    assert mine[(mine["variant"] == "principal") & (mine["year"] == 2012)]["population"].sum() == pytest.approx(9100)
    assert "50.0% of the authority" in note


def test_a_code_covering_several_commissioners_places_none_of_its_practices_and_lists_them():
    practices = contract.validate(pd.DataFrame([
        {"practice": "M85001", "year": 2014, "commissioner": "13P", "list_size": 5000.0},
        {"practice": "M85002", "year": 2014, "commissioner": "13P", "list_size": 3000.0},
        {"practice": "M88001", "year": 2014, "commissioner": "05P", "list_size": 4000.0},
    ]), "practices", "test")
    out, note = catalog.practice_commissioners(params_with(code_map={"13P": ["5PG", "5MX"], "05P": "TAM"}), practices)
    assert list(out["commissioner"].fillna("none")) == ["none", "none", "TAM"]
    assert "2 practices first listed under 13P are not placed" in note and "M85001, M85002" in note
    assert "05P as TAM (1 practices)" in note


def test_practices_holding_far_more_patients_than_the_commissioner_has_residents_are_reported():
    practices = contract.validate(pd.DataFrame([
        {"practice": "M85001", "year": 2014, "commissioner": "13P", "list_size": 600000.0},
    ]), "practices", "test")
    params = params_with(code_map={"13P": "5PG"})  # the default's 5PG has 425,000 residents
    _, note = catalog.practice_commissioners(params, practices)
    assert "600,000 registered patients" in note and "13P probably also took practices" in note


def commissioner_area_population():
    ages = range(91)
    estimate = pd.DataFrame(
        [
            {"area": "E08000099", "year": 2011, "sex": s, "age": a, "population": 100.0, "variant": "estimate"}
            for s in ("male", "female")
            for a in ages
        ]
    )
    national = pd.DataFrame(
        [
            {"area": "E92000001", "year": y, "sex": s, "age": a, "population": 1000.0, "variant": "principal"}
            for y in range(2018, 2024)
            for s in ("male", "female")
            for a in ages
        ]
    )
    return contract.validate(pd.concat([estimate, national]), "population", "test")


def test_a_population_from_the_practices_lists_uses_the_year_nearest_the_estimate():
    practices = contract.validate(pd.DataFrame([
        {"practice": "P1", "year": 2014, "commissioner": "AAA", "list_size": 5000.0},
        {"practice": "P2", "year": 2014, "commissioner": "AAA", "list_size": 4100.0},
        {"practice": "P1", "year": 2018, "commissioner": "AAA", "list_size": 99999.0},
    ]), "practices", "test")
    params = files_params_with(
        commissioners=[{"code": "AAA", "name": "A PCT", "population": "practices", "area": "E08000099"}]
    )
    out, note = catalog.commissioner_population(params, commissioner_area_population(), practices)
    mine = out[(out["area"] == "AAA") & (out["variant"] == "estimate")]
    assert mine["population"].sum() == pytest.approx(9100)  # 5,000 + 4,100 in 2014, the nearest year to 2011
    assert (
        "9,100 patients registered with its practices in 2014" in note
        and "age and sex structure is the authority's" in note
    )


def test_a_population_from_practices_without_a_practice_file_says_what_to_add():
    params = files_params_with(
        commissioners=[{"code": "AAA", "name": "A PCT", "population": "practices", "area": "E08000099"}]
    )
    with pytest.raises(ValueError, match="no practice file .*data.files.practices"):
        catalog.commissioner_population(params, commissioner_area_population(), None)


def test_two_commissioners_in_one_authority_without_populations_are_refused():
    raw = load("params/black-country-real.yml").model_dump()
    raw["economy"]["commissioners"] = [
        {"code": "5MX", "name": "Heart of Birmingham PCT", "area": "E08000025"},
        {"code": "5M1", "name": "South Birmingham PCT", "area": "E08000025"},
    ]
    with pytest.raises(
        Exception, match="5MX, 5M1 take their population from local authority E08000025.*population: practices"
    ):
        Params.model_validate(raw)
    raw["economy"]["commissioners"][0]["population"] = 270000
    with pytest.raises(Exception, match="5M1 take their population"):  # one without is still refused
        Params.model_validate(raw)
    raw["economy"]["commissioners"][1]["population"] = "practices"
    assert Params.model_validate(raw).economy.commissioners[1].population == "practices"


def test_a_commissioner_no_practice_is_placed_under_is_named():
    practices = contract.validate(pd.DataFrame([
        {"practice": "P1", "year": 2014, "commissioner": "00W", "list_size": 5000.0},
    ]), "practices", "test")
    note = catalog.unplaced_commissioners(files_params_with(code_map={}), practices)
    assert "No practice in the practice file is placed under 5PE, 5PF" in note and "code_map" in note
    assert catalog.unplaced_commissioners(files_params_with(code_map={"13P": ["5PE", "5PF"]}), practices) == ""
