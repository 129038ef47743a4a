"""The GP practice adapters: list sizes with malformed rows reported, IMD scores, and attaching one to the other."""

import pytest

from analysis.adapters.practices import attach_deprivation, read_list_sizes, read_practice_deprivation

pytestmark = pytest.mark.unit

HEADER = (
    "financial_year,practice_code,practice_name,practice_postcode,ccg_code,ccg_name,region_code,contract_type,"
    "registered_patients,weighted_patients\n"
)


def test_malformed_rows_are_rejected_by_row_number(tmp_path):
    path = tmp_path / "lists.csv"
    path.write_text(
        HEADER
        + "2014/15,M85001,Good Surgery,B1 1AA,13P,CrossCity,Q54,GMS,5000.0,5100.0\n"  # row 2
        # row 3: an unquoted comma; row 4: quoted, fine
        + "2014/15,M85002,Practice 3, Medical Centre,B1 1AB,13P,CrossCity,Q54,GMS,4000.0,4100.0\n"
        + '2015/16,M85002,"Practice 3, Medical Centre",B1 1AB,13P,CrossCity,Q54,GMS,4100.0,4200.0\n'
        + "2015/16,M85003,Odd Surgery,B1 1AC,13P,CrossCity,Q54,GMS,unknown,0\n"  # row 5: list size not a number
        + "2015/16,85004,No Letter,B1 1AD,05P,Solihull,Q54,GMS,300,300\n"  # row 6: practice code
    )
    out = read_list_sizes(path)
    assert out["practice"].tolist() == ["M85001", "M85002"]
    assert out["year"].tolist() == [2014, 2015]
    assert out["name"].tolist() == ["Good Surgery", "Practice 3, Medical Centre"]
    assert out["list_size"].tolist() == [5000, 4100]
    assert [r for r, _ in out.attrs["rejected"]] == [3, 5, 6]
    reasons = dict(out.attrs["rejected"])
    assert "11 fields where the header has 10" in reasons[3]
    assert reasons[5] == "registered_patients is not a number"
    assert reasons[6] == "practice code is not six letters and digits"


def test_deprivation_and_attaching_the_latest_earlier_score(tmp_path):
    lists = tmp_path / "lists.csv"
    lists.write_text(
        HEADER
        + "2014/15,M85001,A,B1,13P,CC,Q54,GMS,10,10\n"
        + "2016/17,M85001,A,B1,13P,CC,Q54,GMS,11,11\n"
        + "2019/20,M85001,A,B1,13P,CC,Q54,GMS,12,12\n"
        + "2019/20,M85009,New,B1,13P,CC,Q54,GMS,12,12\n"
    )
    imd = tmp_path / "imd.csv"
    imd.write_text("IndicatorID,Year,AreaCode,AreaName,IsAreaCurrent,Value\n93553,2010,M85001,A,1,30.5\n93553,2015,M85001,A,1,31.5\n93553,2019,M85001,A,1,33.0\n93553,2019,M85099,Closed,0,40\n")
    deprivation = read_practice_deprivation(imd)
    assert deprivation["imd_score"].tolist() == [30.5, 31.5, 33.0, 40.0]
    assert len(read_practice_deprivation(imd, current_only=True)) == 3
    out = attach_deprivation(read_list_sizes(lists), deprivation)
    assert out["imd_score"].tolist()[:3] == [30.5, 31.5, 33.0]  # 2014 <- IMD 2010, 2016 <- IMD 2015, 2019 <- IMD 2019
    assert out["imd_score"].isna().tolist()[3]  # a practice with no score keeps none
    assert list(out.columns) == ["practice", "year", "name", "commissioner", "list_size", "imd_score"]
