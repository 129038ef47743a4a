"""The value chapter on small hand-made tables with hand-worked answers.

Its content, spend against outcome, practice and peer variation, and the national share.
"""

import numpy as np
import pandas as pd
import pytest
from IPython.display import Markdown

from analysis.charts.theme import title_text
from analysis.report.value import content as value_content_module
from analysis.report.value import elements, productivity, spend, variation

pytestmark = pytest.mark.unit

BEN, SOL = "Birmingham East and North PCT", "Solihull Care Trust"
ENGLAND = "E92000001"
CONTENT = {
    "pathways": {
        "pathways": {"urgent_care": {"title": "Urgent care"}, "children": {"title": "Children and young people"}}
    },
    "indicators": {
        "indicators": {"ucc_diversion_pct": {"name": "Attendances seen in urgent care centres", "percent": True}}
    },
    "value": {
        "propositions": [
            {
                "id": "definition",
                "kind": "definition",
                "text": "Value is outcomes for the money spent.",
                "source": "WM leaders",
            },
            {"id": "p1", "kind": "proposition", "text": "Quality costs less.", "source": "S2"},
            {"id": "c1", "kind": "commitment", "text": "Measure what matters.", "source": "S1"},
        ],
        "elements": {"allocative": {"explanation": "Money goes where it helps most."}},
        "productivity_challenge": [
            {
                "id": "kings_fund_22bn",
                "text": "The NHS must find £22 billion.",
                "value": 22e9,
                "unit": "GBP",
                "period": "2011 to 2015",
                "source": "The King's Fund",
            },
            {
                "id": "growth",
                "text": "Demand grows.",
                "value": 5.5,
                "unit": "percent a year",
                "period": "each year",
                "source": "S",
            },
        ],
    },
}


def population(rows=(("5PG", 100.0), ("TAM", 300.0), (ENGLAND, 40_000.0)), year=2007) -> pd.DataFrame:
    return pd.DataFrame({
        "area": [a for a, _ in rows], "year": year, "sex": "male", "age": 30,
        "population": [p for _, p in rows], "variant": "estimate",
    })


def finance() -> pd.DataFrame:
    return pd.DataFrame({
        "year": 2007, "organisation": ["5PG", "TAM", "5PG"], "programme": ["urgent_care", "urgent_care", "children"],
        "budget": 0.0, "spend": [1.2e6, 1.8e6, 1.0e6],
    })


def outcomes() -> pd.DataFrame:
    # Urgent care's headline: attendances seen in urgent care centres (high is good). 5PG's interval is
    # above England's 25%, TAM's below it; an older period is ignored.
    return pd.DataFrame({
        "indicator": "ucc_diversion_pct", "area": ["5PG", "TAM", ENGLAND, "5PG"],
        "period": ["2007/08"] * 3 + ["2006/07"],
        "period_start": pd.to_datetime(["2007-04-01"] * 3 + ["2006-04-01"]),
        "value": [0.30, 0.20, 0.25, 0.99], "lower_ci": [0.28, 0.18, 0.249, 0.9], "upper_ci": [0.32, 0.22, 0.251, 1.0],
        "polarity": "high_is_good", "area_type": ["commissioner", "commissioner", "england", "commissioner"],
    })


@pytest.fixture
def value_book(small_book):
    return small_book({"finance": finance(), "population": population(), "indicators": outcomes()}, content=CONTENT)


# --- content and elements -----------------------------------------------------------------------------


def test_value_content_and_pathway_titles(small_book, value_book):
    assert value_content_module.value_content(value_book)["elements"]["allocative"]["explanation"].startswith("Money")
    assert value_content_module.value_content(small_book(content={"value": None})) == {}
    titles = value_content_module.pathway_titles(value_book)
    assert titles["urgent_care"] == "Urgent care" and titles["long_term_conditions"] == "Long term conditions"
    assert len(titles) == 8


def test_an_element_in_words_or_a_note_that_it_is_missing(value_book):
    assert elements.element_text(value_book, "allocative").data == "Money goes where it helps most."
    assert elements.element_text(value_book, "technical").data.startswith("*No content for the element 'technical' in ")


def test_propositions_and_commitments_as_two_lists_with_their_sources(value_book):
    lines = elements.propositions(value_book).data.splitlines()
    assert lines[:3] == ["**What they hold to be true**", "", "- Quality costs less."]
    assert lines[4:7] == ["**What they committed to do**", "", "- Measure what matters."]
    assert lines[-1] == "*Source: S1; S2, in our own words.*"  # the definition is not one of the two lists


# --- spend and outcome --------------------------------------------------------------------------------


def test_population_by_area_and_indicator_names(value_book):
    assert population_dict(spend.population_by_area(value_book, 2007)) == {
        "5PG": 100.0,
        "TAM": 300.0,
        ENGLAND: 40_000.0,
    }
    assert spend.population_by_area(value_book, 2006).empty
    assert spend.indicator_name(value_book, "ucc_diversion_pct") == ("Attendances seen in urgent care centres", True)
    assert spend.indicator_name(value_book, "flu_jabs") == ("flu jabs", False)


def population_dict(series: pd.Series) -> dict:
    return {k: float(v) for k, v in series.items()}


def test_the_headline_outcome_needs_a_judgement_and_england(small_book):
    judged = outcomes()
    no_england = judged[judged["area"] != ENGLAND]
    no_judgement = judged.assign(polarity="no_judgement")
    assert spend.outcome_indicator(small_book({"indicators": judged}), "urgent_care") == "ucc_diversion_pct"
    assert spend.outcome_indicator(small_book({"indicators": no_england}), "urgent_care") is None
    assert spend.outcome_indicator(small_book({"indicators": no_judgement}), "urgent_care") is None
    assert spend.outcome_indicator(small_book({"indicators": judged}), "no_such_pathway") is None


def test_quadrant_frame_sets_spend_per_head_beside_the_outcome(value_book):
    frame = spend.quadrant_frame(value_book).set_index("area")
    # Urgent care: 5PG £1.2m / 100 = £12,000 a head, TAM £1.8m / 300 = £6,000; economy £3m / 400 = £7,500.
    assert frame.loc["5PG", "per_head"] == pytest.approx(12_000) and frame.loc["TAM", "per_head"] == pytest.approx(
        6_000
    )
    assert frame.loc["5PG", "index"] == pytest.approx(12_000 / 7_500 - 1)
    assert frame["comparison"].to_dict() == {"5PG": "better", "TAM": "worse"}
    assert frame["value_text"].to_dict() == {"5PG": "30.0%", "TAM": "20.0%"} and set(frame["england_text"]) == {"25.0%"}
    assert frame.loc["TAM", "relative"] == pytest.approx(0.20 / 0.25 - 1)
    assert set(frame["pathway_title"]) == {"Urgent care"}  # children has spend but no outcome


def test_side_by_side_has_a_row_per_programme_and_two_columns_per_commissioner(small_book, value_book):
    table = spend.side_by_side(value_book)
    row = table.frame.iloc[0]
    assert list(table.frame.columns) == [
        "Programme", "Headline outcome", "Period", "England",
        f"{BEN}: spend per resident", f"{BEN}: outcome", f"{SOL}: spend per resident", f"{SOL}: outcome",
    ]
    assert (row["Programme"], row["Headline outcome"], row["England"]) == (
        "Urgent care",
        "Attendances seen in urgent care centres",
        "25.0%",
    )
    assert row[f"{BEN}: spend per resident"] == pytest.approx(12_000) and row[f"{BEN}: outcome"] == "30.0% (better)"
    assert row[f"{SOL}: outcome"] == "20.0% (worse)"
    assert table.caption.startswith("Spend per resident in 2007/08 beside")
    assert isinstance(spend.side_by_side(small_book()), Markdown)


def test_spend_outcome_chart_is_drawn_from_the_quadrant_frame(small_book, value_book):
    spec = spend.spend_outcome_chart(value_book).to_dict()
    # 5PG spends 60% above the economy's average (£12,000 against £7,500) and is better than England;
    # TAM spends 20% below and is worse: no programme is both above average in spend and worse.
    assert (
        title_text(spec) == "No programme combines above-average spend with a significantly worse outcome than England"
    )
    assert "urgent care spend +60.0%, outcome +20.0% (better)" in spec["description"]
    assert "urgent care spend -20.0%, outcome -20.0% (worse)" in spec["description"]
    assert isinstance(spend.spend_outcome_chart(small_book()), Markdown)


def test_definition_quotes_the_source_then_sizes_the_spend(value_book):
    text = spend.definition(value_book).data
    quote, numbers = text.split("\n\n")
    assert quote == "> Value is outcomes for the money spent.\n>\n> — WM leaders"
    # £4m in all (urgent care £3m, children £1m) for 400 residents: £10,000 each; urgent care is 75%.
    assert numbers.startswith(
        "In 2007/08 the economy's commissioners spent £4 million on the 2 programmes of care, about £10,000 for each "
        "resident. The largest programme was urgent care (£3 million, 75% of the total)."
    )


# --- practice and peer variation ----------------------------------------------------------------------


def test_practice_activity_in_the_last_full_fiscal_year(small_book):
    months = pd.date_range("2007-04-01", periods=13, freq="MS")  # 2007/08 in full, then one month of 2008/09
    # Every activity row has a pathway (the contract requires one); practice years are summed by it.
    activity = pd.concat([
        pd.DataFrame({"month": months, "commissioner": "5PG", "practice": "P1", "pod": "non_elective", "count": 10.0}),
        pd.DataFrame({"month": months, "commissioner": "TAM", "practice": "P2", "pod": "ae", "count": 5.0}),
        pd.DataFrame({"month": months, "commissioner": "TAM", "practice": "P2", "pod": "community", "count": 99.0}),
        pd.DataFrame({"month": months, "commissioner": "5PE", "practice": "P9", "pod": "ae", "count": 99.0}),
    ]).assign(pathway="urgent_care")
    practices = pd.DataFrame({
        "practice": ["P1", "P2", "P1"], "year": [2007, 2007, 2009], "commissioner": ["5PG", "TAM", "5PG"],
        "list_size": [1000.0, 2000.0, 1.0], "imd_score": [20.0, 30.0, 0.0],
    })
    frame = variation.practice_activity(small_book({"activity": activity, "practices": practices}))
    # 2007/08: P1 120 emergency admissions on 1,000 patients (120 per 1,000); P2 60 A&E attendances on 2,000 (30).
    assert frame.attrs["year"] == 2007
    assert frame[["practice", "pod", "count", "list_size", "rate"]].to_numpy().tolist() == [
        ["P2", "ae", 60.0, 2000.0, 30.0], ["P1", "non_elective", 120.0, 1000.0, 120.0],
    ]
    assert variation.practice_activity(small_book()).empty


def test_unit_costs_by_pod_are_the_latest_at_or_before_the_year(small_book):
    costs = pd.DataFrame(
        {
            "year": [2006, 2007, 2007, 2007, 2008],
            "pod": ["ae", "ae", "non_elective", "community", "ae"],
            "unit_cost": [80.0, 90.0, 1500.0, 50.0, 999.0],
        }
    )
    assert variation.pod_unit_costs(small_book({"unit_costs": costs}), 2007) == {"non_elective": 1500.0, "ae": 90.0}
    assert variation.pod_unit_costs(small_book(), 2007) == {}


def peer_indicators() -> pd.DataFrame:
    # Alcohol-related admissions per 100,000 (low is good), each area with 100,000 residents. Peers 100..500:
    # the best five are all five, mean 300. 5PG at 600 would have 300 fewer admissions; TAM at 150 already matches.
    areas = ["Q1", "Q2", "Q3", "Q4", "Q5", "5PG", "TAM"]
    values = [100.0, 200.0, 300.0, 400.0, 500.0, 600.0, 150.0]
    return pd.DataFrame(
        {
            "indicator": "alcohol_admissions_per_100k",
            "area": areas,
            "area_type": ["peer"] * 5 + ["commissioner"] * 2,
            "period": "2007/08",
            "period_start": pd.Timestamp("2007-04-01"),
            "value": values,
            "count": values,
            "denominator": 100_000.0,
            "polarity": "low_is_good",
        }
    )


@pytest.fixture
def peer_book(small_book):
    costs = pd.DataFrame({"year": [2007], "pod": ["non_elective"], "unit_cost": [1000.0]})
    return small_book({"indicators": peer_indicators(), "unit_costs": costs})


def test_peer_opportunities_against_the_best_five(peer_book, small_book):
    frame = variation.peer_opportunities(peer_book).set_index("area")
    assert frame.loc["5PG", "benchmark"] == pytest.approx(300.0)
    assert frame.loc["5PG", "activity"] == pytest.approx(300.0)
    assert frame.loc["5PG", "cost"] == pytest.approx(300 * 1000.0)  # priced at the emergency admission's unit cost
    assert frame.loc["TAM", "activity"] == 0.0
    assert (frame.loc["5PG", "peers_min"], frame.loc["5PG", "peers_max"]) == (100.0, 500.0)
    assert set(frame["peers"]) == {5}
    assert variation.peer_opportunities(small_book()).empty


def test_peer_table_reads_each_commissioner_against_its_peers(peer_book, small_book):
    table = variation.peer_table(peer_book)
    row = table.frame.iloc[0]
    assert row["Indicator"] == "alcohol admissions per 100k" and row["Better when"] == "lower"
    assert row["Mean of the best 5 peers"] == "300.0" and row["Peers' range"] == "100.0 to 500.0"
    assert row[BEN] == "600.0: 300 fewer a year, £0.30m"
    assert row[SOL] == "150.0: already matches"
    assert table.caption.startswith("Each commissioner against the best 5 of its 5 peer areas, 2007/08")
    assert isinstance(variation.peer_table(small_book()), Markdown)


# --- the national challenge ---------------------------------------------------------------------------


def test_national_share_by_population(value_book, small_book):
    share = productivity.national_share(value_book)
    # 400 residents of England's 40,000 are 1%: 1% of £22 billion is £220 million.
    assert (share["year"], share["local"], share["england"]) == (2007, 400.0, 40_000.0)
    assert share["share"] == pytest.approx(0.01) and share["local_challenge"] == pytest.approx(2.2e8)
    assert productivity.national_share(small_book()) == {}
    no_england = productivity.national_share(
        small_book({"population": population(rows=(("5PG", 100.0),))}, content=CONTENT)
    )
    assert np.isnan(no_england["share"]) and np.isnan(no_england["local_challenge"])


def test_challenge_facts_in_their_own_units(value_book):
    frame = productivity.challenge_facts(value_book).frame
    assert frame["Figure"].tolist() == ["£22 billion", "5.5% a year"]
    assert frame["Source"].tolist() == ["The King's Fund", "S"]
