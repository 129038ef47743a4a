"""The default spec of the synthetic generator, and small helpers shared by its tests."""

from __future__ import annotations

import copy

import pandas as pd

DEFAULT_SPEC = {
    "seed": 20080401,
    "start": "2004-04",
    "end": "2008-03",
    "commissioners": [
        {"code": "5PG", "name": "Birmingham East and North PCT", "population": 425000},
        {"code": "TAM", "name": "Solihull Care Trust", "population": 205000},
    ],
    "practices": 100,
    "peers": 10,
}
POPULATION = {"5PG": 425000, "TAM": 205000}


def spec(**changes) -> dict:
    """A copy of the default spec with some keys changed."""
    out = copy.deepcopy(DEFAULT_SPEC)
    out.update(changes)
    return out


def financial_year(dates: pd.Series) -> pd.Series:
    """2007 for April 2007 to March 2008."""
    return dates.dt.year.where(dates.dt.month >= 4, dates.dt.year - 1)
