"""Shared wording: each function on a few values worked by hand."""

import numpy as np
import pandas as pd
import pytest

from analysis.report import wording

pytestmark = pytest.mark.unit
MINUS = wording.MINUS


def test_counts_in_words_round_to_what_a_reader_takes_in():
    assert wording.words_number(4512) == "about 4,500"
    assert wording.words_number(4550) == "about 4,600"  # round half to even on the hundreds: 45.5 -> 46
    assert wording.words_number(1_234_567) == "about 1.2 million"
    assert wording.words_number(-2_500_000) == "about -2.5 million"
    assert wording.words_number(999) == "999"
    assert wording.words_number(np.nan) == "not known"


def test_percentages_from_proportions():
    assert wording.percent_text(0.123) == "12.3%"
    assert wording.percent_text(0.5, decimals=0) == "50%"
    assert wording.percent_text(0.00049, decimals=2) == "0.05%"
    assert wording.percent_text(float("nan")) == "not known"


def test_a_gap_in_words_names_its_direction():
    assert wording.money_words(12_345_678) == "a shortfall of £12.3 million"
    assert wording.money_words(-2_000_000) == "a surplus of £2.0 million"


def test_savings_per_pound_keep_their_sign_to_the_number():
    assert wording.pounds_each(1.5) == "£1.50"
    assert wording.pounds_each(1234.567) == "£1,234.57"
    assert wording.pounds_each(-0.4) == f"{MINUS}£0.40"
    assert wording.pounds_each(-0.001) == "£0.00"  # rounds to zero: no sign
    assert wording.pounds_each(np.nan) == ""


def test_signed_numbers_use_a_minus_sign_that_does_not_break():
    assert wording.signed(-1.234) == f"{MINUS}1.23"
    assert wording.signed(1234.5) == "1,234.50"
    assert wording.signed(-0.001) == "0.00"


def test_lists_of_names_in_a_sentence():
    assert wording.sentence_list(["Smoking"]) == "Smoking"
    assert wording.sentence_list(["Smoking", "Obesity", "A&E waits"]) == "Smoking, obesity and A&E waits"
    assert wording.name_list(["a", "b", "c"]) == "a, b and c"


def test_semicolon_lists_for_names_that_hold_commas():
    assert wording.semicolon_list(pd.Series([], dtype=object)) == "none"
    assert wording.semicolon_list(pd.Series(["a"])) == "a"
    assert wording.semicolon_list(pd.Series(["a", "b"])) == "a and b"
    assert (
        wording.semicolon_list(pd.Series(["Falls, fractures", "Stroke", "COPD"]))
        == "Falls, fractures; Stroke; and COPD"
    )


def test_the_word_agrees_with_the_list():
    assert wording.one_or_many(["a"], "is", "are") == "is"
    assert wording.one_or_many(["a", "b"], "is", "are") == "are"
    assert wording.one_or_many([], "measure", "measures") == "measures"


def test_periods_and_quarters_in_words():
    assert wording.period_words(["2007-09-01", "2007-09-15", "2008-01-01"]) == "September 2007 and January 2008"
    assert wording.quarter_words("2010-04-01") == "Apr–Jun 2010"
    assert wording.quarter_words("2010-11-01") == "Nov 2010–Jan 2011"


def test_literal_list_escapes_each_name():
    assert wording.literal_list(["A&E", "*Bold*", "Plain"]) == ["A&#38;E", "&#42;Bold&#42;", "Plain"]
    assert wording.literal_list([]) == []
