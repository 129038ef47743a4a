"""The ONS population adapters on tiny hand-made files."""

import pytest

from analysis.adapters.ons import read_mid_year_estimates, read_national_projections
from analysis.contract import DataContractError

pytestmark = pytest.mark.unit


def test_mid_year_estimates_with_90_plus(tmp_path):
    path = tmp_path / "mye.csv"
    path.write_text("year,lad_code,lad_name,sex,age,population\n2011,E08000029,Solihull,male,89,700\n2011,E08000029,,female,90+,1500\n2011,E08000025,Birmingham,male,0,9000\n")
    out = read_mid_year_estimates(path, areas=["E08000029"])
    assert out["age"].tolist() == [89, 90]
    assert out["population"].tolist() == [700, 1500]
    assert out["variant"].unique().tolist() == ["estimate"]
    assert out["sex"].tolist() == ["male", "female"]


def test_projection_variants_are_renamed_and_chosen(tmp_path):
    path = tmp_path / "npp.csv"
    path.write_text(
        "variant,country_code,year,sex,age,population\n"
        "principal,E92000001,2018,male,0,100\nhigh (hhh),E92000001,2018,male,0,110\nlow "
        "(lll),E92000001,2018,male,0,90\n"
    )
    assert read_national_projections(path)["variant"].tolist() == ["principal", "high", "low"]
    assert read_national_projections(path, variants=["high"])["population"].tolist() == [110]


def test_unknown_variant_and_sex_name_their_rows(tmp_path):
    path = tmp_path / "npp.csv"
    path.write_text(
        "variant,country_code,year,sex,age,population\nprincipal,E92000001,2018,male,0,100\nzero "
        "migration,E92000001,2018,male,0,1\n"
    )
    with pytest.raises(
        DataContractError, match=r"row 3, column 'variant': expected one of principal, high \(hhh\), low \(lll\)"
    ):
        read_national_projections(path)
    path.write_text("variant,country_code,year,sex,age,population\nprincipal,E92000001,2018,persons,0,100\n")
    with pytest.raises(DataContractError, match=r"row 2, column 'sex': expected male or female, found 'persons'"):
        read_national_projections(path)
