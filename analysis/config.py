"""The parameter file: one YAML per edition, validated on load.

An unknown key or an impossible value stops the build with a message naming the file, the key and
what was expected. Defaults live here, in one place.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from analysis.contract import PATHWAYS, PODS, POLARITIES
from analysis.paths import ROOT, resolve

Improvement = Literal["increase", "decrease", "neutral"]
Polarity = Literal["high_is_good", "low_is_good", "no_judgement"]
assert set(Polarity.__args__) == set(POLARITIES)


class ParameterError(ValueError):
    """The parameter file is wrong; the message names the file and the key."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Organisation(Strict):
    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    population: int | None = Field(default=None, gt=0)
    # Commissioners only: the local authority (ONS code) whose published population and indicators
    # stand for this commissioner in a files edition, where the national files report by local
    # authority, not by PCT. With `population` too, the authority's population is scaled to it.
    area: str | None = Field(default=None, min_length=1)


class Economy(Strict):
    commissioners: list[Organisation] = Field(min_length=1)
    providers: list[Organisation] = []
    local_authorities: list[Organisation] = []
    england: str = "E92000001"
    peers: list[str] = []  # empty: every other area in the data is a peer
    code_map: dict[str, str] = {}  # old code -> code used in the book (e.g. 5QW -> TAM)


class Period(Strict):
    history_start: str = Field(pattern=r"^\d{4}-\d{2}$")
    data_end: str = Field(pattern=r"^\d{4}-\d{2}$")
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
    seed: int = 20080401
    practices: int = Field(default=100, ge=10, le=2000)
    peers: int = Field(default=10, ge=2, le=50)


class FileSource(Strict):
    adapter: str = Field(min_length=1)
    path: str = Field(min_length=1)
    options: dict = {}


class DataSources(Strict):
    kind: Literal["synthetic", "files"]
    synthetic: SyntheticData | None = None
    files: dict[str, list[FileSource]] = {}

    @model_validator(mode="after")
    def _one_kind(self) -> "DataSources":
        if self.kind == "synthetic" and self.synthetic is None:
            object.__setattr__(self, "synthetic", SyntheticData())
        if self.kind == "files" and not self.files:
            raise ValueError("kind 'files' needs a 'files' mapping of table -> list of {adapter, path}")
        return self


class Kpi(Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    source: Literal["activity", "indicators"]
    indicator: str | None = None  # for source: indicators
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
    kpis: list[Kpi] = []
    funnel: str | None = None  # an indicator reported by practice, shown as a funnel plot
    benchmark: list[str] = []  # indicators compared with England and peers


class ModelSettings(Strict):
    runs: int = Field(default=500, ge=10, le=100000)
    seed: int = 2008


class BuildSettings(Strict):
    workers: int = Field(default=2, ge=1, le=16)
    timeout: int = Field(default=900, ge=30)  # seconds per cell


class Edition(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str
    subtitle: str
    author: str
    synthetic: bool
    description: str


class Params(Strict):
    edition: Edition
    economy: Economy
    period: Period
    data: DataSources
    content: str = "data/content"  # a folder of YAML files: pathways.yml, economy.yml, value.yml
    plan: str = "data/default/plan.yml"
    pathways: dict[str, Pathway]
    model: ModelSettings = ModelSettings()
    build: BuildSettings = BuildSettings()

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
        key = ".".join(str(p) for p in e["loc"]) or "(top level)"
        if e["type"] == "extra_forbidden":
            lines.append(f"  - key '{key}': unknown key (check its spelling; see params/default.yml for the keys allowed)")
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
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ParameterError(f"{path}: expected a mapping of keys at the top level")
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
