"""Book tables: money, numbers and the plain text of HTML cells."""

import math

import pandas as pd
import pytest

from analysis.charts import table as tables

pytestmark = pytest.mark.unit


def test_negative_money_puts_the_sign_before_the_pound():
    # The sign is the minus sign U+2212 (as on the charts' axes) held to the pound by a word joiner U+2060.
    millions = tables.pounds(1, 1e6, "m")
    assert millions(-200_000) == "\u2212\u2060£0.2m"
    assert millions(1_240_000) == "£1.2m"
    assert millions(-12_345_678) == "\u2212\u2060£12.3m"
    assert tables.pounds()(-1500) == "\u2212\u2060£1,500"
    assert "£-" not in tables.pounds(2)(-0.11) and tables.pounds(2)(-0.11) == "\u2212\u2060£0.11"
    assert tables.pounds()(2500000) == "£2,500,000"


def test_money_that_rounds_to_nothing_has_no_sign_and_missing_is_blank():
    millions = tables.pounds(1, 1e6, "m")
    assert millions(-40_000) == "£0.0m"
    assert millions(float("nan")) == ""
    assert tables.pounds()(None) == ""


def test_figure_precision():
    assert tables.figure(14645.7) == "14,646"
    assert tables.figure(12.345) == "12.3"
    assert tables.figure(0.97624) == "0.976"
    assert tables.figure(math.nan) == ""


def test_plain_text_of_html_cells_keeps_words_apart():
    frame = pd.DataFrame(
        {
            "Indicator": ["A&amp;E attendances <small>(a month)</small>"],
            "Latest": ["14,646<br><small>in Mar 2008</small>"],
        }
    )
    text = repr(tables.table(frame, caption="c", source="s", html_columns=["Indicator", "Latest"]))
    assert "A&E attendances (a month)" in text
    assert "14,646 in Mar 2008" in text
