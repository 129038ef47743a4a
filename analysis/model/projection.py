"""The five-year activity projection: demography x trend ("do nothing"), then the plan's interventions.

For each series (commissioner x pathway x point of delivery) and fiscal year y from the baseline to the
horizon:

    do nothing(y) = baseline activity x demographic factor(y) x trend factor(y)
    plan(y)       = do nothing(y) x product over interventions k acting on the series of (1 + e_k x ramp_k(y))

- The baseline year is the last complete fiscal year of the activity table (or the one given).
- Demographic factors come from `demography.demographic_factors` (principal variant; high and low are
  kept for sensitivity), for the population area of each commissioner (`area_map`).
- The trend is fitted by `trend.fit_trend` on each series' monthly history up to the end of the
  baseline year, after dividing out past demographic change (the history is deflated by the
  principal demographic index of its fiscal year), so demography is not counted twice. Where the
  population lacks a past year, the earliest available year's index is used and a note says so.
- The principal run uses each intervention's central effect ((low + high) / 2); the band is the
  10th-90th centile of the seeded Monte Carlo in `montecarlo` (effects and trend both uncertain).
- The waterfall splits the principal run's change from baseline to horizon into demography, trend
  and each intervention by the log-mean Divisia method (`decomposition.lmdi`), which sums exactly.

Series missing from some months of the history (a service that started later) count as zero in
those months.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import pandas as pd

from analysis.model import montecarlo as mc
from analysis.model.decomposition import lmdi
from analysis.model.demography import available_years, demographic_factors
from analysis.model.fiscal import baseline_year as find_baseline_year
from analysis.model.fiscal import complete_years, fiscal_year, fy_label, month_index
from analysis.model.interventions import Intervention, parse_interventions, ramp
from analysis.model.trend import Z80, fit_trend

SERIES_KEY = ("commissioner", "pathway", "pod")
DEFAULT_SEED = 20080401
DEFAULT_RUNS = 500
EFFECT_SCALES = tuple(np.round(np.arange(0, 2.0001, 0.25), 2))
SCENARIOS = ("history", "do_nothing", "plan")


@dataclass(frozen=True, eq=False)
class Projection:
    """The projection's tidy outputs (trajectories, band, waterfall) and the arrays behind them.

    Arrays are indexed by Y = years (baseline..horizon), S = rows of `series`, K = interventions,
    R = Monte Carlo runs.
    """

    baseline_year: int
    horizon_year: int
    years: tuple[int, ...]
    series: pd.DataFrame  # commissioner, organisation, area, pathway, pod, baseline, baseline_cost
    history: pd.DataFrame  # commissioner, pathway, pod, year, count (complete fiscal years to the baseline)
    interventions: tuple[Intervention, ...]
    demography: Mapping[str, np.ndarray]  # variant -> Y x S
    trend: np.ndarray  # Y x S
    trend_sd: np.ndarray  # Y x S
    trend_fits: pd.DataFrame
    ramps: np.ndarray  # K x Y
    exposure: np.ndarray  # K x S
    effect_draws: np.ndarray  # R x K
    trend_z: np.ndarray  # R
    seed: int
    trajectories: pd.DataFrame = field(default_factory=pd.DataFrame)
    band: pd.DataFrame = field(default_factory=pd.DataFrame)
    waterfall: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: tuple[str, ...] = ()

    @property
    def runs(self) -> int:
        """Number of Monte Carlo runs."""
        return int(self.effect_draws.shape[0])

    @property
    def baseline(self) -> np.ndarray:
        """Baseline-year activity per series (S,)."""
        return self.series["baseline"].to_numpy(dtype=float)


# ---------------------------------------------------------------- inputs


def monthly_series(activity: pd.DataFrame) -> pd.DataFrame:
    """Monthly count and cost per commissioner x pathway x pod (provider and practice summed)."""
    need = ["month", *SERIES_KEY, "count"]
    missing = [c for c in need if c not in activity.columns]
    if missing:
        raise ValueError(f"activity table: missing column(s) {', '.join(missing)} needed for the projection")
    frame = activity[need + (["cost"] if "cost" in activity.columns else [])].copy()
    for c in SERIES_KEY:
        frame[c] = frame[c].astype(str)
    frame["month"] = pd.to_datetime(frame["month"]).dt.to_period("M").dt.to_timestamp()
    if "cost" not in frame.columns:
        frame["cost"] = np.nan
    grouped = frame.groupby(["month", *SERIES_KEY], sort=True)
    out = grouped["count"].sum().to_frame()
    out["cost"] = grouped["cost"].sum(min_count=1)
    return out.reset_index()


def _area_for(
    commissioners: Sequence[str], population: pd.DataFrame, area_map: Mapping[str, str] | None
) -> dict[str, str]:
    """The population area of each commissioner: mapped, its own code, or the only area."""
    areas = set(map(str, population["area"].unique()))
    out = {}
    for c in commissioners:
        if area_map is not None and c in area_map:
            out[c] = str(area_map[c])
        elif c in areas:
            out[c] = c
        elif len(areas) == 1:
            out[c] = next(iter(areas))
        else:
            raise ValueError(
                f"area_map: no population area for commissioner {c!r}; map it to one of {', '.join(sorted(areas)[:20])}"
            )
        if out[c] not in areas:
            raise ValueError(
                f"area_map: commissioner {c!r} maps to area {out[c]!r}, which the population table does not have"
            )
    return out


def _exposure(interventions: Sequence[Intervention], series: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """K x S: 1 where intervention k acts on series s; and notes on interventions acting on nothing."""
    exposure = np.zeros((len(interventions), len(series)))
    notes = []
    names = set(series["organisation"]) | set(series["commissioner"])
    keys = list(zip(series["pathway"], series["pod"], strict=True))
    for k, item in enumerate(interventions):
        if item.economy_wide:
            org_ok = np.ones(len(series), dtype=bool)
        else:
            if item.organisation not in names:
                raise ValueError(
                    f"interventions, id {item.id!r}: organisation {item.organisation!r} is not one of the activity's "
                    f"organisations ({', '.join(sorted(names))}); use 'all' for the whole economy"
                )
            org_ok = (series["organisation"].to_numpy() == item.organisation) | (
                series["commissioner"].to_numpy() == item.organisation
            )
        acts = np.array([key in set(item.acts_on) for key in keys])
        exposure[k] = org_ok & acts
        if not exposure[k].any():
            notes.append(
                f"intervention {item.id!r} acts on no activity in the data "
                f"({', '.join('/'.join(a) for a in item.acts_on)})"
            )
    return exposure, notes


def _demography(
    population: pd.DataFrame,
    series: pd.DataFrame,
    base: int,
    horizon: int,
    first_history: int,
    age_profile: pd.DataFrame | None,
) -> tuple[dict[str, np.ndarray], np.ndarray, list[int], list[str]]:
    """Y x S demographic factors per variant, and the history deflator (history years x S)."""
    years = list(range(base, horizon + 1))
    history_years = list(range(first_history, base + 1))
    variants: list[str] | None = None
    per_area: dict[str, pd.DataFrame] = {}
    notes = []
    for area in sorted(series["area"].unique()):
        have = available_years(population, area)
        first = base
        while first - 1 >= first_history and (first - 1) in have:
            first -= 1
        if first > first_history:
            notes.append(
                f"population of area {area!r} starts in {first}: history before {fy_label(first)} is deflated by the "
                f"{fy_label(first)} demographic index"
            )
        factors = demographic_factors(population, area, base, horizon, age_profile, first_year=first)
        per_area[area] = factors
        present = list(dict.fromkeys(factors["variant"]))
        variants = present if variants is None else [v for v in variants if v in present]
    wide = pd.concat([f.assign(area=a) for a, f in per_area.items()], ignore_index=True).pivot_table(
        index=["area", "pathway", "pod", "variant"], columns="year", values="factor"
    )
    wide = wide.reindex(columns=sorted(set(wide.columns) | set(history_years))).bfill(axis=1)
    profiled = set(cast(pd.MultiIndex, wide.index).droplevel("variant"))
    pods = []
    for area, pathway, pod in zip(series["area"], series["pathway"], series["pod"], strict=True):
        if (area, pathway, pod) in profiled:
            pods.append(pod)
        elif (area, pathway, "*") in profiled:
            pods.append("*")
        else:
            raise ValueError(f"age profile: no entry for pathway {pathway!r}, pod {pod!r} (nor pod '*')")

    def rows(variant: str, columns: list[int]) -> np.ndarray:
        """Factors of one variant for the given years, one column per series."""
        index = pd.MultiIndex.from_arrays([series["area"], series["pathway"], pods, [variant] * len(series)])
        return wide.reindex(index)[columns].to_numpy(dtype=float).T

    demography = {v: rows(v, years) for v in variants or ["principal"]}
    deflator = rows("principal", history_years)
    return demography, deflator, history_years, notes


def _month_matrix(
    monthly: pd.DataFrame, series: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Counts and costs as series x month arrays (zero where a series has no row), and each month's fiscal year."""
    grid = pd.period_range(start, end, freq="M")
    rows = monthly.merge(series.reset_index()[["index", *SERIES_KEY]], on=list(SERIES_KEY))
    counts = np.zeros((len(series), len(grid)))
    costs = np.full((len(series), len(grid)), np.nan)
    r = rows["index"].to_numpy()
    c = month_index(rows["month"]) - month_index(pd.Series([start]))[0]
    counts[r, c] = rows["count"].to_numpy(dtype=float)
    costs[r, c] = rows["cost"].to_numpy(dtype=float)
    fy = np.asarray(grid.year - (grid.month < 4), dtype=int)
    return counts, costs, fy


def _history(series: pd.DataFrame, counts: np.ndarray, fy: np.ndarray, years: Sequence[int]) -> pd.DataFrame:
    """Actual activity per series in each complete fiscal year (tidy)."""
    totals = np.stack([counts[:, fy == y].sum(axis=1) for y in years], axis=1) if years else np.zeros((len(series), 0))
    frame = pd.DataFrame(totals, columns=list(years))
    frame = pd.concat([series[list(SERIES_KEY)].reset_index(drop=True), frame], axis=1)
    long = frame.melt(id_vars=list(SERIES_KEY), var_name="year", value_name="count")
    long["year"] = long["year"].astype("int64")
    return long


def _trends(
    series: pd.DataFrame, deflated: np.ndarray, years_ahead: int
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Trend factors and their sds (Y x S) from each series' deflated monthly history, and a fit table."""
    fits = [fit_trend(deflated[s], years_ahead) for s in range(len(series))]
    trend = np.stack([f.factors for f in fits], axis=1)
    sd = np.stack([f.sd for f in fits], axis=1)
    table = series[list(SERIES_KEY)].reset_index(drop=True).assign(
        method=[f.method for f in fits],
        alpha=[f.alpha for f in fits],
        beta=[f.beta for f in fits],
        gamma=[f.gamma for f in fits],
        phi=[f.phi for f in fits],
        sigma=[f.sigma for f in fits],
        horizon_factor=trend[-1],
        horizon_lower=np.maximum(trend[-1] - Z80 * sd[-1], 0.0),
        horizon_upper=trend[-1] + Z80 * sd[-1],
    )
    return trend, sd, table


# ---------------------------------------------------------------- the projection


def project(
    activity: pd.DataFrame,
    population: pd.DataFrame,
    interventions: Sequence[Mapping | Intervention],
    *,
    baseline_year: int | None = None,
    horizon_year: int,
    runs: int = DEFAULT_RUNS,
    seed: int = DEFAULT_SEED,
    area_map: Mapping[str, str] | None = None,
    organisation_map: Mapping[str, str] | None = None,
    age_profile: pd.DataFrame | None = None,
) -> Projection:
    """Project activity from the baseline to the horizon year, do nothing and with the plan.

    `area_map` maps commissioner -> population area (default: the commissioner's own code, or the
    only area); `organisation_map` maps commissioner -> the organisation name that interventions and
    allocations use (default: the commissioner code itself).
    """
    monthly = monthly_series(activity)
    base = find_baseline_year(monthly) if baseline_year is None else int(baseline_year)
    complete = complete_years(monthly["month"])
    if base not in complete:
        raise ValueError(
            f"baseline_year {base} is not a complete fiscal year in the activity table (complete: {complete})"
        )
    if horizon_year <= base:
        raise ValueError(f"horizon_year {horizon_year} must be after the baseline year {base}")
    years = list(range(base, horizon_year + 1))
    end = pd.Timestamp(year=base + 1, month=3, day=1)
    monthly = monthly[monthly["month"] <= end]
    start = monthly["month"].min()
    first_fy = int(fiscal_year(pd.Series([start])).iloc[0])

    series = monthly[list(SERIES_KEY)].drop_duplicates().sort_values(list(SERIES_KEY), ignore_index=True)
    org = organisation_map or {}
    series["organisation"] = [str(org.get(c, c)) for c in series["commissioner"]]
    areas = _area_for(sorted(series["commissioner"].unique()), population, area_map)
    series["area"] = series["commissioner"].map(areas)

    counts, costs, fy = _month_matrix(monthly, series, start, end)
    series["baseline"] = counts[:, -12:].sum(axis=1)
    base_costs = costs[:, -12:]
    series["baseline_cost"] = np.where(np.isnan(base_costs).all(axis=1), np.nan, np.nansum(base_costs, axis=1))
    history = _history(series, counts, fy, [y for y in complete if first_fy <= y <= base])

    demography, deflator, deflator_years, notes = _demography(
        population, series, base, horizon_year, first_fy, age_profile
    )
    monthly_deflator = deflator[np.searchsorted(deflator_years, fy)]  # months x S
    trend, trend_sd, trend_fits = _trends(series, counts / monthly_deflator.T, horizon_year - base)

    items = parse_interventions(interventions)
    exposure, exposure_notes = _exposure(items, series)
    ramps = ramp(items, years) if items else np.zeros((0, len(years)))
    effect_rng, trend_rng = mc.streams(seed)
    low = np.array([i.effect_low for i in items], dtype=float)
    high = np.array([i.effect_high for i in items], dtype=float)
    draws = mc.draw_effects(low, high, runs, effect_rng)
    z = mc.draw_trend_z(runs, trend_rng)

    result = Projection(
        baseline_year=base,
        horizon_year=horizon_year,
        years=tuple(years),
        series=series,
        history=history,
        interventions=items,
        demography=demography,
        trend=trend,
        trend_sd=trend_sd,
        trend_fits=trend_fits,
        ramps=ramps,
        exposure=exposure,
        effect_draws=draws,
        trend_z=z,
        seed=seed,
        notes=tuple(notes + exposure_notes),
    )
    return Projection(
        **{
            **result.__dict__,
            "trajectories": trajectories(result),
            "band": band_by(result, ("pathway",)),
            "waterfall": waterfall(result, ("pathway",)),
        }
    )


# ---------------------------------------------------------------- deterministic runs


def central_effects(p: Projection, effects: str = "central") -> np.ndarray:
    """Each intervention's effect (K,): 'central' (mid-interval), or its 'low' or 'high' end."""
    choice = {
        "central": lambda i: i.effect_mean,
        "low": lambda i: i.effect_low,
        "high": lambda i: i.effect_high,
    }
    if effects not in choice:
        raise ValueError(f"effects must be one of {', '.join(choice)}, found {effects!r}")
    return np.array([choice[effects](i) for i in p.interventions], dtype=float)


def scaled(p: Projection, effects: np.ndarray, effect_scale: float = 1.0, only: str | None = None) -> np.ndarray:
    """Effects multiplied by `effect_scale`, for every intervention or only the one with id `only`."""
    scale = np.ones(len(p.interventions))
    if only is None:
        scale[:] = effect_scale
    else:
        ids = [i.id for i in p.interventions]
        if only not in ids:
            raise ValueError(f"no intervention with id {only!r} (ids: {', '.join(ids)})")
        scale[ids.index(only)] = effect_scale
    return np.asarray(effects, dtype=float) * scale


def trend_factors(p: Projection, trend: str = "central") -> np.ndarray:
    """Trend factors (Y x S): 'central', or the 80% interval's 'low' or 'high' end."""
    z = {"central": 0.0, "low": -Z80, "high": Z80}
    if trend not in z:
        raise ValueError(f"trend must be one of {', '.join(z)}, found {trend!r}")
    return np.maximum(p.trend + z[trend] * p.trend_sd, 0.0)


def do_nothing(p: Projection, *, variant: str = "principal", trend: str = "central") -> np.ndarray:
    """Do-nothing activity (Y x S): baseline x demography x trend."""
    if variant not in p.demography:
        raise ValueError(f"population variant {variant!r} is not available (have {', '.join(p.demography)})")
    return p.baseline[None, :] * p.demography[variant] * trend_factors(p, trend)


def plan(
    p: Projection,
    *,
    variant: str = "principal",
    trend: str = "central",
    effects: str = "central",
    effect_scale: float = 1.0,
    only: str | None = None,
) -> np.ndarray:
    """Activity with the plan (Y x S): do nothing x each intervention's (scaled) effect, ramped."""
    base = do_nothing(p, variant=variant, trend=trend)
    if not p.interventions:
        return base
    e = scaled(p, central_effects(p, effects), effect_scale, only)
    return base * mc.factors(e[None, :], p.ramps, p.exposure)[0]


def simulate(p: Projection, *, effect_scale: float = 1.0, only: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Monte Carlo activity (R x Y x S): (do nothing, plan), effects and trend both drawn."""
    dn = p.baseline[None, None, :] * p.demography["principal"][None] * mc.trend_draws(p.trend, p.trend_sd, p.trend_z)
    if not p.interventions:
        return dn, dn
    e = np.maximum(scaled(p, p.effect_draws, effect_scale, only), mc.EFFECT_FLOOR)
    return dn, dn * mc.factors(e, p.ramps, p.exposure)


# ---------------------------------------------------------------- tidy outputs


def select(p: Projection, **where: str | Sequence[str] | None) -> np.ndarray:
    """Boolean mask over series for pathway=, pod=, commissioner=, organisation= (None = any)."""
    mask = np.ones(len(p.series), dtype=bool)
    for column, value in where.items():
        if value is None:
            continue
        if column not in p.series.columns:
            raise ValueError(f"cannot select series by {column!r}; use one of {', '.join(p.series.columns)}")
        values = [value] if isinstance(value, str) else list(value)
        mask &= p.series[column].isin(values).to_numpy()
    return mask


def _long(p: Projection, counts: np.ndarray, scenario: str) -> pd.DataFrame:
    """A Y x S array as a tidy frame of series, year and count."""
    keys = p.series[["commissioner", "organisation", "pathway", "pod"]]
    frame = pd.DataFrame(counts.T, columns=list(p.years))
    frame = pd.concat([keys.reset_index(drop=True), frame], axis=1).melt(
        id_vars=list(keys.columns), var_name="year", value_name="count"
    )
    frame["scenario"] = scenario
    return frame


def trajectories(p: Projection) -> pd.DataFrame:
    """History, do nothing and plan (principal run) per series and fiscal year, tidy."""
    hist = p.history.merge(
        p.series[["commissioner", "pathway", "pod", "organisation"]], on=["commissioner", "pathway", "pod"]
    )
    hist = hist.assign(scenario="history")
    out = pd.concat([hist, _long(p, do_nothing(p), "do_nothing"), _long(p, plan(p), "plan")], ignore_index=True)
    out["year"] = out["year"].astype("int64")
    out["scenario"] = pd.Categorical(out["scenario"], categories=SCENARIOS, ordered=True)
    out = out.sort_values(["scenario", "commissioner", "pathway", "pod", "year"], ignore_index=True)
    out["scenario"] = out["scenario"].astype(str)
    return out[["scenario", "commissioner", "organisation", "pathway", "pod", "year", "count"]]


def _group_index(p: Projection, by: Sequence[str]) -> tuple[pd.DataFrame, np.ndarray]:
    """The distinct groups of series by `by` and each series' group number."""
    if not by:
        return pd.DataFrame(index=[0]), np.zeros(len(p.series), dtype=int)
    groups = p.series[list(by)].drop_duplicates().sort_values(list(by), ignore_index=True)
    codes = p.series[list(by)].merge(groups.reset_index(), on=list(by), how="left")["index"].to_numpy()
    return groups, codes


def _sum_groups(values: np.ndarray, codes: np.ndarray, n: int) -> np.ndarray:
    """Sum the last axis (series) into n groups."""
    onehot = np.zeros((values.shape[-1], n))
    onehot[np.arange(values.shape[-1]), codes] = 1.0
    return values @ onehot


def band_by(
    p: Projection,
    by: Sequence[str] = ("pathway",),
    *,
    effect_scale: float = 1.0,
    only: str | None = None,
    mask: np.ndarray | None = None,
) -> pd.DataFrame:
    """The 10th, 50th and 90th centiles of do-nothing and plan activity, summed by `by` (() = total)."""
    dn, pl = simulate(p, effect_scale=effect_scale, only=only)
    keep = np.ones(len(p.series), dtype=bool) if mask is None else mask
    groups, codes = _group_index(p, by)
    frames = []
    for scenario, draws in (("do_nothing", dn), ("plan", pl)):
        summed = _sum_groups(draws[:, :, keep], codes[keep], len(groups))  # R x Y x G
        q = mc.quantiles(summed)  # 3 x Y x G
        for g in range(len(groups)):
            part = pd.DataFrame({"year": list(p.years), "p10": q[0, :, g], "p50": q[1, :, g], "p90": q[2, :, g]})
            for column in by:
                part[column] = groups.iloc[g][column]
            part["scenario"] = scenario
            frames.append(part)
    out = pd.concat(frames, ignore_index=True)
    return out[[*by, "scenario", "year", "p10", "p50", "p90"]]


def waterfall(p: Projection, by: Sequence[str] = ("pathway",)) -> pd.DataFrame:
    """Baseline, the change due to demography, trend and each intervention, and the horizon, by `by`.

    Columns: *by, order (the same for a step in every group: 0 baseline, 1 demography, 2 trend, 3 + k
    intervention k, last the horizon), step, kind ('baseline', 'demography', 'trend', 'intervention',
    'horizon'), intervention (id or ''), value (a level for baseline and horizon rows, a change
    otherwise). The changes of each group sum exactly to its horizon minus its baseline (see
    `decomposition`): demography and trend to doing nothing minus the baseline, the interventions to
    the plan minus doing nothing; an intervention that does not touch a group has no row in it.
    """
    base = p.baseline
    h = len(p.years) - 1
    e = central_effects(p)
    intervention = 1 + e[:, None] * p.ramps[:, h][:, None] * p.exposure if len(e) else np.zeros((0, len(base)))
    intervention = np.where(p.exposure > 0, intervention, 1.0) if len(e) else intervention
    # Two stages, so the waterfall agrees with the trajectory chart: demography and trend take the
    # baseline to doing nothing (their parts sum to do nothing minus baseline), then the interventions
    # take doing nothing to the plan (their parts sum to the plan minus doing nothing).
    growth = np.vstack([p.demography["principal"][h][None], p.trend[h][None]])
    dn = base * np.prod(np.maximum(growth, 0), axis=0)
    parts = np.vstack([lmdi(base, growth), lmdi(dn, intervention)]) if len(e) else lmdi(base, growth)  # (2 + K) x S
    horizon = dn * np.prod(np.maximum(intervention, 0), axis=0) if len(e) else dn
    groups, codes = _group_index(p, by)
    g_base = _sum_groups(base[None], codes, len(groups))[0]
    g_parts = _sum_groups(parts, codes, len(groups))
    g_horizon = _sum_groups(horizon[None], codes, len(groups))[0]
    steps = [
        ("demography", "Demography", ""),
        ("trend", "Trend", ""),
        *[("intervention", i.name, i.id) for i in p.interventions],
    ]
    rows = []
    last = len(steps) + 1
    for g in range(len(groups)):
        key = {c: groups.iloc[g][c] for c in by}
        rows.append(
            {
                **key,
                "order": 0,
                "step": f"Baseline {fy_label(p.baseline_year)}",
                "kind": "baseline",
                "intervention": "",
                "value": g_base[g],
            }
        )
        for j, (kind, name, ident) in enumerate(steps):
            if kind == "intervention" and not p.exposure[j - 2][codes == g].any():
                continue  # the intervention does not touch this group
            rows.append(
                {**key, "order": j + 1, "step": name, "kind": kind, "intervention": ident, "value": g_parts[j, g]}
            )
        rows.append(
            {
                **key,
                "order": last,
                "step": f"{fy_label(p.horizon_year)} with the plan",
                "kind": "horizon",
                "intervention": "",
                "value": g_horizon[g],
            }
        )
    return pd.DataFrame(rows, columns=[*by, "order", "step", "kind", "intervention", "value"])


def waterfall_steps(frame: pd.DataFrame, **where: str | None) -> pd.DataFrame:
    """One waterfall (summed over the rows matching `where`) with bar start and end for a chart."""
    sel = frame
    for column, value in where.items():
        if value is not None:
            sel = sel[sel[column] == value]
    if sel.empty:
        raise ValueError(f"waterfall: no rows for {where}")
    summed = sel.groupby(["order", "kind", "step", "intervention"], sort=True, as_index=False)[["value"]].sum()
    summed["order"] = range(len(summed))
    level = 0.0
    starts, ends = [], []
    for kind, value in zip(summed["kind"], summed["value"], strict=True):
        if kind in ("baseline", "horizon"):
            starts.append(0.0)
            ends.append(value)
            level = value
        else:
            starts.append(level)
            level += value
            ends.append(level)
    summed["start"] = starts
    summed["end"] = ends
    return summed


def trajectory_grid(
    p: Projection,
    *,
    scales: Sequence[float] = EFFECT_SCALES,
    only: str | None = None,
    **where: str | Sequence[str] | None,
) -> pd.DataFrame:
    """Summed history, do nothing and plan (with its 10-90 band) at each effect scale, for a slider chart.

    Columns: scenario, year, year_label, effect_scale (NaN for history and do nothing), count, p10, p90.
    """
    mask = select(p, **where)
    if not mask.any():
        raise ValueError(f"trajectory: no series match {where}")
    keys = p.series.loc[mask, list(SERIES_KEY)]
    hist = p.history.merge(keys, on=list(SERIES_KEY)).groupby("year", as_index=False)["count"].sum()
    rows = [hist.assign(scenario="history", effect_scale=np.nan, p10=np.nan, p90=np.nan)]
    dn = do_nothing(p)[:, mask].sum(axis=1)
    dn_band = band_by(p, (), mask=mask)
    dnb = dn_band[dn_band["scenario"] == "do_nothing"]
    rows.append(
        pd.DataFrame(
            {
                "year": list(p.years),
                "count": dn,
                "scenario": "do_nothing",
                "effect_scale": np.nan,
                "p10": dnb["p10"].to_numpy(),
                "p90": dnb["p90"].to_numpy(),
            }
        )
    )
    for scale in scales:
        central = plan(p, effect_scale=float(scale), only=only)[:, mask].sum(axis=1)
        b = band_by(p, (), effect_scale=float(scale), only=only, mask=mask)
        b = b[b["scenario"] == "plan"]
        rows.append(
            pd.DataFrame(
                {
                    "year": list(p.years),
                    "count": central,
                    "scenario": "plan",
                    "effect_scale": float(scale),
                    "p10": b["p10"].to_numpy(),
                    "p90": b["p90"].to_numpy(),
                }
            )
        )
    out = pd.concat(rows, ignore_index=True)
    out["year"] = out["year"].astype("int64")
    out["year_label"] = out["year"].map(fy_label)
    return out[["scenario", "year", "year_label", "effect_scale", "count", "p10", "p90"]]
