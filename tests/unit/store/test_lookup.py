"""The pathway lookup: ranges expand to codes, and a broken lookup names its row."""

import pandas as pd
import pytest

from analysis.contract import PODS, DataContractError
from analysis.store.lookup import read_pathway_lookup

pytestmark = pytest.mark.unit

POD_ROWS = "".join(f"pod,{p},{p},planned_care,x\n" for p in PODS)
HEADER = "kind,code_from,code_to,pathway,description\n"


def write(tmp_path, body: str):
    path = tmp_path / "lookup.csv"
    path.write_text(HEADER + body)
    return path


def test_ranges_expand_to_every_code(tmp_path):
    lookup = read_pathway_lookup(
        write(tmp_path, "specialty,710,712,mental_health,x\ndiagnosis,E98,F01,children,x\n" + POD_ROWS)
    )
    spec = lookup[lookup.kind == "specialty"]["code"].tolist()
    diag = lookup[lookup.kind == "diagnosis"]["code"].tolist()
    assert spec == ["710", "711", "712"]
    assert diag == ["E98", "E99", "F00", "F01"]  # a range may cross a letter


def test_overlapping_ranges_name_both_rows(tmp_path):
    path = write(tmp_path, "diagnosis,I10,I15,long_term_conditions,x\ndiagnosis,I15,I20,urgent_care,x\n" + POD_ROWS)
    with pytest.raises(DataContractError, match=r"rows 2 and 3: diagnosis code I15 is covered twice"):
        read_pathway_lookup(path)


def test_unknown_pathway_names_row_and_column(tmp_path):
    path = write(tmp_path, "specialty,501,501,births,x\n" + POD_ROWS)
    with pytest.raises(DataContractError, match=r"row 2, column 'pathway': expected one of .* found 'births'"):
        read_pathway_lookup(path)


def test_missing_pod_default_is_named(tmp_path):
    path = write(tmp_path, POD_ROWS.replace("pod,community,community,planned_care,x\n", ""))
    with pytest.raises(DataContractError, match="none for community"):
        read_pathway_lookup(path)


def test_malformed_code_is_named(tmp_path):
    path = write(tmp_path, "diagnosis,F0,F99,mental_health,x\n" + POD_ROWS)
    with pytest.raises(DataContractError, match=r"row 2: expected a range of three-character ICD-10 codes"):
        read_pathway_lookup(path)


def test_shipped_lookup_maps_chosen_codes():
    lookup = read_pathway_lookup().set_index(["kind", "code"])["pathway"]
    assert lookup[("specialty", "501")] == "maternity"
    assert lookup[("specialty", "715")] == "mental_health"
    assert lookup[("diagnosis", "F03")] == "mental_health"
    assert lookup[("diagnosis", "J44")] == "long_term_conditions"
    assert ("diagnosis", "J18") not in lookup.index  # pneumonia: left to the point of delivery
    assert isinstance(lookup, pd.Series)
