"""The generator's spec (a plain dict from the parameter file), checked and given its calendar."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

KEYS = {"seed", "start", "end", "commissioners", "practices", "peers"}


class SpecError(ValueError):
    """The spec passed to generate() is incomplete or impossible; the message names the key."""


@dataclass(frozen=True)
class Commissioner:
    """A commissioning organisation of the economy and its residents at the spec population year."""

    code: str
    name: str
    population: float


@dataclass(frozen=True)
class Spec:
    """What to generate: the seed, the months of history, the commissioners, practices and peers."""

    seed: int
    start: pd.Period
    end: pd.Period
    commissioners: tuple[Commissioner, ...]
    practices: int
    peers: int

    @cached_property
    def months(self) -> pd.DatetimeIndex:
        """First day of every month of the history."""
        return pd.period_range(self.start, self.end, freq="M").to_timestamp()

    @cached_property
    def years(self) -> list[int]:
        """Financial years of the history, named by their first calendar year (2007 = 2007/08)."""
        return sorted({fin_year(m) for m in self.months})

    @property
    def codes(self) -> list[str]:
        """The commissioners' codes."""
        return [c.code for c in self.commissioners]


def fin_year(month: pd.Timestamp) -> int:
    """The financial year (April to March) a month falls in, named by its first calendar year."""
    return month.year if month.month >= 4 else month.year - 1


def _month(spec: dict, key: str) -> pd.Period:
    try:
        return pd.Period(str(spec[key]), freq="M")
    except (ValueError, TypeError) as err:
        raise SpecError(f"spec['{key}']: expected a month like '2004-04', found {spec[key]!r}") from err


def _positive_int(spec: dict, key: str, least: int) -> int:
    value = spec[key]
    if not isinstance(value, int) or isinstance(value, bool) or value < least:
        raise SpecError(f"spec['{key}']: expected a whole number of at least {least}, found {value!r}")
    return value


def parse(spec: dict) -> Spec:
    """Check a spec dict and return it typed; errors name the key and what was expected."""
    missing = sorted(KEYS - set(spec))
    if missing:
        raise SpecError(f"spec: missing key(s) {', '.join(missing)}; expected {', '.join(sorted(KEYS))}")
    unknown = sorted(set(spec) - KEYS)
    if unknown:
        raise SpecError(f"spec: unknown key(s) {', '.join(unknown)}; expected {', '.join(sorted(KEYS))}")
    start, end = _month(spec, "start"), _month(spec, "end")
    if start > end:
        raise SpecError(f"spec: start ({start}) must not come after end ({end})")
    if start.month != 4 or end.month != 3:
        raise SpecError(
            f"spec: the history must run over whole financial years (start in April, end in March), found {start} to "
            f"{end}"
        )
    commissioners = []
    for i, c in enumerate(spec["commissioners"] or []):
        if not isinstance(c, dict) or not {"code", "name", "population"} <= set(c):
            raise SpecError(f"spec['commissioners'][{i}]: expected code, name and population, found {c!r}")
        if not (isinstance(c["population"], (int, float)) and c["population"] > 0):
            raise SpecError(
                f"spec['commissioners'][{i}]['population']: expected a positive number, found {c['population']!r}"
            )
        commissioners.append(Commissioner(str(c["code"]), str(c["name"]), float(c["population"])))
    if not commissioners:
        raise SpecError("spec['commissioners']: expected at least one commissioner")
    codes = [c.code for c in commissioners]
    if len(set(codes)) != len(codes):
        raise SpecError(f"spec['commissioners']: duplicate codes in {codes}")
    practices = _positive_int(spec, "practices", len(commissioners))
    return Spec(int(spec["seed"]), start, end, tuple(commissioners), practices, _positive_int(spec, "peers", 1))
