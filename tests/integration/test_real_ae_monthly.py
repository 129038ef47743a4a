"""NHS England's monthly A&E files (January 2020 to December 2021, 24 files, four headers) through the adapter.

The expected figures are computed here independently with the csv module, or by hand from the raw file.
"""

import csv
from collections import Counter

import pytest

from analysis.adapters.nhse_ae import read_ae_monthly
from analysis.paths import REAL_DATA

FOLDER = REAL_DATA / "nhse_ae_monthly"

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not FOLDER.exists(), reason=f"the monthly A&E files are not here ({FOLDER})"),
]


def raw(path):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


@pytest.fixture(scope="module")
def table():
    return read_ae_monthly(FOLDER)


@pytest.fixture(scope="module")
def files():
    return sorted(FOLDER.glob("msitae_*.csv"))


def test_every_month_is_read_and_the_four_headers_are_the_published_ones(table, files):
    assert len(files) == 24
    headers = Counter(open(f, encoding="utf-8", newline="").readline() for f in files)
    assert len(headers) == 4
    assert table["month"].dt.strftime("%Y-%m").drop_duplicates().tolist() == [f.stem[7:] for f in files]
    assert [p.rsplit("/", 1)[-1] for p in table.attrs["files"]] == [f.name for f in files]


def test_one_provider_month_by_hand(table):
    # University Hospitals Birmingham (RRK), July 2021, from the raw line of msitae_2021-07.csv:
    # attendances 34588 (type 1) + 0 + 416 (other) + 99 (booked type 1) + 0 + 0 = 35103;
    # over four hours 15356 + 0 + 0 + 16 (booked type 1) + 0 + 0 = 15372; type 1: 34687 and 15372;
    # decision to admit 4-12 hours 4717, over 12 hours 25; emergency admissions via A&E 10973 + 0 + 0.
    rrk = table[(table["provider"] == "RRK") & (table["month"] == "2021-07-01")]
    by_measure = rrk.groupby("measure")["value"].sum()
    assert by_measure["attendances"] == 35103
    assert by_measure["over_4h"] == 15372
    assert by_measure["dta_4_12h"] == 4717
    assert by_measure["dta_over_12h"] == 25
    assert by_measure["emergency_admissions"] == 10973
    type_1 = rrk[rrk["department"] == "type_1"].groupby("measure")["value"].sum()
    assert (type_1["attendances"], type_1["over_4h"]) == (34687, 15372)
    assert rrk["provider_name"].iloc[0] == "UNIVERSITY HOSPITALS BIRMINGHAM NHS FOUNDATION TRUST"
    assert rrk["region"].iloc[0] == "NHS ENGLAND MIDLANDS"


def test_every_file_total_row_equals_the_table(table, files):
    # The files' own total rows, read with csv; the table's sums per month and column meaning.
    for file in files:
        header, rows = raw(file)
        stated = dict(zip(header, rows[-1], strict=True))
        month = table[table["month"] == f"{file.stem[7:]}-01"]
        assert month["provider"].nunique() == len(rows) - 1, file.name
        for column, measure in (
            ("Patients who have waited 12+ hrs from DTA to admission", "dta_over_12h"),
            ("Patients who have waited 4-12 hs from DTA to admission", "dta_4_12h"),
            ("Other emergency admissions", "other_emergency_admissions"),
        ):
            assert month.loc[month["measure"] == measure, "value"].sum() == float(stated[column]), (file.name, column)
        attendances = sum(float(stated[c]) for c in header if "ttendances" in c and "over 4hrs" not in c)
        admissions = sum(float(stated[c]) for c in header if c.startswith("Emergency admissions via"))
        assert month.loc[month["measure"] == "attendances", "value"].sum() == attendances, file.name
        assert month.loc[month["measure"] == "emergency_admissions", "value"].sum() == admissions, file.name
        # over_4h: the exempt trusts' zeros are held as blank, which leaves the sum unchanged
        breaches = sum(float(stated[c]) for c in header if "over 4hrs" in c)
        assert month.loc[month["measure"] == "over_4h", "value"].sum() == breaches, file.name


def test_the_trusts_exempt_from_the_four_hour_measure_are_the_ones_the_files_show(table, files):
    expected = set()
    for file in files:
        header, rows = raw(file)
        type_1 = header.index(next(c for c in header if c.endswith("ttendances Type 1")))
        over = [i for i, c in enumerate(header) if "over 4hrs" in c]
        expected |= {
            (file.stem[7:], r[1]) for r in rows[:-1] if float(r[type_1]) > 0 and all(float(r[i]) == 0 for i in over)
        }
    blank = table[(table["measure"] == "over_4h") & table["value"].isna()]
    found = {(m.strftime("%Y-%m"), p) for m, p in zip(blank["month"], blank["provider"], strict=True)}
    assert found == expected
    assert len(table.attrs["repaired"]) == len(expected)
    assert {p for _, p in expected} >= {"RQM", "RGT", "RX1"}  # Chelsea and Westminster, Cambridge, Nottingham
    assert len(table.attrs["rejected"]) == 24  # the total row of each file, set aside and checked
    assert all("equals the sum of the providers" in why for _, why in table.attrs["rejected"])
