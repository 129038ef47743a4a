"""Budgets and spend by financial year, commissioner and programme (the care pathways)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis.synthetic.spec import Spec, SpecError


def commissioner_budgets(spec: Spec, calibration: dict) -> dict[str, float]:
    """A commissioner's anchor-year budget: the plan's total, scaled to the spec, split by need-weighted residents."""
    cal = calibration["finance"]
    missing = [c for c in spec.codes if c not in cal["need_index"]]
    if missing:
        raise SpecError(f"calibration.yml finance.need_index has no entry for commissioner(s) {', '.join(missing)}")
    residents = sum(c.population for c in spec.commissioners)
    economy = cal["lhe_budget_2007"] * residents / cal["plan_population"]
    weights = {c.code: c.population * cal["need_index"][c.code] for c in spec.commissioners}
    return {code: economy * w / sum(weights.values()) for code, w in weights.items()}


def generate(spec: Spec, calibration: dict, rng: np.random.Generator) -> pd.DataFrame:
    """The finance contract table: budget and spend in pounds (to the nearest GBP 1,000)."""
    cal = calibration["finance"]
    shares = cal["programme_shares"]
    if not math.isclose(sum(shares.values()), 1.0, abs_tol=1e-9):
        raise ValueError(
            f"calibration.yml finance.programme_shares: shares must add up to 1, found {sum(shares.values())}"
        )
    anchor = calibration["periods"]["anchor_year"]
    budgets = commissioner_budgets(spec, calibration)
    rows = []
    for year in spec.years:
        for code in spec.codes:
            for programme, share in shares.items():
                budget = budgets[code] * cal["annual_growth"] ** (year - anchor) * share
                spend = budget * (1 + cal["spend_variance"][programme] + rng.normal(0, cal["spend_noise_sd"]))
                rows.append({"year": year, "organisation": code, "programme": programme,
                             "budget": round(budget, -3), "spend": round(spend, -3)})
    return pd.DataFrame(rows)
