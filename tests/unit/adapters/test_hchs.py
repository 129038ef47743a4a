"""The HCHS workforce adapter on a tiny hand-made file."""

import pandas as pd
import pytest

from analysis.adapters.hchs import read_hchs_workforce
from analysis.contract import DataContractError

pytestmark = pytest.mark.unit


def test_months_and_fte(tmp_path):
    path = tmp_path / "hchs.csv"
    path.write_text(
        'month,org_code,org_name,staff_group,fte\n2017-SEP,RR1,HoE,Midwives,359.8\n2018-JUN,RXT,"BSMHFT, '
        'Birmingham",HCHS doctors,235.6\n'
    )
    out = read_hchs_workforce(path)
    assert out["period"].tolist() == [pd.Timestamp("2017-09-01"), pd.Timestamp("2018-06-01")]
    assert out["fte"].tolist() == [359.8, 235.6]
    assert read_hchs_workforce(path, organisations=["RXT"])["staff_group"].tolist() == ["HCHS doctors"]


def test_bad_month_names_its_row(tmp_path):
    path = tmp_path / "hchs.csv"
    path.write_text("month,org_code,org_name,staff_group,fte\nSeptember 2017,RR1,HoE,Midwives,1\n")
    with pytest.raises(DataContractError, match=r"row 2, column 'month': expected a month such as 2017-SEP"):
        read_hchs_workforce(path)
