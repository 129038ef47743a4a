"""What every chapter shares: names, publishers, the real-data label, the disclosure note, glue."""

import pytest

from analysis.report import common

pytestmark = pytest.mark.unit

NAMES = {"5PG": "Birmingham East and North PCT", "TAM": "Solihull Care Trust"}


def test_commissioner_names_and_the_economy_organisations(small_book):
    book = small_book()
    assert common.commissioner_names(book) == NAMES
    organisations = common.economy_organisations(book)
    assert list(organisations) == ["5PG", "TAM", "RR1", "RXT"]  # commissioners, then providers


def test_each_publisher_once_in_the_order_of_the_tables(small_book):
    book = small_book(sources={"activity": "NHS England; ONS", "population": " ONS ", "indicators": "OHID"})
    assert common.publishers(book) == ["NHS England", "ONS", "OHID"]
    assert common.publishers(small_book()) == []


def test_the_real_data_label_names_the_publishers_escaped(small_book):
    text = common.real_notice(small_book(sources={"activity": "NHS England; A&E statistics"})).data
    assert "<strong>Published statistics.</strong>" in text
    assert "(NHS England; A&#38;E statistics)" in text  # wording.literal: a character reference, never markup
    fallback = common.real_notice(small_book()).data
    assert "(the files named in params/default.yml)" in fallback


def test_the_label_of_a_patient_level_edition_says_what_is_suppressed(small_book):
    book = small_book(sources={"activity": "SUS episodes", "population": "ONS"}, patient_level=frozenset({"activity"}))
    text = common.real_notice(book).data
    assert "Patient-level data, with disclosure control" in text
    assert "counted from SUS episodes" in text and "published statistics (ONS)" in text


def test_disclosure_note_only_for_patient_level_tables(small_book):
    book = small_book(patient_level=frozenset({"activity"}))
    assert common.disclosure_note(book, "activity") == common.DISCLOSURE_NOTE
    assert common.disclosure_note(book, "indicators") == ""
    assert common.disclosure_note(small_book(), "activity") == ""


def test_glue_stores_every_value_without_displaying_it(monkeypatch):
    import myst_nb

    stored = []
    monkeypatch.setattr(myst_nb, "glue", lambda key, value, display=True: stored.append((key, value, display)))
    common.glue_all({"population_text": "about 630,000", "horizon": "2012/13"})
    assert stored == [("population_text", "about 630,000", False), ("horizon", "2012/13", False)]


def test_finish_from_names_the_table_s_source_and_labels_synthetic_data(small_book):
    import altair as alt
    import pandas as pd

    from analysis.charts.theme import title_text

    chart = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q")
    spec = common.finish_from(small_book(), "population", chart, title="T", description="D", subtitle="S").to_dict()
    subtitle = " ".join(spec["title"]["subtitle"])
    assert title_text(spec) == "T" and spec["description"] == "D" and subtitle.startswith("S ")
    assert common.SYNTHETIC_SOURCE in subtitle and "synthetic data" in subtitle
    real = common.finish_from(
        small_book(sources={"population": "ONS mid-year estimates"}, params=_real_params()),
        "population",
        chart,
        title="T",
        description="D",
    ).to_dict()
    assert "ONS mid-year estimates" in " ".join(real["title"]["subtitle"]) and "synthetic" not in " ".join(
        real["title"]["subtitle"]
    )


def _real_params():
    from analysis import config

    return config.load("params/bens-real.yml")
