"""Practice files for test editions built on an episode extract: GP list sizes and IMD scores by practice.

Both files are written in their publishers' own columns (NHS Digital's list sizes, Fingertips' IMD
export), so the test editions read them through the same adapters as the real files.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def write_practice_files(
    folder: Path,
    commissioner_of: dict[str, str],
    *,
    financial_year: str,
    imd_year: int,
    sizes: tuple[int, int],
    scores: tuple[float, float],
) -> tuple[Path, Path]:
    """Write list_sizes.csv and imd.csv for the practices in `commissioner_of` (practice -> commissioner).

    `sizes` and `scores` are (first, step): the i-th practice has first + i x step registered patients
    and IMD score, so practices differ and the funnels and deprivation charts have something to show.
    """
    practices = list(commissioner_of)
    steps = range(len(practices))
    list_sizes = folder / "list_sizes.csv"
    pd.DataFrame(
        {
            "financial_year": financial_year,
            "practice_code": practices,
            "practice_name": [f"Practice {p}" for p in practices],
            "ccg_code": [commissioner_of[p] for p in practices],
            "registered_patients": [sizes[0] + sizes[1] * i for i in steps],
        }
    ).to_csv(list_sizes, index=False)
    imd = folder / "imd.csv"
    pd.DataFrame(
        {
            "IndicatorID": 93553,
            "Year": imd_year,
            "AreaCode": practices,
            "AreaName": practices,
            "IsAreaCurrent": 1,
            "Value": [scores[0] + scores[1] * i for i in steps],
        }
    ).to_csv(imd, index=False)
    return list_sizes, imd
