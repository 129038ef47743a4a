"""The parameter file: one YAML per edition, validated on load.

An unknown key or an impossible value stops the build with a message naming the file, the key and
what was expected. Defaults live here, in one place.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from analysis.contract import PATHWAYS, PODS, POLARITIES, TABLES
from analysis.inputs import InputError, key_path, non_finite, read_yaml
from analysis.paths import ROOT, resolve

Improvement = Literal["increase", "decrease", "neutral"]
Polarity = Literal["high_is_good", "low_is_good", "no_judgement"]
assert set(Polarity.__args__) == set(POLARITIES)


class ParameterError(InputError):
    """The parameter file is wrong; the message names the file and the key."""


class Strict(BaseModel):
    """Parameters are frozen and refuse keys they do not know, so a misspelt key is an error, not a silent default."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Organisation(Strict):
    """A commissioner, provider or local authority: its code, name and (optionally) population."""

    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    # Commissioners only. `population`: the residents it serves, a number, or "practices" for the sum of
    # the registered lists of its practices in the practice file (data.files.practices).
    population: Annotated[int, Field(gt=0, le=100_000_000)] | Literal["practices"] | None = None
    # Commissioners only: the local authority (ONS code) whose published population and indicators
    # stand for this commissioner in a files edition, where the national files report by local
    # authority, not by PCT. With `population` too, the authority's population (and so its age and
    # sex structure) is scaled to it.
    area: str | None = Field(default=None, min_length=1)

    @field_validator("population")
    @classmethod
    def _positive(cls, value):
        if isinstance(value, int) and value <= 0:
            raise ValueError("population must be a number of residents above 0, or 'practices'")
        return value


class Economy(Strict):
    """The organisations of the local health economy, with England's code and the peer areas."""

    commissioners: list[Organisation] = Field(min_length=1)
    providers: list[Organisation] = []
    local_authorities: list[Organisation] = []
    england: str = "E92000001"
    peers: list[str] = []  # empty: every other area in the data is a peer
    # old code -> code used in the book (e.g. 5QW -> TAM). A list of codes says the old code covers
    # several commissioners (a CCG that took practices from several PCTs): its practices cannot be
    # placed from the files, so they are left out and listed in the data notes, never mapped wholesale.
    code_map: dict[str, str | list[str]] = {}

    @model_validator(mode="after")
    def _population_fits(self) -> "Economy":
        by_area: dict[str, list[str]] = {}
        for c in self.commissioners:
            if c.area and c.population is None:
                by_area.setdefault(c.area, []).append(c.code)
        shared = {area: codes for area, codes in by_area.items() if len(codes) > 1}
        for c in self.commissioners:  # an area shared with a commissioner that does give a population
            if c.area and c.population is not None and c.area in by_area and c.area not in shared:
                shared[c.area] = by_area[c.area]
        if shared:
            area, codes = next(iter(shared.items()))
            raise ValueError(
                f"commissioner(s) {', '.join(codes)} take their population from local authority {area}, which other "
                "commissioners in this file share, so each would be given the whole authority's residents. Add to each "
                "commissioner in that authority `population: <residents>` (a number you can source) or `population: "
                "practices` "
                "(the registered lists of its practices in data.files.practices)"
            )
        return self

    def mapped(self, code: str) -> str | list[str] | None:
        """What an old code maps to: one commissioner, several (a list), or None."""
        return self.code_map.get(code)

    @model_validator(mode="after")
    def _unique_codes(self) -> "Economy":
        for group in ("commissioners", "providers", "local_authorities"):
            codes = [o.code for o in getattr(self, group)]
            repeated = sorted({c for c in codes if codes.count(c) > 1})
            if repeated:
                raise ValueError(
                    f"{group}: code(s) {', '.join(repeated)} listed more than once; each organisation once"
                )
        ours = {c.code for c in self.commissioners}
        peers = sorted(set(self.peers) & ours)
        if peers:
            raise ValueError(f"peers: {', '.join(peers)} is one of the economy's own commissioners, not a peer")
        return self


MONTH = r"^(19|20)\d{2}-(0[1-9]|1[0-2])$"  # YYYY-MM, a real month of 1900-2099


class Period(Strict):
    """The months of history read and the fiscal years of the plan (baseline to horizon)."""

    history_start: str = Field(pattern=MONTH)
    data_end: str = Field(pattern=MONTH)
    baseline_year: int = Field(ge=1990, le=2100)  # fiscal year starting in April of this year
    horizon_year: int = Field(ge=1990, le=2100)

    @model_validator(mode="after")
    def _order(self) -> "Period":
        if self.history_start >= self.data_end:
            raise ValueError(f"history_start ({self.history_start}) must come before data_end ({self.data_end})")
        if self.horizon_year <= self.baseline_year:
            raise ValueError(f"horizon_year ({self.horizon_year}) must come after baseline_year ({self.baseline_year})")
        return self


class SyntheticData(Strict):
    """The synthetic generator's seed and sizes (the default edition)."""

    seed: int = 20080401
    practices: int = Field(default=100, ge=10, le=2000)
    peers: int = Field(default=10, ge=2, le=50)


class FileSource(Strict):
    """One published file, the adapter that reads it, and the adapter's options."""

    adapter: str = Field(min_length=1)
    path: str = Field(min_length=1)
    options: dict = {}


class DataSources(Strict):
    """Where an edition's tables come from: the synthetic generator or published files."""

    kind: Literal["synthetic", "files"]
    synthetic: SyntheticData | None = None
    files: dict[str, list[FileSource]] = {}

    @field_validator("files")
    @classmethod
    def _known_tables(cls, value: dict[str, list[FileSource]]) -> dict[str, list[FileSource]]:
        unknown = [k for k in value if k not in TABLES]
        if unknown:
            raise ValueError(f"unknown table(s) {', '.join(map(repr, unknown))}; expected some of {', '.join(TABLES)}")
        return value

    @model_validator(mode="after")
    def _one_kind(self) -> "DataSources":
        if self.kind == "synthetic" and self.synthetic is None:
            object.__setattr__(self, "synthetic", SyntheticData())
        if self.kind == "files" and not self.files:
            raise ValueError("kind 'files' needs a 'files' mapping of table -> list of {adapter, path}")
        return self


# What a KPI can read from the provider_series table (analysis.report.kpis.provider_measure computes each).
PROVIDER_KPI_MEASURES = (
    "four_hour_all",
    "four_hour_type_1",
    "attendances",
    "attendances_type_1",
    "dta_over_12h",
    "emergency_admissions",
)


class Kpi(Strict):
    """One measure of a pathway: where its series comes from and how to judge it."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    source: Literal["activity", "indicators", "providers"]
    indicator: str | None = None  # for source: indicators
    # For source: providers (the provider_series table, summed over the economy's providers): one of
    # PROVIDER_KPI_MEASURES, e.g. four_hour_all (A&E four-hour performance, all types).
    measure: str | None = None
    pods: list[str] = []  # for source: activity
    pathways: list[str] | None = None  # for source: activity; default: the chapter's pathway
    ratio_to: list[str] | None = None  # activity ratio (e.g. follow-ups per first attendance)
    unit: str
    improvement: Improvement = "neutral"
    polarity: Polarity = "no_judgement"
    target: float | None = None
    area_type: str = "commissioner"
    # How values are shown: "percent" (0.299 as 29.9%) or "number"; unset, a unit that starts
    # "share of" or "proportion of" means percent. Values and targets stay proportions either way.
    format: Literal["percent", "number"] | None = None
    # "spc" (an XmR chart) suits a process that can be stable; "run" (a run chart, no process limits)
    # suits a running total or any series that only grows, such as a scheme's cumulative membership.
    chart: Literal["spc", "run"] = "spc"
    # For a run chart: the plan's path, {"YYYY-MM": value}, drawn as a trajectory to compare with.
    trajectory: dict[str, float] | None = None

    @field_validator("trajectory")
    @classmethod
    def _months(cls, value: dict[str, float] | None) -> dict[str, float] | None:
        if value is None:
            return value
        if not value:
            raise ValueError("trajectory: give at least one {\"YYYY-MM\": value}")
        bad = [k for k in value if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", str(k))]
        if bad:
            raise ValueError(f"trajectory: month(s) {bad} are not written YYYY-MM")
        return {str(k): float(v) for k, v in sorted(value.items())}

    @property
    def percent(self) -> bool:
        """Whether the KPI's values are proportions to show as percentages."""
        if self.format is not None:
            return self.format == "percent"
        return self.unit.strip().lower().startswith(("share of", "proportion of"))

    @model_validator(mode="after")
    def _source(self) -> "Kpi":
        if self.source == "indicators" and not self.indicator:
            raise ValueError(f"KPI '{self.id}' reads the indicators table, so it needs 'indicator'")
        if self.percent and self.target is not None and not 0 <= self.target <= 1:
            raise ValueError(
                f"KPI '{self.id}' is a share, so its target is a proportion from 0 to 1 (0.95 for 95%), not "
                f"{self.target:g}"
            )
        if self.source == "providers" and self.measure not in PROVIDER_KPI_MEASURES:
            raise ValueError(
                f"KPI '{self.id}' reads the provider series, so it needs 'measure', one of "
                f"{', '.join(PROVIDER_KPI_MEASURES)}"
            )
        if self.trajectory is not None and self.chart != "run":
            raise ValueError(f"KPI '{self.id}': 'trajectory' is drawn only on a run chart; add chart: run or remove it")
        if self.source == "activity":
            if not self.pods:
                raise ValueError(f"KPI '{self.id}' reads the activity table, so it needs 'pods'")
            bad = [p for p in self.pods + (self.ratio_to or []) if p not in PODS]
            if bad:
                raise ValueError(f"KPI '{self.id}': unknown pod(s) {bad}; expected one of {', '.join(PODS)}")
            badp = [p for p in (self.pathways or []) if p not in PATHWAYS]
            if badp:
                raise ValueError(f"KPI '{self.id}': unknown pathway(s) {badp}; expected one of {', '.join(PATHWAYS)}")
        return self


class Pathway(Strict):
    """A pathway chapter's measures, funnel indicator and benchmark indicators."""

    kpis: list[Kpi] = []
    funnel: str | None = None  # an indicator reported by practice, shown as a funnel plot
    benchmark: list[str] = []  # indicators compared with England and peers

    @model_validator(mode="after")
    def _unique_kpis(self) -> "Pathway":
        ids = [k.id for k in self.kpis]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(
                f"KPI id(s) {', '.join(repeated)} used more than once; each KPI of a pathway needs its own id"
            )
        return self


class ModelSettings(Strict):
    """The five-year model's Monte Carlo runs and seed."""

    runs: int = Field(default=500, ge=10, le=100000)
    seed: int = 2008


class BuildSettings(Strict):
    """Parallel workers and the per-cell timeout of a build."""

    workers: int = Field(default=2, ge=1, le=16)
    timeout: int = Field(default=900, ge=30)  # seconds per cell


class Edition(Strict):
    """An edition's identity: id, titles, description and whether its data are synthetic."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str
    subtitle: str
    author: str
    synthetic: bool
    description: str


class Params(Strict):
    """A whole parameter file, validated."""

    edition: Edition
    economy: Economy
    period: Period
    data: DataSources
    # The edition's own words (a folder of YAML files: pathways.yml, economy.yml, value.yml,
    # indicators.yml) and its plan (interventions, investments, community beds, allocation). Either may
    # be left out: without content the book uses economy-neutral wording (data/common); without a plan
    # it says once that no plan is loaded and models "do nothing" only.
    content: str | None = None
    plan: str | None = None
    pathways: dict[str, Pathway]
    model: ModelSettings = ModelSettings()
    build: BuildSettings = BuildSettings()

    @property
    def has_plan(self) -> bool:
        """Whether the edition loads a plan (a plan-free edition models no schemes)."""
        return self.plan is not None

    @field_validator("content", "plan")
    @classmethod
    def _existing(cls, value: str | None, info) -> str | None:
        if value is not None and not resolve(value).exists():
            raise ValueError(
                f"{value} does not exist (give a path relative to the project root, or leave '{info.field_name}' out)"
            )
        return value

    @model_validator(mode="after")
    def _synthetic_population(self) -> "Params":
        if self.data.kind == "synthetic" and any(c.population == "practices" for c in self.economy.commissioners):
            raise ValueError(
                "economy.commissioners: `population: practices` needs a practice file (data.kind 'files'); "
                "a synthetic edition takes a number of residents"
            )
        return self

    @field_validator("pathways")
    @classmethod
    def _known_pathways(cls, value: dict[str, Pathway]) -> dict[str, Pathway]:
        unknown = [k for k in value if k not in PATHWAYS]
        if unknown:
            raise ValueError(f"unknown pathway(s) {unknown}; expected some of {', '.join(PATHWAYS)}")
        return {k: value[k] for k in PATHWAYS if k in value}  # the book's order, whatever the file's


def _explain(error: ValidationError, source: str) -> str:
    lines = [f"{source}: the parameter file is not valid"]
    for e in error.errors():
        key = key_path(e["loc"])
        if e["type"] == "extra_forbidden":
            lines.append(
                f"  - key '{key}': unknown key (check its spelling; see params/default.yml for the keys allowed)"
            )
        elif e["type"] == "missing":
            lines.append(f"  - key '{key}': required but missing")
        else:
            msg = e["msg"].removeprefix("Value error, ")
            lines.append(f"  - key '{key}': {msg} (found {e.get('input')!r})")
    return "\n".join(lines)


def load(path: str | Path) -> Params:
    """Read and validate a parameter file."""
    file = resolve(path)
    if not file.exists():
        raise ParameterError(f"{path}: no such parameter file")
    try:
        raw = read_yaml(file, "a parameter file (YAML)", shown=path)
    except InputError as exc:
        raise ParameterError(str(exc)) from None
    if not isinstance(raw, dict):
        raise ParameterError(f"{path}: expected a mapping of keys at the top level")
    bad = non_finite(raw)
    if bad:
        raise ParameterError(f"{path}: key '{key_path(bad[0])}': expected a finite number, found {bad[1]}")
    try:
        return Params.model_validate(raw)
    except ValidationError as exc:
        raise ParameterError(_explain(exc, str(path))) from None


def fingerprint(path: str | Path) -> str:
    """A short hash of a parameter file's bytes, for provenance."""
    return hashlib.sha256(resolve(path).read_bytes()).hexdigest()[:12]


def relative(path: str | Path) -> str:
    """A path as the book shows it: relative to the project root when inside it."""
    p = resolve(path)
    try:
        return str(p.relative_to(ROOT))
    except ValueError:
        return str(p)
