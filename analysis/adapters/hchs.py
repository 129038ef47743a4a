"""NHS Digital hospital and community health services (HCHS) workforce statistics -> the workforce table.

FTE by organisation and staff group, in columns month, org_code, org_name, staff_group and fte.

The month label "2017-SEP" becomes the period 2017-09-01. Staff groups keep their published names
("Nurses & health visitors", "HCHS doctors", ...). An organisation appears only in the months it
existed (Heart of England, RR1, has September 2017 only: it joined University Hospitals Birmingham,
RRK, in April 2018).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from analysis.adapters.source import collapse_duplicates, finish, keep_codes, numbers, read_published_csv
from analysis.contract import DataContractError


def read_hchs_workforce(path: str | Path, *, organisations: Iterable[str] | None = None) -> pd.DataFrame:
    """Read HCHS FTE by organisation and staff group as the workforce table."""
    raw, rejected = read_published_csv(
        path, what="an NHS Digital HCHS workforce file", required=("month", "org_code", "staff_group", "fte")
    )
    raw = keep_codes(raw.assign(organisation=raw["org_code"].str.strip()), "organisation", organisations, path)
    period = pd.to_datetime(raw["month"].str.strip().str.title(), format="%Y-%b", errors="coerce")
    if period.isna().any():
        first = period.isna().to_numpy().nonzero()[0][0]
        raise DataContractError(
            f"{path}, row {raw['_row'].iloc[first]}, column 'month': expected a month such as 2017-SEP, found "
            f"{raw['month'].iloc[first]!r}"
        )
    frame = pd.DataFrame(
        {
            "period": period,
            "organisation": raw["organisation"],
            "staff_group": raw["staff_group"].str.strip(),
            "fte": numbers(raw, "fte", path),
            "_row": raw["_row"],
        }
    )
    frame, repeats = collapse_duplicates(frame, ["period", "organisation", "staff_group"], ["fte"], path)
    return finish(frame, "workforce", path, rejected=rejected + repeats)
