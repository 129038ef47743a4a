"""The parameter file: one YAML per edition, validated on load.

An unknown key or an impossible value stops the build with a message naming the file, the key and
what was expected. Defaults live here, in one place.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

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
    population: int | None = Field(default=None, gt=0, le=100_000_000)
    # Commissioners only: the local authority (ONS code) whose published population and indicators
    # stand for this commissioner in a files edition, where the national files report by local
    # authority, not by PCT. With `population` too, the authority's population is scaled to it.
    area: str | None = Field(default=None, min_length=1)


class Economy(Strict):
    """The organisations of the local health economy, with England's code and the peer areas."""

    commissioners: list[Organisation] = Field(min_length=1)
    providers: list[Organisation] = []
    local_authorities: list[Organisation] = []
    england: str = "E92000001"
    peers: list[str] = []  # empty: every other area in the data is a peer
    code_map: dict[str, str] = {}  # old code -> code used in the book (e.g. 5QW -> TAM)

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


class Kpi(Strict):
    """One measure of a pathway: where its series comes from and how to judge it."""

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
