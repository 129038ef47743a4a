"""NHS fiscal years (April to March), labelled by the calendar year they start in: 2008 = 2008/09."""

from __future__ import annotations

import numpy as np
import pandas as pd

# Months of a fiscal year in order, April first.
FISCAL_MONTHS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)


def fiscal_year(months: pd.Series) -> pd.Series:
    """The fiscal year (starting April) of each month: 2009-03 is in 2008, 2009-04 in 2009."""
    when = pd.to_datetime(months)
    return (when.dt.year - (when.dt.month < 4).astype(int)).astype("int64")


def fy_label(year: int) -> str:
    """The usual label of a fiscal year: 2008 -> '2008/09'."""
    return f"{int(year)}/{(int(year) + 1) % 100:02d}"


def complete_years(months: pd.Series) -> list[int]:
    """Fiscal years for which all twelve months appear among `months`, oldest first."""
    periods = pd.to_datetime(months).dt.to_period("M").drop_duplicates()
    if periods.empty:
        return []
    years = periods.dt.year - (periods.dt.month < 4).astype(int)
    counts = years.value_counts()
    return sorted(int(y) for y in counts.index[counts == 12].to_numpy())


def baseline_year(activity: pd.DataFrame) -> int:
    """The last complete fiscal year in the activity table (the projection's base)."""
    if "month" not in activity.columns:
        raise ValueError("activity table: column 'month' is required to find the baseline year")
    years = complete_years(activity["month"])
    if not years:
        first = pd.to_datetime(activity["month"]).min() if len(activity) else None
        raise ValueError(
            "activity table: no complete fiscal year (April to March) in column 'month'"
            + (f" (data start {first:%Y-%m})" if first is not None else " (the table is empty)")
        )
    return years[-1]


def month_index(months: pd.Series) -> np.ndarray:
    """Months as consecutive integers (months since year 0), for gap-free arithmetic."""
    p = pd.to_datetime(months).dt.to_period("M")
    return (p.dt.year * 12 + p.dt.month - 1).to_numpy(dtype="int64")
