"""Any contract table from a tidy CSV or Parquet file already in the contract's own columns.

For an analyst with a local extract (from a warehouse, a spreadsheet, another tool): write one file
per table with exactly the columns of `analysis/contract.py` (data/README.md lists them, with an
example file of each under data/examples/), name it in the parameter file under the table, and no new
code is needed. The file is validated by the contract as it is: a missing or unknown column, a value
of the wrong type, out of range or not allowed, a repeated key, or a gap in a monthly series stops the
read with the file, the row, the column and the rule. Nothing is repaired or set aside.

CSV: UTF-8, a header row; blank cells are missing values; dates and months as YYYY-MM-DD (months on
the first day). Rows are numbered as a spreadsheet shows them (the header is row 1). Parquet: columns
of any sensible type (text, numbers, dates); rows are numbered from 1 for the first record.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.adapters.source import SourceFormatError
from analysis.contract import TABLES, validate

CSV_SUFFIXES = (".csv", ".txt")
PARQUET_SUFFIXES = (".parquet", ".pq")


def read_contract_table(path: str | Path, table: str) -> pd.DataFrame:
    """Read `table` from a CSV or Parquet file in the contract's columns, validated by the contract."""
    path = Path(path)
    if table not in TABLES:
        raise ValueError(f"{path}: '{table}' is not a contract table (expected one of {', '.join(TABLES)})")
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file (expected the {table} table as CSV or Parquet)")
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SourceFormatError(
                f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8 CSV"
            ) from None
        except pd.errors.ParserError as exc:
            raise SourceFormatError(f"{path}: not a readable CSV file ({exc})") from None
        frame.columns = [str(c).strip() for c in frame.columns]
        source, offset = f"{path} (read as the {table} table)", 2
    elif suffix in PARQUET_SUFFIXES:
        frame = pd.read_parquet(path)
        source, offset = f"{path} (read as the {table} table; row 1 is the first record)", 1
    else:
        raise SourceFormatError(
            f"{path}: expected a CSV ({', '.join(CSV_SUFFIXES)}) or Parquet ({', '.join(PARQUET_SUFFIXES)}) file for "
            f"the {table} table"
        )
    out = validate(frame, table, source, row_offset=offset)
    out.attrs["rejected"], out.attrs["repaired"] = [], []
    return out
