"""Reading an episode extract: the columns and types are checked and a failure names the file and column."""

import pandas as pd
import pytest

from analysis.contract import DataContractError
from analysis.store.engine import connect
from analysis.store.episodes import EPISODE_COLUMNS, read_episodes

pytestmark = pytest.mark.unit


def extract(**overrides) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2009-04-01", "2009-04-02"]),
            "commissioner": ["5PG", "5PG"],
            "pod": ["ae", "non_elective"],
            "cost": [90.0, 1500.0],
        }
    )
    for key, value in overrides.items():
        frame[key] = value
    return frame


def test_parquet_extract_gets_every_episode_column(tmp_path):
    path = tmp_path / "e.parquet"
    extract().to_parquet(path)
    table = read_episodes(connect(), path)
    assert table.columns == tuple(EPISODE_COLUMNS)
    assert table.count().execute() == 2


def test_csv_extract_is_read(tmp_path):
    path = tmp_path / "e.csv"
    extract(specialty=[180, 300]).to_csv(path, index=False)
    table = read_episodes(connect(), path)
    assert table.schema()["specialty"].is_integer()
    assert table.count().execute() == 2


def test_missing_column_names_file_and_column(tmp_path):
    path = tmp_path / "e.parquet"
    extract().drop(columns="pod").to_parquet(path)
    with pytest.raises(DataContractError, match=r"e\.parquet: the episode extract needs column\(s\) pod; found date"):
        read_episodes(connect(), path)


def test_ill_typed_column_names_file_column_and_type(tmp_path):
    path = tmp_path / "e.parquet"
    extract(cost=["ninety", "1500"]).to_parquet(path)
    with pytest.raises(
        DataContractError, match=r"e\.parquet, record 1, column 'cost': expected a number, found values of type string"
    ):
        read_episodes(connect(), path)


def test_text_dates_are_refused(tmp_path):
    path = tmp_path / "e.parquet"
    extract(date=["April 2009", "May 2009"]).to_parquet(path)
    with pytest.raises(DataContractError, match=r"column 'date': expected a date"):
        read_episodes(connect(), path)


def test_unknown_pod_is_named(tmp_path):
    path = tmp_path / "e.parquet"
    extract(pod=["ae", "walk_in"]).to_parquet(path)
    with pytest.raises(DataContractError, match=r"column 'pod': unknown point\(s\) of delivery 'walk_in'"):
        read_episodes(connect(), path)


def test_blank_commissioner_is_counted(tmp_path):
    path = tmp_path / "e.parquet"
    extract(commissioner=["5PG", None]).to_parquet(path)
    with pytest.raises(DataContractError, match=r"column 'commissioner': 1 row\(s\) have no value"):
        read_episodes(connect(), path)


def test_missing_file_and_wrong_suffix(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.parquet"):
        read_episodes(connect(), tmp_path / "nope.parquet")
    other = tmp_path / "e.xlsx"
    other.write_text("x")
    with pytest.raises(DataContractError, match=r"must be a \.parquet or \.csv file"):
        read_episodes(connect(), other)
