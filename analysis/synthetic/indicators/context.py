"""What every indicator module shares: the spec's calendar, the areas and peers, and their residents."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from analysis.model.fiscal import fy_label
from analysis.synthetic.population import ENGLAND, Arrays, total
from analysis.synthetic.spec import Spec, fin_year
from analysis.synthetic.streams import stream

COMMISSIONER, ENGLAND_TYPE, PEER, PRACTICE, DECILE = "commissioner", "england", "peer", "practice", "deprivation_decile"


def area_type(area: str) -> str:
    """'england' for England, else 'commissioner'."""
    return ENGLAND_TYPE if area == ENGLAND else COMMISSIONER


@dataclass(frozen=True)
class Peer:
    """A synthetic peer area like the first commissioner, with its own size."""

    code: str
    name: str
    population: float


@dataclass(frozen=True)
class Context:
    """The inputs of the indicators: spec, calibration, population, practices and activity."""

    spec: Spec
    calibration: dict
    arrays: Arrays
    practices: pd.DataFrame
    activity: pd.DataFrame

    def rng(self, indicator: str, *part: str) -> np.random.Generator:
        """The random stream of one indicator (or of a part of it, such as its peers)."""
        return stream(self.spec.seed, "indicators", indicator, *part)

    @property
    def cal(self) -> dict:
        """The indicators' part of the calibration file."""
        return self.calibration["indicators"]

    @property
    def anchor(self) -> int:
        """The calibration's anchor year (levels are set for it)."""
        return self.calibration["periods"]["anchor_year"]

    @property
    def years(self) -> list[int]:
        """The fiscal years of the history."""
        return self.spec.years

    @property
    def months(self) -> pd.DatetimeIndex:
        """The months of the history."""
        return self.spec.months

    @cached_property
    def month_year(self) -> np.ndarray:
        """Index into `years` of each month."""
        return np.array([self.years.index(fin_year(m)) for m in self.months])

    @property
    def areas(self) -> list[str]:
        """The commissioners and England."""
        return [*self.spec.codes, ENGLAND]

    def seasonal(self, factors: list[float]) -> np.ndarray:
        """Monthly factors given April to March (any scale), as one factor per month of the history, mean 1."""
        f = np.asarray(factors, dtype=float)
        return (f / f.mean())[(self.months.month - 4) % 12]

    @property
    def reference(self) -> str:
        """The commissioner the peers resemble (the first: BEN in the default edition)."""
        return self.spec.codes[0]

    @cached_property
    def names(self) -> dict[str, str]:
        """Area code -> name: the commissioners and England."""
        return {c.code: c.name for c in self.spec.commissioners} | {ENGLAND: "England"}

    @cached_property
    def peers(self) -> list[Peer]:
        """The synthetic peer areas, with populations drawn in the calibration's range."""
        low, high = self.cal["peers"]["population_range"]
        sizes = self.rng("peers").uniform(low, high, self.spec.peers)
        return [Peer(f"SYNP{i:02d}", f"Peer area {i}", round(float(s), -2)) for i, s in enumerate(sizes, start=1)]

    def residents(self, area: str, year: int, ages: range | None = None) -> float:
        """Residents of a commissioner, England or a peer (peers have the reference commissioner's age mix)."""
        if area.startswith("SYNP"):
            peer = next(p for p in self.peers if p.code == area)
            share = total(self.arrays, self.reference, year, ages) / total(self.arrays, self.reference, year)
            return peer.population * share
        return total(self.arrays, area, year, ages)

    def residents_by_year(self, area: str, ages: range | None = None) -> np.ndarray:
        """Residents of an area in each year of the history."""
        return np.array([self.residents(area, y, ages) for y in self.years])

    def trend(self, change: float, base_year: int | None = None) -> np.ndarray:
        """Multiplicative levels by year from a yearly change factor, 1 in base_year (default the anchor)."""
        base = self.anchor if base_year is None else base_year
        return change ** (np.array(self.years) - base)

    def monthly_periods(self) -> tuple[list[str], pd.DatetimeIndex]:
        """Each month's label ('2007-04') and first day."""
        return [m.strftime("%Y-%m") for m in self.months], self.months

    def annual_periods(self) -> tuple[list[str], pd.DatetimeIndex]:
        """Each fiscal year's label ('2007/08') and first day."""
        return [fy_label(y) for y in self.years], pd.DatetimeIndex(
            [pd.Timestamp(year=y, month=4, day=1) for y in self.years]
        )

    @cached_property
    def activity_totals(self) -> pd.Series:
        """Activity counts summed by commissioner, pathway, pod and month (computed once)."""
        return self.activity.groupby(["commissioner", "pathway", "pod", "month"], observed=True)["count"].sum()

    def activity_by_month(self, area: str, pathways: list[str] | None, pods: list[str]) -> np.ndarray:
        """A commissioner's monthly activity count over the chosen pathways (None: all) and pods."""
        totals = self.activity_totals
        index = totals.index
        mask = (index.get_level_values("commissioner") == area) & index.get_level_values("pod").isin(pods)
        if pathways is not None:
            mask &= index.get_level_values("pathway").isin(pathways)
        by_month = totals[mask].groupby(level="month").sum()
        return by_month.reindex(self.months, fill_value=0.0).to_numpy(float)

    @cached_property
    def practice_table(self) -> pd.DataFrame:
        """One row per practice (as in the first year): practice, name, commissioner, imd_score."""
        first = self.practices[self.practices["year"] == self.years[0]]
        return first[["practice", "name", "commissioner", "imd_score"]].reset_index(drop=True)

    @cached_property
    def practice_lists(self) -> np.ndarray:
        """List sizes, shape (practices in practice_table order, years)."""
        wide = self.practices.pivot(index="practice", columns="year", values="list_size")
        return wide.loc[self.practice_table["practice"], self.years].to_numpy(float)

    def practice_residents(self, ages: range, gradient: float = 0.0) -> np.ndarray:
        """Residents of each practice in an age range, shape (practices, years).

        List size times the commissioner's age share, tilted by deprivation (gradient per IMD point), summing to the
        commissioner's.
        """
        table, lists = self.practice_table, self.practice_lists
        imd = table["imd_score"].to_numpy(float)
        out = np.zeros_like(lists)
        for code in self.spec.codes:
            mine = (table["commissioner"] == code).to_numpy()
            for y, year in enumerate(self.years):
                weight = lists[mine, y]
                tilt = weight * np.exp(gradient * (imd[mine] - np.average(imd[mine], weights=weight)))
                out[mine, y] = tilt / tilt.sum() * total(self.arrays, code, year, ages)
        return out
