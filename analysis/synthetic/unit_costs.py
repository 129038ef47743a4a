"""Average cost per unit of activity, by point of delivery and financial year."""

from __future__ import annotations

import pandas as pd

from analysis.contract import PODS
from analysis.synthetic.spec import Spec

PRICE_BASE_YEAR = 2006  # the year of calibration.yml's unit_costs.cost_2006


def generate(spec: Spec, calibration: dict) -> pd.DataFrame:
    """The unit_costs contract table: the base year's costs carried by the annual uplift."""
    cal = calibration["unit_costs"]
    rows = [
        {
            "year": year,
            "pod": pod,
            "unit_cost": round(cal["cost_2006"][pod] * (1 + cal["annual_uplift"]) ** (year - PRICE_BASE_YEAR), 2),
        }
        for year in spec.years
        for pod in PODS
    ]
    return pd.DataFrame(rows)
