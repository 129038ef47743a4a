"""The long-form Fingertips adapter on a small hand-made file."""

import pandas as pd
import pytest

from analysis.adapters.fingertips_long import read_fingertips_long
from analysis.adapters.source import SourceFormatError
from analysis.contract import DataContractError

pytestmark = pytest.mark.unit

HEADER = "source_file,area_code,area_name,period,value,indicator,measure,unit,significance,group\n"
ROWS = [
    "falls.csv,E92000001,England,2016/17,2100,Falls,Rate per 100000,Persons,Not compared,\n",
    "falls.csv,E08000025,Birmingham,2016/17,2500,Falls,Rate per 100000,Persons,Worse,\n",
    "falls.csv,E07000001,Somewhere,2016/17,,Falls,Rate per 100000,Persons,Not compared,\n",
    "hle.csv,E92000001,England,2014-16,63.3,HLE,Life expectancy,Years,Not compared,Male\n",
    "hle.csv,E08000025,Birmingham,2014-16,59.0,HLE,Life expectancy,Years,Worse,Male\n",
    "hle.csv,E08000025,Birmingham,2014-16,60.1,HLE,Life expectancy,Years,Worse,Female\n",
    "hle.csv,E92000001,England,2014-16,63.9,HLE,Life expectancy,Years,Not compared,Female\n",
]


def write(tmp_path, rows=ROWS, header=HEADER, name="trafford.csv"):
    path = tmp_path / name
    path.write_text(header + "".join(rows))
    return path


def test_ids_area_types_units_and_polarity(tmp_path):
    out = read_fingertips_long(write(tmp_path)).set_index(["indicator", "area"])
    assert sorted(out.index.get_level_values(0).unique()) == ["falls", "hle_female", "hle_male"]
    assert out.loc[("falls", "E08000025"), "area_type"] == "UA"
    assert out.loc[("falls", "E07000001"), "area_type"] == "District"
    assert pd.isna(out.loc[("falls", "E07000001"), "value"])  # a blank value stays blank
    assert out.loc[("falls", "E08000025"), "unit"] == "Rate per 100000"
    assert out.loc[("falls", "E08000025"), "polarity"] == "low_is_good"  # above England and worse
    assert out.loc[("hle_male", "E08000025"), "polarity"] == "high_is_good"  # below England and worse
    assert out.loc[("hle_male", "E08000025"), "period_start"] == pd.Timestamp("2014-01-01")


def test_indicator_ids_argument_and_file_number(tmp_path):
    header = "area_code,area_name,period,value,indicator,measure,unit,significance\n"
    rows = [r.split(",", 1)[1].rsplit(",", 1)[0] + "\n" for r in ROWS[:2]]
    numbered = read_fingertips_long(write(tmp_path, rows, header, "fingertips_92727_deaths.csv"))
    assert numbered["indicator"].unique().tolist() == ["92727"]
    named = read_fingertips_long(write(tmp_path, rows, header), indicator_ids={"Falls": "22401"})
    assert named["indicator"].unique().tolist() == ["22401"]
    with pytest.raises(DataContractError, match=r"row 2: no indicator ID for 'Falls'"):
        read_fingertips_long(write(tmp_path, rows, header, "other.csv"))


def test_unknown_area_code_prefix_names_its_row(tmp_path):
    rows = ROWS[:2] + ["falls.csv,S12000033,Aberdeen,2016/17,1,Falls,Rate,Persons,Worse,\n"]
    with pytest.raises(DataContractError, match=r"row 4, column 'area_code': no area type for code 'S12000033'"):
        read_fingertips_long(write(tmp_path, rows))


def test_wrong_file(tmp_path):
    path = tmp_path / "mye.csv"
    path.write_text("year,lad_code,sex,age,population\n2011,E06000005,male,0,695\n")
    with pytest.raises(
        SourceFormatError, match=r"does not look like a Fingertips long-form indicator file: missing columns area_code"
    ):
        read_fingertips_long(path)


def test_renamed_ids_keep_the_sex_suffix(tmp_path):
    out = read_fingertips_long(
        write(tmp_path), indicator_ids={"HLE": "healthy_life_expectancy", "falls": "falls_per_100k"}
    )
    assert sorted(out["indicator"].unique()) == [
        "falls_per_100k",
        "healthy_life_expectancy_female",
        "healthy_life_expectancy_male",
    ]


def test_one_id_for_two_indicators_is_refused(tmp_path):
    header = "area_code,area_name,period,value,indicator,measure,unit,significance\n"
    rows = [
        "E92000001,England,2016,1,Falls,Rate,Persons,Not compared\n",
        "E92000001,England,2016,2,Frailty,Rate,Persons,Not compared\n",
    ]
    with pytest.raises(DataContractError, match=r"indicators 'Falls', 'Frailty' would all be reported as '92727'"):
        read_fingertips_long(write(tmp_path, rows, header, "fingertips_92727_x.csv"), polarity={"92727": "low_is_good"})
