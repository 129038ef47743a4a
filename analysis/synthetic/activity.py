"""Monthly activity by commissioner, practice, pathway and point of delivery, with provider and cost.

Rates per head for 2007/08 come from the Monthly Activity Return (per commissioner), the A&E sitrep,
births and documented assumptions; the plan's trends carry them back through the history; England's
monthly pattern gives the season; practices differ with deprivation and lasting practice effects;
months vary with gamma-Poisson noise. Every series is complete: months without activity have 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.contract import PATHWAYS, PODS
from analysis.synthetic.births import births_per_head
from analysis.synthetic.population import ENGLAND, Arrays
from analysis.synthetic.spec import Spec, SpecError, fin_year

ACUTE_PROVIDER = "RR1"  # Heart of England NHS Foundation Trust
MENTAL_HEALTH_PROVIDER = "RXT"  # Birmingham and Solihull Mental Health NHS Foundation Trust

Combo = tuple[str, str]  # (pathway, pod)


def combinations(calibration: dict) -> list[Combo]:
    """The pathway and point-of-delivery pairs that have activity, in the contract's order."""
    cal = calibration["activity"]
    found: set[Combo] = set()
    for pod, shares in cal["pathway_shares"].items():
        found |= {(pathway, pod) for pathway in shares}
    found |= {(pathway, "outpatient_followup") for pathway in cal["followup_ratio"]}
    for areas in cal["per_1000"].values():
        found |= {(pathway, pod) for pathway, pods in areas.items() for pod in pods}
    found |= {("maternity", pod) for pod in cal["per_birth"]}
    return sorted(found, key=lambda c: (PATHWAYS.index(c[0]), PODS.index(c[1])))


def provider(pathway: str, pod: str, commissioner: str) -> str:
    """Who provides it: the mental health trust for mental health, the commissioner for community, else the acute."""
    if pathway == "mental_health":
        return MENTAL_HEALTH_PROVIDER
    if pod == "community":
        return commissioner
    return ACUTE_PROVIDER


def _mar(cal: dict, area: str) -> dict[str, float]:
    rates = cal["mar_rates_per_1000"]
    if area not in rates:
        raise SpecError(f"calibration.yml activity.mar_rates_per_1000 has no entry for commissioner '{area}'")
    return rates[area]


def anchor_rate(calibration: dict, area: str, pathway: str, pod: str) -> float:
    """Activity per resident per year in the anchor year (not for maternity's per-birth activity)."""
    cal = calibration["activity"]
    mar = _mar(cal, area)
    shares = cal["pathway_shares"]
    if pod == "ae" and pathway in shares["ae"]:
        relative = mar["non_elective"] / cal["mar_rates_per_1000"][ENGLAND]["non_elective"]
        return cal["ae_major_per_1000_england"] * relative / 1000 * shares["ae"][pathway]
    if pod in shares and pathway in shares[pod]:
        return mar[pod] / 1000 * shares[pod][pathway]
    if pod == "outpatient_followup" and pathway in cal["followup_ratio"]:
        first = mar["outpatient_first"] / 1000 * shares["outpatient_first"][pathway]
        return first * cal["followup_ratio"][pathway]
    per_1000 = cal["per_1000"].get(area, {})
    if pathway in per_1000 and pod in per_1000[pathway]:
        return per_1000[pathway][pod] / 1000
    return 0.0


def annual_rates(spec: Spec, calibration: dict, arrays: Arrays, combos: list[Combo]) -> np.ndarray:
    """Activity per resident per year before trends, shape (commissioners, years, combos)."""
    per_birth = calibration["activity"]["per_birth"]
    out = np.zeros((len(spec.codes), len(spec.years), len(combos)))
    for a, area in enumerate(spec.codes):
        for y, year in enumerate(spec.years):
            for k, (pathway, pod) in enumerate(combos):
                if pathway == "maternity" and pod in per_birth:
                    out[a, y, k] = births_per_head(arrays, calibration, area, year) * per_birth[pod]
                else:
                    out[a, y, k] = anchor_rate(calibration, area, pathway, pod)
    return out


def trend_key(trends: dict, pathway: str, pod: str) -> dict:
    """The most specific trend for a pair: 'pathway.pod', then 'pathway', then 'pod' (else flat)."""
    for key in (f"{pathway}.{pod}", pathway, pod):
        if key in trends:
            return trends[key]
    return {}


def year_levels(changes: dict, years: list[int], anchor: int) -> np.ndarray:
    """Levels relative to the anchor year from year-on-year change factors (missing years flat)."""
    level = {anchor: 1.0}
    for year in range(anchor + 1, max(years) + 1):
        level[year] = level[year - 1] * changes.get(year, 1.0)
    for year in range(anchor - 1, min(years) - 1, -1):
        level[year] = level[year + 1] / changes.get(year + 1, 1.0)
    return np.array([level[y] for y in years])


def monthly_levels(levels: np.ndarray) -> np.ndarray:
    """Yearly levels as a smooth monthly path (log-linear between mid-years) whose yearly means equal them."""
    n = len(levels) * 12
    path = np.exp(np.interp(np.arange(n), 12 * np.arange(len(levels)) + 5.5, np.log(levels)))
    path = path.reshape(len(levels), 12)
    return (path * (levels / path.mean(axis=1))[:, None]).reshape(-1)


def seasonal_factors(calibration: dict, combos: list[Combo]) -> np.ndarray:
    """Monthly factors April to March (mean 1) for each pair, shape (12, combos)."""
    cal = calibration["activity"]
    source = cal["seasonality_source"]
    out = np.ones((12, len(combos)))
    for k, (pathway, pod) in enumerate(combos):
        if source.get(pathway) == "flat":
            continue
        if pathway == "maternity" and pod in cal["per_birth"]:
            factors = calibration["births"]["seasonality"]
        else:
            factors = cal["seasonality"][source.get(pod, pod)]
        out[:, k] = np.asarray(factors) / np.mean(factors)
    return out


def gradient(calibration: dict, pathway: str, pod: str) -> float:
    """Change in log rate per IMD point for a pair: pathway.pod, pathway, maternity's births, else the pod's."""
    cal = calibration["activity"]
    for key in (f"{pathway}.{pod}", pathway):
        if key in cal["pathway_gradient"]:
            return cal["pathway_gradient"][key]
    if pathway == "maternity" and pod in cal["per_birth"]:
        return calibration["births"]["deprivation_gradient"]
    return cal["deprivation_gradient"][pod]


def practice_multipliers(calibration: dict, combos: list[Combo], owner: np.ndarray, imd: np.ndarray,
                         weights: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each practice's rate relative to its commissioner's, shape (practices, combos); list-weighted mean 1."""
    cal = calibration["activity"]
    pod_effect = {pod: np.exp(rng.normal(0, sd, len(imd))) for pod, sd in cal["practice_variation_sd"].items()}
    out = np.empty((len(imd), len(combos)))
    for code in dict.fromkeys(owner):
        mine = owner == code
        centre = np.average(imd[mine], weights=weights[mine])
        for k, (pathway, pod) in enumerate(combos):
            m = np.exp(gradient(calibration, pathway, pod) * (imd[mine] - centre)) * pod_effect[pod][mine]
            out[mine, k] = m / np.average(m, weights=weights[mine])
    return out


def expected(spec: Spec, calibration: dict, arrays: Arrays, practices: pd.DataFrame,
             combos: list[Combo], rng: np.random.Generator) -> np.ndarray:
    """Expected counts, shape (months, practices, combos)."""
    years, months = spec.years, spec.months
    anchor = calibration["periods"]["anchor_year"]
    first = practices[practices["year"] == years[0]].reset_index(drop=True)
    owner = first["commissioner"].to_numpy()
    lists = practices.pivot(index="year", columns="practice", values="list_size")[first["practice"]].to_numpy(float)
    area_index = np.array([spec.codes.index(c) for c in owner])
    multipliers = practice_multipliers(calibration, combos, owner, first["imd_score"].to_numpy(float), lists[-1], rng)
    rates = annual_rates(spec, calibration, arrays, combos)  # (areas, years, combos)
    trends = calibration["activity"]["trends"]
    per_birth = calibration["activity"]["per_birth"]
    trend = np.stack([
        np.ones(len(months)) if (pathway == "maternity" and pod in per_birth)
        else monthly_levels(year_levels(trend_key(trends, pathway, pod), years, anchor))
        for pathway, pod in combos
    ], axis=1)  # (months, combos)
    season = seasonal_factors(calibration, combos)[(months.month - 4) % 12]  # (months, combos)
    y_of_m = np.array([years.index(fin_year(m)) for m in months])
    per_head = rates[area_index][:, y_of_m, :].transpose(1, 0, 2)  # (months, practices, combos)
    heads = lists[y_of_m][:, :, None]
    return heads * per_head * (trend * season / 12)[:, None, :] * multipliers[None, :, :]


def generate(spec: Spec, calibration: dict, arrays: Arrays, practices: pd.DataFrame,
             unit_costs: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The activity contract table."""
    combos = combinations(calibration)
    mu = expected(spec, calibration, arrays, practices, combos, rng)
    shape = calibration["activity"]["overdispersion_shape"]
    counts = rng.poisson(mu * rng.gamma(shape, 1 / shape, mu.shape)).astype(float)
    first = practices[practices["year"] == spec.years[0]].reset_index(drop=True)
    n_m, n_p, n_k = counts.shape
    pathways = np.array([c[0] for c in combos])
    pods = np.array([c[1] for c in combos])
    owner = first["commissioner"].to_numpy()
    providers = np.array([[provider(w, d, c) for w, d in combos] for c in owner])
    months = spec.months
    cost_table = unit_costs.set_index(["year", "pod"])["unit_cost"]
    price = np.array([[cost_table[(fin_year(m), d)] for d in pods] for m in months])  # (months, combos)
    return pd.DataFrame({
        "month": np.repeat(months.to_numpy(), n_p * n_k),
        "commissioner": np.tile(np.repeat(owner, n_k), n_m),
        "provider": np.tile(providers.reshape(-1), n_m),
        "practice": np.tile(np.repeat(first["practice"].to_numpy(), n_k), n_m),
        "pathway": np.tile(pathways, n_m * n_p),
        "pod": np.tile(pods, n_m * n_p),
        "count": counts.reshape(-1),
        "cost": (counts * price[:, None, :]).reshape(-1).round(2),
    })
