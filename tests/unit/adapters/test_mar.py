"""The Monthly Activity Return adapter on a tiny hand-made return (two PCTs, an SHA and England)."""

import pytest

from analysis.adapters.mar import read_mar
from analysis.adapters.source import SourceFormatError
from analysis.contract import DataContractError

pytestmark = pytest.mark.unit

HEADER = (
    "period,fin_year,sha_code,sha_name,org_code,org_name,level,Elective G&A Ordinary Admissions (FFCEs),"
    "Elective G&A Daycase Admissions (FFCEs),Total Non-elective G&A Admissions (FFCEs),GP Referrals Made (G&A),"
    "All 1st Outpatient Attendances (G&A),Other Referrals Made (G&A)\n"
)
ROWS = [
    "2011-02-01,2010-11,,,,England,England,30,60,90,120,150,1\n",
    "2011-02-01,2010-11,Q34,WM,5PG,BEN PCT,PCT,10,20,30,40,50,1\n",
    "2011-02-01,2010-11,Q34,WM,TAM,SOLIHULL CARE TRUST,PCT,20,40,60,80,100,1\n",
    "2011-03-01,2010-11,Q34,WM,5PG,BEN PCT,PCT,11,21,31,41,51,1\n",
    "2011-03-01,2010-11,Q34,WM,TAM,SOLIHULL CARE TRUST,PCT,21,41,61,81,101,1\n",
    "2011-04-01,2011-12,Q34,WM,5PG,BEN PCT,PCT,12,22,32,42,52,1\n",
    "2011-04-01,2011-12,Q34,WM,5QW,SOLIHULL PCT,PCT,22,42,62,82,102,1\n",
    "2011-04-01,2011-12,,,Q34,WM SHA,SHA,34,64,94,124,154,2\n",
    "2011-04-01,2011-12,,,Q34,WM SHA,SHA,34,64,94,124,154,2\n",
]


def write(tmp_path, rows=ROWS, header=HEADER):
    path = tmp_path / "mar.csv"
    path.write_text(header + "".join(rows))
    return path


def test_pct_rows_become_one_row_per_pod_with_the_documented_pathways(tmp_path):
    out = read_mar(write(tmp_path), organisations=["5PG"])
    assert len(out) == 3 * 5  # three months, five measures
    march = out[out["month"] == "2011-03-01"].set_index("pod")
    assert march.loc["elective_ordinary", "count"] == 11
    assert march.loc["day_case", "count"] == 21
    assert march.loc["non_elective", "count"] == 31
    assert march.loc["gp_referral", "count"] == 41
    assert march.loc["outpatient_first", "count"] == 51
    assert march.loc["non_elective", "pathway"] == "urgent_care"
    assert set(march.drop(index="non_elective")["pathway"]) == {"planned_care"}
    assert out["provider"].isna().all() and out["cost"].isna().all()


def test_code_map_joins_solihull_into_one_series(tmp_path):
    out = read_mar(write(tmp_path), code_map={"5QW": "TAM"}, organisations=["TAM"])
    series = out[out["pod"] == "non_elective"]
    assert series["month"].dt.strftime("%Y-%m").tolist() == ["2011-02", "2011-03", "2011-04"]
    assert series["count"].tolist() == [60, 61, 62]


def test_without_code_map_the_codes_stay_apart(tmp_path):
    out = read_mar(write(tmp_path))
    assert sorted(out["commissioner"].unique()) == ["5PG", "5QW", "TAM"]


def test_england_and_sha_levels(tmp_path):
    england = read_mar(write(tmp_path), level="England")
    assert england["commissioner"].unique().tolist() == ["E92000001"]
    assert england.set_index("pod").loc["gp_referral", "count"] == 120
    sha = read_mar(write(tmp_path), level="SHA")
    assert sha["commissioner"].unique().tolist() == ["Q34"]
    assert sha.attrs["rejected"] == [(10, "repeats row 9")]  # the exact repeat is kept once and reported


def test_measures_can_be_chosen_and_those_sharing_a_pod_are_added(tmp_path):
    measures = {
        "Elective G&A Ordinary Admissions (FFCEs)": ("elective_ordinary", "planned_care"),
        "Other Referrals Made (G&A)": ("elective_ordinary", "planned_care"),
    }
    out = read_mar(write(tmp_path), organisations=["5PG"], measures=measures)
    assert out["count"].tolist() == [11, 12, 13]


def test_code_change_that_collides_is_named(tmp_path):
    with pytest.raises(DataContractError, match=r"rows 3 and 4: two rows for \(period=2011-02-01, commissioner=5PG\)"):
        read_mar(write(tmp_path), code_map={"TAM": "5PG"})


def test_wrong_file_says_what_is_missing(tmp_path):
    path = tmp_path / "kh03.csv"
    path.write_text("year,period,org_code,available_total\n2010-11,June,RR1,10\n")
    with pytest.raises(
        SourceFormatError, match=r"kh03\.csv does not look like a Monthly Activity Return: missing columns fin_year"
    ):
        read_mar(path)


def test_bad_count_names_row_and_column(tmp_path):
    rows = ROWS[:3] + ["2011-03-01,2010-11,Q34,WM,5PG,BEN PCT,PCT,11,21,n/a,41,51,1\n"]
    with pytest.raises(
        DataContractError,
        match=r"row 5, column 'Total Non-elective G&A Admissions \(FFCEs\)': expected a number, found 'n/a'",
    ):
        read_mar(write(tmp_path, rows))


def test_blank_count_is_an_error_not_a_zero(tmp_path):
    rows = ROWS[:1] + ["2011-02-01,2010-11,Q34,WM,5PG,BEN PCT,PCT,10,20,,40,50,1\n"]
    with pytest.raises(DataContractError, match=r"row 3, column 'Total Non-elective.*expected a value, found ''"):
        read_mar(write(tmp_path, rows))


def test_unknown_organisation_is_named(tmp_path):
    with pytest.raises(DataContractError, match=r"no rows for 'RR1' in column 'commissioner'"):
        read_mar(write(tmp_path), organisations=["RR1"])


def test_bad_month_names_row(tmp_path):
    rows = ROWS[:1] + ["2011-02-15,2010-11,Q34,WM,5PG,BEN PCT,PCT,10,20,30,40,50,1\n"]
    with pytest.raises(DataContractError, match=r"row 3, column 'period': expected the first day of a month"):
        read_mar(write(tmp_path, rows))
