"""The adapters by name, as the parameter file uses them."""

from types import SimpleNamespace

import pytest

from analysis.adapters import registry
from analysis.contract import DataContractError

pytestmark = pytest.mark.unit


def test_every_adapter_names_its_table_and_publisher():
    assert registry.ADAPTERS["mar"].table == "activity"
    assert registry.publisher("kh03_beds").startswith("NHS England")


def test_unknown_adapter_and_wrong_table_are_named(tmp_path):
    with pytest.raises(ValueError, match="unknown adapter 'sus'"):
        registry.read("sus", tmp_path / "x.csv", table="activity")
    with pytest.raises(ValueError, match="adapter 'mar' makes the activity table, not beds"):
        registry.read("mar", tmp_path / "x.csv", table="beds")


def test_mar_takes_the_code_map_from_the_parameter_file(tmp_path):
    path = tmp_path / "mar.csv"
    path.write_text(
        "period,fin_year,sha_code,sha_name,org_code,org_name,level,Elective G&A Ordinary Admissions (FFCEs),"
        "Elective G&A Daycase Admissions (FFCEs),Total Non-elective G&A Admissions (FFCEs),GP Referrals Made (G&A),"
        "All 1st Outpatient Attendances (G&A)\n2011-04-01,2011-12,Q34,WM,5QW,SOLIHULL PCT,PCT,1,2,3,4,5\n"
    )
    params = SimpleNamespace(economy=SimpleNamespace(code_map={"5QW": "TAM"}))
    out = registry.read("mar", path, table="activity", params=params)
    assert out["commissioner"].unique().tolist() == ["TAM"]
    with pytest.raises(ValueError, match="check the entry's options"):
        registry.read("mar", path, table="activity", params=params, colour="red")


def test_every_adapter_is_documented_in_the_data_layer_page():
    from analysis.paths import ROOT

    page = (ROOT / "docs" / "data-layer.md").read_text(encoding="utf-8")
    table = [line for line in page.splitlines() if line.startswith("| `")]
    documented = {name.strip(" `") for line in table for name in line.split("|")[1].split(",")}
    assert documented == set(registry.ADAPTERS)


def test_the_contract_adapter_makes_the_table_it_is_listed_under(tmp_path):
    path = tmp_path / "beds.csv"
    path.write_text("period,organisation,sector,available,occupied\n2023-01-01,P01,Maternity,64,40\n")
    assert registry.read("contract", path, table="beds")["available"].tolist() == [64.0]
    with pytest.raises(DataContractError, match="the workforce table needs column"):
        registry.read("contract", path, table="workforce")
