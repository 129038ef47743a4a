"""The engine: DuckDB by default; Spark only when installed, with a message that says how."""

import pytest

from analysis.store import engine

pytestmark = pytest.mark.unit


def test_duckdb_is_the_default():
    con = engine.connect()
    assert con.name == "duckdb"
    assert con.raw_sql("select 42").fetchone()[0] == 42


def test_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="unknown backend 'polars'; expected one of duckdb, pyspark"):
        engine.connect("polars")


def test_pyspark_missing_says_how_to_install(monkeypatch):
    monkeypatch.setattr(engine.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(engine.BackendUnavailableError, match=r"pip install -e \.\[spark\].*Java"):
        engine.connect("pyspark")


def test_pyspark_without_java_says_so(monkeypatch):
    monkeypatch.setattr(engine.importlib.util, "find_spec", lambda name: object())
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setattr(engine.shutil, "which", lambda name: None)
    assert "needs Java 17" in engine.spark_problem()
