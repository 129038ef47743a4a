"""The Fingertips export adapter on a small hand-made export: repairs, repeats, categories, periods, polarity."""

import pandas as pd
import pytest

from analysis.adapters.fingertips import _period_start, read_fingertips
from analysis.contract import DataContractError

pytestmark = pytest.mark.unit

COLUMNS = [
    "Indicator ID", "Indicator Name", "Parent Code", "Parent Name", "Area Code", "Area Name", "Area Type", "Sex", "Age",
    "Category Type", "Category", "Time period", "Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit", "Count",
    "Denominator", "Compared to England value or percentiles",
]  # fmt: skip


def row(
    area,
    value,
    comparison="Not compared",
    *,
    period="2019/20",
    sex="Persons",
    ind="900.0",
    name="Thing",
    cat=("", ""),
    age="18+",
    ci=("1", "2"),
):
    area_type = "England" if area == "E92000001" else "UA"
    return [
        ind,
        name,
        "",
        "",
        area,
        area,
        area_type,
        sex,
        age,
        cat[0],
        cat[1],
        period,
        value,
        ci[0],
        ci[1],
        "10",
        "100",
        comparison,
    ]


def write(tmp_path, rows):
    path = tmp_path / "fingertips_900_thing.csv"
    pd.DataFrame(rows, columns=COLUMNS).to_csv(path, index=False)
    return path


BASE = [
    row("E92000001", "20"),
    row("E08000025", "25", "Worse"),  # above England and worse: low is good
    row("E08000029", "15", "Better"),
    row("E08000029", "18", "Similar", period="2020/21"),
    row("E92000001", "19", period="2020/21"),
]


def test_rows_become_the_indicators_table_with_period_starts(tmp_path):
    out = read_fingertips(write(tmp_path, BASE))
    assert len(out) == 5
    assert out["indicator"].unique().tolist() == ["900"]  # "900.0" as exported
    assert out["polarity"].unique().tolist() == ["low_is_good"]
    bham = out[out["area"] == "E08000025"].iloc[0]
    assert (bham["value"], bham["count"], bham["denominator"], bham["lower_ci"], bham["upper_ci"]) == (
        25,
        10,
        100,
        1,
        2,
    )
    assert bham["period_start"] == pd.Timestamp("2019-04-01")


def test_polarity_argument_wins_over_the_file(tmp_path):
    out = read_fingertips(write(tmp_path, BASE), polarity={"900": "no_judgement"}, units={"900": "%"})
    assert out["polarity"].unique().tolist() == ["no_judgement"]
    assert out["unit"].unique().tolist() == ["%"]


def test_contradictory_comparisons_are_an_error(tmp_path):
    rows = BASE + [row("E08000030", "30", "Better")]  # above England and better: contradicts Birmingham
    with pytest.raises(
        DataContractError, match=r"disagree on the polarity of indicator 900 \(1 rows say high is good, 2 low"
    ):
        read_fingertips(write(tmp_path, rows))


def test_no_comparison_and_no_mapping_names_the_indicator(tmp_path):
    rows = [row("E92000001", "20"), row("E08000025", "25")]
    with pytest.raises(DataContractError, match=r"no polarity for indicator\(s\) 900"):
        read_fingertips(write(tmp_path, rows))


def test_blank_id_and_sex_are_repaired_and_reported(tmp_path):
    rows = BASE + [row("E08000030", "14", period="2021/22", ind="", sex="")]
    out = read_fingertips(write(tmp_path, rows))
    repaired = out[out["area"] == "E08000030"]
    assert repaired["indicator"].tolist() == ["900"]
    assert out.attrs["repaired"] == [
        (7, "blank Indicator ID taken as 900 from its Indicator Name; blank Sex read as Persons")
    ]


def test_repeats_with_the_same_figures_are_kept_once(tmp_path):
    rows = BASE + [row("E08000025", "25", "Worse", age="Not applicable", ci=("0.9", "2.1"))]
    out = read_fingertips(write(tmp_path, rows))
    assert len(out) == 5
    assert out.attrs["rejected"] == [
        (7, "repeats row 3 with the same value, count and denominator; lower_ci, upper_ci differ, row 3's kept")
    ]


def test_repeats_with_different_values_are_an_error(tmp_path):
    rows = BASE + [row("E08000025", "26", "Worse")]
    with pytest.raises(DataContractError, match=r"rows 3 and 7: .* disagree on 'value'"):
        read_fingertips(write(tmp_path, rows))


def test_other_sexes_and_categories_are_chosen_by_argument(tmp_path):
    rows = BASE + [
        row("E92000001", "22", sex="Male"),
        row("E92000001", "30", cat=("Deprivation deciles", "Most deprived decile")),
    ]
    assert len(read_fingertips(write(tmp_path, rows))) == 5
    male = read_fingertips(write(tmp_path, rows), sex="Male")
    assert male["value"].tolist() == [22]
    assert male["polarity"].tolist() == ["low_is_good"]  # polarity is the indicator's, whatever the sex
    both = read_fingertips(write(tmp_path, rows), categories=True)
    decile = both[both["area_type"] == "Deprivation deciles"].iloc[0]
    assert (decile["area"], decile["value"]) == ("Most deprived decile", 30)


def test_area_filters(tmp_path):
    out = read_fingertips(write(tmp_path, BASE), areas=["E08000029"])
    assert out["period"].tolist() == ["2019/20", "2020/21"]
    assert len(read_fingertips(write(tmp_path, BASE), area_types=["England"])) == 2


@pytest.mark.parametrize(
    "label, start",
    [
        ("2019", "2019-01-01"),
        ("2013/14", "2013-04-01"),
        ("2009-11", "2009-01-01"),
        ("2017 - 19", "2017-01-01"),
        ("2016/17 - 18/19", "2016-04-01"),
        ("2019/20 Q2", "2019-07-01"),
        ("2019/20 Q4", "2020-01-01"),
    ],
)
def test_period_labels(label, start):
    assert _period_start(label) == pd.Timestamp(start)


def test_unknown_period_names_its_row(tmp_path):
    rows = [row("E92000001", "20", period="Jan 2020")]
    with pytest.raises(DataContractError, match=r"row 2: unrecognised time period 'Jan 2020'"):
        read_fingertips(write(tmp_path, rows), polarity={"900": "low_is_good"})


def test_indicator_ids_rename_and_polarity_may_use_the_new_id(tmp_path):
    rows = [row("E92000001", "20"), row("E08000025", "25")]  # no comparisons: polarity must be given
    out = read_fingertips(
        write(tmp_path, rows),
        indicator_ids={"900": "thing_pct"},
        polarity={"thing_pct": "high_is_good"},
        units={"thing_pct": "%"},
    )
    assert out["indicator"].unique().tolist() == ["thing_pct"]
    assert out["polarity"].unique().tolist() == ["high_is_good"]
    assert out["unit"].unique().tolist() == ["%"]
    by_name = read_fingertips(write(tmp_path, BASE), indicator_ids={"Thing": "thing_pct"})
    assert by_name["indicator"].unique().tolist() == ["thing_pct"]
