import numpy as np
import pytest

from analysis.synthetic.practices import allocate, codes, from_quantiles, round_to_total

from .specs import POPULATION

pytestmark = pytest.mark.unit


def test_allocate_in_proportion_with_at_least_one_each():
    assert allocate(100, [425000, 205000]) == [67, 33]
    assert allocate(3, [1000, 1, 1]) == [1, 1, 1]
    assert sum(allocate(7, [1, 2, 3])) == 7


def test_round_to_total_adds_up_exactly():
    out = round_to_total(np.array([1.0, 1.0, 1.0]), 10)
    assert out.sum() == 10 and sorted(out) == [3, 3, 4]


def test_from_quantiles_interpolates_between_deciles():
    q = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    assert from_quantiles(q, np.array([0.0, 0.25, 1.0])) == pytest.approx([0, 25, 100])


def test_codes_are_synthetic():
    assert codes(3) == ["SYN001", "SYN002", "SYN003"]
    assert codes(1200)[-1] == "SYN1200"


def test_hundred_practices_each_year_split_by_population(tables):
    p = tables["practices"]
    assert p.groupby("year")["practice"].nunique().eq(100).all()
    first = p[p["year"] == 2004]
    assert first["commissioner"].value_counts().to_dict() == {"5PG": 67, "TAM": 33}
    assert first["practice"].str.match(r"^SYN\d{3}$").all() and first["name"].str.match(r"^Practice \d{3}$").all()


def test_lists_sum_to_the_commissioners_residents(tables):
    p, pop = tables["practices"], tables["population"]
    residents = pop[pop["variant"] == "estimate"].groupby(["area", "year"])["population"].sum()
    lists = p.groupby(["commissioner", "year"])["list_size"].sum()
    for (code, year), total in lists.items():
        assert total == pytest.approx(residents[(code, year)], abs=50)
    assert lists[("5PG", 2007)] == POPULATION["5PG"]


def test_lists_look_like_real_practices(tables):
    p = tables["practices"]
    assert p["list_size"].min() >= 800 and p["list_size"].max() <= 45000
    assert 4000 < p["list_size"].median() < 8000


def test_ben_practices_are_more_deprived(tables):
    p = tables["practices"][lambda d: d["year"] == 2007]
    ben, sol = p.loc[p["commissioner"] == "5PG", "imd_score"], p.loc[p["commissioner"] == "TAM", "imd_score"]
    assert ben.median() > 30 > 20 > sol.median()
    assert p["imd_score"].between(0, 100).all()
