"""The local health economy chapter on small hand-made tables: population, deprivation, budgets, inequality."""

import numpy as np
import pandas as pd
import pytest
from IPython.display import Markdown

from analysis.charts.theme import title_text
from analysis.report import economy

pytestmark = pytest.mark.unit

BEN, SOL = "Birmingham East and North PCT", "Solihull Care Trust"


def population() -> pd.DataFrame:
    rows = [
        # area, year, sex, age, population, variant
        ("5PG", 2007, "male", 10, 30.0, "estimate"), ("5PG", 2007, "female", 40, 50.0, "estimate"),
        ("5PG", 2007, "female", 70, 20.0, "estimate"),
        ("TAM", 2007, "male", 10, 10.0, "estimate"), ("TAM", 2007, "female", 40, 50.0, "estimate"),
        ("TAM", 2007, "male", 70, 40.0, "estimate"),
        ("5PG", 2006, "male", 10, 999.0, "estimate"),  # an older estimate
        ("5PE", 2007, "male", 10, 5000.0, "estimate"),  # not the economy's
        ("5PG", 2007, "male", 10, 7.0, "principal"),  # a projection for a year already estimated
        ("5PG", 2008, "male", 95, 33.0, "principal"),  # a projection after the last estimate
    ]
    return pd.DataFrame(rows, columns=["area", "year", "sex", "age", "population", "variant"])


def test_organisations_by_role_with_their_descriptions(small_book):
    content = {"economy": {"organisations": [{"code": "RR1", "description": "The acute trust"}]}}
    frame = economy.organisations(small_book(content=content)).frame
    assert frame["Code"].tolist() == ["5PG", "TAM", "RR1", "RXT", "E08000025", "E08000029"]
    assert frame["Role"].tolist() == ["Commissioner"] * 2 + ["Provider"] * 2 + ["Local authority"] * 2
    assert frame.set_index("Code").loc["RR1", "About"] == "The acute trust"
    # Without a description in the content, the role is written from the parameters and data.
    assert frame.set_index("Code").loc["5PG", "About"] == "Commissions health care for its residents."


def test_latest_population_is_the_latest_estimate_of_the_economy(small_book):
    latest = economy.latest_population(small_book({"population": population()}))
    assert (
        set(latest["area"]) == {"5PG", "TAM"}
        and set(latest["year"]) == {2007}
        and set(latest["variant"]) == {"estimate"}
    )
    assert latest["population"].sum() == 200.0


def test_population_summary_by_area_and_for_the_whole_economy(small_book):
    table = economy.population_summary(small_book({"population": population()}))
    frame = table.frame.set_index("Area")
    # 5PG: 100 residents, 30 under 20, 20 aged 65+; TAM: 100, 10 and 40; together 200, 40 and 60.
    assert frame["Residents"].to_dict() == {BEN: 100.0, SOL: 100.0, "Whole economy": 200.0}
    assert frame["Aged under 20"].tolist() == pytest.approx([0.3, 0.1, 0.2])
    assert frame["Aged 65 and over"].tolist() == pytest.approx([0.2, 0.4, 0.3])
    assert table.caption == "Residents by area, mid-2007"
    empty = economy.population_summary(small_book())
    assert empty.frame["Note"].tolist() == ["No population data in this edition."]


def test_population_sentence_names_the_older_area(small_book):
    text = economy.population_text(small_book({"population": population()})).data
    assert text == (
        f"The economy serves 200 residents. {SOL} is the older area: 40.0% of its residents are 65 or over, "
        f"against 20.0% in {BEN}."
    )
    assert economy.population_text(small_book()).data == "This edition has no population data."


def test_pyramid_shares_by_band_men_to_the_left(small_book):
    frame = economy.pyramid_frame(small_book({"population": population()}))
    ben_2007 = frame[(frame["area"] == "5PG") & (frame["year"] == 2007)].set_index("band")
    # 5PG 2007: 30 men aged 10-14, 50 women 40-44, 20 women 70-74, of 100; the 2007 projection row is left out.
    assert ben_2007["share"].to_dict() == pytest.approx({"10-14": 0.3, "40-44": 0.5, "70-74": 0.2})
    assert ben_2007.loc["10-14", "signed"] == pytest.approx(-0.3) and ben_2007.loc["40-44", "signed"] == pytest.approx(
        0.5
    )
    projected = frame[frame["year"] == 2008]
    assert projected["band"].tolist() == ["90+"] and projected["variant"].tolist() == ["principal"]
    assert projected["share"].tolist() == [1.0] and projected["Sex"].tolist() == ["Male"]
    assert set(frame["Area"]) == {BEN, SOL}


def test_pyramid_title_names_the_younger_area_and_the_slider_spans_the_years(small_book):
    spec = economy.population_pyramid(small_book({"population": population()})).to_dict()
    assert title_text(spec) == f"{BEN} has the younger population"
    slider = spec["params"][0]
    assert slider["value"] == 2007 and (slider["bind"]["min"], slider["bind"]["max"]) == (
        2006,
        2008,
    )  # estimates from 2006, projection 2008


def test_deprivation_chart_compares_median_practices_in_the_latest_year(small_book):
    practices = pd.DataFrame({
        "practice": ["A", "B", "C", "D", "E", "A"], "year": [2008] * 5 + [2007],
        "commissioner": ["5PG", "5PG", "5PG", "TAM", "TAM", "5PG"],
        "imd_score": [10.0, 20.0, 60.0, 5.0, 7.0, 99.0], "list_size": [1000.0] * 6,
    })
    spec = economy.deprivation_chart(small_book({"practices": practices})).to_dict()
    assert title_text(spec) == f"Practices in {BEN} serve more deprived populations than those in {SOL}"
    assert "median score 20.0 against 6.0" in " ".join(spec["title"]["subtitle"])


def test_budgets_total_the_economy_s_latest_year(small_book):
    finance = pd.DataFrame({
        "year": [2007, 2007, 2007, 2006], "organisation": ["5PG", "TAM", "5PE", "5PG"],
        "programme": ["maternity", "children", "maternity", "maternity"],
        "budget": [0.0] * 4, "spend": [3e6, 2e6, 10e6, 50e6],
    })
    spec = economy.budgets_chart(small_book({"finance": finance})).to_dict()
    assert title_text(spec) == "The commissioners spent £5 million on these programmes in 2007/08"
    assert isinstance(economy.budgets_chart(small_book()), Markdown)


def test_inequality_gap_is_the_slope_index_of_the_wider_area(small_book):
    deciles = np.arange(1, 11)
    # Equal populations: deciles sit at ranks 0.05 ... 0.95, so life expectancy 70 + d rises 10 years over
    # the whole range (the SII) in 5PG, and 75 + d / 2 rises 5 years in TAM.
    rows = pd.DataFrame(
        {
            "indicator": "life_expectancy_by_decile",
            "area": [f"5PG-D{d}" for d in deciles] + [f"TAM-D{d}" for d in deciles],
            "value": np.r_[70.0 + deciles, 75.0 + deciles / 2],
            "denominator": 1000.0,
            "period": "2005-07",
            "period_start": pd.Timestamp("2005-01-01"),
        }
    )
    spec = economy.inequality_chart(small_book({"indicators": rows})).to_dict()
    assert title_text(spec) == f"In {BEN} the least deprived live 10.0 years longer than the most deprived"
    assert isinstance(economy.inequality_chart(small_book()), Markdown)
