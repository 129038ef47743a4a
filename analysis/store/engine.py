"""The analytical engine behind the data layer: an Ibis connection, DuckDB by default, Spark on request.

Every aggregation in analysis.store is an Ibis expression, so the same code runs on either backend;
only this module knows which one is in use.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from typing import Any

import ibis
from ibis.backends import BaseBackend

BACKENDS = ("duckdb", "pyspark")


class BackendUnavailableError(RuntimeError):
    """The requested backend is not installed or cannot start here; the message says how to fix it."""


def connect(backend: str = "duckdb", **options: Any) -> BaseBackend:
    """Open an Ibis connection: in-memory DuckDB by default, or "pyspark" (local Spark unless a session is given)."""
    if backend == "duckdb":
        return ibis.duckdb.connect(**options)
    if backend == "pyspark":
        return _connect_pyspark(**options)
    raise ValueError(f"unknown backend {backend!r}; expected one of {', '.join(BACKENDS)}")


def spark_problem() -> str | None:
    """Why the PySpark backend cannot run here (None when pyspark and Java are both present)."""
    if importlib.util.find_spec("pyspark") is None:
        return (
            "the pyspark backend needs the optional Spark extra: run `pip install -e .[spark]` "
            "(it also needs Java 17 or later on the PATH or in JAVA_HOME)"
        )
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        return "the pyspark backend needs Java 17 or later: install a JDK and put `java` on the PATH or set JAVA_HOME"
    return None


def _connect_pyspark(session: Any = None, master: str = "local[*]", **options: Any) -> BaseBackend:
    """Connect Ibis to a given SparkSession, or start a local one with UTC session time."""
    problem = spark_problem()
    if problem:
        raise BackendUnavailableError(problem)
    if session is None:
        from pyspark.sql import SparkSession

        session = (
            SparkSession.builder.master(master)
            .appName("strategy-book")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate()
        )
    return ibis.pyspark.connect(session, **options)
