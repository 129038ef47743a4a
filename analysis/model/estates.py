"""Estates: beds by sector from admissions, length of stay and target occupancy.

    bed days = admissions x average length of stay (days)
    beds     = bed days / 365 / target occupancy

Sectors follow the KH03 return: general and acute, maternity, mental illness, and community beds
commissioned by the plan. Admissions are the elective ordinary and non-elective points of delivery
(day cases use no overnight bed). `DEFAULT_LOS` and `DEFAULT_OCCUPANCY` are illustrative, labelled
assumptions: replace them with local lengths of stay (for example from HES) and the economy's own
occupancy targets. The plan commissions up to 36 community beds in BEN PCT as hospital beds are
reduced (plan section 10 and section 11, "End of Life Care"); `community_beds` turns such a list of
commissions into beds by year, and `community_beds_for` sizes community beds from avoided acute bed days.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.model.projection import Projection, do_nothing, plan

GENERAL_ACUTE = "general_and_acute"
MATERNITY = "maternity"
MENTAL_ILLNESS = "mental_illness"
COMMUNITY = "community"
SECTORS = (GENERAL_ACUTE, MATERNITY, MENTAL_ILLNESS, COMMUNITY)
BED_PODS = ("elective_ordinary", "non_elective")
DAYS_A_YEAR = 365.0

# Average length of stay in days by point of delivery, with pathway overrides (illustrative).
DEFAULT_LOS: dict[str, float] = {"elective_ordinary": 3.5, "non_elective": 6.0}
DEFAULT_LOS_BY_PATHWAY: dict[tuple[str, str], float] = {
    ("maternity", "elective_ordinary"): 2.5,
    ("maternity", "non_elective"): 2.0,
    ("children", "non_elective"): 2.0,
    ("long_term_conditions", "non_elective"): 8.0,
    ("end_of_life", "non_elective"): 12.0,
    ("mental_health", "elective_ordinary"): 35.0,
    ("mental_health", "non_elective"): 35.0,
}
# Target bed occupancy by sector (illustrative; 85% is the commonly used general and acute target).
DEFAULT_OCCUPANCY: dict[str, float] = {GENERAL_ACUTE: 0.85, MATERNITY: 0.75, MENTAL_ILLNESS: 0.90, COMMUNITY: 0.90}


def bed_days(admissions: float | np.ndarray, los: float | np.ndarray) -> float | np.ndarray:
    """Bed days: admissions x average length of stay."""
    return np.multiply(admissions, los)


def beds_needed(days: float | np.ndarray, occupancy: float | np.ndarray) -> float | np.ndarray:
    """Beds for a number of bed days a year at a target occupancy: days / 365 / occupancy."""
    occ = np.asarray(occupancy, dtype=float)
    if np.any((occ <= 0) | (occ > 1)):
        raise ValueError(f"target occupancy must be in (0, 1], found {occupancy!r}")
    out = np.divide(days, DAYS_A_YEAR * occ)
    return float(out) if np.ndim(out) == 0 else out


def sector_of(pathway: str) -> str:
    """The bed sector of a pathway's admissions."""
    return {"maternity": MATERNITY, "mental_health": MENTAL_ILLNESS}.get(pathway, GENERAL_ACUTE)


def length_of_stay(
    pathway: str,
    pod: str,
    los: Mapping[str, float] | None = None,
    by_pathway: Mapping[tuple[str, str], float] | None = None,
) -> float:
    """Average length of stay for a pathway and point of delivery (pathway override, else the pod's)."""
    los = DEFAULT_LOS if los is None else los
    by_pathway = DEFAULT_LOS_BY_PATHWAY if by_pathway is None else by_pathway
    if (pathway, pod) in by_pathway:
        return float(by_pathway[(pathway, pod)])
    if pod in los:
        return float(los[pod])
    raise ValueError(f"length of stay: no value for pod {pod!r} (pathway {pathway!r})")


def beds_projection(
    p: Projection,
    *,
    los: Mapping[str, float] | None = None,
    los_by_pathway: Mapping[tuple[str, str], float] | None = None,
    occupancy: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Admissions, bed days and beds by year, scenario and sector (do nothing and the plan)."""
    occupancy = DEFAULT_OCCUPANCY if occupancy is None else occupancy
    mask = p.series["pod"].isin(BED_PODS).to_numpy()
    series = p.series[mask]
    stay = np.array([length_of_stay(str(r.pathway), str(r.pod), los, los_by_pathway) for r in series.itertuples()])
    sectors = series["pathway"].map(sector_of).to_numpy()
    rows = []
    for scenario, counts in (("do_nothing", do_nothing(p)[:, mask]), ("plan", plan(p)[:, mask])):
        days = counts * stay[None, :]
        for sector in SECTORS[:-1]:
            cols = sectors == sector
            if not cols.any():
                continue
            for j, year in enumerate(p.years):
                total_days = float(days[j, cols].sum())
                rows.append(
                    (
                        year,
                        scenario,
                        sector,
                        float(counts[j, cols].sum()),
                        total_days,
                        beds_needed(total_days, occupancy[sector]),
                    )
                )
    return pd.DataFrame(rows, columns=["year", "scenario", "sector", "admissions", "bed_days", "beds"])


def community_beds(commissions: Sequence[Mapping], years: Sequence[int]) -> pd.DataFrame:
    """Community beds open by year from commissions [{organisation, year, beds}] (open from that year on)."""
    rows = []
    for n, c in enumerate(commissions):
        if not {"organisation", "year", "beds"} <= set(c):
            raise ValueError(
                f"community bed commissions, item {n}: expected keys organisation, year, beds; found "
                f"{', '.join(map(str, c))}"
            )
        for y in years:
            rows.append((str(c["organisation"]), y, float(c["beds"]) if y >= int(c["year"]) else 0.0))
    frame = pd.DataFrame(rows, columns=["organisation", "year", "beds"])
    return frame.groupby(["organisation", "year"], as_index=False)[["beds"]].sum()


def community_beds_for(
    avoided_bed_days: float,
    share_to_community: float = 1.0,
    los_ratio: float = 1.0,
    occupancy: float = DEFAULT_OCCUPANCY[COMMUNITY],
) -> float:
    """Community beds to take a share of avoided acute bed days, at a community/acute stay ratio."""
    return float(beds_needed(avoided_bed_days * share_to_community * los_ratio, occupancy))


def bed_balance(beds: pd.DataFrame, community: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per year: hospital beds under do nothing and the plan, the reduction, and community beds commissioned."""
    hospital = beds.pivot_table(index="year", columns="scenario", values="beds", aggfunc="sum")
    out = pd.DataFrame(
        {
            "year": hospital.index,
            "hospital_do_nothing": hospital["do_nothing"].to_numpy(),
            "hospital_plan": hospital["plan"].to_numpy(),
        }
    )
    out["hospital_reduction"] = out["hospital_do_nothing"] - out["hospital_plan"]
    if community is not None and len(community):
        open_beds = community.groupby("year")["beds"].sum()
        out["community_commissioned"] = out["year"].map(open_beds).fillna(0.0).to_numpy()
    else:
        out["community_commissioned"] = 0.0
    return out
