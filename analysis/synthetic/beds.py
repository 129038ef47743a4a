"""Average available and occupied overnight beds each quarter, by organisation and sector.

Calibrated to KH03 for April-June 2010 and carried back through the history with yearly changes;
a primary care trust's general and acute beds are its community beds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.synthetic.spec import Spec

PROVIDERS = ("RR1", "RXT")
KH03_YEAR = 2010  # the financial year of the KH03 quarter (April-June 2010)


def book_sector(org: str, sector: str) -> str:
    """KH03's sector in the book's terms: a commissioner's general and acute beds are community beds."""
    return "community" if sector == "general_acute" and org not in PROVIDERS else sector


def generate(spec: Spec, calibration: dict, rng: np.random.Generator) -> pd.DataFrame:
    """The beds contract table (period = first day of each quarter)."""
    cal = calibration["beds"]
    orgs = [o for o in cal["kh03_2010q1"] if o in PROVIDERS or o in spec.codes]
    rows = []
    for org in orgs:
        for sector, beds in cal["kh03_2010q1"][org].items():
            name = book_sector(org, sector)
            key = f"{org}.{name}"
            change = cal["annual_change_to_2010"].get(key, 0.0)
            occupancy = beds["occupied"] / beds["available"]
            for year in spec.years:
                for q in range(4):
                    period = pd.Timestamp(year=year + (q == 3), month=(4 + 3 * q - 1) % 12 + 1, day=1)
                    years_before = KH03_YEAR - (year + q / 4)
                    available = cal["history_available"].get(key, beds["available"] * (1 + change) ** -years_before)
                    available *= np.exp(rng.normal(0, cal["noise_sd"]))
                    rate = np.clip(
                        occupancy + cal["quarter_occupancy_shift"][q] + rng.normal(0, cal["noise_sd"]), 0.3, 0.995
                    )
                    rows.append({"period": period, "organisation": org, "sector": name,
                                 "available": round(available, 1), "occupied": round(available * rate, 1)})
    return pd.DataFrame(rows)
