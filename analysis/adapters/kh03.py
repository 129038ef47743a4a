"""NHS England KH03 quarterly bed availability and occupancy -> the beds table.

- Beds by sector (nhse_kh03_beds_by_sector_*.csv: available_* and occupied_* for general_acute,
  learning_disabilities, maternity and mental_illness, plus totals and percentages) -> beds, one row per
  organisation and sector. The totals and percentages are left out: they follow from the four sectors
  (the integration tests check that they add up).
- Occupied beds by specialty (nhse_kh03_occupied_beds_by_specialty_*.csv: one column per main specialty,
  "100 General Surgery" ...) -> a long frame period, organisation, sector, specialty_code, specialty,
  occupied. KH03 publishes no available beds by specialty, so this is not the beds contract table
  (whose available column is required). `sector` is the KH03 sector each specialty counts in: 700
  learning disabilities; the other 700s (710-715 here) mental illness; 501 obstetrics maternity; all
  others general and acute. So it adds up to the beds table's occupied column.

period is the first day of the quarter: KH03 labels a quarter by its last month within a financial
year ("2010-11", "June" is April-June 2010, so 2010-04-01). The England row (no org_code) is
organisation "E92000001".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from analysis.adapters.source import ENGLAND, collapse_duplicates, finish, keep_codes, numbers, read_published_csv
from analysis.contract import DataContractError

SECTORS = ("general_acute", "learning_disabilities", "maternity", "mental_illness")
_QUARTER_START = {"june": (0, 4), "september": (0, 7), "december": (0, 10), "march": (1, 1)}
_SPECIALTY = re.compile(r"^(\d{3}) ")


def read_kh03_beds(path: str | Path, *, organisations: Iterable[str] | None = None) -> pd.DataFrame:
    """Read KH03 beds by sector as the beds table (available and occupied beds per organisation and sector)."""
    columns = [f"{kind}_{s}" for s in SECTORS for kind in ("available", "occupied")]
    raw, rejected = read_published_csv(
        path, what="a KH03 beds-by-sector file", required=("year", "period", "org_code", "org_name", *columns)
    )
    raw, period, repeats = _quarterly(
        raw, path, columns, organisations, organisation="org_code", year="year", period="period"
    )
    frame = _stacked(
        raw,
        period,
        (
            {
                "sector": sector,
                "available": numbers(raw, f"available_{sector}", path),
                "occupied": numbers(raw, f"occupied_{sector}", path),
                "_row": raw["_row"],
            }
            for sector in SECTORS
        ),
    ).sort_values(["organisation", "sector"], kind="stable")
    return finish(frame, "beds", path, rejected=rejected + repeats)


def read_kh03_specialty(path: str | Path, *, organisations: Iterable[str] | None = None) -> pd.DataFrame:
    """KH03 occupied beds by specialty, long (period, organisation, sector, specialty_code, specialty, occupied)."""
    raw, rejected = read_published_csv(
        path, what="a KH03 occupied-beds-by-specialty file", required=("Year", "Period", "Org Code", "Org Name")
    )
    specialties = [c for c in raw.columns if _SPECIALTY.match(c)]
    if not specialties:
        raise DataContractError(
            f"{path} does not look like a KH03 occupied-beds-by-specialty file: no specialty columns such as '100 "
            "General Surgery'"
        )
    raw, period, repeats = _quarterly(
        raw, path, specialties, organisations, organisation="Org Code", year="Year", period="Period"
    )
    frame = _stacked(raw, period, (
        {"sector": specialty_sector(column[:3]), "specialty_code": column[:3], "specialty": column[4:].strip(),
         "occupied": numbers(raw, column, path)}
        for column in specialties
    )).sort_values(["organisation", "specialty_code"], kind="stable")
    if (frame["occupied"] < 0).any():
        raise DataContractError(
            f"{path}: occupied beds cannot be negative (organisation "
            f"{frame.loc[frame.occupied < 0, 'organisation'].iloc[0]})"
        )
    out = frame.reset_index(drop=True).astype(
        {"organisation": "string", "sector": "string", "specialty_code": "string", "specialty": "string"}
    )
    out.attrs["rejected"] = sorted(rejected + repeats)
    return out


def specialty_sector(code: str) -> str:
    """The KH03 sector whose beds a main specialty code counts in."""
    if code == "700":
        return "learning_disabilities"
    if code.startswith("7"):
        return "mental_illness"
    if code == "501":
        return "maternity"
    return "general_acute"


def _quarterly(
    raw: pd.DataFrame,
    path: str | Path,
    values: list[str],
    organisations: Iterable[str] | None,
    *,
    organisation: str,
    year: str,
    period: str,
) -> tuple[pd.DataFrame, pd.Series, list]:
    """The organisations asked for, each once, with the first day of its quarter; and the repeats set aside."""
    raw = _organisations(raw, organisation, organisations, path)
    raw, repeats = collapse_duplicates(raw, ["organisation"], values, path)
    return raw, _quarter_starts(raw, year, period, path), repeats


def _stacked(raw: pd.DataFrame, period: pd.Series, parts: Iterable[dict]) -> pd.DataFrame:
    """One block of rows (period, organisation, then the part's columns) per part, stacked."""
    return pd.concat([pd.DataFrame({"period": period, "organisation": raw["organisation"], **part}) for part in parts])


def _organisations(
    raw: pd.DataFrame, column: str, organisations: Iterable[str] | None, path: str | Path
) -> pd.DataFrame:
    """Add the organisation code (England's row, which has none, becomes E92000001) and keep the ones asked for."""
    codes = raw[column].str.strip()
    raw = raw.assign(organisation=codes.mask(codes == "", ENGLAND))
    return keep_codes(raw, "organisation", organisations, path)


def _quarter_starts(raw: pd.DataFrame, year: str, period: str, path: str | Path) -> pd.Series:
    """The first day of each row's quarter from a financial year ('2010-11') and the quarter's last month."""
    starts = []
    for fin_year, month, row in zip(
        raw[year].str.strip(), raw[period].str.strip().str.lower(), raw["_row"], strict=True
    ):
        match = re.match(r"^(\d{4})-\d{2}$", fin_year)
        if not match or month not in _QUARTER_START:
            raise DataContractError(
                f"{path}, row {row}: expected a financial year such as 2010-11 and a quarter end month "
                f"(June, September, December, March), found {fin_year!r} and {month!r}"
            )
        offset, first_month = _QUARTER_START[month]
        starts.append(pd.Timestamp(int(match.group(1)) + offset, first_month, 1))
    return pd.Series(starts, index=raw.index, dtype="datetime64[ns]")
