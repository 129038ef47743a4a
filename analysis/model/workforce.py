"""Workforce: whole-time equivalents (WTE) from activity and productivity ratios, new roles, midwives.

- WTE of a staff group = activity / activity handled per WTE a year, summed over points of delivery.
  `DEFAULT_PRODUCTIVITY` holds illustrative ratios (labelled assumptions, to be replaced with local
  job-planning figures), derived as noted beside each: e.g. a ward bed needs about 1.5 nursing WTE round
  the clock and turns over 365 x 0.85 / length of stay spells a year.
- New roles come from the interventions' staff lists (posts at full effect), ramped in with the
  intervention (see `interventions.ramp_fractions`). A caseload ratio turns members into posts: the plan's
  up to 135 telephone care managers for 27,000 Birmingham OwnHealth members (plan section 11) is 200
  members per care manager.
- Midwives from births at a births-per-midwife ratio; the default 1 WTE per 28 births is the figure
  commonly quoted from Birthrate Plus for hospital births, used here as a labelled assumption.
- The staff consequence of shifting activity from hospital to community is the difference between the
  plan's and do nothing's WTE by sector and staff group. Plan section 11 warns that acute staff may not
  fall when activity moves (the Dermatology example): the acute figure is the capacity released, not a
  forecast of posts removed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import numpy as np
import pandas as pd

from analysis.model.interventions import Intervention, ramp
from analysis.model.projection import Projection, do_nothing, plan

ACUTE = "acute"
COMMUNITY = "community"
NEW_ROLES = "new roles"

SECTOR_OF_POD = {
    "elective_ordinary": ACUTE,
    "day_case": ACUTE,
    "non_elective": ACUTE,
    "outpatient_first": ACUTE,
    "outpatient_followup": ACUTE,
    "ae": ACUTE,
    "gp_referral": "primary care",
    "community": COMMUNITY,
}

# Activity a year per WTE, by point of delivery and staff group. Illustrative assumptions:
# - inpatients: spells per bed a year = 365 x 0.85 / LOS (3.5 days elective, 6 non-elective), at about
#   1.5 nursing WTE and 0.33 doctor WTE per bed: elective 89 spells a bed -> 59 a nurse, 270 a doctor;
#   non-elective 52 a bed -> 35 a nurse, 155 a doctor;
# - day cases: about 2 lists a week of 6 cases over 42 weeks per surgeon (500), 4 cases a nurse-day (800);
# - outpatients: 4 clinics a week for 42 weeks, 8 new (1,344) or 12 follow-up (2,016) patients a clinic;
# - A&E: about 2,500 attendances a doctor WTE and 1,500 a nurse WTE a year;
# - community: about 7 contacts a working day over 215 days (1,500) for community nurses.
# GP referrals are counted as activity, not as staff work, so they have no ratio.
DEFAULT_PRODUCTIVITY: dict[str, dict[str, float]] = {
    "elective_ordinary": {"Doctors": 270.0, "Nurses": 59.0},
    "non_elective": {"Doctors": 155.0, "Nurses": 35.0},
    "day_case": {"Doctors": 500.0, "Nurses": 800.0},
    "outpatient_first": {"Doctors": 1344.0},
    "outpatient_followup": {"Doctors": 2016.0},
    "ae": {"Doctors": 2500.0, "Nurses": 1500.0},
    "community": {"Community nurses": 1500.0},
}
DEFAULT_CASELOAD_PER_WTE = 200.0  # telephone care management members per care manager (27,000 / 135)
DEFAULT_BIRTHS_PER_MIDWIFE = 28.0  # Birthrate Plus-style ratio, labelled assumption


def productivity_table(ratios: dict[str, dict[str, float]] | None = None) -> pd.DataFrame:
    """Productivity ratios as a frame: pod, sector, staff_group, per_wte (activity a year per WTE)."""
    ratios = DEFAULT_PRODUCTIVITY if ratios is None else ratios
    rows = []
    for pod, groups in ratios.items():
        if pod not in SECTOR_OF_POD:
            raise ValueError(
                f"productivity ratios: unknown point of delivery {pod!r}; expected one of {', '.join(SECTOR_OF_POD)}"
            )
        for group, per_wte in groups.items():
            if not per_wte > 0:
                raise ValueError(
                    f"productivity ratios: {pod}/{group} must be positive activity per WTE, found {per_wte!r}"
                )
            rows.append((pod, SECTOR_OF_POD[pod], group, float(per_wte)))
    return pd.DataFrame(rows, columns=["pod", "sector", "staff_group", "per_wte"])


def wte(activity: pd.DataFrame, ratios: dict[str, dict[str, float]] | None = None) -> pd.DataFrame:
    """WTE needed for activity (columns pod, count and any grouping columns), by staff group and sector."""
    if not {"pod", "count"} <= set(activity.columns):
        raise ValueError("wte: the activity frame needs columns pod and count")
    table = productivity_table(ratios)
    keys = [c for c in activity.columns if c not in ("pod", "count", "cost")]
    merged = activity.merge(table, on="pod", how="inner")
    merged["wte"] = merged["count"] / merged["per_wte"]
    return merged.groupby([*keys, "sector", "staff_group"], as_index=False, sort=True)[["wte"]].sum()


def caseload_wte(members: float, per_wte: float = DEFAULT_CASELOAD_PER_WTE) -> float:
    """Posts needed for a caseload: members / members per WTE."""
    if per_wte <= 0:
        raise ValueError(f"members per WTE must be positive, found {per_wte}")
    return members / per_wte


def midwives(births: float | np.ndarray, births_per_midwife: float = DEFAULT_BIRTHS_PER_MIDWIFE) -> float | np.ndarray:
    """Midwife WTE for a number of births at a births-per-midwife ratio."""
    if births_per_midwife <= 0:
        raise ValueError(f"births per midwife must be positive, found {births_per_midwife}")
    return (
        np.asarray(births, dtype=float) / births_per_midwife if np.ndim(births) else float(births) / births_per_midwife
    )


def births_from_population(
    population: pd.DataFrame, areas: Sequence[str], years: Sequence[int], variant: str = "principal"
) -> pd.DataFrame:
    """Births in fiscal year y, approximated by the population aged 0 at mid-year y + 1 (year, births).

    Infant deaths and migration make this a slight underestimate; use registered births where held.
    """
    pop = population[population["area"].isin(list(areas)) & (population["age"] == 0)]
    rows = []
    for y in years:
        at = pop[pop["year"] == y + 1]
        chosen = at[at["variant"] == variant]
        if chosen.empty:
            chosen = at[at["variant"] == "estimate"]
        if chosen.empty:
            raise ValueError(
                f"population table: no aged-0 population for {y + 1} (variant {variant!r} or estimate) in "
                f"{', '.join(areas)}"
            )
        rows.append((y, float(chosen["population"].sum())))
    return pd.DataFrame(rows, columns=["year", "births"])


def midwife_projection(births: pd.DataFrame, births_per_midwife: float = DEFAULT_BIRTHS_PER_MIDWIFE) -> pd.DataFrame:
    """Midwife WTE per year from a (year, births) frame."""
    out = births.copy()
    out["wte"] = midwives(out["births"].to_numpy(dtype=float), births_per_midwife)
    out["staff_group"] = "Midwives"
    return out


def intervention_staff(interventions: Sequence[Intervention], years: Sequence[int]) -> pd.DataFrame:
    """Posts the interventions need per year (intervention, staff_group, year, fte), ramped in."""
    if not interventions:
        return pd.DataFrame(columns=["intervention", "staff_group", "year", "fte"])
    ramps = ramp(interventions, years)
    rows = [
        (item.id, group, year, fte * ramps[k, j])
        for k, item in enumerate(interventions)
        for group, fte in item.staff
        for j, year in enumerate(years)
    ]
    return pd.DataFrame(rows, columns=["intervention", "staff_group", "year", "fte"])


def _pod_totals(p: Projection, counts: np.ndarray, scenario: str) -> pd.DataFrame:
    """Activity summed by point of delivery per year (year, pod, count, scenario)."""
    frame = pd.DataFrame(counts, index=list(p.years), columns=p.series["pod"].to_numpy())
    # One column level, so stack() gives a Series.
    long = cast(pd.Series, frame.T.groupby(level=0).sum().T.stack()).rename("count").reset_index()
    long.columns = ["year", "pod", "count"]
    long["scenario"] = scenario
    return long


def workforce_projection(p: Projection, ratios: dict[str, dict[str, float]] | None = None) -> pd.DataFrame:
    """WTE by year, scenario, sector and staff group: activity-driven, plus the plan's new roles."""
    frames = [wte(_pod_totals(p, do_nothing(p), "do_nothing"), ratios), wte(_pod_totals(p, plan(p), "plan"), ratios)]
    roles = intervention_staff(p.interventions, p.years)
    if len(roles):
        extra = roles.groupby(["year", "staff_group"], as_index=False)[["fte"]].sum().rename(columns={"fte": "wte"})
        extra["scenario"] = "plan"
        extra["sector"] = NEW_ROLES
        frames.append(extra)
    out = pd.concat(frames, ignore_index=True)
    return out[["year", "scenario", "sector", "staff_group", "wte"]].sort_values(
        ["scenario", "sector", "staff_group", "year"], ignore_index=True
    )


def workforce_shift(projection: pd.DataFrame) -> pd.DataFrame:
    """Plan minus do nothing WTE by year, sector and staff group (negative = capacity released)."""
    wide = projection.pivot_table(
        index=["year", "sector", "staff_group"], columns="scenario", values="wte", aggfunc="sum", fill_value=0.0
    )
    for scenario in ("do_nothing", "plan"):
        if scenario not in wide.columns:
            wide[scenario] = 0.0
    wide["change"] = wide["plan"] - wide["do_nothing"]
    return wide.reset_index()[["year", "sector", "staff_group", "do_nothing", "plan", "change"]]
