"""Fiscal years start in April and are labelled by the calendar year they start in."""

import pandas as pd
import pytest

from analysis.model import fiscal

pytestmark = pytest.mark.unit


def test_march_belongs_to_the_previous_fiscal_year():
    months = pd.Series(pd.to_datetime(["2009-03-01", "2009-04-01", "2008-12-01"]))
    assert fiscal.fiscal_year(months).tolist() == [2008, 2009, 2008]


def test_labels():
    assert fiscal.fy_label(2008) == "2008/09"
    assert fiscal.fy_label(1999) == "1999/00"


def test_baseline_is_the_last_complete_fiscal_year():
    # April 2006 to June 2008: 2006/07 and 2007/08 are complete, 2008/09 has three months.
    months = pd.DataFrame({"month": pd.date_range("2006-04-01", "2008-06-01", freq="MS")})
    assert fiscal.complete_years(months["month"]) == [2006, 2007]
    assert fiscal.baseline_year(months) == 2007


def test_no_complete_year_is_an_error_naming_the_column():
    months = pd.DataFrame({"month": pd.date_range("2006-06-01", "2007-03-01", freq="MS")})
    with pytest.raises(ValueError, match="column 'month'"):
        fiscal.baseline_year(months)
