"""Small hand-made editions for the report layer's unit tests.

The default edition's parameters (commissioners 5PG 'Birmingham East and North PCT' and TAM 'Solihull Care Trust') over
tables written in the test, so every expected figure can be worked out by hand.
"""

import numpy as np
import pandas as pd
import pytest

from analysis import config, contract
from analysis.catalog import Catalog


@pytest.fixture(scope="session")
def default_params():
    return config.load("params/default.yml")


@pytest.fixture
def small_book(default_params):
    """Make a Catalog over hand-made tables; call it with tables, content, params and other Catalog fields."""

    def make(tables: dict | None = None, content: dict | None = None, params=None, **fields) -> Catalog:
        full = {name: with_contract_columns(name, frame) for name, frame in (tables or {}).items()}
        return Catalog(
            "params/default.yml", params or default_params, full, content or {}, fields.pop("plan", {}), **fields
        )

    return make


def with_contract_columns(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A hand-made table with the contract's other columns added as missing values."""
    out = frame.copy()
    for column in contract.empty(name).columns:
        if column not in out:
            out[column] = np.nan
    return out
