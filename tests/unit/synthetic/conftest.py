"""The default spec's generated tables, built once per test session (about 3 seconds)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import synthetic

from .specs import spec


@pytest.fixture(scope="session")
def tables() -> dict[str, pd.DataFrame]:
    return synthetic.generate(spec())
