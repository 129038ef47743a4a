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


# Ibis 12 hands an in-memory table (a lookup, a pandas frame) to Spark as a pandas frame. pandas 3
# marks a missing text value with NaN, and Spark's row-by-row conversion writes that NaN into a
# string column as the text "NaN": a blank practice became practice "NaN" (a series of its own) and a
# blank diagnosis matched no pathway. Converting through Arrow keeps a missing value missing; with
# the fallback off, a frame Arrow cannot convert is an error rather than a silent "NaN".
SPARK_SETTINGS = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.execution.arrow.pyspark.fallback.enabled": "false",
}


def _connect_pyspark(session: Any = None, master: str = "local[*]", **options: Any) -> BaseBackend:
    """Connect Ibis to a given SparkSession, or start a local one, with the settings the data layer needs."""
    problem = spark_problem()
    if problem:
        raise BackendUnavailableError(problem)
    if session is None:
        from pyspark.sql import SparkSession

        builder = SparkSession.builder.master(master).appName("strategy-book")
        for key, value in SPARK_SETTINGS.items():
            builder = builder.config(key, value)
        session = builder.getOrCreate()
    for key, value in SPARK_SETTINGS.items():  # a session given (or reused by getOrCreate) gets them too
        session.conf.set(key, value)
    return ibis.pyspark.connect(session, **options)
