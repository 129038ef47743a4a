"""The contract adapter: any contract table from a tidy CSV or Parquet file, and the example files in data/examples."""

import csv

import pandas as pd
import pytest

from analysis import catalog
from analysis.adapters import registry
from analysis.adapters.source import SourceFormatError
from analysis.adapters.tidy import read_contract_table
from analysis.config import Params, load
from analysis.contract import TABLES, DataContractError
from analysis.paths import DATA

pytestmark = pytest.mark.unit

EXAMPLES = DATA / "examples"


def lines(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_every_contract_table_has_an_example_file_with_all_its_columns():
    assert {p.stem for p in EXAMPLES.glob("*.csv")} == set(TABLES)
    for name, spec in TABLES.items():
        assert lines(EXAMPLES / f"{name}.csv")[0] == spec.names, name


@pytest.mark.parametrize("name", sorted(TABLES))
def test_each_example_loads_through_the_contract_adapter(name):
    path = EXAMPLES / f"{name}.csv"
    table = registry.read("contract", path, table=name)
    records = lines(path)[1:]
    assert list(table.columns) == TABLES[name].names
    assert len(table) == len(records)
    # the first record's values arrive as written (blank as missing)
    for column, text in zip(TABLES[name].names, records[0], strict=True):
        got = table[column].iloc[0]
        if text == "":
            assert pd.isna(got), (name, column)
        elif TABLES[name].columns[TABLES[name].names.index(column)].kind in ("month", "date"):
            assert got == pd.Timestamp(text), (name, column)
        elif TABLES[name].columns[TABLES[name].names.index(column)].kind in ("int", "float"):
            assert got == float(text), (name, column)
        else:
            assert got == text, (name, column)


def test_parquet_reads_the_same_table(tmp_path):
    csv_table = read_contract_table(EXAMPLES / "activity.csv", "activity")
    csv_table.to_parquet(tmp_path / "activity.parquet")
    pd.testing.assert_frame_equal(read_contract_table(tmp_path / "activity.parquet", "activity"), csv_table)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_bad_value_names_file_row_column_and_what_was_expected(tmp_path):
    path = write(
        tmp_path,
        "finance.csv",
        "year,organisation,programme,budget,spend\n2022,C01,urgent_care,100,90\n2022,C01,planned_care,lots,80\n",
    )
    with pytest.raises(
        DataContractError,
        match=r"finance\.csv \(read as the finance table\), row 3, column 'budget': expected a number, found 'lots'",
    ):
        read_contract_table(path, "finance")


def test_a_value_outside_the_allowed_ones_is_named(tmp_path):
    path = write(tmp_path, "u.csv", "year,pod,unit_cost\n2022,ae,173\n2022,a&e,173\n")
    with pytest.raises(
        DataContractError, match=r"row 3, column 'pod': expected one of elective_ordinary, .*found 'a&e'"
    ):
        read_contract_table(path, "unit_costs")


def test_missing_and_unknown_columns_list_what_the_table_needs(tmp_path):
    path = write(tmp_path, "beds.csv", "period,organisation,sector,available\n2023-01-01,P01,Maternity,64\n")
    with pytest.raises(
        DataContractError, match=r"beds\.csv \(read as the beds table\): the beds table needs column\(s\) occupied"
    ):
        read_contract_table(path, "beds")
    path = write(
        tmp_path, "beds.csv", "period,organisation,sector,available,occupied,ward\n2023-01-01,P01,Maternity,64,40,A\n"
    )
    with pytest.raises(
        DataContractError,
        match=r"unexpected column\(s\) ward for the beds table \(expected period, organisation, sector, available, "
        r"occupied\)",
    ):
        read_contract_table(path, "beds")


def test_a_repeated_key_and_a_missing_month_are_named(tmp_path):
    path = write(
        tmp_path, "w.csv", "period,organisation,staff_group,fte\n2023-03-31,P01,Nurses,10\n2023-03-31,P01,Nurses,11\n"
    )
    with pytest.raises(
        DataContractError,
        match=r"row 3: duplicate row for \(period=2023-03-31 00:00:00, organisation=P01, staff_group=Nurses\)",
    ):
        read_contract_table(path, "workforce")
    path = write(
        tmp_path, "a.csv",
        "month,commissioner,pathway,pod,count\n2023-04-01,C01,urgent_care,ae,1\n2023-06-01,C01,urgent_care,ae,2\n",
    )
    with pytest.raises(
        DataContractError,
        match=r"the monthly series \(commissioner=C01, pathway=urgent_care, pod=ae\) has no row for 2023-05",
    ):
        read_contract_table(path, "activity")


def test_parquet_rows_are_counted_from_the_first_record(tmp_path):
    frame = pd.DataFrame({"year": [2022, 2022], "pod": ["ae", "ae"], "unit_cost": [173.0, -1.0]})
    frame.to_parquet(tmp_path / "u.parquet")
    with pytest.raises(
        DataContractError,
        match=r"u\.parquet \(read as the unit_costs table; row 1 is the first record\), row 2, column 'unit_cost': "
        r"expected at least 0",
    ):
        read_contract_table(tmp_path / "u.parquet", "unit_costs")


def test_wrong_kind_of_file_wrong_table_and_options_are_refused(tmp_path):
    with pytest.raises(SourceFormatError, match=r"expected a CSV \(.csv, .txt\) or Parquet"):
        read_contract_table(write(tmp_path, "beds.xlsx", ""), "beds")
    with pytest.raises(ValueError, match="'plan' is not a contract table"):
        read_contract_table(EXAMPLES / "beds.csv", "plan")
    with pytest.raises(ValueError, match="adapter 'contract' .*check the entry's options"):
        registry.read("contract", EXAMPLES / "beds.csv", table="beds", sheet="Sheet1")


def test_a_files_edition_reads_every_table_from_the_examples_and_hashes_each_input():
    base = load("params/default.yml").model_dump()
    base["data"] = {
        "kind": "files",
        "files": {name: [{"adapter": "contract", "path": f"data/examples/{name}.csv"}] for name in TABLES},
    }
    # The examples' activity runs in 2023/24: the period must hold it (check refuses activity outside it).
    base["period"] = {"history_start": "2023-04", "data_end": "2024-03", "baseline_year": 2023, "horizon_year": 2027}
    tables, inputs, notes = catalog.file_tables(Params.model_validate(base))
    assert set(tables) == set(TABLES)
    for name in TABLES:
        pd.testing.assert_frame_equal(tables[name], read_contract_table(EXAMPLES / f"{name}.csv", name))
    assert set(inputs) == {f"data/examples/{name}.csv" for name in TABLES}
    assert notes == {}


def test_the_data_readme_lists_every_table_with_its_columns_in_order():
    text = (DATA / "README.md").read_text(encoding="utf-8")
    for name, spec in TABLES.items():
        section = text.split(f"\n### {name}\n", 1)
        assert len(section) == 2, f"data/README.md has no section '### {name}'"
        body = section[1].split("\n### ", 1)[0]
        listed = [
            line.split("|")[1].strip()
            for line in body.splitlines()
            if line.startswith("| ") and not line.startswith(("| column", "| ---"))
        ]
        assert listed == spec.names, name
        assert f"examples/{name}.csv" in body, name


def test_a_provider_series_measure_outside_the_known_ones_is_named(tmp_path):
    path = write(
        tmp_path, "ps.csv",
        "month,provider,measure,department,value\n2023-04-01,P01,attendances,type_1,10\n2023-04-01,P01,over4h,type_1,2\n",
    )
    with pytest.raises(
        DataContractError, match=r"row 3, column 'measure': expected one of attendances, over_4h, .*found 'over4h'"
    ):
        read_contract_table(path, "provider_series")
