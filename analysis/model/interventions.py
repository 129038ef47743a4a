"""The plan's interventions as typed records, checked on the way in.

An intervention (one entry of the parameter file's list) has exactly these fields:

- id, name, pathway, organisation: who and what (organisation "all", "" or None acts economy-wide);
- acts_on: the activity it changes, a list of {pathway, pod};
- start_year: the fiscal year it starts (2008 = 2008/09); ramp_years (>= 1): years of linear ramp-up;
  the share of full effect in fiscal year y is min(1, max(0, (y - start_year + 1) / ramp_years)), so
  the effect begins in the start year (1 / ramp_years of it) and is full from start_year + ramp_years - 1;
- effect_low, effect_high: the 80% interval of the proportional change in the affected activity at
  full effect (-0.10, -0.03 means a 3-10% reduction); -1 < effect_low <= effect_high;
- investment: one-off pounds in the start year; recurrent_cost: pounds a year from the start year;
- staff: new posts at full effect, a list of {staff_group, fte};
- basis, source, note: where the numbers come from (text, may be empty).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, overload

import numpy as np

from analysis.contract import PATHWAYS, PODS

FIELDS = (
    "id",
    "name",
    "pathway",
    "organisation",
    "acts_on",
    "start_year",
    "ramp_years",
    "effect_low",
    "effect_high",
    "investment",
    "recurrent_cost",
    "staff",
    "basis",
    "source",
    "note",
)
ECONOMY_WIDE = ("", "all")
# An 80% interval of a normal distribution spans 2 x 1.2816 = 2.563 standard deviations.
Z80_WIDTH = 2.563


@dataclass(frozen=True)
class Intervention:
    """One intervention of the plan, validated."""

    id: str
    name: str
    pathway: str
    organisation: str | None
    acts_on: tuple[tuple[str, str], ...]
    start_year: int
    ramp_years: int
    effect_low: float
    effect_high: float
    investment: float
    recurrent_cost: float
    staff: tuple[tuple[str, float], ...]
    basis: str | None = None
    source: str | None = None
    note: str | None = None

    @property
    def effect_mean(self) -> float:
        """The central effect: the middle of the 80% interval."""
        return (self.effect_low + self.effect_high) / 2

    @property
    def effect_sd(self) -> float:
        """The standard deviation of the normal whose 80% interval is (effect_low, effect_high)."""
        return (self.effect_high - self.effect_low) / Z80_WIDTH

    @property
    def economy_wide(self) -> bool:
        """True when the intervention acts on every organisation's activity."""
        return self.organisation is None or self.organisation.strip().lower() in ECONOMY_WIDE


def _error(where: str, message: str) -> ValueError:
    """An error that says which intervention and what was expected."""
    return ValueError(f"interventions, {where}: {message}")


def _number(raw: Mapping, key: str, where: str, *, minimum: float | None = None) -> float:
    """A finite number field, optionally at least `minimum`."""
    value = raw[key]
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.integer, np.floating))
        or not math.isfinite(value)
    ):
        raise _error(where, f"field '{key}' must be a finite number, found {value!r}")
    if minimum is not None and value < minimum:
        raise _error(where, f"field '{key}' must be at least {minimum:g}, found {value!r}")
    return float(value)


def _whole(raw: Mapping, key: str, where: str, *, minimum: int) -> int:
    """A whole-number field, at least `minimum`."""
    value = _number(raw, key, where, minimum=minimum)
    if value != int(value):
        raise _error(where, f"field '{key}' must be a whole number, found {raw[key]!r}")
    return int(value)


@overload
def _text(raw: Mapping, key: str, where: str, *, required: Literal[True]) -> str: ...
@overload
def _text(raw: Mapping, key: str, where: str, *, required: bool) -> str | None: ...
def _text(raw: Mapping, key: str, where: str, *, required: bool) -> str | None:
    """A text field (None allowed when not required)."""
    value = raw[key]
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise _error(where, f"field '{key}' must be {'non-empty ' if required else ''}text, found {value!r}")
    return value


def _acts_on(raw: Mapping, where: str) -> tuple[tuple[str, str], ...]:
    """The acts_on list as (pathway, pod) pairs, each known and listed once."""
    items = raw["acts_on"]
    if not isinstance(items, Sequence) or isinstance(items, str) or not items:
        raise _error(where, "field 'acts_on' must be a non-empty list of {pathway, pod}")
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, Mapping) or set(item) != {"pathway", "pod"}:
            raise _error(where, f"acts_on[{i}] must have exactly the keys pathway and pod, found {item!r}")
        if item["pathway"] not in PATHWAYS:
            raise _error(where, f"acts_on[{i}].pathway must be one of {', '.join(PATHWAYS)}, found {item['pathway']!r}")
        if item["pod"] not in PODS:
            raise _error(where, f"acts_on[{i}].pod must be one of {', '.join(PODS)}, found {item['pod']!r}")
        out.append((str(item["pathway"]), str(item["pod"])))
    if len(set(out)) != len(out):
        raise _error(where, "acts_on lists the same pathway and pod twice")
    return tuple(out)


def _staff(raw: Mapping, where: str) -> tuple[tuple[str, float], ...]:
    """The staff list as (staff_group, fte) pairs."""
    items = raw["staff"]
    if items is None:
        return ()
    if not isinstance(items, Sequence) or isinstance(items, str):
        raise _error(where, "field 'staff' must be a list of {staff_group, fte}")
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, Mapping) or set(item) != {"staff_group", "fte"}:
            raise _error(where, f"staff[{i}] must have exactly the keys staff_group and fte, found {item!r}")
        group = _text(item, "staff_group", f"{where}, staff[{i}]", required=True)
        out.append((group, _number(item, "fte", f"{where}, staff[{i}]")))
    return tuple(out)


def parse_intervention(raw: Mapping, position: int = 0) -> Intervention:
    """Check one intervention dict and return it typed; errors name the intervention and field."""
    where = f"item {position} (id {raw.get('id', '?')!r})" if isinstance(raw, Mapping) else f"item {position}"
    if not isinstance(raw, Mapping):
        raise _error(where, f"expected a mapping of fields, found {type(raw).__name__}")
    missing = [f for f in FIELDS if f not in raw]
    unknown = [k for k in raw if k not in FIELDS]
    if missing:
        raise _error(where, f"missing field(s) {', '.join(missing)}")
    if unknown:
        raise _error(where, f"unknown field(s) {', '.join(map(str, unknown))}; expected exactly {', '.join(FIELDS)}")
    pathway = _text(raw, "pathway", where, required=True)
    if pathway not in PATHWAYS:
        raise _error(where, f"field 'pathway' must be one of {', '.join(PATHWAYS)}, found {pathway!r}")
    low = _number(raw, "effect_low", where)
    high = _number(raw, "effect_high", where)
    if not -1 < low <= high:
        raise _error(where, f"expected -1 < effect_low <= effect_high, found effect_low={low:g}, effect_high={high:g}")
    return Intervention(
        id=_text(raw, "id", where, required=True),
        name=_text(raw, "name", where, required=True),
        pathway=pathway,
        organisation=_text(raw, "organisation", where, required=False),
        acts_on=_acts_on(raw, where),
        start_year=_whole(raw, "start_year", where, minimum=1900),
        ramp_years=_whole(raw, "ramp_years", where, minimum=1),
        effect_low=low,
        effect_high=high,
        investment=_number(raw, "investment", where, minimum=0),
        recurrent_cost=_number(raw, "recurrent_cost", where, minimum=0),
        staff=_staff(raw, where),
        basis=_text(raw, "basis", where, required=False),
        source=_text(raw, "source", where, required=False),
        note=_text(raw, "note", where, required=False),
    )


def parse_interventions(items: Iterable[Mapping | Intervention]) -> tuple[Intervention, ...]:
    """Check a list of intervention dicts (or Intervention records); ids must be unique."""
    out = tuple(i if isinstance(i, Intervention) else parse_intervention(i, n) for n, i in enumerate(items))
    seen: set[str] = set()
    for n, i in enumerate(out):
        if i.id in seen:
            raise _error(f"item {n} (id {i.id!r})", "the id is used by an earlier intervention; ids must be unique")
        seen.add(i.id)
    return out


def ramp_fractions(start_years: np.ndarray, ramp_years: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Share of full effect (interventions x years): linear from 1/ramp in the start year to 1."""
    start = np.asarray(start_years, dtype=float)[:, None]
    ramp = np.asarray(ramp_years, dtype=float)[:, None]
    return np.clip((np.asarray(years, dtype=float)[None, :] - start + 1) / ramp, 0.0, 1.0)


def ramp(interventions: Sequence[Intervention], years: Sequence[int]) -> np.ndarray:
    """Ramp fractions for a list of interventions (interventions x years)."""
    return ramp_fractions(
        np.array([i.start_year for i in interventions], dtype=float),
        np.array([i.ramp_years for i in interventions], dtype=float),
        np.asarray(years),
    )


# A scheme that moves care out of hospital is entered as "<id>" (the community side, carrying the
# cost) and "<id>_hospital" (the hospital activity it avoids); judged apart, one half would have no
# cost and the other no saving, so every page judges the two together as one scheme.
HOSPITAL_SUFFIX = "_hospital"


def scheme_of(ids: Sequence[str]) -> list[str]:
    """The scheme each intervention id belongs to: '<id>_hospital' joins '<id>' when that exists."""
    known = set(ids)
    return [
        i.removesuffix(HOSPITAL_SUFFIX)
        if i.endswith(HOSPITAL_SUFFIX) and i.removesuffix(HOSPITAL_SUFFIX) in known
        else i
        for i in ids
    ]
