"""Fingertips indicators in the long local-authority form -> the indicators table.

The long form has columns area_code, area_name, period, value, indicator, measure, unit, significance and
optionally source_file and group.

This is the form of fingertips_la_indicators_via_trafford_dashboard.csv (21 indicators) and of
fingertips_92727_deaths_usual_residence_65plus_la.csv. Rules:
- Indicator ID: `indicator_ids` (indicator name or default ID -> ID) when given; else the default ID:
  the source_file name without ".csv" (e.g. "admissions_falls"), or the number in a file named
  fingertips_<id>_... (e.g. "92727"). `polarity` may use either ID.
  Rows split by sex (column group: Male/Female) get "_male"/"_female" appended, since the contract has
  no sex column (e.g. "healthy_life_expectancy_at_birth_female").
- area_type from the ONS code prefix (AREA_TYPES), as Fingertips names them: E06, E08 and E09 are
  "UA" (unitary, metropolitan and London authorities, as in Fingertips' County & UA list).
- unit is the file's `measure` (e.g. "Age standardised rate per 100,000"); the file has no counts,
  denominators or confidence intervals. Blank values stay blank (value is allowed to be missing).
- Polarity as in analysis.adapters.fingertips: `polarity`, else inferred from `significance`
  (Better/Worse than England), else KNOWN_POLARITY, else an error naming the indicator.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from analysis.adapters.fingertips import period_starts, rename, resolve_polarity
from analysis.adapters.source import as_list, collapse_duplicates, finish, numbers, read_published_csv
from analysis.contract import DataContractError

WHAT = "a Fingertips long-form indicator file"
REQUIRED = ("area_code", "area_name", "period", "value", "indicator", "measure", "unit", "significance")
AREA_TYPES = {
    "E92": "England",
    "E12": "Region",
    "E47": "Combined authority",
    "E06": "UA",
    "E08": "UA",
    "E09": "UA",
    "E10": "County",
    "E07": "District",
    "E38": "CCG",
    "E54": "ICB",
}
_FILE_ID = re.compile(r"fingertips_(\d+)_")


def read_fingertips_long(
    path: str | Path,
    *,
    polarity: Mapping[str, str] | None = None,
    indicator_ids: Mapping[str, str] | None = None,
    areas: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Read a long-form Fingertips local-authority file as the indicators table."""
    raw, rejected = read_published_csv(path, what=WHAT, required=REQUIRED)
    defaults, finals = _indicator_ids(raw, path, indicator_ids)
    frame = pd.DataFrame(
        {
            "indicator": defaults,
            "area": raw["area_code"].str.strip(),
            "area_name": raw["area_name"],
            "area_type": _area_types(raw, path),
            "period": raw["period"].str.strip(),
            "value": numbers(raw, "value", path, blank=True),
            "unit": raw["measure"],
            "comparison": raw["significance"].str.strip(),
            "_row": raw["_row"],
        }
    )
    final = dict(zip(defaults, finals, strict=True))
    directions = resolve_polarity(frame, polarity, path, final)
    frame = frame.drop(columns="comparison")
    if areas is not None:
        frame = frame[frame["area"].isin(as_list(areas))]
    key = ["indicator", "area", "area_type", "period"]
    frame, repeats = collapse_duplicates(frame, key, ["value"], path, note=" with the same value")
    frame = frame.assign(
        period_start=period_starts(frame, path),
        polarity=frame["indicator"].map(directions),
        indicator=frame["indicator"].map(final),
    )
    return finish(frame, "indicators", path, rejected=rejected + repeats)


def _indicator_ids(raw: pd.DataFrame, path: str | Path, given: Mapping[str, str] | None) -> tuple[pd.Series, pd.Series]:
    """Each row's default indicator ID and the ID it is reported under, by the rule in the module docstring."""
    if "source_file" in raw.columns:
        default = raw["source_file"].str.strip().str.replace(r"\.csv$", "", regex=True)
    else:
        match = _FILE_ID.search(Path(path).name)
        default = pd.Series(match.group(1) if match else "", index=raw.index, dtype="string")
    pairs = {(d, n): rename(d, n, given) for d, n in zip(default, raw["indicator"], strict=True)}
    final = pd.Series(
        [pairs[(d, n)] for d, n in zip(default, raw["indicator"], strict=True)], index=raw.index, dtype="string"
    )
    blank = final == ""
    if blank.any():
        row = raw.loc[blank, "_row"].iloc[0]
        name = raw.loc[blank, "indicator"].iloc[0]
        raise DataContractError(
            f"{path}, row {row}: no indicator ID for {name!r}; pass indicator_ids={{{name!r}: '<id>'}}"
        )
    names_of = pd.Series([n for _, n in pairs], index=list(pairs.values())).groupby(level=0).unique()
    shared = names_of[names_of.map(len) > 1]
    if len(shared):
        raise DataContractError(
            f"{path}: indicators {', '.join(map(repr, shared.iloc[0]))} would all be reported as {shared.index[0]!r}; "
            "give them their own IDs with indicator_ids"
        )
    default = default.where(default != "", final)
    if "group" in raw.columns:
        group = raw["group"].str.strip().str.lower()
        default = default.where(group == "", default + "_" + group)
        final = final.where(group == "", final + "_" + group)
    return default, final


def _area_types(raw: pd.DataFrame, path: str | Path) -> pd.Series:
    """The Fingertips area type of each row's ONS code; an unknown code prefix names its row."""
    types = raw["area_code"].str.strip().str[:3].map(AREA_TYPES)
    if types.isna().any():
        first = types.isna().to_numpy().nonzero()[0][0]
        raise DataContractError(
            f"{path}, row {raw['_row'].iloc[first]}, column 'area_code': no area type for code "
            f"{raw['area_code'].iloc[first]!r} (known prefixes: {', '.join(AREA_TYPES)})"
        )
    return types
