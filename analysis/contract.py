"""The data contract: the tidy tables every edition is made of, and their validation on load.

Every adapter and the synthetic generator return these tables; every chapter reads only these.
A failure raises DataContractError naming the file, the row, the column and the rule broken.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.inputs import InputError

PATHWAYS = (
    "maternity",
    "children",
    "staying_healthy",
    "long_term_conditions",
    "urgent_care",
    "planned_care",
    "mental_health",
    "end_of_life",
)

# Points of delivery, in the order the book shows them.
PODS = (
    "elective_ordinary",
    "day_case",
    "non_elective",
    "outpatient_first",
    "outpatient_followup",
    "ae",
    "gp_referral",
    "community",
)

# Provider-level monthly series (provider_series): the measures NHS England's monthly A&E file gives.
# "over_4h" counts attendances that spent more than four hours in A&E (the four-hour breaches);
# "dta_4_12h" and "dta_over_12h" count patients who waited 4-12 and more than 12 hours from the decision
# to admit to admission. A new provider-level source adds its measures here.
PROVIDER_MEASURES = (
    "attendances",
    "over_4h",
    "emergency_admissions",
    "dta_4_12h",
    "dta_over_12h",
    "other_emergency_admissions",
)
# A&E department types: type 1 (major, consultant-led, 24-hour), type 2 (single specialty), other (types
# 3 and 4: other A&E departments, minor injury units, walk-in and urgent treatment centres); "all" for a
# measure the publisher does not split by department.
DEPARTMENTS = ("type_1", "type_2", "other", "all")
BOOKINGS = ("unbooked", "booked")

POLARITIES = ("high_is_good", "low_is_good", "no_judgement")
SEXES = ("male", "female")
POPULATION_VARIANTS = ("estimate", "principal", "high", "low")


class DataContractError(InputError):
    """A table broke the data contract; the message says where and which rule."""


@dataclass(frozen=True)
class Column:
    """One column of a contract table and the rules its values obey."""

    name: str
    kind: str  # "str", "int", "float", "month", "date"
    required: bool = True  # the column must be present
    nullable: bool = False
    minimum: float | None = None
    maximum: float | None = None
    allowed: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Table:
    """A contract table: its columns, the columns that identify a row, and its time column."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    series_time: str | None = None  # monthly series must have no missing months
    series_by: tuple[str, ...] = field(default_factory=tuple)

    @property
    def names(self) -> list[str]:
        """The table's column names, in order."""
        return [c.name for c in self.columns]


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "activity",
            (
                Column("month", "month"),
                Column("commissioner", "str"),
                Column("provider", "str", required=False, nullable=True),
                Column("practice", "str", required=False, nullable=True),
                Column("pathway", "str", allowed=PATHWAYS),
                Column("pod", "str", allowed=PODS),
                Column("count", "float", minimum=0),
                Column("cost", "float", required=False, nullable=True, minimum=0),
            ),
            key=("month", "commissioner", "provider", "practice", "pathway", "pod"),
            series_time="month",
            series_by=("commissioner", "provider", "practice", "pathway", "pod"),
        ),
        Table(
            "indicators",
            (
                Column("indicator", "str"),
                Column("area", "str"),
                Column("area_name", "str", required=False, nullable=True),
                Column("area_type", "str"),
                Column("period", "str"),
                Column("period_start", "date"),
                Column("value", "float", nullable=True),
                Column("count", "float", required=False, nullable=True, minimum=0),
                Column("denominator", "float", required=False, nullable=True, minimum=0),
                Column("lower_ci", "float", required=False, nullable=True),
                Column("upper_ci", "float", required=False, nullable=True),
                Column("polarity", "str", allowed=POLARITIES),
                Column("unit", "str", required=False, nullable=True),
            ),
            key=("indicator", "area", "area_type", "period"),
        ),
        Table(
            "population",
            (
                Column("area", "str"),
                Column("year", "int", minimum=1900, maximum=2100),
                Column("sex", "str", allowed=SEXES),
                Column("age", "int", minimum=0, maximum=120),
                Column("population", "float", minimum=0),
                Column("variant", "str", allowed=POPULATION_VARIANTS),
            ),
            key=("area", "year", "sex", "age", "variant"),
        ),
        Table(
            "finance",
            (
                Column("year", "int", minimum=1900, maximum=2100),
                Column("organisation", "str"),
                Column("programme", "str"),
                Column("budget", "float", nullable=True, minimum=0),
                Column("spend", "float", nullable=True, minimum=0),
            ),
            key=("year", "organisation", "programme"),
        ),
        Table(
            "unit_costs",
            (
                Column("year", "int", minimum=1900, maximum=2100),
                Column("pod", "str", allowed=PODS),
                Column("unit_cost", "float", minimum=0),
            ),
            key=("year", "pod"),
        ),
        Table(
            "workforce",
            (
                Column("period", "date"),
                Column("organisation", "str"),
                Column("staff_group", "str"),
                Column("fte", "float", minimum=0),
            ),
            key=("period", "organisation", "staff_group"),
        ),
        Table(
            "beds",
            (
                Column("period", "date"),
                Column("organisation", "str"),
                Column("sector", "str"),
                Column("available", "float", minimum=0),
                Column("occupied", "float", minimum=0),
            ),
            key=("period", "organisation", "sector"),
        ),
        Table(
            # Monthly series reported by provider (one row per month, provider, measure, department and
            # booking): NHS England's monthly A&E file today. Providers come and go in a published series
            # (a walk-in centre that closes, two trusts that merge), so a provider may lack a month: no
            # gap check here; a chart that needs an unbroken series must say where it breaks.
            "provider_series",
            (
                Column("month", "month"),
                Column("provider", "str"),
                Column("provider_name", "str", required=False, nullable=True),
                Column("region", "str", required=False, nullable=True),
                Column("measure", "str", allowed=PROVIDER_MEASURES),
                Column("department", "str", allowed=DEPARTMENTS),
                # booked appointments, where the publisher separates them; blank where it does not
                Column("booking", "str", required=False, nullable=True, allowed=BOOKINGS),
                Column("value", "float", nullable=True, minimum=0),
            ),
            key=("month", "provider", "measure", "department", "booking"),
        ),
        Table(
            "practices",
            (
                Column("practice", "str"),
                Column("year", "int", minimum=1900, maximum=2100),
                Column("name", "str", required=False, nullable=True),
                Column("commissioner", "str", nullable=True),
                Column("list_size", "float", nullable=True, minimum=0),
                Column("imd_score", "float", required=False, nullable=True, minimum=0, maximum=100),
            ),
            key=("practice", "year"),
        ),
    )
}


def _where(source: str, row: int | None, column: str | None) -> str:
    parts = [source]
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column '{column}'")
    return ", ".join(parts)


def _fail(source: str, row, column, rule: str) -> DataContractError:
    return DataContractError(f"{_where(source, row, column)}: {rule}")


# The largest number a table may hold: more than any count, population or budget in pounds of an
# economy, so a larger one is a typing or unit error (and 1e300 would overflow to inf in any sum).
MAX_VALUE = 1e12
# Dates before this are typing errors (no series the book reads starts earlier).
FIRST_DATE = pd.Timestamp("1900-01-01")


def last_date() -> pd.Timestamp:
    """The last date a table may hold: the end of the current year (nothing is observed in the future)."""
    return pd.Timestamp(pd.Timestamp.today().year, 12, 31)


class _Rows:
    """Row numbers as the analyst counts them in the source: position + offset, or a file row per position."""

    def __init__(self, row_offset: int, rows=None):
        self.offset = row_offset
        self.rows = None if rows is None else [int(r) for r in rows]

    def __add__(self, position: int) -> int:
        return self.rows[position] if self.rows is not None else position + self.offset

    __radd__ = __add__


def _first_bad(mask: pd.Series, frame: pd.DataFrame, row_offset: _Rows | int) -> int | None:
    """The row number (as the analyst counts it in the source) of the first True in mask."""
    if not mask.any():
        return None
    position = int(np.flatnonzero(mask.to_numpy())[0])
    return row_offset + position


def _coerce(series: pd.Series, col: Column, source: str, row_offset: _Rows | int) -> pd.Series:
    if col.kind == "str":
        return series.astype("string")
    if col.kind in ("int", "float"):
        out = pd.to_numeric(series, errors="coerce")
        bad = out.isna() & series.notna()
        if bad.any():
            row = _first_bad(bad, series.to_frame(), row_offset)
            value = series[bad].iloc[0]
            raise _fail(source, row, col.name, f"expected a number, found {value!r}")
        huge = out.notna() & ~(out.abs() <= MAX_VALUE)
        if huge.any():
            row = _first_bad(huge, series.to_frame(), row_offset)
            found = out[huge].iloc[0]
            rule = (
                "a finite number"
                if not np.isfinite(found)
                else f"a number no larger than {MAX_VALUE:g} (larger is a typing or unit error)"
            )
            raise _fail(source, row, col.name, f"expected {rule}, found {series[huge].iloc[0]!r}")
        if col.kind == "int":
            fractional = out.notna() & (out != np.floor(out.fillna(0)))
            if fractional.any():
                row = _first_bad(fractional, series.to_frame(), row_offset)
                raise _fail(source, row, col.name, f"expected a whole number, found {out[fractional].iloc[0]!r}")
            return out.astype("Int64")
        return out.astype("float64")
    if col.kind in ("month", "date"):
        dates = pd.to_datetime(series, errors="coerce")
        bad = dates.isna() & series.notna()
        if bad.any():
            row = _first_bad(bad, series.to_frame(), row_offset)
            raise _fail(source, row, col.name, f"expected a date, found {series[bad].iloc[0]!r}")
        odd = dates.notna() & ((dates < FIRST_DATE) | (dates > last_date()))
        if odd.any():
            row = _first_bad(odd, series.to_frame(), row_offset)
            raise _fail(
                source,
                row,
                col.name,
                f"expected a date from {FIRST_DATE.year} to the end of {last_date().year} (data cannot come from the "
                "future), "
                f"found {dates[odd].iloc[0].date()}",
            )
        if col.kind == "month":
            off = dates.notna() & (dates.dt.day != 1)
            if off.any():
                row = _first_bad(off, series.to_frame(), row_offset)
                raise _fail(
                    source, row, col.name, f"expected the first day of a month, found {dates[off].iloc[0].date()}"
                )
        return dates.astype("datetime64[ns]")
    raise ValueError(f"unknown column kind {col.kind}")


def validate(frame: pd.DataFrame, table: str, source: str, *, row_offset: int = 2, rows=None) -> pd.DataFrame:
    """Check a frame against a contract table and return it with contract types and column order.

    `source` names where the frame came from (a file path); `row_offset` converts a position into the
    row number an analyst sees in the file (2 for a CSV with one header line). When an adapter has
    reshaped the file, `rows` gives the file's row for each position of the frame instead.
    """
    spec = TABLES[table]
    file_rows = _Rows(row_offset, rows)
    missing = [c.name for c in spec.columns if c.required and c.name not in frame.columns]
    if missing:
        raise _fail(
            source,
            None,
            None,
            f"the {table} table needs column(s) {', '.join(missing)}; found {', '.join(map(str, frame.columns))}",
        )
    unknown = [c for c in frame.columns if c not in spec.names]
    if unknown:
        raise _fail(
            source,
            None,
            None,
            f"unexpected column(s) {', '.join(map(str, unknown))} for the {table} table (expected "
            f"{', '.join(spec.names)})",
        )
    frame = frame.reset_index(drop=True)
    out = pd.DataFrame(index=frame.index)
    for col in spec.columns:
        if col.name not in frame.columns:
            out[col.name] = pd.Series(
                pd.NA if col.kind == "str" else float("nan"),
                index=frame.index,
                dtype="string" if col.kind == "str" else "float64",
            )
            continue
        values = _coerce(frame[col.name], col, source, file_rows)
        if not col.nullable and values.isna().any():
            row = _first_bad(values.isna(), frame, file_rows)
            raise _fail(source, row, col.name, "a value is required here")
        if col.minimum is not None:
            low = values.notna() & (values < col.minimum)
            if low.any():
                row = _first_bad(low.astype(bool), frame, file_rows)
                raise _fail(
                    source,
                    row,
                    col.name,
                    f"expected at least {col.minimum:g}, found {values[low.astype(bool)].iloc[0]}",
                )
        if col.maximum is not None:
            high = values.notna() & (values > col.maximum)
            if high.any():
                row = _first_bad(high.astype(bool), frame, file_rows)
                raise _fail(
                    source,
                    row,
                    col.name,
                    f"expected at most {col.maximum:g}, found {values[high.astype(bool)].iloc[0]}",
                )
        if col.allowed is not None:
            bad = values.notna() & ~values.isin(col.allowed)
            if bad.any():
                row = _first_bad(bad.astype(bool), frame, file_rows)
                raise _fail(
                    source,
                    row,
                    col.name,
                    f"expected one of {', '.join(col.allowed)}, found {values[bad.astype(bool)].iloc[0]!r}",
                )
        out[col.name] = values
    key = [k for k in spec.key if k in out.columns]
    if key:
        dup = out.duplicated(subset=key, keep="first")
        if dup.any():
            row = _first_bad(dup, out, file_rows)
            first = out[dup].iloc[0]
            what = ", ".join(f"{k}={first[k]}" for k in key if pd.notna(first[k]))
            raise _fail(source, row, None, f"duplicate row for ({what}); each {'/'.join(key)} may appear once")
    if spec.series_time:
        _check_no_gaps(out, spec, source)
    return out


def _check_no_gaps(frame: pd.DataFrame, spec: Table, source: str) -> None:
    """A monthly series with a missing month would mislead SPC and projections: name the first gap."""
    if frame.empty:
        return
    by = [c for c in spec.series_by if frame[c].notna().any()]
    months = frame[spec.series_time].dt.to_period("M")
    index = months.astype("int64")
    grouped = pd.DataFrame({"i": index}).join(frame[by].fillna("")).groupby(by, sort=True)["i"]
    span = grouped.max() - grouped.min() + 1
    count = grouped.nunique()
    gappy = span[span != count]
    if len(gappy):
        key = gappy.index[0]
        key = key if isinstance(key, tuple) else (key,)
        sel = np.ones(len(frame), dtype=bool)
        for k, v in zip(by, key, strict=True):
            sel &= frame[k].fillna("").to_numpy() == v
        present = set(index[sel])
        first_gap = next(m for m in range(min(present), max(present) + 1) if m not in present)
        label = ", ".join(f"{k}={v}" for k, v in zip(by, key, strict=True) if v != "")
        raise _fail(
            source,
            None,
            spec.series_time,
            f"the monthly series ({label}) has no row for {pd.Period(ordinal=first_gap, freq='M')}; "
            "months with no activity need a row with count 0",
        )


def empty(table: str) -> pd.DataFrame:
    """An empty frame with the contract's columns, for an edition that has no such data."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in TABLES[table].names})
