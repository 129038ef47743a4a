"""What every adapter shares: the header check, row numbers, rejected rows and repeated rows."""

import logging

import pandas as pd
import pytest

from analysis.adapters.source import SourceFormatError, collapse_duplicates, finish, numbers, read_published_csv
from analysis.contract import DataContractError

pytestmark = pytest.mark.unit


def test_rows_of_the_wrong_width_are_rejected_with_their_row_numbers(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text('code,name,n\nA1,"Smith, Jones",3\nA2,Smith, Jones,4\n\nA3,Lee,5\nA4\n')
    frame, rejected = read_published_csv(path, what="a test file", required=["code", "n"])
    assert frame["code"].tolist() == ["A1", "A3"]
    assert frame["_row"].tolist() == [2, 5]
    assert [r for r, _ in rejected] == [3, 6]  # row 4 is blank and skipped
    assert "4 fields where the header has 3" in rejected[0][1]


def test_missing_columns_name_the_file_and_format(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(SourceFormatError, match=r"f\.csv does not look like a test file: missing columns code, n"):
        read_published_csv(path, what="a test file", required=["code", "n", "a"])


def test_numbers_name_the_row_of_a_bad_value():
    frame = pd.DataFrame({"n": ["1", " 2.5 ", "", "x"], "_row": [2, 3, 4, 5]})
    assert numbers(frame.iloc[:3], "n", "f.csv", blank=True).tolist()[:2] == [1.0, 2.5]
    with pytest.raises(DataContractError, match=r"f\.csv, row 4, column 'n': expected a value, found ''"):
        numbers(frame, "n", "f.csv")
    with pytest.raises(DataContractError, match=r"row 5, column 'n': expected a number, found 'x'"):
        numbers(frame, "n", "f.csv", blank=True)


def test_repeats_are_kept_once_and_disagreements_named():
    frame = pd.DataFrame({"k": ["a", "b", "a"], "v": [1.0, 2.0, 1.0], "ci": [0.1, 0.2, 0.3], "_row": [2, 3, 4]})
    kept, report = collapse_duplicates(frame, ["k"], ["v"], "f.csv", tolerate=["ci"])
    assert kept["_row"].tolist() == [2, 3]
    assert report == [(4, "repeats row 2; ci differ, row 2's kept")]
    frame.loc[2, "v"] = 9.0
    with pytest.raises(DataContractError, match=r"rows 2 and 4: two rows for \(k=a\) disagree on 'v'"):
        collapse_duplicates(frame, ["k"], ["v"], "f.csv")


def test_finish_attaches_and_logs_the_report(caplog):
    frame = pd.DataFrame(
        {"period": ["2010-04-01"], "organisation": ["RR1"], "staff_group": ["Midwives"], "fte": [3.0], "_row": [2]}
    )
    with caplog.at_level(logging.WARNING, logger="analysis.adapters"):
        out = finish(frame, "workforce", "f.csv", rejected=[(7, "bad")])
    assert out.attrs["rejected"] == [(7, "bad")]
    assert "_row" not in out.columns
    assert "f.csv: 1 row(s) rejected: row 7: bad" in caplog.text


def test_a_single_code_is_a_list_of_one():
    frame = pd.DataFrame({"code": ["5PG", "TAM"], "_row": [2, 3]})
    from analysis.adapters.source import keep_codes

    assert keep_codes(frame, "code", "5PG", "f.csv")["code"].tolist() == ["5PG"]
