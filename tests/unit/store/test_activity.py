"""Episodes into monthly activity, and gap filling: tiny hand-made extracts with the answers worked out by hand."""

import datetime as dt

import ibis
import pandas as pd
import pytest

from analysis.contract import DataContractError
from analysis.store.activity import activity_frame, fill_months, load_activity, monthly_activity
from analysis.store.engine import connect
from analysis.store.episodes import conform_episodes
from analysis.store.lookup import read_pathway_lookup

pytestmark = pytest.mark.unit

LOOKUP = pd.DataFrame(
    {
        "kind": ["specialty", "diagnosis", "pod", "pod", "pod"],
        "code": ["501", "I50", "non_elective", "day_case", "ae"],
        "pathway": ["maternity", "long_term_conditions", "urgent_care", "planned_care", "urgent_care"],
    }
)


def episodes(rows: list[tuple]) -> ibis.Table:
    """An episode table from (date, commissioner, practice, pod, specialty, diagnosis, cost) tuples."""
    frame = pd.DataFrame(rows, columns=["date", "commissioner", "practice", "pod", "specialty", "diagnosis", "cost"])
    frame["date"] = pd.to_datetime(frame["date"]).dt.date
    return conform_episodes(ibis.memtable(frame), "test")


def run(expr: ibis.Table) -> pd.DataFrame:
    out = connect().execute(expr)
    out["month"] = pd.to_datetime(out["month"]).dt.strftime("%Y-%m")
    return out.sort_values(["pathway", "pod", "practice", "month"]).reset_index(drop=True)


def test_counts_and_costs_by_month_and_pathway_by_hand():
    table = episodes(
        [
            ("2009-04-03", "5PG", "M1", "non_elective", "300", "I50.9", 1000.0),  # diagnosis I50 -> LTC
            ("2009-04-28", "5PG", "M1", "non_elective", "300", "i500", 500.0),  # lower case, no dot: still I50
            ("2009-04-10", "5PG", "M1", "non_elective", "501", "I50.0", 700.0),  # specialty wins: maternity
            ("2009-05-01", "5PG", "M1", "non_elective", "300", "S72.0", 2000.0),  # no match: pod -> urgent care
            ("2009-05-31", "5PG", "M2", "day_case", None, None, 300.0),  # pod -> planned care
        ]
    )
    out = run(monthly_activity(table, LOOKUP))
    expected = pd.DataFrame(
        {
            "pathway": ["long_term_conditions", "maternity", "planned_care", "urgent_care"],
            "pod": ["non_elective", "non_elective", "day_case", "non_elective"],
            "practice": ["M1", "M1", "M2", "M1"],
            "month": ["2009-04", "2009-04", "2009-05", "2009-05"],
            "count": [2, 1, 1, 1],
            "cost": [1500.0, 700.0, 300.0, 2000.0],
        }
    )
    pd.testing.assert_frame_equal(out[expected.columns], expected, check_dtype=False)
    assert list(out.columns) == ["month", "commissioner", "provider", "practice", "pathway", "pod", "count", "cost"]
    assert out["provider"].isna().all()


def test_integer_specialty_codes_match_the_lookup():
    frame = pd.DataFrame(
        {"date": [dt.date(2010, 1, 5)], "commissioner": ["5PG"], "pod": ["non_elective"], "specialty": [501]}
    )
    out = run(monthly_activity(conform_episodes(ibis.memtable(frame), "t"), LOOKUP))
    assert out["pathway"].tolist() == ["maternity"]


def test_fill_months_adds_zero_rows_inside_each_series():
    # One series with January and April: February and March are added with count 0 and cost 0.
    table = episodes(
        [
            ("2010-01-15", "5PG", "M1", "ae", None, None, 100.0),
            ("2010-01-16", "5PG", "M1", "ae", None, None, 50.0),
            ("2010-04-02", "5PG", "M1", "ae", None, None, 80.0),
            ("2010-03-09", "5PG", "M2", "ae", None, None, 10.0),  # a one-month series stays one month
        ]
    )
    out = run(fill_months(monthly_activity(table, LOOKUP)))
    m1 = out[out["practice"] == "M1"]
    assert m1["month"].tolist() == ["2010-01", "2010-02", "2010-03", "2010-04"]
    assert m1["count"].tolist() == [2, 0, 0, 1]
    assert m1["cost"].tolist() == [150.0, 0.0, 0.0, 80.0]
    assert out[out["practice"] == "M2"]["month"].tolist() == ["2010-03"]


def test_fill_months_widens_every_series_to_start_and_end():
    table = episodes([("2010-03-09", "5PG", None, "ae", None, None, 10.0)])  # practice missing (null key)
    out = run(fill_months(monthly_activity(table, LOOKUP), start="2010-01-01", end=dt.date(2010, 5, 1)))
    assert out["month"].tolist() == ["2010-01", "2010-02", "2010-03", "2010-04", "2010-05"]
    assert out["count"].tolist() == [0, 0, 1, 0, 0]
    assert out["practice"].isna().all()


def test_fill_months_leaves_cost_empty_for_a_series_without_costs():
    table = episodes(
        [("2010-01-15", "5PG", "M1", "ae", None, None, None), ("2010-03-15", "5PG", "M1", "ae", None, None, None)]
    )
    out = run(fill_months(monthly_activity(table, LOOKUP)))
    assert out["count"].tolist() == [1, 0, 1]
    assert out["cost"].isna().all()


def test_fill_months_crosses_a_year_end():
    table = episodes(
        [("2009-11-30", "5PG", "M1", "ae", None, None, 1.0), ("2010-02-01", "5PG", "M1", "ae", None, None, 1.0)]
    )
    out = run(fill_months(monthly_activity(table, LOOKUP)))
    assert out["month"].tolist() == ["2009-11", "2009-12", "2010-01", "2010-02"]


def test_activity_frame_validates_and_gaps_would_fail():
    table = episodes(
        [("2010-01-15", "5PG", "M1", "ae", None, None, 1.0), ("2010-03-15", "5PG", "M1", "ae", None, None, 1.0)]
    )
    con = connect()
    filled = activity_frame(fill_months(monthly_activity(table, LOOKUP)), "extract.parquet", con)
    assert filled["count"].tolist() == [1.0, 0.0, 1.0]
    with pytest.raises(DataContractError, match="has no row for 2010-02"):
        activity_frame(monthly_activity(table, LOOKUP), "extract.parquet", con)


def test_load_activity_from_a_parquet_extract(tmp_path):
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2011-04-01", "2011-06-30"]),
            "commissioner": ["TAM", "TAM"],
            "provider": ["RR1", "RR1"],
            "pod": ["outpatient_first", "outpatient_first"],
            "specialty": ["420", "420"],
            "cost": [120.0, 130.0],
        }
    )
    path = tmp_path / "episodes.parquet"
    frame.to_parquet(path)
    out = load_activity(path)
    assert out["month"].dt.strftime("%Y-%m").tolist() == ["2011-04", "2011-05", "2011-06"]
    assert out["pathway"].unique().tolist() == ["children"]  # 420 paediatrics in the shipped lookup
    assert out["count"].tolist() == [1.0, 0.0, 1.0]
    assert out["provider"].unique().tolist() == ["RR1"]


def test_shipped_lookup_gives_every_pod_a_pathway():
    lookup = read_pathway_lookup()
    pods = lookup[lookup["kind"] == "pod"].set_index("code")["pathway"]
    assert pods["non_elective"] == "urgent_care"
    assert pods["elective_ordinary"] == "planned_care"


def test_expressions_compile_for_spark_sql(monkeypatch):
    # Without pyspark installed this still proves the expressions use nothing DuckDB-only. The Spark
    # compiler reads one option that only the installed backend registers; give it the default.
    from ibis.config import Config

    class SparkOptions(Config):
        treat_nan_as_null: bool = False

    monkeypatch.setattr(ibis.options, "pyspark", SparkOptions())
    table = episodes([("2010-01-15", "5PG", "M1", "ae", "180", "S72", 1.0)])
    sql = ibis.to_sql(fill_months(monthly_activity(table, LOOKUP), end="2010-06-01"), dialect="pyspark")
    assert "SEQUENCE(" in sql and "EXPLODE(" in sql and "IS NOT DISTINCT FROM" in sql
