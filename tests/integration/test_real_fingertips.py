"""The Fingertips adapters against the real exports: rows, values and reports reproduce the source exactly.

Every expected figure is computed here independently, with the csv module straight from the file.
"""

import csv
from collections import Counter

import pytest

from analysis.adapters.fingertips import read_fingertips
from analysis.adapters.fingertips_long import read_fingertips_long
from analysis.adapters.source import SourceFormatError
from analysis.paths import REAL_DATA

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not REAL_DATA.exists(), reason=f"the real published files are not here ({REAL_DATA})"),
]

SMOKING = REAL_DATA / "fingertips_91547_smoking_prevalence_qof_2013-14_2023-24.csv"
AE_0_4 = REAL_DATA / "fingertips_93930_ae_attendances_0-4_gp_pcn_2021-22_2022-23.csv"
TRAFFORD = REAL_DATA / "fingertips_la_indicators_via_trafford_dashboard.csv"
DEATHS = REAL_DATA / "fingertips_92727_deaths_usual_residence_65plus_la.csv"
KEY = ("Area Code", "Area Type", "Time period")


def rows(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def persons_without_category(path) -> list[tuple[int, dict]]:
    return [
        (number, r)
        for number, r in enumerate(rows(path), start=2)
        if r["Sex"] in ("Persons", "") and r["Category Type"] == ""
    ]


@pytest.fixture(scope="module")
def smoking():
    return read_fingertips(SMOKING)


def test_smoking_rows_repeats_and_repairs(smoking):
    selected = persons_without_category(SMOKING)
    first, repeats = {}, []
    for number, r in selected:
        key = tuple(r[k] for k in KEY)
        if key in first:
            repeats.append(number)
        else:
            first[key] = number
    assert len(smoking) == len(selected) - len(repeats) == 17108
    assert [row for row, _ in smoking.attrs["rejected"]] == repeats
    assert len(repeats) == 419  # the 2015/16 area rows, exported twice (Age "Not applicable" and "15+ yrs")
    blank_id = [number for number, r in enumerate(rows(SMOKING), start=2) if r["Indicator ID"] == ""]
    assert [row for row, _ in smoking.attrs["repaired"]] == blank_id
    assert len(blank_id) == 6267  # the 2023/24 practice rows
    assert smoking["indicator"].unique().tolist() == ["91547"]
    assert smoking["polarity"].unique().tolist() == ["low_is_good"]


@pytest.mark.parametrize("area", ["E08000025", "E08000029", "E92000001"])
def test_smoking_values_reproduce_the_file(smoking, area):
    source = next(
        r for _, r in persons_without_category(SMOKING) if r["Area Code"] == area and r["Time period"] == "2014/15"
    )
    got = smoking[(smoking["area"] == area) & (smoking["period"] == "2014/15")].iloc[0]
    assert got["value"] == float(source["Value"])
    assert got["count"] == float(source["Count"])
    assert got["denominator"] == float(source["Denominator"])
    assert (got["lower_ci"], got["upper_ci"]) == (
        float(source["Lower CI 95.0 limit"]),
        float(source["Upper CI 95.0 limit"]),
    )
    assert str(got["period_start"].date()) == "2014-04-01"


def test_ae_attendances_persons_by_practice_and_pcn():
    source = persons_without_category(AE_0_4)
    out = read_fingertips(AE_0_4)
    assert len(out) == len([r for _, r in source if r["Sex"] == "Persons"])
    assert Counter(out["area_type"]) == Counter(r["Area Type"] for _, r in source if r["Sex"] == "Persons")
    suppressed = [r for _, r in source if r["Value"] == ""]
    assert out["value"].isna().sum() == len(suppressed)  # disclosure-controlled values stay blank
    assert out["polarity"].unique().tolist() == ["low_is_good"]
    with_deciles = read_fingertips(AE_0_4, categories=True)
    assert len(with_deciles) - len(out) == sum(1 for r in rows(AE_0_4) if r["Sex"] == "Persons" and r["Category Type"])


def test_long_form_reads_every_row_with_documented_ids():
    source = rows(TRAFFORD)
    out = read_fingertips_long(TRAFFORD)
    assert len(out) == len(source) == 51442
    assert out["value"].isna().sum() == sum(1 for r in source if r["value"] == "")
    expected_ids = {r["source_file"][:-4] + (f"_{r['group'].lower()}" if r["group"] else "") for r in source}
    assert set(out["indicator"]) == expected_ids
    falls = next(
        r
        for r in source
        if r["source_file"] == "admissions_falls.csv" and r["area_code"] == "E08000025" and r["period"] == "2012/13"
    )
    got = out[(out["indicator"] == "admissions_falls") & (out["area"] == "E08000025") & (out["period"] == "2012/13")]
    assert got["value"].item() == float(falls["value"])
    polarity = out.drop_duplicates("indicator").set_index("indicator")["polarity"]
    assert polarity["admissions_falls"] == "low_is_good"
    assert polarity["dental_decay"] == "high_is_good"  # free from decay: high is good
    assert polarity["slope_index_of_inequality_male"] == "low_is_good"  # not compared in the file: documented default


def test_deaths_at_home_agree_between_the_two_long_files():
    trafford = read_fingertips_long(TRAFFORD)
    trafford = trafford[trafford["indicator"] == "deaths_at_home"].set_index(["area", "period"])["value"]
    deaths = read_fingertips_long(DEATHS)
    assert deaths["indicator"].unique().tolist() == ["92727"]
    assert len(deaths) == len(rows(DEATHS))
    both = deaths.set_index(["area", "period"])["value"]
    assert both.equals(trafford.reindex(both.index))


def test_wrong_files_are_named():
    with pytest.raises(
        SourceFormatError,
        match=rf"{TRAFFORD.name} does not look like a Fingertips data export: missing columns Indicator ID",
    ):
        read_fingertips(TRAFFORD)
    with pytest.raises(
        SourceFormatError, match=rf"{SMOKING.name} does not look like a Fingertips long-form indicator file"
    ):
        read_fingertips_long(SMOKING)
