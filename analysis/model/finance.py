"""The financial model: allocation against the cost of activity, the "do nothing" gap, and what the plan does to it.

Definitions (years are fiscal years, 2008 = 2008/09; money in pounds at each year's prices):

- allocation(y) = baseline allocation x product of (1 + growth(t)) for t after the allocation's base year
  up to y (the allocation's base year defaults to the projection's baseline year);
- price index(y) = product of (1 + cost_pressure(t)) for t from baseline + 1 to y: the uplift of unit costs
  and of other spending (pay, prices, drugs); efficiency index(y) = product of (1 - efficiency(t)), the
  cash-releasing efficiency assumed delivered on all spending;
- activity cost(y) = activity(y) x unit cost of its point of delivery in the baseline year x price index x
  efficiency index;
- other spending: the baseline year is assumed to break even, so spending not modelled as activity is
  the baseline allocation minus the baseline activity cost (floored at zero), grown by the price index,
  the efficiency index and the demographic volume index of the organisation's own activity (the
  baseline-cost-weighted population factor): prescribing, primary and continuing care serve the same
  growing, ageing population as hospital care, so holding them at baseline volume would show a
  surplus that is only unfunded demand;
- cost(y) = activity cost + other spending (+ the interventions' investment and recurrent costs for the
  plan); gap(y) = cost(y) - allocation(y) (positive = a shortfall); the gap as a share of allocation is
  the efficiency the economy still has to find;
- an intervention's saving in year y is the activity it avoids, valued as above; where several act on
  the same activity the change is split between them by the log-mean Divisia method, so savings add up
  exactly to plan cost minus do-nothing activity cost;
- appraisal: cash flow(y) = saving(y) - recurrent cost - investment (in the start year only), from the
  start year (year 0, undiscounted) to the horizon, discounted at (1 + rate)^-(y - start);
  NPV = sum of discounted flows; ROI = (PV savings - PV costs) / PV costs; savings per pound = PV
  savings / PV costs; payback year = the first year in which the cumulative undiscounted cash flow is
  at least zero (None if not by the horizon). The appraisal stops at the horizon, which understates
  schemes whose savings continue after it.
- the economy-wide interventions' costs are shared between organisations by baseline allocation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from analysis.model import montecarlo as mc
from analysis.model.decomposition import log_mean
from analysis.model.fiscal import fy_label
from analysis.model.interventions import Intervention, scheme_of
from analysis.model.projection import EFFECT_SCALES, Projection, central_effects, do_nothing, plan, scaled

KEYS = {
    "baseline": "baseline",
    "baseline_allocation": "baseline",
    "baseline_year": "baseline_year",
    "growth": "growth",
    "cost_pressure": "cost_pressure",
    "discount_rate": "discount_rate",
    "efficiency": "efficiency",
    "efficiency_requirement": "efficiency",
}
DEFAULT_DISCOUNT_RATE = 0.035  # HM Treasury Green Book
GROWTH_SHIFTS = tuple(np.round(np.arange(-3.0, 3.0001, 0.5), 1))  # percentage points a year, for the slider


@dataclass(frozen=True)
class Assumptions:
    """The allocation assumptions, parsed from the parameter file's dict."""

    baseline: Mapping[str, float]
    growth: Mapping[int, float]
    cost_pressure: Mapping[int, float]
    discount_rate: float = DEFAULT_DISCOUNT_RATE
    efficiency: Mapping[int, float] = field(default_factory=dict)
    baseline_year: int | None = None


def _rates(value, key: str, source: str) -> dict:
    """A rate or {year: rate} mapping as a dict ({"*": rate} for one rate every year)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not math.isfinite(value) or value <= -1:
            raise ValueError(f"{source}: '{key}' must be a number above -1, found {value!r}")
        return {"*": float(value)}  # the same rate every year
    if not isinstance(value, Mapping):
        raise ValueError(f"{source}: '{key}' must be a rate or a mapping of year to rate, found {value!r}")
    out = {}
    for year, rate in value.items():
        try:
            y = int(year)
        except (TypeError, ValueError):
            raise ValueError(f"{source}: '{key}' has a key {year!r} that is not a year") from None
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not math.isfinite(rate) or rate <= -1:
            raise ValueError(f"{source}: '{key}' for {year} must be a number above -1, found {rate!r}")
        out[y] = float(rate)
    return out


def parse_assumptions(raw: Mapping, source: str = "allocation assumptions") -> Assumptions:
    """Check the allocation assumptions dict; errors name the key and what was expected.

    Keys: baseline (or baseline_allocation): {organisation: pounds}; growth and cost_pressure: {year:
    rate} or one rate for every year; discount_rate (default 0.035); efficiency (or
    efficiency_requirement): {year: rate} or one rate (default 0); baseline_year (optional).
    """
    unknown = [k for k in raw if k not in KEYS]
    if unknown:
        raise ValueError(f"{source}: unknown key(s) {', '.join(map(str, unknown))}; expected {', '.join(KEYS)}")
    parsed: dict = {}
    for key, value in raw.items():
        name = KEYS[key]
        if name in parsed:
            raise ValueError(f"{source}: '{key}' repeats '{name}'; give only one of them")
        parsed[name] = value
    for need in ("baseline", "growth", "cost_pressure"):
        if need not in parsed:
            raise ValueError(f"{source}: missing key '{need}'")
    baseline = parsed["baseline"]
    if not isinstance(baseline, Mapping) or not baseline:
        raise ValueError(f"{source}: 'baseline' must map each organisation to its allocation in pounds")
    for org, value in baseline.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise ValueError(f"{source}: baseline allocation of {org!r} must be a non-negative number, found {value!r}")
    rate = parsed.get("discount_rate", DEFAULT_DISCOUNT_RATE)
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate < 1:
        raise ValueError(f"{source}: 'discount_rate' must be a number from 0 to 1, found {rate!r}")
    year = parsed.get("baseline_year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise ValueError(f"{source}: 'baseline_year' must be a fiscal year such as 2008, found {year!r}")
    return Assumptions(
        baseline={str(k): float(v) for k, v in baseline.items()},
        growth=_rates(parsed["growth"], "growth", source),
        cost_pressure=_rates(parsed["cost_pressure"], "cost_pressure", source),
        discount_rate=float(rate),
        efficiency=_rates(parsed.get("efficiency", 0.0), "efficiency", source),
        baseline_year=year,
    )


def as_assumptions(value: Assumptions | Mapping) -> Assumptions:
    """Accept parsed assumptions or the raw dict."""
    return value if isinstance(value, Assumptions) else parse_assumptions(value)


def _rate(rates: Mapping, year: int, key: str) -> float:
    """The rate for a year, the every-year rate, 0 for absent efficiency, else an error naming the key."""
    if year in rates:
        return float(rates[year])
    if "*" in rates:
        return float(rates["*"])
    if not rates:
        return 0.0 if key == "efficiency" else _missing(key, year)
    return _missing(key, year)


def _missing(key: str, year: int) -> float:
    """Raise the error for a year without a rate."""
    raise ValueError(f"allocation assumptions: '{key}' has no rate for {year} ({fy_label(year)})")


def compound(rates: Mapping, key: str, base_year: int, years: Sequence[int], *, sign: int = 1) -> np.ndarray:
    """Index relative to base_year: product of (1 + sign x rate(t)) for t in (base, y] (divided back for y < base)."""
    out = []
    for y in years:
        index = 1.0
        for t in range(base_year + 1, y + 1):
            index *= 1 + sign * _rate(rates, t, key)
        for t in range(y + 1, base_year + 1):
            index /= 1 + sign * _rate(rates, t, key)
        out.append(index)
    return np.array(out)


def allocation(assumptions: Assumptions | Mapping, years: Sequence[int], baseline_year: int) -> pd.DataFrame:
    """Allocation per organisation and year (columns organisation, year, allocation)."""
    a = as_assumptions(assumptions)
    base = a.baseline_year if a.baseline_year is not None else baseline_year
    index = compound(a.growth, "growth", base, years)
    rows = [(org, y, value * i) for org, value in sorted(a.baseline.items()) for y, i in zip(years, index, strict=True)]
    return pd.DataFrame(rows, columns=["organisation", "year", "allocation"])


def unit_cost_by_pod(
    unit_costs: pd.DataFrame, baseline_year: int, pods: Sequence[str], fallback: Mapping[str, float] | None = None
) -> dict[str, float]:
    """Unit cost of each pod in the baseline year (the latest year at or before it), else from `fallback`."""
    need = {"year", "pod", "unit_cost"}
    if not need <= set(unit_costs.columns):
        raise ValueError(
            f"unit_costs table: expected columns year, pod, unit_cost; found {', '.join(map(str, unit_costs.columns))}"
        )
    out = {}
    for pod in pods:
        rows = unit_costs[(unit_costs["pod"] == pod)]
        before = rows[rows["year"] <= baseline_year]
        if not before.empty:
            out[pod] = float(before.sort_values("year")["unit_cost"].iloc[-1])
        elif fallback is not None and pod in fallback and np.isfinite(fallback[pod]):
            out[pod] = float(fallback[pod])
        elif not rows.empty:
            raise ValueError(
                f"unit_costs table: pod {pod!r} has no unit cost for {baseline_year} or earlier (first year "
                f"{int(rows['year'].min())})"
            )
        else:
            raise ValueError(
                f"unit_costs table: no unit cost for pod {pod!r}, and the activity table has no cost for it"
            )
    return out


def _activity_unit_costs(p: Projection) -> dict[str, float]:
    """Baseline cost per unit of activity by pod, from the activity table's cost column."""
    frame = p.series.groupby("pod")[["baseline_cost", "baseline"]].sum(min_count=1)
    return {
        str(pod): (row.baseline_cost / row.baseline if row.baseline > 0 else np.nan) for pod, row in frame.iterrows()
    }


@dataclass(frozen=True, eq=False)
class CostBasis:
    """What turns activity into money for one projection: unit costs, indices and other spending."""

    years: tuple[int, ...]
    unit_cost: np.ndarray  # S
    price: np.ndarray  # Y
    efficiency: np.ndarray  # Y
    allocation: np.ndarray  # Y x O
    other: np.ndarray  # Y x O (before the efficiency index; grown by price and demographic volume)
    organisations: tuple[str, ...]
    org_of_series: np.ndarray  # S -> organisation index
    intervention_share: np.ndarray  # K x O: share of each intervention's costs borne by each organisation


def demographic_volume(
    p: Projection, unit_cost: np.ndarray, org_of_series: np.ndarray, n_orgs: int, variant: str = "principal"
) -> np.ndarray:
    """Y x O: each organisation's population-driven volume index.

    It is its series' demographic factors weighted by baseline cost.
    """
    if variant not in p.demography:
        raise ValueError(f"population variant {variant!r} is not available (have {', '.join(p.demography)})")
    weights = p.baseline * unit_cost
    base = np.bincount(org_of_series, weights=weights, minlength=n_orgs)
    out = np.ones((len(p.years), n_orgs))
    for j in range(len(p.years)):
        grown = np.bincount(org_of_series, weights=weights * p.demography[variant][j], minlength=n_orgs)
        out[j] = np.where(base > 0, grown / np.where(base > 0, base, 1.0), 1.0)
    return out


def cost_basis(
    p: Projection,
    unit_costs: pd.DataFrame,
    assumptions: Assumptions | Mapping,
    *,
    unit_cost_scale: float = 1.0,
    variant: str = "principal",
) -> CostBasis:
    """Unit costs, price and efficiency indices, allocation and other spending for a projection."""
    a = as_assumptions(assumptions)
    years = list(p.years)
    orgs = tuple(sorted(a.baseline))
    missing = sorted(set(p.series["organisation"]) - set(orgs))
    if missing:
        raise ValueError(
            f"allocation assumptions: 'baseline' has no allocation for organisation(s) {', '.join(missing)} (have "
            f"{', '.join(orgs)})"
        )
    pods = sorted(p.series["pod"].unique())
    unit = unit_cost_by_pod(unit_costs, p.baseline_year, pods, _activity_unit_costs(p))
    unit_cost = p.series["pod"].map(unit).to_numpy(dtype=float) * unit_cost_scale
    price = compound(a.cost_pressure, "cost_pressure", p.baseline_year, years)
    eff = compound(a.efficiency, "efficiency", p.baseline_year, years, sign=-1)
    alloc = (
        allocation(a, years, p.baseline_year)
        .pivot(index="year", columns="organisation", values="allocation")
        .reindex(index=years, columns=list(orgs))
        .to_numpy()
    )
    org_index = {o: i for i, o in enumerate(orgs)}
    org_of_series = p.series["organisation"].map(org_index).to_numpy(dtype=int)
    base_activity = np.bincount(org_of_series, weights=p.baseline * unit_cost, minlength=len(orgs))
    base_alloc = alloc[years.index(p.baseline_year)]
    volume = demographic_volume(p, unit_cost, org_of_series, len(orgs), variant)
    other = np.maximum(base_alloc - base_activity, 0.0)[None, :] * price[:, None] * volume
    shares = np.zeros((len(p.interventions), len(orgs)))
    weights = base_alloc / base_alloc.sum() if base_alloc.sum() > 0 else np.full(len(orgs), 1 / len(orgs))
    for k, item in enumerate(p.interventions):
        if item.economy_wide:
            shares[k] = weights
        else:
            hit = p.series.loc[
                (p.series["organisation"] == item.organisation) | (p.series["commissioner"] == item.organisation),
                "organisation",
            ]
            shares[k, org_index[hit.iloc[0]]] = 1.0
    return CostBasis(tuple(years), unit_cost, price, eff, alloc, other, orgs, org_of_series, shares)


def _by_org(values: np.ndarray, basis: CostBasis) -> np.ndarray:
    """Sum a Y x S array of money into Y x O."""
    onehot = np.zeros((len(basis.org_of_series), len(basis.organisations)))
    onehot[np.arange(len(basis.org_of_series)), basis.org_of_series] = 1.0
    return values @ onehot


def money(counts: np.ndarray, basis: CostBasis) -> np.ndarray:
    """Activity (Y x S or R x Y x S) valued at uprated unit costs after efficiency."""
    return counts * basis.unit_cost * (basis.price * basis.efficiency)[:, None]


def intervention_costs(p: Projection, basis: CostBasis) -> np.ndarray:
    """Investment and recurrent costs of each intervention per year (K x Y), at cash value."""
    years = np.array(basis.years)
    out = np.zeros((len(p.interventions), len(years)))
    for k, item in enumerate(p.interventions):
        out[k] = np.where(years == item.start_year, item.investment, 0.0) + np.where(
            years >= item.start_year, item.recurrent_cost, 0.0
        )
    return out


def gap(p: Projection, unit_costs: pd.DataFrame, assumptions: Assumptions | Mapping) -> pd.DataFrame:
    """Allocation, cost and gap per organisation and year, for do nothing and for the plan."""
    basis = cost_basis(p, unit_costs, assumptions)
    return _gap_frame(p, basis, do_nothing(p), plan(p))


def _gap_frame(p: Projection, basis: CostBasis, dn_counts: np.ndarray, plan_counts: np.ndarray) -> pd.DataFrame:
    """The gap table from do-nothing and plan activity (Y x S) on one cost basis."""
    dn_cost = _by_org(money(dn_counts, basis), basis)
    plan_cost = _by_org(money(plan_counts, basis), basis)
    other = basis.other * basis.efficiency[:, None]
    schemes = (
        (intervention_costs(p, basis).T @ basis.intervention_share) if len(p.interventions) else np.zeros_like(other)
    )
    rows = []
    for o, org in enumerate(basis.organisations):
        for j, year in enumerate(basis.years):
            alloc = basis.allocation[j, o]
            cost_dn = dn_cost[j, o] + other[j, o]
            cost_plan = plan_cost[j, o] + other[j, o] + schemes[j, o]
            rows.append(
                {
                    "organisation": org,
                    "year": year,
                    "year_label": fy_label(year),
                    "allocation": alloc,
                    "activity_cost_do_nothing": dn_cost[j, o],
                    "activity_cost_plan": plan_cost[j, o],
                    "other_spend": other[j, o],
                    "intervention_costs": schemes[j, o],
                    "cost_do_nothing": cost_dn,
                    "cost_plan": cost_plan,
                    "gap_do_nothing": cost_dn - alloc,
                    "gap_plan": cost_plan - alloc,
                    "gap_share_do_nothing": (cost_dn - alloc) / alloc if alloc > 0 else np.nan,
                    "gap_share_plan": (cost_plan - alloc) / alloc if alloc > 0 else np.nan,
                }
            )
    return pd.DataFrame(rows)


def economy_total(gap_frame: pd.DataFrame) -> pd.DataFrame:
    """The gap frame summed over organisations, with shares recomputed."""
    money_cols = [
        c
        for c in gap_frame.columns
        if c not in ("organisation", "year", "year_label") and not c.startswith("gap_share")
    ]
    out = gap_frame.groupby(["year", "year_label"], as_index=False)[money_cols].sum()
    out["gap_share_do_nothing"] = out["gap_do_nothing"] / out["allocation"]
    out["gap_share_plan"] = out["gap_plan"] / out["allocation"]
    return out


def attributed_changes(p: Projection, dn_counts: np.ndarray, effects: np.ndarray) -> np.ndarray:
    """Change in activity due to each intervention (K x Y x S), log-mean Divisia, summing to plan - do nothing."""
    per = 1 + np.maximum(effects[:, None] * p.ramps, mc.EFFECT_FLOOR)  # K x Y
    logs = np.log(per)[:, :, None] * p.exposure[:, None, :]  # K x Y x S
    planned = dn_counts * np.exp(logs.sum(axis=0))
    return log_mean(planned, dn_counts)[None] * logs


def savings(
    p: Projection,
    unit_costs: pd.DataFrame,
    assumptions: Assumptions | Mapping,
    *,
    effects: str = "central",
    effect_scale: float = 1.0,
) -> pd.DataFrame:
    """Activity avoided and money saved by each intervention per year (positive = fewer, cheaper)."""
    basis = cost_basis(p, unit_costs, assumptions)
    dn = do_nothing(p)
    e = scaled(p, central_effects(p, effects), effect_scale)
    change = attributed_changes(p, dn, e)  # K x Y x S
    value = money(change, basis)
    rows = []
    for k, item in enumerate(p.interventions):
        for j, year in enumerate(p.years):
            rows.append((item.id, item.name, item.pathway, year, -change[k, j].sum(), -value[k, j].sum()))
    return pd.DataFrame(rows, columns=["intervention", "name", "pathway", "year", "activity_avoided", "saving"])


def npv(flows: ArrayLike, rate: float) -> float:
    """Net present value of yearly flows, the first undiscounted (year 0)."""
    f = np.asarray(flows, dtype=float)
    return float(np.sum(f / (1 + rate) ** np.arange(len(f))))


def roi(pv_benefits: float, pv_costs: float) -> float:
    """Return on investment: (benefits - costs) / costs (NaN when there are no costs)."""
    return (pv_benefits - pv_costs) / pv_costs if pv_costs > 0 else float("nan")


def payback_year(years: Sequence[int], flows: Sequence[float] | np.ndarray) -> int | None:
    """The first year in which the cumulative undiscounted flow is at least zero (None if never)."""
    cumulative = np.cumsum(np.asarray(flows, dtype=float))
    hit = np.flatnonzero(cumulative >= -1e-9)
    return int(years[hit[0]]) if len(hit) else None


def appraisal(
    saving_frame: pd.DataFrame,
    interventions: Sequence[Intervention],
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
    until_year: int | None = None,
) -> pd.DataFrame:
    """NPV, ROI, savings per pound and payback of each intervention from its start year to `until_year`."""
    rows = []
    for item in interventions:
        mine = saving_frame[saving_frame["intervention"] == item.id].set_index("year")["saving"]
        last = until_year if until_year is not None else (int(mine.index.max()) if len(mine) else item.start_year)
        years = list(range(item.start_year, last + 1))
        if not years:
            rows.append(
                {
                    "intervention": item.id,
                    "name": item.name,
                    "pathway": item.pathway,
                    "start_year": item.start_year,
                    "investment": item.investment,
                    "recurrent_total": 0.0,
                    "savings_total": 0.0,
                    "pv_savings": 0.0,
                    "pv_costs": 0.0,
                    "npv": 0.0,
                    "roi": float("nan"),
                    "savings_per_pound": float("nan"),
                    "payback_year": None,
                }
            )
            continue
        benefit = np.array([float(mine.get(y, 0.0)) for y in years])
        cost = np.array([item.recurrent_cost + (item.investment if y == item.start_year else 0.0) for y in years])
        pv_b, pv_c = npv(benefit, discount_rate), npv(cost, discount_rate)
        rows.append(
            {
                "intervention": item.id,
                "name": item.name,
                "pathway": item.pathway,
                "start_year": item.start_year,
                "investment": item.investment,
                "recurrent_total": item.recurrent_cost * len(years),
                "savings_total": float(benefit.sum()),
                "pv_savings": pv_b,
                "pv_costs": pv_c,
                "npv": pv_b - pv_c,
                "roi": roi(pv_b, pv_c),
                "savings_per_pound": pv_b / pv_c if pv_c > 0 else float("nan"),
                "payback_year": payback_year(years, benefit - cost),
            }
        )
    out = pd.DataFrame(rows)
    if len(out):
        out["payback_year"] = out["payback_year"].astype("Int64")
    return out


def appraise(p: Projection, unit_costs: pd.DataFrame, assumptions: Assumptions | Mapping) -> pd.DataFrame:
    """The investments table: each intervention's savings appraised at the assumptions' discount rate to the horizon."""
    a = as_assumptions(assumptions)
    return appraisal(savings(p, unit_costs, a), p.interventions, a.discount_rate, until_year=p.horizon_year)


def scheme_appraisal(
    saving_frame: pd.DataFrame,
    interventions: Sequence[Intervention],
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
    until_year: int | None = None,
) -> pd.DataFrame:
    """One row per scheme (an intervention with its hospital side): one cost, one saving, one return.

    Present values are the sums of the entries' own (each discounted from its start year, as in
    `appraisal`); the payback year comes from the scheme's summed undiscounted flows. A scheme with
    no investment and no recurrent cost is not costed: its savings per pound and payback are empty.
    """
    entries = appraisal(saving_frame, interventions, discount_rate, until_year)
    if entries.empty:
        return entries.assign(scheme=pd.Series(dtype=str), costed=pd.Series(dtype=bool))
    by_id = {i.id: i for i in interventions}
    mapping = dict(zip(by_id, scheme_of(list(by_id)), strict=True))
    rows = []
    for scheme, group in entries.assign(scheme=entries["intervention"].map(mapping)).groupby("scheme", sort=False):
        items = [by_id[i] for i in group["intervention"]]
        main = by_id[str(scheme)]  # the group key is a scheme id, which pandas types as any scalar
        start = min(i.start_year for i in items)
        last = until_year if until_year is not None else int(saving_frame["year"].max())
        years = list(range(start, last + 1))
        flows = np.zeros(len(years))
        for item in items:
            mine = saving_frame[saving_frame["intervention"] == item.id].set_index("year")["saving"]
            for n, y in enumerate(years):
                if y >= item.start_year:
                    flows[n] += (
                        float(mine.get(y, 0.0))
                        - item.recurrent_cost
                        - (item.investment if y == item.start_year else 0.0)
                    )
        pv_b, pv_c = float(group["pv_savings"].sum()), float(group["pv_costs"].sum())
        costed = pv_c > 0
        rows.append({
            "scheme": scheme, "name": main.name, "pathway": main.pathway,
            "organisation": "All" if main.economy_wide else main.organisation, "start_year": start,
            "investment": sum(i.investment for i in items), "recurrent_cost": sum(i.recurrent_cost for i in items),
            "pv_savings": pv_b, "pv_costs": pv_c, "npv": pv_b - pv_c, "roi": roi(pv_b, pv_c),
            "savings_per_pound": pv_b / pv_c if costed else float("nan"),
            "payback_year": payback_year(years, flows) if costed else None, "costed": costed,
        })
    out = pd.DataFrame(rows)
    out["payback_year"] = out["payback_year"].astype("Int64")
    return out


def appraise_schemes(p: Projection, unit_costs: pd.DataFrame, assumptions: Assumptions | Mapping) -> pd.DataFrame:
    """The schemes table: each scheme (with its hospital side) appraised to the horizon, as every page shows it."""
    a = as_assumptions(assumptions)
    return scheme_appraisal(savings(p, unit_costs, a), p.interventions, a.discount_rate, until_year=p.horizon_year)


def efficiency_to_close(spend: float, fixed: float, allocation: float, years: int) -> float:
    """The yearly efficiency e on `spend` that closes a gap in `years` years.

    It solves spend x (1 - e)^years + fixed = allocation. `fixed` is spending efficiency does not touch (the
    schemes' cash costs). 0 when there is no shortfall; NaN when even cutting `spend` to nothing would not
    close it.
    """
    if spend + fixed <= allocation:
        return 0.0
    if allocation <= fixed or years < 1 or spend <= 0:
        return float("nan")
    return float(1 - ((allocation - fixed) / spend) ** (1 / years))


def yearly_changes(frame: pd.DataFrame, price: Sequence[float]) -> pd.DataFrame:
    """Per year after the first: allocation growth, do-nothing cost growth, and the part of it from prices.

    `frame` is `economy_total(gap(...))` in year order; `price` the price index for the same years.
    """
    out = pd.DataFrame({"year": frame["year"].to_numpy()[1:]})
    out["allocation_growth"] = frame["allocation"].pct_change().to_numpy()[1:]
    out["cost_growth"] = frame["cost_do_nothing"].pct_change().to_numpy()[1:]
    out["price_growth"] = pd.Series(np.asarray(price, dtype=float)).pct_change().to_numpy()[1:]
    out["gap_do_nothing"] = frame["gap_do_nothing"].to_numpy()[1:]
    return out


def _shift(rates: Mapping, delta: float) -> dict:
    """Every rate moved by delta (no rates means 0 every year, so delta every year)."""
    return {k: v + delta for k, v in rates.items()} if rates else {"*": delta}


# Each sensitivity: (label, low label, high label).
TORNADO_STEPS = {
    "growth": ("Allocation growth", "1 point a year lower", "1 point a year higher"),
    "cost_pressure": ("Cost pressure", "1 point a year lower", "1 point a year higher"),
    "efficiency": ("Efficiency delivered", "1 point a year lower", "1 point a year higher"),
    "unit_cost": ("Unit costs", "10% lower", "10% higher"),
    "population": ("Population projection", "low variant", "high variant"),
    "trend": ("Non-demographic trend", "10th centile", "90th centile"),
    "effects": ("Interventions' effects", "low end of 80% interval", "high end of 80% interval"),
}


def horizon_gap(
    p: Projection,
    unit_costs: pd.DataFrame,
    assumptions: Assumptions | Mapping,
    *,
    scenario: str = "plan",
    variant: str = "principal",
    trend: str = "central",
    effects: str = "central",
    unit_cost_scale: float = 1.0,
) -> float:
    """The economy's gap (cost - allocation) in the horizon year under one set of assumptions."""
    basis = cost_basis(p, unit_costs, assumptions, unit_cost_scale=unit_cost_scale, variant=variant)
    dn = do_nothing(p, variant=variant, trend=trend)
    pl = plan(p, variant=variant, trend=trend, effects=effects) if scenario == "plan" else dn
    frame = _gap_frame(p, basis, dn, pl)
    last = frame[frame["year"] == p.horizon_year]
    return float(last["gap_plan" if scenario == "plan" else "gap_do_nothing"].sum())


def tornado(
    p: Projection, unit_costs: pd.DataFrame, assumptions: Assumptions | Mapping, *, scenario: str = "plan"
) -> pd.DataFrame:
    """Horizon-year gap with each main assumption moved to a low and a high value, widest swing first.

    Moves: allocation growth, cost pressure and efficiency by 1 percentage point a year; unit costs by
    10%; the population's low and high variants; the trend's 80% interval; every intervention's effect
    at the low and at the high end of its 80% interval (a low effect is the larger reduction).
    """
    a = as_assumptions(assumptions)

    def g(**kw) -> float:
        """The horizon gap with some inputs changed."""
        assumption = kw.pop("assumptions", a)
        return horizon_gap(p, unit_costs, assumption, scenario=scenario, **kw)

    base = g()
    results = {}
    results["growth"] = (
        g(assumptions=replace(a, growth=_shift(a.growth, -0.01))),
        g(assumptions=replace(a, growth=_shift(a.growth, 0.01))),
    )
    results["cost_pressure"] = (
        g(assumptions=replace(a, cost_pressure=_shift(a.cost_pressure, -0.01))),
        g(assumptions=replace(a, cost_pressure=_shift(a.cost_pressure, 0.01))),
    )
    results["efficiency"] = (
        g(assumptions=replace(a, efficiency=_shift(a.efficiency, -0.01))),
        g(assumptions=replace(a, efficiency=_shift(a.efficiency, 0.01))),
    )
    results["unit_cost"] = (g(unit_cost_scale=0.9), g(unit_cost_scale=1.1))
    if {"low", "high"} <= set(p.demography):
        results["population"] = (g(variant="low"), g(variant="high"))
    results["trend"] = (g(trend="low"), g(trend="high"))
    if p.interventions and scenario == "plan":
        results["effects"] = (g(effects="low"), g(effects="high"))
    rows = []
    for key, (low, high) in results.items():
        label, low_label, high_label = TORNADO_STEPS[key]
        rows.append(
            {
                "assumption": label,
                "key": key,
                "low_label": low_label,
                "high_label": high_label,
                "base": base,
                "gap_low": low,
                "gap_high": high,
                "swing": abs(high - low),
            }
        )
    return pd.DataFrame(rows).sort_values(["swing", "key"], ascending=[False, True], ignore_index=True)


def mean_rate(rates: Mapping, years: Sequence[int], key: str) -> float:
    """The geometric mean yearly efficiency-style rate over `years`: 1 - (prod(1 - r))^(1/n) (0 if none)."""
    if not rates or not len(years):
        return 0.0
    index = np.prod([1 - _rate(rates, y, key) for y in years])
    return float(1 - index ** (1 / len(years)))


# The columns of `gap_grid`, which the finance chapter's chart with sliders draws.
GAP_GRID_COLUMNS = (
    "growth_shift", "effect_scale", "year", "year_label", "years_from_base",
    "allocation", "spend_do_nothing", "spend_plan", "intervention_costs",
)


def gap_grid(
    p: Projection,
    unit_costs: pd.DataFrame,
    assumptions: Assumptions | Mapping,
    *,
    growth_shifts: Sequence[float] = GROWTH_SHIFTS,
    scales: Sequence[float] | None = None,
    only: str | None = None,
) -> pd.DataFrame:
    """Economy-wide allocation and costs at each allocation-growth shift and effect scale, for slider charts.

    Costs are before efficiency (a chart applies (1 - efficiency) ** years_from_base to the columns
    spend_*); intervention_costs are cash and not subject to efficiency. growth_shift is in
    percentage points a year added to every year's growth. efficiency_assumed is the assumption's
    geometric mean yearly efficiency over the projection years (the slider's starting point; with one
    rate for every year the chart then matches `gap` exactly).
    """
    a = as_assumptions(assumptions)
    scales = EFFECT_SCALES if scales is None else scales
    plain = replace(a, efficiency={})
    basis = cost_basis(p, unit_costs, plain)
    years = list(p.years)
    schemes = (intervention_costs(p, basis).sum(axis=0)) if p.interventions else np.zeros(len(years))
    dn_spend = money(do_nothing(p), basis).sum(axis=1) + basis.other.sum(axis=1)
    rows = []
    plans = {
        float(s): money(plan(p, effect_scale=float(s), only=only), basis).sum(axis=1) + basis.other.sum(axis=1)
        for s in scales
    }
    for shift in growth_shifts:
        shifted = replace(plain, growth=_shift(a.growth, float(shift) / 100))
        alloc = (
            allocation(shifted, years, p.baseline_year).groupby("year")["allocation"].sum().reindex(years).to_numpy()
        )
        for s, spend_plan in plans.items():
            for j, year in enumerate(years):
                rows.append(
                    (
                        float(shift),
                        s,
                        year,
                        fy_label(year),
                        year - p.baseline_year,
                        alloc[j],
                        dn_spend[j],
                        spend_plan[j],
                        schemes[j],
                    )
                )
    out = pd.DataFrame(
        rows,
        columns=list(GAP_GRID_COLUMNS),
    )
    out["efficiency_assumed"] = mean_rate(a.efficiency, years[1:], "efficiency")
    return out
