"""The adapters against the real published files: totals, row counts and reports reproduce the source exactly.

Every expected figure is computed here independently, with the csv module straight from the file.
"""

import csv
from collections import Counter, defaultdict

import pandas as pd
import pytest

from analysis.adapters.hchs import read_hchs_workforce
from analysis.adapters.kh03 import read_kh03_beds, read_kh03_specialty, specialty_sector
from analysis.adapters.mar import read_mar
from analysis.adapters.ons import read_mid_year_estimates, read_national_projections
from analysis.adapters.practices import attach_deprivation, read_list_sizes, read_practice_deprivation
from analysis.adapters.source import SourceFormatError
from analysis.paths import REAL_DATA

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not REAL_DATA.exists(), reason=f"the real published files are not here ({REAL_DATA})"),
]

MAR = REAL_DATA / "nhse_mar_monthly_activity_commissioner_2008-04_2013-03.csv"
KH03 = REAL_DATA / "nhse_kh03_beds_by_sector_2010q1.csv"
KH03_SPECIALTY = REAL_DATA / "nhse_kh03_occupied_beds_by_specialty_2010q1.csv"
HCHS = REAL_DATA / "nhsd_hchs_staff_fte_by_org_staffgroup_2017-09_2018-06.csv"
MYE = REAL_DATA / "ons_mye2011_lad_by_sex_single_year_age.csv"
NPP = REAL_DATA / "ons_npp2018_uk_countries_by_sex_age_2018_2035.csv"
LISTS = REAL_DATA / "nhsd_gp_payments_practice_list_sizes_2014-15_2022-23.csv"
IMD = REAL_DATA / "fingertips_93553_imd_score_by_gp_practice_2010_2015_2019.csv"
NON_ELECTIVE = "Total Non-elective G&A Admissions (FFCEs)"
MEASURE_OF_POD = {
    "elective_ordinary": "Elective G&A Ordinary Admissions (FFCEs)",
    "day_case": "Elective G&A Daycase Admissions (FFCEs)",
    "non_elective": NON_ELECTIVE,
    "gp_referral": "GP Referrals Made (G&A)",
    "outpatient_first": "All 1st Outpatient Attendances (G&A)",
}


def rows(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def mar_rows():
    return rows(MAR)


@pytest.fixture(scope="module")
def pcts():
    return read_mar(MAR)


# ---- Monthly Activity Return -------------------------------------------------------------------


@pytest.mark.parametrize("code", ["5PG", "TAM"])
def test_a_pcts_2009_10_totals_reproduce_the_file(mar_rows, pcts, code):
    expected = defaultdict(float)
    for r in mar_rows:
        if r["level"] == "PCT" and r["org_code"] == code and "2009-04-01" <= r["period"] <= "2010-03-01":
            for pod, measure in MEASURE_OF_POD.items():
                expected[pod] += float(r[measure])
    year = pcts[(pcts["commissioner"] == code) & pcts["month"].between("2009-04-01", "2010-03-01")]
    got = year.groupby("pod")["count"].sum().to_dict()
    assert got == dict(expected)
    assert got["non_elective"] == {"5PG": 41653, "TAM": 16985}[code]


def test_every_pct_row_gives_five_rows(mar_rows, pcts):
    assert len(pcts) == 5 * sum(r["level"] == "PCT" for r in mar_rows)
    assert pcts.attrs["rejected"] == []


def test_solihull_code_change_joins_one_series(mar_rows):
    out = read_mar(MAR, code_map={"5QW": "TAM"}, organisations=["TAM"])
    series = out[out["pod"] == "non_elective"]
    assert len(series) == 48 and series["month"].is_monotonic_increasing
    april_2011 = next(r for r in mar_rows if r["org_code"] == "5QW" and r["period"] == "2011-04-01")
    assert series.set_index("month").loc["2011-04-01", "count"] == float(april_2011[NON_ELECTIVE])


def test_england_is_the_sum_of_pcts_plus_the_national_commissioning_group(pcts):
    # Found: England equals the sum of the PCT rows until March 2011, but for July 2009 GP referrals
    # (G&A), where England (like the West Midlands SHA line below) has 2 fewer. From April 2011 the
    # National Commissioning Group (YDD82), a PCT row in 2010/11, is reported as an SHA-level line,
    # and England is the PCTs plus that line.
    england = read_mar(MAR, level="England").set_index(["month", "pod"])["count"]
    by_month = pcts.groupby(["month", "pod"])["count"].sum()
    ncg = read_mar(MAR, level="SHA", organisations=["YDD82"]).set_index(["month", "pod"])["count"]
    gap = (england - by_month).dropna()
    early = gap[gap.index.get_level_values("month") < "2011-04-01"]
    assert early[early != 0].to_dict() == {(pd.Timestamp("2009-07-01"), "gp_referral"): -2.0}
    later = gap[gap.index.get_level_values("month") >= "2011-04-01"]
    assert len(later) == 12 * 5
    assert later.to_dict() == ncg.reindex(later.index).to_dict()


def test_sha_lines_add_up_to_england_in_all_60_months():
    england = read_mar(MAR, level="England").set_index(["month", "pod"])["count"]
    shas = read_mar(MAR, level="SHA").groupby(["month", "pod"])["count"].sum()
    assert len(england) == 60 * 5
    assert (england - shas).abs().max() == 0


def test_west_midlands_sha_matches_its_pcts_but_for_two_referrals(mar_rows, pcts):
    # Found: the Q34 line equals the sum of its PCTs for every month and pod used, except July 2009
    # GP referrals (G&A), where the SHA line has 2 fewer.
    members = {r["org_code"] for r in mar_rows if r["level"] == "PCT" and r["sha_code"] == "Q34"}
    sha = read_mar(MAR, level="SHA", organisations=["Q34"]).set_index(["month", "pod"])["count"]
    summed = pcts[pcts["commissioner"].isin(members)].groupby(["month", "pod"])["count"].sum()
    diff = (sha - summed).dropna()
    assert diff[diff != 0].to_dict() == {(pd.Timestamp("2009-07-01"), "gp_referral"): -2.0}


def test_repeated_sha_rows_are_reported_by_row_number(mar_rows):
    seen, repeats = set(), []
    for number, r in enumerate(mar_rows, start=2):
        key = tuple(r.values())
        if r["level"] == "SHA" and key in seen:
            repeats.append(number)
        seen.add(key)
    out = read_mar(MAR, level="SHA")
    assert [row for row, _ in out.attrs["rejected"]] == repeats
    assert len(repeats) == 12  # the National Commissioning Group, twice in each month of 2011/12


def test_a_kh03_file_is_not_a_monthly_activity_return():
    with pytest.raises(
        SourceFormatError, match=rf"{KH03.name} does not look like a Monthly Activity Return: missing columns"
    ):
        read_mar(KH03)


# ---- KH03 --------------------------------------------------------------------------------------


def test_kh03_sectors_reproduce_the_file_and_add_to_its_totals():
    source = {(r["org_code"] or "E92000001"): r for r in rows(KH03)}
    beds = read_kh03_beds(KH03)
    assert len(beds) == 4 * len(source)
    for org, group in beds.groupby("organisation"):
        r = source[org]
        for _, b in group.iterrows():
            assert b["available"] == float(r[f"available_{b['sector']}"])
            assert b["occupied"] == float(r[f"occupied_{b['sector']}"])
        assert group["available"].sum() == pytest.approx(float(r["available_total"]), abs=1e-6)
        assert group["occupied"].sum() == pytest.approx(float(r["occupied_total"]), abs=1e-6)
    rr1 = beds[beds["organisation"] == "RR1"].set_index("sector")
    assert rr1.loc["general_acute", "available"] == 1379 and rr1.loc["maternity", "available"] == 88


def test_kh03_specialties_add_up_to_the_sector_occupied_beds():
    # Found: they do for every organisation and sector but one: Airedale (RCF) general and acute
    # specialties add to 5/91 of a bed more than its sector figure, and so does England's.
    beds = read_kh03_beds(KH03).set_index(["organisation", "sector"])["occupied"]
    specialty = read_kh03_specialty(KH03_SPECIALTY)
    assert len(specialty) == 70 * len(rows(KH03_SPECIALTY))
    diff = specialty.groupby(["organisation", "sector"])["occupied"].sum() - beds
    off = diff[diff.abs() > 1e-6]
    assert sorted(off.index) == [("E92000001", "general_acute"), ("RCF", "general_acute")]
    assert off.to_numpy() == pytest.approx([5 / 91, 5 / 91], abs=1e-6)  # England sums 290 float rows
    assert specialty_sector("710") == "mental_illness"


# ---- HCHS workforce ----------------------------------------------------------------------------


def test_hchs_rows_and_totals():
    source = rows(HCHS)
    out = read_hchs_workforce(HCHS)
    assert len(out) == len(source)
    rxt = sum(float(r["fte"]) for r in source if r["org_code"] == "RXT" and r["month"] == "2018-JUN")
    got = out[(out["organisation"] == "RXT") & (out["period"] == "2018-06-01")]["fte"].sum()
    assert got == pytest.approx(rxt, rel=1e-12)
    assert read_hchs_workforce(HCHS, organisations=["RR1"])["period"].unique().tolist() == [pd.Timestamp("2017-09-01")]


# ---- ONS population ----------------------------------------------------------------------------


def test_mid_year_estimates_reproduce_the_file():
    source = rows(MYE)
    out = read_mid_year_estimates(MYE)
    assert len(out) == len(source) == 71162
    for code in ("E08000025", "E08000029"):
        expected = sum(int(r["population"]) for r in source if r["lad_code"] == code)
        assert out[out["area"] == code]["population"].sum() == expected
    assert out[out["area"] == "E08000025"]["population"].sum() == 1074283
    assert out["age"].max() == 90


def test_national_projections_reproduce_the_file():
    source = rows(NPP)
    out = read_national_projections(NPP)
    assert len(out) == len(source)
    assert Counter(out["variant"]) == {"principal": 13104, "high": 13104, "low": 13104}
    for variant, label in (("principal", "principal"), ("high", "high (hhh)")):
        expected = sum(
            int(r["population"])
            for r in source
            if r["variant"] == label and r["country_code"] == "E92000001" and r["year"] == "2035"
        )
        got = out[(out["variant"] == variant) & (out["area"] == "E92000001") & (out["year"] == 2035)][
            "population"
        ].sum()
        assert got == expected


# ---- GP practices ------------------------------------------------------------------------------


def test_list_sizes_have_no_malformed_rows_in_this_copy():
    # Found: every row of this copy parses to ten fields; names with commas are quoted.
    out = read_list_sizes(LISTS)
    source = rows(LISTS)
    assert len(out) == len(source) == 65621
    assert out.attrs["rejected"] == []
    birmingham = sum(1 for r in source if r["ccg_code"] == "13P" and r["financial_year"] == "2014/15")
    assert len(out[(out["commissioner"] == "13P") & (out["year"] == 2014)]) == birmingham


def test_malformed_list_size_rows_are_reported_by_row_number(tmp_path):
    lines = LISTS.read_text(encoding="utf-8").splitlines(keepends=True)
    broken = lines[:4] + [
        "2014/15,M85999,PRACTICE 3, MEDICAL CENTRE,B1 1AA,13P,Birmingham CrossCity,Q54,GMS,5000.0,5100.0\n",
        "2014/15,M85998,Lost Surgery,B1 1AB,13P,Birmingham CrossCity,Q54,GMS,,\n",
    ] + lines[4:6]
    path = tmp_path / "lists.csv"
    path.write_text("".join(broken), encoding="utf-8")
    out = read_list_sizes(path)
    assert [row for row, _ in out.attrs["rejected"]] == [5, 6]
    assert len(out) == 5


def test_deprivation_rows_and_attachment():
    source = rows(IMD)
    deprivation = read_practice_deprivation(IMD)
    assert len(deprivation) == len(source)
    practices = attach_deprivation(read_list_sizes(LISTS, commissioners=["13P", "04X", "05P"]), deprivation)
    first = source[0]
    expected = float(first["Value"])
    got = deprivation[(deprivation["practice"] == first["AreaCode"]) & (deprivation["year"] == int(first["Year"]))]
    assert got["imd_score"].item() == expected
    assert practices["imd_score"].notna().mean() > 0.9


def test_wrong_files_are_named():
    for reader, other, what in (
        (read_kh03_beds, MAR, "a KH03 beds-by-sector file"),
        (read_hchs_workforce, KH03, "an NHS Digital HCHS workforce file"),
        (read_mid_year_estimates, NPP, "ONS mid-year population estimates"),
        (read_list_sizes, IMD, "a GP practice list-size file"),
    ):
        with pytest.raises(SourceFormatError, match=rf"{other.name} does not look like {what}: missing columns"):
            reader(other)
