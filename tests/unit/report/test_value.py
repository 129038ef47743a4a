"""The value chapter's computations, on small hand-made tables with hand-worked answers."""

import pandas as pd
import pytest

from analysis import config
from analysis.catalog import Catalog
from analysis.report import projected
from analysis.report.value import elements, spend, variation
from analysis.report.value import productivity as value_productivity


def small_book(tables: dict, content: dict | None = None) -> Catalog:
    """The default edition's parameters (commissioners 5PG and TAM) over hand-made tables."""
    params = config.load("params/default.yml")
    return Catalog("params/default.yml", params, tables, content or {}, {})


# --- spend per head ----------------------------------------------------------------------------------


@pytest.mark.unit
def test_spend_per_head_against_the_population_weighted_economy_average():
    finance = pd.DataFrame({
        "year": [2007] * 4, "organisation": ["5PG", "5PG", "TAM", "TAM"],
        "programme": ["maternity", "children"] * 2, "budget": [0.0] * 4, "spend": [1000.0, 400.0, 1500.0, 900.0],
    })
    population = pd.DataFrame({
        "area": ["5PG", "5PG", "TAM"], "year": [2007] * 3, "sex": ["male", "female", "male"], "age": [30, 30, 30],
        "population": [60.0, 40.0, 300.0], "variant": ["estimate"] * 3,
    })
    frame = spend.spend_per_head(small_book({"finance": finance, "population": population})).set_index(
        ["organisation", "programme"]
    )
    # Maternity: 5PG 1000 / 100 = 10 a head, TAM 1500 / 300 = 5; economy 2500 / 400 = 6.25.
    assert frame.loc[("5PG", "maternity"), "per_head"] == pytest.approx(10.0)
    assert frame.loc[("TAM", "maternity"), "economy_per_head"] == pytest.approx(6.25)
    assert frame.loc[("5PG", "maternity"), "index"] == pytest.approx(10 / 6.25 - 1)
    assert frame.loc[("TAM", "maternity"), "index"] == pytest.approx(5 / 6.25 - 1)
    # Children: 4 and 3 a head; economy 1300 / 400 = 3.25.
    assert frame.loc[("TAM", "children"), "index"] == pytest.approx(3 / 3.25 - 1)


@pytest.mark.unit
def test_spend_per_head_is_empty_without_a_common_year():
    finance = pd.DataFrame(
        {"year": [2007], "organisation": ["5PG"], "programme": ["maternity"], "budget": [0.0], "spend": [1.0]}
    )
    population = pd.DataFrame(
        {"area": ["5PG"], "year": [2006], "sex": ["male"], "age": [1], "population": [1.0], "variant": ["estimate"]}
    )
    assert spend.spend_per_head(small_book({"finance": finance, "population": population})).empty


# --- practices ---------------------------------------------------------------------------------------


def practices(rates=(100, 110, 120, 130, 140, 150), imd=(10, 20, 30, 40, 50, 60), commissioner="5PG") -> pd.DataFrame:
    codes = [f"P{i + 1}" for i in range(len(rates))]
    return pd.DataFrame({
        "practice": codes, "commissioner": commissioner, "pod": "non_elective", "count": [float(r) for r in rates],
        "list_size": 1000.0, "imd_score": list(imd), "rate": [float(r) for r in rates],
    })


@pytest.mark.unit
def test_similar_practices_are_the_closest_in_deprivation_within_the_commissioner():
    frame = pd.concat(
        [
            practices(imd=(10, 12, 20, 30, 31, 50)),
            practices(imd=(11, 11, 11, 11, 11, 11), commissioner="TAM").assign(practice=lambda f: "T" + f["practice"]),
        ]
    )
    similar = variation.similar_practices(frame, n=2)
    assert similar["P1"] == ["P2", "P3"]  # 12 (2 away), 20 (10 away); never a TAM practice at 11
    assert similar["P4"] == ["P5", "P3"]  # 31 (1 away), 20 (10 away)
    assert similar["TP1"] == ["TP2", "TP3"]  # all tied at distance 0: by code


@pytest.mark.unit
def test_practice_opportunity_is_the_gap_to_the_best_of_the_similar_practices():
    frame = practices()
    out = variation.practice_opportunity(frame, {"non_elective": 10.0}, n=5, best_n=2).set_index("practice")
    # P6 (150 per 1,000): its five similar practices are all the others; the best two are 100 and 110,
    # mean 105; 45 per 1,000 of 1,000 patients is 45 admissions, £450 at £10 each.
    assert out.loc["P6", "benchmark"] == pytest.approx(105.0)
    assert out.loc["P6", "activity"] == pytest.approx(45.0)
    assert out.loc["P6", "cost"] == pytest.approx(450.0)
    # P1 (100) is below the mean of its best two peers (110, 120): nothing to gain.
    assert out.loc["P1", "activity"] == 0.0
    # Ratio to the economy's rate: 750 admissions / 6,000 patients = 125 per 1,000.
    assert out.loc["P6", "ratio"] == pytest.approx(150 / 125)


@pytest.mark.unit
def test_variation_summary_adds_up_the_practices():
    frame = practices()
    out = variation.practice_opportunity(frame, {"non_elective": 10.0}, n=5, best_n=2)
    summary = variation.variation_summary(frame, out).iloc[0]
    # Benchmarks: P1..P6 best two of the others: 115, 110, 105, 105, 105, 105; gaps above them:
    # P3 15, P4 25, P5 35, P6 45 -> 120 admissions, 4 practices above.
    assert summary["activity"] == pytest.approx(120.0)
    assert summary["above"] == 4
    assert summary["cost"] == pytest.approx(1200.0)
    assert summary["share"] == pytest.approx(120 / 750)
    # 10th and 90th centiles of 100..150 in steps of 10 (linear): 105 and 145.
    assert (summary["p10"], summary["p90"]) == (pytest.approx(105.0), pytest.approx(145.0))
    assert summary["economy_rate"] == pytest.approx(125.0)


# --- indicators and facts ------------------------------------------------------------------------------


@pytest.mark.unit
def test_scale_of_an_indicator_is_a_power_of_ten():
    rows = pd.DataFrame({"value": [625.8, 500.0], "count": [130.0, 50.0], "denominator": [20773.0, 10000.0]})
    assert variation._scale(rows) == 100000.0
    assert variation._scale(pd.DataFrame({"value": [0.25], "count": [25.0], "denominator": [100.0]})) == 1.0


@pytest.mark.unit
@pytest.mark.parametrize(
    ("number", "unit", "text"),
    [
        (5.5, "percent a year", "5.5% a year"),
        (45, "percent", "45%"),
        (22e9, "GBP", "£22 billion"),
        (140e6, "GBP", "£140 million"),
        (350, "staff", "350 staff"),
        (2, "years", "2 years"),
    ],
)
def test_challenge_figures_in_their_units(number, unit, text):
    assert value_productivity._format_fact(number, unit) == text


@pytest.mark.unit
def test_peer_cell_says_what_matching_the_best_peers_would_change():
    low = pd.Series({"value": 711.1, "percent": False, "activity": 1777.2, "cost": 161089.0, "polarity": "low_is_good"})
    high = pd.Series(
        {"value": 0.291, "percent": True, "activity": 189.4, "cost": float("nan"), "polarity": "high_is_good"}
    )
    none = pd.Series({"value": 494.7, "percent": False, "activity": 0.0, "cost": 0.0, "polarity": "low_is_good"})
    assert variation._peer_cell(low) == "711.1: 1,777 fewer a year, £0.16m"
    assert variation._peer_cell(high) == "29.1%: 189 more a year"
    assert variation._peer_cell(none) == "494.7: already matches"


@pytest.mark.unit
def test_element_table_pairs_barriers_with_enablers():
    content = {
        "value": {
            "elements": {"within": {"title": "Within", "barriers": ["b1", "b2"], "enablers": ["e1"], "source": "S"}}
        }
    }
    table = elements.element_table(small_book({}, content), "within")
    assert list(table.frame.columns) == ["What gets in the way", "What helps"]
    assert table.frame.to_numpy().tolist() == [["b1", "e1"], ["b2", ""]]
    assert table.source == "S"


# --- the default edition -------------------------------------------------------------------------------


@pytest.mark.integration
def test_productivity_gap_matches_the_finance_model_and_the_efficiency_closes_it():
    from dataclasses import replace

    from analysis.model import finance
    from analysis.report import common

    book = common.load("params/default.yml")
    frame = value_productivity.productivity(book)
    a = replace(finance.as_assumptions(projected.assumptions(book)), efficiency={})
    total = finance.economy_total(finance.gap(projected.projection(book), book.table("unit_costs"), a))
    last = total.iloc[-1]
    assert frame.attrs["gap"] == pytest.approx(last["gap_do_nothing"])
    years = frame.attrs["horizon_year"] - frame.attrs["baseline_year"]
    # The yearly efficiency needed brings the do-nothing cost down to the allocation by the horizon.
    assert last["cost_do_nothing"] * (1 - frame.attrs["efficiency_needed"]) ** years == pytest.approx(
        last["allocation"]
    )
    growth = frame.set_index("component")["growth"]
    assert growth["Funding (allocation)"] == pytest.approx(last["allocation"] / total.iloc[0]["allocation"] - 1)


@pytest.mark.integration
def test_every_pathway_has_a_headline_outcome_with_england_in_the_default_edition():
    from analysis.report import common

    book = common.load("params/default.yml")
    outcomes = spend.outcome_frame(book)
    assert set(outcomes["pathway"]) == set(book.params.pathways)
    assert (outcomes["polarity"] != "no_judgement").all()
    worse = outcomes[outcomes["comparison"] == "worse"]
    # Worse than England means a negative signed difference, whatever the polarity.
    assert (worse["relative"] < 0).all()
