"""The plan file's schema: what `plan:` in a parameter file must point at, checked before any chapter runs.

A plan file is a YAML mapping with some of these keys (data/default/plan.yml is the worked example):

- investments: a list of {organisation, intention, description, investment, pathway, pathway_note?, source?};
- interventions: the model's interventions (fields and rules in analysis/model/interventions.py);
- community_beds: a list of {organisation, year, beds, basis?, source?, note?};
- allocation: the finance assumptions, each value either a number or a {value, basis, source, note}
  record (rules in analysis/model/finance.parse_assumptions);
- savings_release: a share from 0 to 1, or a {value, ...} record;
- source: how the book's source lines cite the plan (text).

Every organisation a plan names must be one of the edition's commissioners or providers ("all" means
the whole economy, for interventions), so a plan written for another economy is refused rather than
shown under this one's name. Effects, rates, costs and staff must lie in the ranges below; an error
names the plan file, the key path (interventions[3].effect_low) and the rule.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from analysis.contract import PATHWAYS
from analysis.inputs import InputError, key_path, non_finite, read_yaml

log = logging.getLogger("analysis.plan")

KEYS = ("source", "investments", "interventions", "community_beds", "allocation", "savings_release")
INVESTMENT_FIELDS = {"organisation": True, "intention": True, "description": True, "investment": True,
                     "pathway": True, "pathway_note": False, "source": False}  # fmt: skip
BED_FIELDS = {"organisation": True, "year": True, "beds": True, "basis": False, "source": False, "note": False}
MAX_MONEY = 1e12  # pounds: more than any economy's budget, so a larger figure is a typing error
MAX_EFFECT = 5.0  # an intervention may at most multiply its activity by six
RATE_RANGE = (-0.5, 0.5)  # yearly growth, cost pressure and efficiency: a fall or rise of up to half
MAX_FTE = 100_000
MAX_BEDS = 10_000


class PlanError(InputError):
    """The plan file is wrong; the message names the file, the key path and the rule."""


def load_plan(
    path: str | Path, shown: str, commissioners: list[str], providers: list[str], years: tuple[int, int]
) -> dict:
    """Read and check a plan file against the edition's organisations and years; return its mapping."""
    raw = read_yaml(path, "a plan file (YAML)", shown=shown)
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise PlanError(
            f"{shown}: expected a mapping with some of the keys {', '.join(KEYS)}, found {type(raw).__name__}"
        )
    check_plan(raw, shown, commissioners, providers, years)
    return dict(raw)


def check_plan(
    raw: Mapping, shown: str, commissioners: list[str], providers: list[str], years: tuple[int, int]
) -> None:
    """Every rule of the module docstring; the first broken one raises PlanError."""

    def fail(path: tuple, rule: str) -> PlanError:
        return PlanError(f"{shown}, key '{key_path(path)}': {rule}")

    unknown = [k for k in raw if k not in KEYS]
    if unknown:
        raise fail((unknown[0],), f"unknown key; a plan file has some of {', '.join(KEYS)}")
    bad = non_finite(dict(raw))
    if bad:
        raise fail(bad[0], f"expected a finite number, found {bad[1]}")
    if "source" in raw and not isinstance(raw["source"], str):
        raise fail(("source",), f"expected text (how source lines cite the plan), found {raw['source']!r}")
    orgs = list(dict.fromkeys([*commissioners, *providers]))
    first, last = years
    named = named_organisations(raw)
    foreign = bool(named) and not named & set(orgs)
    if foreign:
        # Transitional: the book still ignores a plan written wholly for another economy (see
        # analysis.report.outlook.economy_interventions); say so rather than refuse the edition.
        log.warning("%s names none of this edition's organisations (%s, not %s): the book leaves its plan out; "
                    "give the edition its own plan file", shown, ", ".join(sorted(named)), ", ".join(orgs))

    def organisation(value: Any, path: tuple, *, economy_wide: bool = False) -> None:
        if foreign:
            return
        allowed = orgs + (["all"] if economy_wide else [])
        if economy_wide and value in (None, ""):
            return
        if str(value) not in allowed:
            raise fail(path, f"{value!r} is not one of this edition's organisations ({', '.join(allowed)}); "
                             "a plan names only the economy's own commissioners and providers")

    def number(value: Any, path: tuple, low: float, high: float, what: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise fail(path, f"expected {what}, a number from {low:g} to {high:g}, found {value!r}")
        if not low <= value <= high:
            raise fail(path, f"expected {what} from {low:g} to {high:g}, found {value:g}")
        return float(value)

    def records(key: str, fields: Mapping[str, bool]) -> list[Mapping]:
        items = raw.get(key) or []
        if not isinstance(items, list):
            raise fail((key,), f"expected a list of entries, found {type(items).__name__}")
        for i, item in enumerate(items):
            if not isinstance(item, Mapping):
                raise fail((key, i), f"expected a mapping with the fields {', '.join(fields)}, found {item!r}")
            missing = [f for f, required in fields.items() if required and f not in item]
            if missing:
                raise fail((key, i), f"missing field(s) {', '.join(missing)}")
            extra = [f for f in item if f not in fields]
            if extra:
                raise fail((key, i, extra[0]), f"unknown field; expected some of {', '.join(fields)}")
            for f in fields:
                if (
                    f in item
                    and isinstance(fields[f], bool)
                    and f in ("intention", "description", "pathway_note", "source", "basis", "note")
                ):
                    if item[f] is not None and not isinstance(item[f], str):
                        raise fail((key, i, f), f"expected text, found {item[f]!r}")
        return items

    for i, item in enumerate(records("investments", INVESTMENT_FIELDS)):
        organisation(item["organisation"], ("investments", i, "organisation"))
        number(item["investment"], ("investments", i, "investment"), 0, MAX_MONEY, "pounds")
        if item["pathway"] not in PATHWAYS:
            raise fail(
                ("investments", i, "pathway"), f"expected one of {', '.join(PATHWAYS)}, found {item['pathway']!r}"
            )

    _check_interventions(raw, fail, organisation, number, years)

    for i, item in enumerate(records("community_beds", BED_FIELDS)):
        organisation(item["organisation"], ("community_beds", i, "organisation"))
        number(item["year"], ("community_beds", i, "year"), first, last, "a fiscal year of the model")
        number(item["beds"], ("community_beds", i, "beds"), 0, MAX_BEDS, "beds")

    if "allocation" in raw:
        _check_allocation(raw["allocation"], fail, organisation, number, [] if foreign else commissioners)

    if "savings_release" in raw:
        release = raw["savings_release"]
        value = release.get("value") if isinstance(release, Mapping) else release
        path = ("savings_release", "value") if isinstance(release, Mapping) else ("savings_release",)
        number(value, path, 0, 1, "a share")


def named_organisations(raw: Mapping) -> set[str]:
    """Every organisation code a plan names (investments, interventions, community beds, allocation baselines)."""
    names = set()
    for key in ("investments", "interventions", "community_beds"):
        items = raw.get(key) or []
        if isinstance(items, list):
            names |= {
                str(i.get("organisation"))
                for i in items
                if isinstance(i, Mapping) and i.get("organisation") not in (None, "")
            }
    allocation = raw.get("allocation")
    if isinstance(allocation, Mapping):
        baseline = allocation.get("baseline", allocation.get("baseline_allocation"))
        if isinstance(baseline, Mapping):
            names |= {str(k) for k in baseline}
    return names - {"all"}


def _check_interventions(raw: Mapping, fail, organisation, number, years: tuple[int, int]) -> None:
    """The model's own rules (analysis.model.interventions), then organisations and ranges."""
    from analysis.model.interventions import parse_intervention

    items = raw.get("interventions") or []
    if not isinstance(items, list):
        raise fail(("interventions",), f"expected a list of interventions, found {type(items).__name__}")
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        try:
            parsed = parse_intervention(item, i)
        except ValueError as exc:
            rule = str(exc).removeprefix("interventions, ")
            raise fail(("interventions", i), rule) from None
        if parsed.id in seen:
            raise fail(
                ("interventions", i, "id"),
                f"{parsed.id!r} is also the id of interventions[{seen[parsed.id]}]; ids must be unique",
            )
        seen[parsed.id] = i
        organisation(item["organisation"], ("interventions", i, "organisation"), economy_wide=True)
        number(item["effect_high"], ("interventions", i, "effect_high"), -1, MAX_EFFECT, "a proportional change")
        number(
            item["start_year"], ("interventions", i, "start_year"), 1990, years[1], "a fiscal year up to the horizon"
        )
        number(item["ramp_years"], ("interventions", i, "ramp_years"), 1, 50, "years")
        number(item["investment"], ("interventions", i, "investment"), 0, MAX_MONEY, "pounds")
        number(item["recurrent_cost"], ("interventions", i, "recurrent_cost"), 0, MAX_MONEY, "pounds a year")
        for j, (_, fte) in enumerate(parsed.staff):
            number(fte, ("interventions", i, "staff", j, "fte"), 0, MAX_FTE, "whole-time equivalents")


def _plain(node: Any) -> Any:
    """An assumptions mapping with each {value, basis, source, note} record replaced by its value."""
    if isinstance(node, Mapping):
        if "value" in node:
            return _plain(node["value"])
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _check_allocation(allocation: Any, fail, organisation, number, commissioners: list[str]) -> None:
    """The finance model's rules (analysis.model.finance.parse_assumptions), then organisations and rate ranges."""
    from analysis.model.finance import parse_assumptions

    if not isinstance(allocation, Mapping):
        raise fail(("allocation",), f"expected a mapping of finance assumptions, found {type(allocation).__name__}")
    plain = _plain(allocation)
    for key in ("growth", "cost_pressure", "efficiency", "efficiency_requirement"):
        rates = plain.get(key)
        pairs = rates.items() if isinstance(rates, Mapping) else ([] if rates is None else [(None, rates)])
        for year, rate in pairs:
            path = ("allocation", key) if year is None else ("allocation", key, year)
            number(rate, path, *RATE_RANGE, f"a yearly rate ({RATE_RANGE[0]:.0%} to {RATE_RANGE[1]:+.0%})")
    try:
        parsed = parse_assumptions(plain, "allocation")
    except (ValueError, TypeError) as exc:
        raise fail(("allocation",), str(exc).removeprefix("allocation: ")) from None
    for org in plain.get("baseline", plain.get("baseline_allocation", {})):
        organisation(org, ("allocation", "baseline", org))
    missing = [c for c in commissioners if c not in parsed.baseline]
    if missing:
        raise fail(("allocation", "baseline"), f"no allocation for commissioner(s) {', '.join(missing)}; "
                                              "the finance model needs one for each commissioner")
