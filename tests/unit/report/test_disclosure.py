"""Disclosure control as the report layer applies it (analysis.report.common.disclose).

The rule is DESIGN.md section 4, NHS Digital's: counts of 1 to 7 suppressed, other counts rounded to the nearest 5,
rates from suppressed counts suppressed; aggregate statistics pass through. Expected cells are worked out by hand from
that rule.
"""

import numpy as np
import pandas as pd
import pytest

from analysis import catalog, config
from analysis.catalog import Catalog
from analysis.charts import table as tables
from analysis.report import common
from analysis.stats import sdc

pytestmark = pytest.mark.unit


def book(patient_level=frozenset()) -> Catalog:
    params = config.load("params/default.yml")
    return Catalog("params/default.yml", params, {}, {}, {}, patient_level=frozenset(patient_level))


def counts_frame() -> pd.DataFrame:
    # admissions / list size * 1000 = rate per 1,000
    return pd.DataFrame({
        "practice": ["A", "B", "C", "D", "E", "F"],
        "admissions": [0, 3, 8, 12, 13, 1234],
        "list_size": [900, 1500, 2000, 4000, 2600, 246_800],
        "rate": [0.0, 2.0, 4.0, 3.0, 5.0, 5.0],
    })


def test_an_aggregate_table_passes_through_untouched():
    frame = counts_frame()
    out = common.disclose(book(), "activity", frame, counts=["admissions"], rates=["rate"])
    assert out is frame
    # patient-level activity does not touch a table built from another (published) table
    assert common.disclose(book({"activity"}), "indicators", frame, counts=["admissions"]) is frame


def test_patient_level_counts_are_suppressed_or_rounded_and_their_rates_suppressed():
    frame = counts_frame()
    out = common.disclose(book({"activity"}), "activity", frame, counts=["admissions"], rates=["rate"])
    # 0 stays 0; 3 is 1-7; 8 -> 10; 12 -> 10; 13 -> 15; 1,234 -> 1,235 (with the thousands separator)
    assert list(out["admissions"]) == ["0", "*", "10", "10", "15", "1,235"]
    # only B's rate came from a suppressed count; the others keep their values
    assert list(out["rate"]) == [0.0, "*", 4.0, 3.0, 5.0, 5.0]
    assert list(out["list_size"]) == list(frame["list_size"])  # not named: left alone
    assert out.attrs["disclosure"] == common.DISCLOSURE_NOTE
    assert list(frame["admissions"]) == [0, 3, 8, 12, 13, 1234]  # the input is not changed


def test_rates_follow_only_the_counts_they_are_made_from():
    frame = pd.DataFrame(
        {"firsts": [5, 20, 40], "follow_ups": [30, 6, 90], "ratio": [6.0, 0.3, 2.25], "share": [0.1, 0.2, 0.3]}
    )
    out = common.disclose(
        book({"activity"}), "activity", frame, counts=["firsts", "follow_ups"],
        rates={"ratio": ["firsts", "follow_ups"], "share": "firsts"},
    )
    assert list(out["firsts"]) == ["*", "20", "40"]
    assert list(out["follow_ups"]) == ["30", "*", "90"]
    assert list(out["ratio"]) == ["*", "*", 2.25]  # row 1 from suppressed firsts, row 2 from suppressed follow-ups
    assert list(out["share"]) == ["*", 0.2, 0.3]  # depends on firsts only


def test_estimates_made_from_counts_are_rounded_to_whole_numbers_first_and_blanks_stay_blank():
    frame = pd.DataFrame({"fewer": [7.4, 7.6, 12.4, np.nan, 0.3]})
    out = common.disclose(book({"activity"}), "activity", frame, counts=["fewer"])
    # 7.4 -> 7 (suppressed), 7.6 -> 8 -> 10, 12.4 -> 12 -> 10, blank, 0.3 -> 0
    assert out["fewer"].iloc[:3].tolist() == ["*", "10", "10"]
    assert pd.isna(out["fewer"].iloc[3])
    assert out["fewer"].iloc[4] == "0"


def test_only_the_rows_derived_from_the_table_change():
    frame = pd.DataFrame({"value": [3.0, 3.0, 0.45], "source": ["activity", "indicators", "indicators"]})
    out = common.disclose(book({"activity"}), "activity", frame, counts=["value"], rows=frame["source"] == "activity")
    assert list(out["value"]) == ["*", 3.0, 0.45]
    # no row derived from it: nothing changes (and a rate over no rows is not an error)
    none = common.disclose(
        book({"activity"}), "activity", frame.assign(n=1), counts=["n"], rates={"value": "n"}, rows=[False] * 3
    )
    assert list(none["value"]) == [3.0, 3.0, 0.45]


def test_a_book_table_keeps_its_formats_and_says_so_on_its_source_line():
    frame = pd.DataFrame({"Line": ["Day cases", "A&E"], "Fewer a year": [5.0, 1234.0], "Share": [0.01, 0.25]})
    table = tables.table(
        frame,
        caption="Opportunity",
        source="the extract.",
        formats={"Fewer a year": tables.number(0), "Share": tables.percent()},
    )
    out = common.disclose(
        book({"activity"}), "activity", table, counts=["Fewer a year"], rates={"Share": "Fewer a year"}
    )
    assert isinstance(out, tables.Table) and out.caption == "Opportunity"
    text = repr(out)
    assert "Day cases            *     *" in text
    assert "1,235 25.0%" in text
    assert text.endswith(f"Source: the extract. {common.DISCLOSURE_NOTE}")
    assert ">*</td>" in out._repr_html_()
    # the same table in an edition without patient-level data is returned as it is
    assert common.disclose(book(), "activity", table, counts=["Fewer a year"]) is table


def test_one_count_in_a_sentence():
    assert common.shown_count(book(), "activity", 12347.4) == "12,347"
    assert common.shown_count(book({"activity"}), "activity", 12347.4) == "12,345"
    assert common.shown_count(book({"activity"}), "activity", 6) == "*"
    assert sdc.shown(1_234_568) == "1,234,570"


def test_the_episodes_adapter_marks_the_activity_table_patient_level(tmp_path):
    default = config.load("params/default.yml")
    assert catalog.patient_level_tables(default) == frozenset()
    files = default.model_copy(
        update={
            "data": config.DataSources(
                kind="files",
                files={
                    "activity": [
                        config.FileSource(adapter="episodes", path="x.parquet"),
                        config.FileSource(adapter="mar", path="y.csv"),
                    ],
                    "indicators": [config.FileSource(adapter="fingertips", path="z.csv")],
                },
            )
        }
    )
    assert catalog.patient_level_tables(files) == frozenset({"activity"})


def test_the_episodes_adapter_makes_only_activity_and_names_unknown_options(tmp_path):
    with pytest.raises(ValueError, match="makes the activity table, not indicators"):
        catalog.episode_activity(tmp_path / "x.parquet", "indicators", {})
    with pytest.raises(ValueError, match="unknown option.*frm; expected start, end, lookup"):
        catalog.episode_activity(tmp_path / "x.parquet", "activity", {"frm": "2008-04"})
