"""Benchmark: the five-year projection for one economy, and the intervention factors.

The projection covers 2 commissioners x 8 pathways x their pods with 500 Monte Carlo runs; the vectorised
intervention factors are timed against the loops an analyst would write.

Three ways compute the same R x Y x S array of intervention factors from the same draws:
- the project's vectorised path (analysis.model.montecarlo.factors);
- the loop a competent analyst would write: over (intervention, year), vectorised across runs;
- a naive triple loop over runs, interventions and years (for context only: no one should write it).
They run in interleaved rounds (median of at least five, with min and max), so their ratios are what
matters on a shared machine. The inputs are synthetic and made here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.model import montecarlo as mc
from analysis.model import projection as pj

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import MIN_ROUNDS, fmt, interleaved, load_note, ratios, spread, verdict  # noqa: E402

RUNS = 500
HORIZON = 2012
TARGET_SECONDS = 10.0  # the whole projection of one economy, on 2 cores
TARGET_VS_LOOP = 1.0  # vectorised factors against the competent loop: at least as fast

PODS_BY_PATHWAY = {
    "maternity": ("elective_ordinary", "non_elective", "outpatient_first", "outpatient_followup", "community"),
    "children": ("non_elective", "ae", "outpatient_first", "outpatient_followup", "community"),
    "staying_healthy": ("gp_referral", "community"),
    "long_term_conditions": (
        "elective_ordinary",
        "non_elective",
        "outpatient_first",
        "outpatient_followup",
        "community",
    ),
    "urgent_care": ("ae", "non_elective", "community"),
    "planned_care": ("elective_ordinary", "day_case", "outpatient_first", "outpatient_followup", "gp_referral"),
    "mental_health": ("non_elective", "outpatient_first", "outpatient_followup", "community"),
    "end_of_life": ("non_elective", "community"),
}
COMMISSIONERS = ("5PG", "TAM")


def make_activity(seed: int = 2008) -> pd.DataFrame:
    """Five years of monthly activity (April 2003 to March 2008) with growth, seasonality and noise."""
    rng = np.random.default_rng(seed)
    months = pd.date_range("2003-04-01", "2008-03-01", freq="MS")
    t = np.arange(len(months))
    frames = []
    for commissioner in COMMISSIONERS:
        for pathway, pods in PODS_BY_PATHWAY.items():
            for pod in pods:
                mean = (
                    rng.uniform(100, 5000)
                    * (1 + rng.normal(0.02, 0.03)) ** (t / 12)
                    * (1 + 0.08 * np.sin(2 * np.pi * (t - 3) / 12))
                )
                frames.append(
                    pd.DataFrame(
                        {
                            "month": months,
                            "commissioner": commissioner,
                            "pathway": pathway,
                            "pod": pod,
                            "count": rng.poisson(mean).astype(float),
                        }
                    )
                )
    return pd.concat(frames, ignore_index=True)


def make_population() -> pd.DataFrame:
    """Single-year population by sex for both areas: estimates to 2007, three variants to the horizon."""
    ages = np.arange(91)
    frames = []
    for area in COMMISSIONERS:
        for year in range(2003, HORIZON + 1):
            size = 4000 * np.exp(-ages / 60) * (1 + 0.006 * (year - 2003)) * (1 + 0.02 * (year - 2003) * (ages >= 75))
            for sex in ("male", "female"):
                variants = (
                    [("estimate", 1.0)]
                    if year <= 2007
                    else [("principal", 1.0), ("high", 1 + 0.004 * (year - 2007)), ("low", 1 - 0.004 * (year - 2007))]
                )
                for variant, k in variants:
                    frames.append(
                        pd.DataFrame(
                            {
                                "area": area,
                                "year": year,
                                "sex": sex,
                                "age": ages,
                                "population": size * k,
                                "variant": variant,
                            }
                        )
                    )
    return pd.concat(frames, ignore_index=True)


def make_interventions() -> list[dict]:
    """Twelve interventions, each acting on one to three pathway x pod series."""
    rng = np.random.default_rng(1)
    items = []
    pairs = [(p, pod) for p, pods in PODS_BY_PATHWAY.items() for pod in pods]
    for k in range(12):
        chosen = rng.choice(len(pairs), size=int(rng.integers(1, 4)), replace=False)
        low = float(rng.uniform(-0.25, -0.05))
        items.append(
            dict(
                id=f"i{k:02d}",
                name=f"Intervention {k}",
                pathway=pairs[chosen[0]][0],
                organisation=COMMISSIONERS[k % 2] if k % 3 else "all",
                acts_on=[{"pathway": pairs[c][0], "pod": pairs[c][1]} for c in chosen],
                start_year=2008 + k % 3,
                ramp_years=1 + k % 4,
                effect_low=low,
                effect_high=low + float(rng.uniform(0.02, 0.1)),
                investment=1e6,
                recurrent_cost=2e5,
                staff=[],
                basis=None,
                source=None,
                note=None,
            )
        )
    return items


def naive_factors(effects: np.ndarray, ramps: np.ndarray, exposure: np.ndarray) -> np.ndarray:
    """The intervention factors computed run by run and intervention by intervention (the naive way)."""
    runs, years, series = effects.shape[0], ramps.shape[1], exposure.shape[1]
    out = np.ones((runs, years, series))
    for r in range(runs):
        for k in range(effects.shape[1]):
            hit = exposure[k] > 0
            for y in range(years):
                out[r, y, hit] *= 1 + max(effects[r, k] * ramps[k, y], mc.EFFECT_FLOOR)
    return out


def loop_factors(effects: np.ndarray, ramps: np.ndarray, exposure: np.ndarray) -> np.ndarray:
    """The loop a competent analyst writes: over (intervention, year), each step vectorised across runs."""
    runs, years, series = effects.shape[0], ramps.shape[1], exposure.shape[1]
    out = np.ones((runs, years, series))
    for k in range(effects.shape[1]):
        hit = exposure[k] > 0
        for y in range(years):
            out[:, y, hit] *= (1 + np.maximum(effects[:, k] * ramps[k, y], mc.EFFECT_FLOOR))[:, None]
    return out


def main() -> None:
    """Print the projection's timings and the Monte Carlo paths against each other."""
    activity, population, items = make_activity(), make_population(), make_interventions()
    p = pj.project(activity, population, items, horizon_year=HORIZON, runs=RUNS, seed=pj.DEFAULT_SEED)  # warm-up
    args = (p.effect_draws, p.ramps, p.exposure)
    fast, loop, slow = mc.factors(*args), loop_factors(*args), naive_factors(*args)
    same = np.allclose(fast, loop, rtol=1e-12) and np.allclose(fast, slow, rtol=1e-12)
    times = interleaved(
        {
            "projection": lambda: pj.project(
                activity, population, items, horizon_year=HORIZON, runs=RUNS, seed=pj.DEFAULT_SEED
            ),
            "simulate": lambda: pj.simulate(p),
            "vectorised": lambda: mc.factors(*args),
            "loop": lambda: loop_factors(*args),
            "naive": lambda: naive_factors(*args),
        },
        rounds=MIN_ROUNDS,
        number={"simulate": 20, "vectorised": 50, "loop": 50, "naive": 2},
    )
    fitted = int((p.trend_fits["method"].str.startswith("Holt-Winters")).sum())
    whole = spread(times["projection"])[0]
    vs_loop = ratios(times["loop"], times["vectorised"])
    vs_naive = ratios(times["naive"], times["vectorised"])
    print(
        f"Projection: {len(p.series)} series ({len(COMMISSIONERS)} commissioners x 8 pathways x their pods), "
        f"{len(items)} interventions, {RUNS} runs, {p.baseline_year}-{HORIZON}"
    )
    print(f"  {MIN_ROUNDS} interleaved rounds, median (min-max); {load_note()}")
    print(
        f"  whole projection (trend fits, demography, Monte Carlo, tidy outputs): {fmt(times['projection'])} (target "
        f"< {TARGET_SECONDS:.0f} s) {verdict(whole, TARGET_SECONDS, at_most=True)}; {fitted} Holt-Winters fits"
    )
    print(f"  Monte Carlo of activity (effects and trend, all series): {fmt(times['simulate'], 'ms', 1e3, 1)}")
    print(f"  intervention factors, vectorised:                         {fmt(times['vectorised'], 'ms', 1e3, 1)}")
    print(f"  intervention factors, loop over (intervention, year):     {fmt(times['loop'], 'ms', 1e3, 1)}")
    print(f"  intervention factors, naive loop over runs too:           {fmt(times['naive'], 'ms', 1e3, 1)}")
    print(
        f"  vectorised against the competent loop: {fmt(vs_loop, 'x', digits=2)} (target >= {TARGET_VS_LOOP:.1f}x) "
        f"{verdict(spread(vs_loop)[0], TARGET_VS_LOOP, at_most=False)}"
    )
    print(f"  vectorised against the naive loop (context, not a target): {fmt(vs_naive, 'x', digits=0)}")
    print(f"  identical results on all three paths: {same}")


if __name__ == "__main__":
    main()
