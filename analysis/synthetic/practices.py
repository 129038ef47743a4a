"""GP practices: commissioner, list size (summing to the commissioner's residents) and deprivation, by year."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.synthetic.population import Arrays, total
from analysis.synthetic.spec import Spec, SpecError


def allocate(n: int, weights: list[float]) -> list[int]:
    """Split n whole units in proportion to weights (largest remainder), at least one each."""
    w = np.asarray(weights, dtype=float)
    raw = n * w / w.sum()
    counts = np.maximum(np.floor(raw).astype(int), 1)
    while counts.sum() < n:
        counts[int(np.argmax(raw - counts))] += 1
    while counts.sum() > n:
        counts[int(np.argmax(np.where(counts > 1, counts - raw, -np.inf)))] -= 1
    return counts.tolist()


def round_to_total(values: np.ndarray, target: int) -> np.ndarray:
    """Whole numbers proportional to values that add up exactly to target (largest remainder)."""
    raw = values / values.sum() * target
    out = np.floor(raw)
    short = int(target - out.sum())
    out[np.argsort(-(raw - out), kind="stable")[:short]] += 1
    return out


def from_quantiles(quantiles: list[float], u: np.ndarray) -> np.ndarray:
    """Draws from a distribution given by its evenly spaced quantiles (0%, 10%, ..., 100%)."""
    return np.interp(u, np.linspace(0, 1, len(quantiles)), quantiles)


def codes(n: int) -> list[str]:
    """Synthetic practice codes SYN001, SYN002, ..."""
    width = max(3, len(str(n)))
    return [f"SYN{i:0{width}d}" for i in range(1, n + 1)]


def generate(spec: Spec, calibration: dict, arrays: Arrays, rng: np.random.Generator) -> pd.DataFrame:
    """One row per practice and financial year of the history."""
    cal = calibration["practices"]
    imd_by_area = cal["imd_quantiles"]
    missing = [c for c in spec.codes if c not in imd_by_area]
    if missing:
        raise SpecError(
            f"calibration.yml practices.imd_quantiles has no entry for commissioner(s) {', '.join(missing)}"
        )
    per_area = allocate(spec.practices, [c.population for c in spec.commissioners])
    owner = np.repeat(spec.codes, per_area)
    n = spec.practices
    size = from_quantiles(cal["list_size_quantiles"], rng.random(n))
    imd = np.empty(n)
    for code in spec.codes:
        mine = owner == code
        imd[mine] = from_quantiles(imd_by_area[code], rng.random(int(mine.sum())))
    years = spec.years
    drift = np.exp(np.cumsum(rng.normal(0, cal["list_drift_sd"], (len(years), n)), axis=0))
    ids, names = codes(n), [f"Practice {i:0{max(3, len(str(n)))}d}" for i in range(1, n + 1)]
    rows = []
    for y, year in enumerate(years):
        lists = np.empty(n)
        for code in spec.codes:
            mine = owner == code
            lists[mine] = round_to_total(size[mine] * drift[y, mine], round(total(arrays, code, year)))
        rows.append(pd.DataFrame({
            "practice": ids, "year": year, "name": names, "commissioner": owner,
            "list_size": lists, "imd_score": np.round(imd, 2),
        }))
    return pd.concat(rows, ignore_index=True)
