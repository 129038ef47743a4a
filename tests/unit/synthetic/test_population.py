import numpy as np
import pytest

from analysis.synthetic.calibration import load
from analysis.synthetic.population import base_counts, growth
from analysis.synthetic.spec import SpecError

from .specs import POPULATION

pytestmark = pytest.mark.unit


def test_commissioners_sum_to_the_spec_at_mid_2007(tables):
    pop = tables["population"]
    est = pop[(pop["variant"] == "estimate") & (pop["year"] == 2007)]
    for code, people in POPULATION.items():
        assert est.loc[est["area"] == code, "population"].sum() == pytest.approx(people, rel=0.005)


def test_every_area_year_and_variant_has_all_ages_of_both_sexes(tables):
    pop = tables["population"]
    sizes = pop.groupby(["area", "year", "variant"]).size()
    assert (sizes == 2 * 91).all()
    est = pop[pop["variant"] == "estimate"]
    assert sorted(est["year"].unique()) == [2004, 2005, 2006, 2007]
    assert set(pop["area"]) == {"5PG", "TAM", "E92000001"}
    for variant in ("principal", "high", "low"):
        years = sorted(pop.loc[pop["variant"] == variant, "year"].unique())
        assert years == list(range(2008, 2019))


def test_ben_is_younger_and_solihull_older(tables):
    pop = tables["population"]
    est = pop[(pop["variant"] == "estimate") & (pop["year"] == 2007)]

    def share(area, low, high):
        rows = est[est["area"] == area]
        return rows.loc[rows["age"].between(low, high), "population"].sum() / rows["population"].sum()

    assert share("5PG", 0, 15) > share("E92000001", 0, 15) + 0.04
    assert share("5PG", 0, 15) > share("TAM", 0, 15) + 0.04
    assert share("5PG", 65, 90) < share("E92000001", 65, 90) < share("TAM", 65, 90)


def test_projection_variants_are_ordered(tables):
    pop = tables["population"]
    total = pop[pop["year"] == 2018].groupby(["area", "variant"])["population"].sum().unstack()
    assert (total["low"] < total["principal"]).all() and (total["principal"] < total["high"]).all()


def test_england_is_near_the_2011_estimate_scaled_back():
    cal = load()
    base = base_counts(cal, "E92000001")
    assert base.sum() == cal["population"]["england_mid2011"]
    backcast = (base * (1 + growth(cal, "principal")) ** (2007 - 2011)).sum()
    assert 50e6 < backcast < base.sum()


def test_young_tilt_raises_children_and_lowers_the_old():
    cal = load()
    tilted, plain = (
        base_counts(cal, "5PG"),
        np.array([cal["population"]["shape_mid2011"]["5PG"][s] for s in ("male", "female")]),
    )
    assert tilted[:, 0].sum() > plain[:, 0].sum() and tilted[:, 90].sum() < plain[:, 90].sum()


def test_unknown_area_is_named():
    with pytest.raises(SpecError, match="'XYZ'"):
        base_counts(load(), "XYZ")
