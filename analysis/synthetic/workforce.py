"""Staff in post (full-time equivalent) each September, by organisation and staff group.

The two trusts are scaled back from NHS Digital's September 2017 figures; the primary care trusts'
own community staff come from a per-resident assumption. Both are documented in calibration.yml.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.synthetic.activity import year_levels
from analysis.synthetic.population import Arrays, total
from analysis.synthetic.spec import Spec, SpecError

STAFF_GROUPS = (
    "Consultants",
    "Other doctors",
    "Nurses and health visitors",
    "Midwives",
    "Scientific, therapeutic and technical",
    "Support to clinical staff",
    "Managers and infrastructure",
)


def trust_staff(calibration: dict, org: str) -> dict[str, float]:
    """A trust's anchor-year FTE by staff group: 2017 scaled back, doctors split into consultants and others."""
    cal = calibration["workforce"]
    groups = dict(cal["hchs_2017"][org])
    doctors = groups.pop("Doctors", 0.0)
    groups["Consultants"] = doctors * cal["consultant_share"]
    groups["Other doctors"] = doctors * (1 - cal["consultant_share"])
    return {g: groups[g] * cal["ratio_2007_to_2017"] for g in STAFF_GROUPS if groups.get(g, 0) > 0}


def commissioner_staff(calibration: dict, arrays: Arrays, code: str, year: int) -> dict[str, float]:
    """A primary care trust's own community staff by group in a year, from its residents."""
    cal = calibration["workforce"]
    if code not in cal["pct_fte_per_1000"]:
        raise SpecError(f"calibration.yml workforce.pct_fte_per_1000 has no entry for commissioner '{code}'")
    fte = cal["pct_fte_per_1000"][code] * total(arrays, code, year) / 1000
    return {g: fte * share for g, share in cal["pct_staff_mix"].items() if share > 0}


def generate(spec: Spec, calibration: dict, arrays: Arrays, rng: np.random.Generator) -> pd.DataFrame:
    """The workforce contract table (period = 30 September of each financial year)."""
    cal = calibration["workforce"]
    anchor = calibration["periods"]["anchor_year"]
    levels = dict(zip(spec.years, year_levels(cal["trends"], spec.years, anchor), strict=True))
    rows = []
    for year in spec.years:
        period = pd.Timestamp(year=year, month=9, day=30)
        staff = {
            org: {g: v * levels[year] for g, v in trust_staff(calibration, org).items()} for org in cal["hchs_2017"]
        }
        staff |= {code: commissioner_staff(calibration, arrays, code, year) for code in spec.codes}
        for org, groups in staff.items():
            for group in STAFF_GROUPS:
                if group in groups:
                    fte = groups[group] * np.exp(rng.normal(0, cal["noise_sd"]))
                    rows.append({"period": period, "organisation": org, "staff_group": group, "fte": round(fte, 1)})
    return pd.DataFrame(rows)
