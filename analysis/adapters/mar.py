"""NHS England Monthly Activity Return (commissioner based, wide: one column per measure) -> activity.

Rule for points of delivery and pathways. The MAR counts general and acute activity by commissioner and
month, with no provider and no pathway. Each measure used becomes one point of delivery, and its
pathway follows the kind of care: non-elective admissions (and any A&E-type measure a caller adds) are
"urgent_care"; elective admissions, referrals and outpatient attendances are "planned_care".
The default measures (MEASURES) are:

- Elective G&A Ordinary Admissions (FFCEs) -> elective_ordinary, planned_care
- Elective G&A Daycase Admissions (FFCEs) -> day_case, planned_care
- Total Non-elective G&A Admissions (FFCEs) -> non_elective, urgent_care
- GP Referrals Made (G&A) -> gp_referral, planned_care
- All 1st Outpatient Attendances (G&A) -> outpatient_first, planned_care

Not used by default: the elective totals (ordinary plus day case), planned admissions (part of a
planned sequence of treatment, which the MAR keeps outside its elective figures), the ISTC and
treatment-centre subsets, referrals seen, other referrals and all-specialty referrals. A caller may
pass its own `measures`; measures given the same pod and pathway are added together.

Rows and codes. `level` chooses the PCT rows (commissioner = PCT code), the SHA rows (the SHA code,
plus the National Commissioning Group YDD82) or the England rows (commissioner "E92000001"); levels
are never mixed, so sums never double count. Organisation code changes (Solihull Care Trust TAM became
Solihull PCT 5QW in April 2011) are applied from `code_map` (code in the file -> code to report, e.g.
{"5QW": "TAM"} for one Solihull series under the plan's code), which the parameter file holds; two
rows that land on the same commissioner and month are an error.
Rows repeated exactly (the National Commissioning Group appears twice in each month of 2011/12) are
kept once and listed in `frame.attrs["rejected"]`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from analysis.adapters.source import ENGLAND, collapse_duplicates, finish, keep_codes, numbers, read_published_csv
from analysis.contract import DataContractError

WHAT = "a Monthly Activity Return"
LEVELS = ("PCT", "SHA", "England")
MEASURES: dict[str, tuple[str, str]] = {
    "Elective G&A Ordinary Admissions (FFCEs)": ("elective_ordinary", "planned_care"),
    "Elective G&A Daycase Admissions (FFCEs)": ("day_case", "planned_care"),
    "Total Non-elective G&A Admissions (FFCEs)": ("non_elective", "urgent_care"),
    "GP Referrals Made (G&A)": ("gp_referral", "planned_care"),
    "All 1st Outpatient Attendances (G&A)": ("outpatient_first", "planned_care"),
}
_ID_COLUMNS = ("period", "fin_year", "sha_code", "org_code", "org_name", "level")


def read_mar(
    path: str | Path,
    *,
    code_map: Mapping[str, str] | None = None,
    organisations: Iterable[str] | None = None,
    level: str = "PCT",
    measures: Mapping[str, tuple[str, str]] | None = None,
) -> pd.DataFrame:
    """Read the Monthly Activity Return as the activity table (one row per month, commissioner and pod)."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    measures = dict(MEASURES if measures is None else measures)
    frame, rejected = read_published_csv(path, what=WHAT, required=[*_ID_COLUMNS, *measures])
    frame = frame[frame["level"] == level].copy()
    if frame.empty:
        raise DataContractError(f"{path}: no rows at level {level!r} in column 'level'")
    codes = frame["org_code"].str.strip() if level != "England" else pd.Series(ENGLAND, index=frame.index)
    mapping = dict(code_map or {})
    frame["commissioner"] = codes.map(lambda c: mapping.get(c, c))
    frame = keep_codes(frame, "commissioner", organisations, path)
    compare = [c for c in frame.columns if c not in ("_row", "commissioner")]
    frame, repeats = collapse_duplicates(frame, ["period", "commissioner"], compare, path)
    frame["month"] = _months(frame, path)
    long = pd.concat(
        [
            frame[["month", "commissioner", "_row"]].assign(
                pod=pod, pathway=pathway, count=numbers(frame, measure, path)
            )
            for measure, (pod, pathway) in measures.items()
        ]
    )
    # Each output row keeps the file row it came from (`_row`), so errors name the MAR's own row.
    activity = (
        long.groupby(["commissioner", "pathway", "pod", "month"], as_index=False, sort=True)
        .agg(count=("count", "sum"), _row=("_row", "min"))
        # pandas-stubs leave pd.NA out of assign's scalars; pandas takes it (a column of missing values).
        .assign(provider=pd.NA, practice=pd.NA, cost=float("nan"))  # type: ignore[arg-type]
    )
    return finish(activity, "activity", path, rejected=rejected + repeats)


def _months(frame: pd.DataFrame, path: str | Path) -> pd.Series:
    """The 'period' column (first day of the month, YYYY-MM-DD) as dates; a bad one names its row."""
    months = pd.to_datetime(frame["period"].str.strip(), format="%Y-%m-%d", errors="coerce")
    bad = months.isna() | (months.dt.day != 1)
    if bad.any():
        first = bad.to_numpy().nonzero()[0][0]
        raise DataContractError(
            f"{path}, row {frame['_row'].iloc[first]}, column 'period': expected the first day of a month "
            f"(YYYY-MM-01), found {frame['period'].iloc[first]!r}"
        )
    return months
