"""The data contract: tables are typed on load, and a failure names file, row, column and rule."""

import pandas as pd
import pytest

from analysis.contract import DataContractError, validate


def activity(**overrides) -> pd.DataFrame:
    frame = pd.DataFrame({
        "month": ["2007-04-01", "2007-05-01", "2007-06-01"],
        "commissioner": ["5PG"] * 3,
        "pathway": ["urgent_care"] * 3,
        "pod": ["ae"] * 3,
        "count": [10, 12, 11],
    })
    for k, v in overrides.items():
        frame[k] = v
    return frame


@pytest.mark.unit
def test_valid_table_gets_contract_columns_and_types():
    out = validate(activity(), "activity", "a.csv")
    assert list(out.columns) == ["month", "commissioner", "provider", "practice", "pathway", "pod", "count", "cost"]
    assert str(out["month"].dtype) == "datetime64[ns]"
    assert out["count"].tolist() == [10.0, 12.0, 11.0]


@pytest.mark.unit
def test_missing_column_names_the_file_and_column():
    with pytest.raises(DataContractError, match=r"a\.csv: the activity table needs column\(s\) count"):
        validate(activity().drop(columns="count"), "activity", "a.csv")


@pytest.mark.unit
def test_bad_number_names_row_column_and_value():
    # Row 3 of the file is the second data row (the header is row 1).
    with pytest.raises(DataContractError, match=r"a\.csv, row 3, column 'count': expected a number, found 'twelve'"):
        validate(activity(count=[10, "twelve", 11]), "activity", "a.csv")


@pytest.mark.unit
def test_negative_count_breaks_the_minimum():
    with pytest.raises(DataContractError, match=r"row 4, column 'count': expected at least 0, found -1"):
        validate(activity(count=[10, 12, -1]), "activity", "a.csv")


@pytest.mark.unit
def test_unknown_pod_is_rejected():
    with pytest.raises(DataContractError, match=r"row 2, column 'pod': expected one of .*found 'a&e'"):
        validate(activity(pod=["a&e", "ae", "ae"]), "activity", "a.csv")


@pytest.mark.unit
def test_month_must_be_first_of_month():
    with pytest.raises(DataContractError, match="expected the first day of a month, found 2007-05-15"):
        validate(activity(month=["2007-04-01", "2007-05-15", "2007-06-01"]), "activity", "a.csv")


@pytest.mark.unit
def test_duplicate_key_is_named():
    with pytest.raises(DataContractError, match=r"row 3: duplicate row for \(month=2007-04-01"):
        validate(activity(month=["2007-04-01", "2007-04-01", "2007-06-01"]), "activity", "a.csv")


@pytest.mark.unit
def test_gap_in_a_monthly_series_names_the_missing_month():
    with pytest.raises(
        DataContractError,
        match=r"column 'month': the monthly series \(commissioner=5PG, pathway=urgent_care, pod=ae\) has no row for "
        r"2007-05",
    ):
        validate(activity(month=["2007-04-01", "2007-06-01", "2007-07-01"]), "activity", "a.csv")


@pytest.mark.unit
def test_unexpected_column_is_an_error():
    with pytest.raises(DataContractError, match=r"unexpected column\(s\) colour"):
        validate(activity(colour="red"), "activity", "a.csv")
