"""The KH03 adapters on tiny hand-made returns."""

import pandas as pd
import pytest

from analysis.adapters.kh03 import read_kh03_beds, read_kh03_specialty, specialty_sector
from analysis.contract import DataContractError

pytestmark = pytest.mark.unit

SECTORS = ["general_acute", "learning_disabilities", "maternity", "mental_illness"]
BEDS_HEADER = "year,period,sha_code,org_code,org_name," + ",".join(
    [f"available_{s}" for s in ["total", *SECTORS]] + [f"occupied_{s}" for s in ["total", *SECTORS]]
)


def test_beds_by_sector(tmp_path):
    path = tmp_path / "kh03.csv"
    path.write_text(
        BEDS_HEADER + "\n"
        "2010-11,June,,,England,100,70,5,10,15,90,60,4,9,17\n"
        "2010-11,June,Q34,RR1,Heart of England,20,18,0,2,0,19,17,0,2,0\n"
    )
    out = read_kh03_beds(path)
    assert len(out) == 8
    assert out["period"].unique().tolist() == [pd.Timestamp("2010-04-01")]
    rr1 = out[out["organisation"] == "RR1"].set_index("sector")
    assert rr1.loc["maternity", "available"] == 2 and rr1.loc["general_acute", "occupied"] == 17
    england = out[out["organisation"] == "E92000001"].set_index("sector")
    assert england.loc["mental_illness", "occupied"] == 17


def test_quarter_labels(tmp_path):
    path = tmp_path / "kh03.csv"
    path.write_text(BEDS_HEADER + "\n2010-11,March,Q34,RR1,HoE,1,1,0,0,0,1,1,0,0,0\n")
    assert read_kh03_beds(path)["period"].iloc[0] == pd.Timestamp("2011-01-01")
    path.write_text(BEDS_HEADER + "\n2010-11,Q1,Q34,RR1,HoE,1,1,0,0,0,1,1,0,0,0\n")
    with pytest.raises(
        DataContractError, match=r"row 2: expected a financial year such as 2010-11 and a quarter end month"
    ):
        read_kh03_beds(path)


def test_specialties_are_long_with_their_sector(tmp_path):
    path = tmp_path / "spec.csv"
    path.write_text(
        "Year,Period,SHA Code,Org Code,Org Name,300 General Medicine,501 Obstetrics,710 Adult Mental "
        "Illness\n2010-11,June,Q34,RXT,BSMHFT,0,0,12.5\n"
    )
    out = read_kh03_specialty(path)
    assert out["specialty_code"].tolist() == ["300", "501", "710"]
    assert out["sector"].tolist() == ["general_acute", "maternity", "mental_illness"]
    assert out["occupied"].tolist() == [0, 0, 12.5]
    assert out["specialty"].iloc[2] == "Adult Mental Illness"


@pytest.mark.parametrize(
    "code, sector",
    [("700", "learning_disabilities"), ("715", "mental_illness"), ("501", "maternity"), ("502", "general_acute")],
)
def test_specialty_sector(code, sector):
    assert specialty_sector(code) == sector
