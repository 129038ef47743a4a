"""The indicators table: every pathway's KPI series for commissioners, England, peers and practices."""

from __future__ import annotations

import pandas as pd

from analysis.synthetic.indicators import (
    children,
    end_of_life,
    long_term_conditions,
    maternity,
    mental_health,
    planned_care,
    staying_healthy,
    urgent_care,
)
from analysis.synthetic.indicators.context import Context
from analysis.synthetic.indicators.rows import frame
from analysis.synthetic.population import Arrays
from analysis.synthetic.spec import Spec

MODULES = (
    maternity,
    children,
    staying_healthy,
    long_term_conditions,
    urgent_care,
    planned_care,
    mental_health,
    end_of_life,
)


def generate(
    spec: Spec, calibration: dict, arrays: Arrays, practices: pd.DataFrame, activity: pd.DataFrame
) -> pd.DataFrame:
    """The indicators contract table, in a stable order (pathway modules, then areas, then periods)."""
    ctx = Context(spec, calibration, arrays, practices, activity)
    return frame([block for module in MODULES for block in module.generate(ctx)])
