"""GP practice files -> the practices table.

- NHS Digital GP payments list sizes (financial_year, practice_code, practice_name, ..., ccg_code, ...,
  registered_patients, weighted_patients): year is the first year of the financial year ("2014/15" ->
  2014), commissioner the CCG (or sub-ICB) code, list_size the registered patients (weighted patients
  have no contract column). From 2018/19 list sizes are averages over the year and have fractions.
- Fingertips IMD score by GP practice (IndicatorID, Year, AreaCode, AreaName, IsAreaCurrent, Value):
  imd_score for the IMD year (2010, 2015, 2019); practices no longer current are kept.

Malformed rows (the rule): a row whose number of fields differs from the header (a name with an
unquoted comma), whose practice code is not a letter and five characters, or whose list size is not a
number is rejected: logged as a warning with its row number and listed in `frame.attrs["rejected"]`,
never dropped silently. The copy of the list-size file in ../shared/data/real has none: its names with
commas are quoted, as CSV requires.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from analysis.adapters.source import Report, as_list, collapse_duplicates, finish, numbers, read_published_csv

LIST_SIZE_COLUMNS = ("financial_year", "practice_code", "practice_name", "ccg_code", "registered_patients")
_PRACTICE = re.compile(r"^[A-Z][A-Z0-9]{5}$")
_NUMBER = re.compile(r"^\s*\d+(\.\d+)?\s*$")
_FIN_YEAR = re.compile(r"^(\d{4})/\d{2}$")


def read_list_sizes(path: str | Path, *, commissioners: Iterable[str] | None = None) -> pd.DataFrame:
    """Read GP practice list sizes as the practices table (imd_score empty); malformed rows are rejected, reported."""
    raw, rejected = read_published_csv(path, what="a GP practice list-size file", required=LIST_SIZE_COLUMNS)
    raw, bad = _reject_malformed(raw)
    if commissioners is not None:
        raw = raw[raw["ccg_code"].str.strip().isin(as_list(commissioners))]
    frame = pd.DataFrame(
        {
            "practice": raw["practice_code"].str.strip(),
            "year": raw["financial_year"].str.strip().str[:4],
            "name": raw["practice_name"].str.strip(),
            "commissioner": raw["ccg_code"].str.strip(),
            "list_size": numbers(raw, "registered_patients", path),
            "_row": raw["_row"],
        }
    )
    frame, repeats = collapse_duplicates(frame, ["practice", "year"], ["list_size", "commissioner"], path)
    return finish(frame.assign(imd_score=float("nan")), "practices", path, rejected=rejected + bad + repeats)


def _reject_malformed(raw: pd.DataFrame) -> tuple[pd.DataFrame, Report]:
    """Split off rows with a bad practice code, financial year or list size, with the reason for each."""
    reasons = pd.Series("", index=raw.index, dtype="string")
    reasons[~raw["practice_code"].str.strip().str.match(_PRACTICE)] += "practice code is not six letters and digits; "
    reasons[~raw["financial_year"].str.strip().str.match(_FIN_YEAR)] += "financial year is not like 2014/15; "
    reasons[~raw["registered_patients"].str.match(_NUMBER)] += "registered_patients is not a number; "
    bad = reasons != ""
    report = [(int(r), why.rstrip("; ")) for r, why in zip(raw.loc[bad, "_row"], reasons[bad], strict=True)]
    return raw[~bad], report


def read_practice_deprivation(path: str | Path, *, current_only: bool = False) -> pd.DataFrame:
    """Read the Fingertips IMD score by GP practice as the practices table (commissioner and list size empty)."""
    raw, rejected = read_published_csv(
        path,
        what="a Fingertips IMD-by-practice file",
        required=("Year", "AreaCode", "AreaName", "IsAreaCurrent", "Value"),
    )
    if current_only:
        raw = raw[raw["IsAreaCurrent"].str.strip() == "1"]
    frame = pd.DataFrame(
        {
            "practice": raw["AreaCode"].str.strip(),
            "year": numbers(raw, "Year", path),
            "name": raw["AreaName"].str.strip(),
            "commissioner": pd.NA,
            "list_size": float("nan"),
            "imd_score": numbers(raw, "Value", path),
            "_row": raw["_row"],
        }
    )
    frame, repeats = collapse_duplicates(frame, ["practice", "year"], ["imd_score"], path)
    return finish(frame, "practices", path, rejected=rejected + repeats)


def attach_deprivation(practices: pd.DataFrame, deprivation: pd.DataFrame) -> pd.DataFrame:
    """Give each practice-year the practice's latest IMD score from a year at or before it (IMD 2015 for 2015-2018)."""
    scores = deprivation[["practice", "year", "imd_score"]].dropna().sort_values("year")
    left = practices.drop(columns="imd_score").reset_index().sort_values("year")
    merged = pd.merge_asof(
        left.astype({"year": "int64"}), scores.astype({"year": "int64"}), on="year", by="practice", direction="backward"
    )
    out = merged.sort_values("index").drop(columns="index").astype({"year": "Int64"})
    out = out[list(practices.columns)].reset_index(drop=True)
    out.attrs = dict(practices.attrs)
    return out
