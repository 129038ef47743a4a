"""OHID Fingertips data export -> the indicators table.

The export is the API/"Export" CSV: one row per indicator, area, sex, category and period.

Rules, all documented here and reported on the frame:
- Only one sex is read (`sex`, default "Persons"): the contract has no sex column. A blank Sex is read
  as Persons, and a blank Indicator ID is taken from the rows with the same Indicator Name when that
  name has one ID (the 2023/24 practice rows of the QOF smoking export lack both); both are listed in
  `frame.attrs["repaired"]`.
- Rows broken down by a category (deprivation deciles of England) are left out unless
  `categories=True`; then they are read too, with the category as the area (area = area_name =
  Category, area_type = Category Type).
- Rows that repeat an indicator, area and period with the same value, count and denominator (the
  2015/16 area rows of the QOF smoking export appear twice, with Age "Not applicable" and "15+ yrs";
  for five merged authorities the two copies' confidence intervals differ slightly) are kept once, the
  first in the file, and the others listed in `frame.attrs["rejected"]`; repeats whose value, count or
  denominator differ are an error.
- period_start: "2013/14" starts 1 April 2013 (financial or school year), "2019" 1 January 2019,
  three-year periods "2009-11" or "2009 - 11" on 1 January of the first year, "2016/17 - 18/19" on
  1 April 2016, "2019/20 Q2" on 1 July 2019.
- Polarity: from `polarity` (indicator ID -> high_is_good, low_is_good or no_judgement) when given;
  else from the file: Fingertips marks each area "Better" or "Worse" than England, so a value above
  England's marked Better means high is good (comparisons "Higher"/"Lower" mean no judgement); else
  from KNOWN_POLARITY. An indicator with none of these is an error naming it.
- The 95% confidence interval is read; the export has no unit, so `units` (ID -> unit) may give one.
- Indicator IDs are the Fingertips numbers ("91547"); `indicator_ids` (Fingertips ID or indicator name
  -> ID) reports them under the book's own IDs. `polarity` and `units` may use either ID.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.adapters.source import ENGLAND, Report, as_list, collapse_duplicates, finish, numbers, read_published_csv
from analysis.contract import POLARITIES, DataContractError

WHAT = "a Fingertips data export"
REQUIRED = (
    "Indicator ID", "Indicator Name", "Area Code", "Area Name", "Area Type", "Sex", "Category Type",
    "Category", "Time period", "Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit", "Count", "Denominator",
)  # fmt: skip
COMPARISON = "Compared to England value or percentiles"
# Indicators whose files carry no comparison with England, with the direction that is better.
KNOWN_POLARITY: dict[str, str] = {
    "93553": "no_judgement",  # IMD score by practice: context (deprivation), not performance
    "slope_index_of_inequality": "low_is_good",  # a smaller gap in life expectancy is better
    "mortality_serious_mental_illness": "low_is_good",  # excess deaths of people with SMI
}
_PERIODS = (
    (re.compile(r"^(\d{4})$"), 1),
    (re.compile(r"^(\d{4})/\d{2}$"), 4),
    (re.compile(r"^(\d{4})\s*-\s*\d{2}(\d{2})?$"), 1),
    (re.compile(r"^(\d{4})/\d{2}\s*-\s*\d{2}/\d{2}$"), 4),
)
_QUARTER = re.compile(r"^(\d{4})/\d{2}\s+Q([1-4])$")


def read_fingertips(
    path: str | Path,
    *,
    polarity: Mapping[str, str] | None = None,
    units: Mapping[str, str] | None = None,
    indicator_ids: Mapping[str, str] | None = None,
    sex: str = "Persons",
    categories: bool = False,
    areas: Iterable[str] | None = None,
    area_types: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Read a Fingertips data export as the indicators table."""
    raw, rejected = read_published_csv(path, what=WHAT, required=REQUIRED)
    raw, repaired = _repair(raw, path)
    names = raw.drop_duplicates("Indicator ID").set_index("Indicator ID")["Indicator Name"]
    final = {i: rename(i, names[i], indicator_ids) for i in names.index}
    directions = resolve_polarity(_comparisons(raw, path), polarity, path, final)
    frame = raw[raw["Sex"] == sex]
    plain = frame["Category Type"].str.strip() == ""
    frame = pd.DataFrame(
        {
            "indicator": frame["Indicator ID"],
            "area": frame["Area Code"].where(plain, frame["Category"]),
            "area_name": frame["Area Name"].where(plain, frame["Category"]),
            "area_type": frame["Area Type"].where(plain, frame["Category Type"]),
            "period": frame["Time period"].str.strip(),
            "value": numbers(frame, "Value", path, blank=True),
            "count": numbers(frame, "Count", path, blank=True),
            "denominator": numbers(frame, "Denominator", path, blank=True),
            "lower_ci": numbers(frame, "Lower CI 95.0 limit", path, blank=True),
            "upper_ci": numbers(frame, "Upper CI 95.0 limit", path, blank=True),
            "_row": frame["_row"],
        }
    )
    if not categories:
        frame = frame[plain]
    if areas is not None:
        frame = frame[frame["area"].isin(as_list(areas))]
    if area_types is not None:
        frame = frame[frame["area_type"].isin(as_list(area_types))]
    key = ["indicator", "area", "area_type", "period"]
    frame, repeats = collapse_duplicates(
        frame, key, ["value", "count", "denominator"], path, note=" with the same value, count and denominator",
        tolerate=["lower_ci", "upper_ci"],
    )
    units = dict(units or {})
    frame = frame.assign(
        period_start=period_starts(frame, path),
        polarity=frame["indicator"].map(directions),
        unit=frame["indicator"].map(lambda i: units.get(final[i], units.get(i))),
        indicator=frame["indicator"].map(final),
    )
    return finish(frame, "indicators", path, rejected=rejected + repeats, repaired=repaired)


def rename(default: str, name: str, given: Mapping[str, str] | None) -> str:
    """The ID an indicator is reported under: `indicator_ids` by indicator name or default ID, else the default."""
    given = given or {}
    return given.get(name) or given.get(default) or default


def _comparisons(raw: pd.DataFrame, path: str | Path) -> pd.DataFrame:
    """The rows that compare an area with England (every sex, no category), for inferring polarity."""
    rows = raw[raw["Category Type"].str.strip() == ""]
    return pd.DataFrame(
        {
            "indicator": rows["Indicator ID"],
            "area": rows["Area Code"],
            "period": rows["Time period"] + "|" + rows["Sex"],
            "value": numbers(rows, "Value", path, blank=True),
            "comparison": rows[COMPARISON].str.strip() if COMPARISON in rows.columns else "",
        }
    )


def _repair(raw: pd.DataFrame, path: str | Path) -> tuple[pd.DataFrame, Report]:
    """Fill a blank Indicator ID from its Indicator Name and read a blank Sex as Persons; list the rows."""
    raw = raw.copy()
    raw["Indicator ID"] = raw["Indicator ID"].str.strip().str.replace(r"\.0$", "", regex=True)
    notes = pd.Series("", index=raw.index, dtype="string")
    blank_id = raw["Indicator ID"] == ""
    if blank_id.any():
        known = raw[~blank_id].groupby("Indicator Name")["Indicator ID"].unique()
        for name, rows in raw[blank_id].groupby("Indicator Name").groups.items():
            ids = known.get(name, [])
            if len(ids) != 1:
                row = raw.loc[rows[0], "_row"]
                raise DataContractError(
                    f"{path}, row {row}, column 'Indicator ID': blank, and no single ID has the name {name!r}"
                )
            raw.loc[rows, "Indicator ID"] = ids[0]
            notes[rows] += f"blank Indicator ID taken as {ids[0]} from its Indicator Name; "
    blank_sex = raw["Sex"].str.strip() == ""
    raw.loc[blank_sex, "Sex"] = "Persons"
    notes[blank_sex] += "blank Sex read as Persons; "
    changed = notes != ""
    repaired = list(zip(raw.loc[changed, "_row"].astype(int), notes[changed].str.rstrip("; "), strict=True))
    return raw, repaired


def period_starts(frame: pd.DataFrame, path: str | Path) -> pd.Series:
    """The first day of each Fingertips period label in the 'period' column; an unknown label names its row."""
    starts = {label: _period_start(label) for label in frame["period"].unique()}
    out = frame["period"].map(starts)
    bad = out.isna()
    if bad.any():
        first = bad.to_numpy().nonzero()[0][0]
        raise DataContractError(
            f"{path}, row {frame['_row'].iloc[first]}: unrecognised time period {frame['period'].iloc[first]!r} "
            "(expected e.g. 2019, 2013/14, 2009-11, 2016/17 - 18/19 or 2019/20 Q1)"
        )
    return pd.to_datetime(out)


def _period_start(label: str) -> pd.Timestamp | None:
    """The first day of one period label, or None when the label is not a known form."""
    for pattern, month in _PERIODS:
        match = pattern.match(label)
        if match:
            return pd.Timestamp(int(match.group(1)), month, 1)
    match = _QUARTER.match(label)
    if match:
        return pd.Timestamp(int(match.group(1)), 4, 1) + pd.DateOffset(months=3 * (int(match.group(2)) - 1))
    return None


def resolve_polarity(
    frame: pd.DataFrame, given: Mapping[str, str] | None, path: str | Path, final: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Each indicator's polarity (keyed by its default ID).

    The caller's mapping, else the file's comparisons, else KNOWN_POLARITY. `given` may name an indicator by the ID it
    is reported under (`final`) or its default ID.
    """
    given, final = dict(given or {}), dict(final or {})
    bad = {k: v for k, v in given.items() if v not in POLARITIES}
    if bad:
        raise ValueError(f"polarity for {', '.join(bad)} must be one of {', '.join(POLARITIES)}")
    inferred = infer_polarity(frame, path)
    out: dict[str, str] = {}
    missing = []
    for indicator in map(str, frame["indicator"].unique()):
        names = [final.get(indicator, indicator), indicator]
        names += [n.rsplit("_", 1)[0] for n in names if n.endswith(("_male", "_female"))]
        found = next((given[n] for n in names if n in given), None) or inferred.get(indicator)
        found = found or next((KNOWN_POLARITY[n] for n in names if n in KNOWN_POLARITY), None)
        if found is None:
            missing.append(final.get(indicator, indicator))
        else:
            out[indicator] = found
    if missing:
        raise DataContractError(
            f"{path}: no polarity for indicator(s) {', '.join(missing)}: the file does not compare areas with "
            "England; pass polarity={'<indicator>': 'high_is_good' | 'low_is_good' | 'no_judgement'}"
        )
    return out


def infer_polarity(frame: pd.DataFrame, path: str | Path) -> dict[str, str]:
    """Polarity implied by the file's comparisons with England (columns indicator, area, period, value, comparison)."""
    england = frame[frame["area"] == ENGLAND].drop_duplicates(["indicator", "period"])
    merged = frame.merge(
        england[["indicator", "period", "value"]].rename(columns={"value": "england"}), on=["indicator", "period"]
    )
    out: dict[str, str] = {}
    for indicator, rows in merged.groupby("indicator"):
        judged = rows[rows["comparison"].isin(["Better", "Worse"]) & (rows["value"] != rows["england"])]
        judged = judged.dropna(subset=["value", "england"])
        votes = np.sign(judged["value"] - judged["england"]) * np.where(judged["comparison"] == "Better", 1, -1)
        up, down = int((votes > 0).sum()), int((votes < 0).sum())
        if up and down:
            raise DataContractError(
                f"{path}: the comparisons with England disagree on the polarity of indicator {indicator} "
                f"({up} rows say high is good, {down} low is good); pass polarity= for it"
            )
        if up or down:
            out[str(indicator)] = "high_is_good" if up else "low_is_good"
        elif rows["comparison"].isin(["Higher", "Lower"]).any():
            out[str(indicator)] = "no_judgement"
    return out
