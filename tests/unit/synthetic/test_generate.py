import pandas as pd
import pyarrow.parquet as pq
import pytest

from analysis import synthetic
from analysis.contract import TABLES, validate

from .specs import spec

pytestmark = pytest.mark.unit


def test_every_contract_table_and_it_validates(tables):
    # The default edition has no provider-level series: nothing in the 2008 plan's data is by provider and month.
    assert set(tables) == set(TABLES) - {"provider_series"}
    for name, frame in tables.items():
        assert len(frame) > 0, name
        pd.testing.assert_frame_equal(validate(frame, name, "test"), frame)


def test_same_spec_gives_identical_tables(tables):
    again = synthetic.generate(spec())
    for name, frame in tables.items():
        pd.testing.assert_frame_equal(again[name], frame, check_exact=True, check_dtype=True)


def test_tables_draw_from_their_own_streams(tables):
    fewer_peers = synthetic.generate(spec(peers=5))
    for name in ("activity", "practices", "finance", "workforce", "beds", "population"):
        pd.testing.assert_frame_equal(fewer_peers[name], tables[name])
    ind, other = tables["indicators"], fewer_peers["indicators"]
    keep = ~ind["area"].str.startswith("SYNP")
    pd.testing.assert_frame_equal(other[~other["area"].str.startswith("SYNP")].reset_index(drop=True),
                                  ind[keep].reset_index(drop=True))
    assert other["area"].str.startswith("SYNP").sum() == ind["area"].str.startswith("SYNP").sum() / 2


def test_another_seed_changes_the_draws_not_the_population(tables):
    other = synthetic.generate(spec(seed=1))
    pd.testing.assert_frame_equal(other["population"], tables["population"])
    assert not other["activity"]["count"].equals(tables["activity"]["count"])


def test_write_saves_dictionary_encoded_parquet(tables, tmp_path):
    paths = synthetic.write(tables, tmp_path / "out")
    assert sorted(p.name for p in paths) == sorted(f"{name}.parquet" for name in tables)
    activity = pq.ParquetFile(tmp_path / "out" / "activity.parquet")
    column = activity.schema_arrow.names.index("pathway")
    encodings = activity.metadata.row_group(0).column(column).encodings
    assert any("DICTIONARY" in e for e in encodings)
    for name, frame in tables.items():
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "out" / f"{name}.parquet"), frame)


def test_write_refuses_unknown_tables(tmp_path):
    with pytest.raises(KeyError, match="not a contract table"):
        synthetic.write({"patients": pd.DataFrame({"a": [1]})}, tmp_path)


def test_version_fingerprints_code_and_calibration():
    assert synthetic.VERSION.startswith("1-") and len(synthetic.VERSION) == 14
