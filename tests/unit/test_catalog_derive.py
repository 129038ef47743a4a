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
