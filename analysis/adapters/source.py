"""Reading a published CSV as it is: the header check, file row numbers and the report of rejected rows.

Row numbers are the ones a spreadsheet shows: the header is row 1, the first record row 2. Every
adapter keeps them in a `_row` column while it works, so any error or rejected row names the line an
analyst can open. Rejected rows are never dropped silently: they are logged as a warning and listed
on the returned frame as `frame.attrs["rejected"] = [(row, reason), ...]`; rows an adapter repaired by
a documented rule are listed the same way under `frame.attrs["repaired"]`.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.contract import DataContractError, validate
from analysis.inputs import line_of

log = logging.getLogger("analysis.adapters")

ENGLAND = "E92000001"  # the ONS code for England, used wherever a file has an unlabelled England row
Report = list[tuple[int, str]]


class SourceFormatError(DataContractError):
    """The file is not the published format the adapter reads (wrong file, or a changed layout)."""


def read_published_csv(path: str | Path, *, what: str, required: Sequence[str]) -> tuple[pd.DataFrame, Report]:
    """Read a CSV with every value as text ('' when blank) plus `_row`; rows of the wrong width are rejected."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file (expected {what})")
    if path.is_dir():
        raise SourceFormatError(f"{path}: is a folder; expected {what}, a CSV file")
    text = _text(path, what)
    reader = csv.reader(io.StringIO(text, newline=""))
    records, numbers, rejected = [], [], []
    number = 1
    try:
        header = [h.strip() for h in next(reader, [])]
        missing = [c for c in required if c not in header]
        if missing:
            raise SourceFormatError(f"{path} does not look like {what}: missing columns {', '.join(missing)}")
        for number, record in enumerate(reader, start=2):  # noqa: B007 - `number` names the row that fails
            if len(record) == len(header):
                records.append(record)
                numbers.append(number)
            elif any(field.strip() for field in record):
                rejected.append(
                    (number, f"{len(record)} fields where the header has {len(header)} (an unquoted comma?)")
                )
    except csv.Error as exc:
        # The csv module counts physical lines; a record (a row as numbered here) may span several.
        raise SourceFormatError(
            f"{path}, row {number + 1} (line {reader.line_num}): not readable as CSV: {exc}"
        ) from None
    frame = pd.DataFrame(records, columns=header, dtype="string")
    frame["_row"] = numbers
    return frame, rejected


def _text(path: Path, what: str) -> str:
    """The file's text: UTF-8 (with or without a byte order mark); other bytes name their row."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceFormatError(
            f"{path}, row {line_of(data, exc.start)}: byte {data[exc.start:exc.start + 1]!r} is not UTF-8 text "
            f"(expected {what} saved as UTF-8)"
        ) from None


def numbers(frame: pd.DataFrame, column: str, path: str | Path, *, blank: bool = False) -> pd.Series:
    """Parse a text column as numbers; a value that is not a number (or a blank unless allowed) names its row."""
    text = frame[column].str.strip()
    values = pd.to_numeric(text.mask(text == ""), errors="coerce").astype("float64")
    bad = values.isna() & ((text != "") | (not blank))
    if bad.any():
        first = bad.to_numpy().nonzero()[0][0]
        found = text.iloc[first]
        what = "a number" if found else "a value"
        raise DataContractError(
            f"{path}, row {frame['_row'].iloc[first]}, column '{column}': expected {what}, found {found!r}"
        )
    return values


def collapse_duplicates(
    frame: pd.DataFrame,
    key: Sequence[str],
    compare: Sequence[str],
    path: str | Path,
    *,
    note: str = "",
    tolerate: Sequence[str] = (),
) -> tuple[pd.DataFrame, Report]:
    """Keep the first of rows that repeat a key with the same `compare` values; repeats that disagree are an error.

    Differences in the `tolerate` columns are allowed and named in the report.
    """
    dup = frame.duplicated(list(key), keep=False)
    if not dup.any():
        return frame, []
    rejected: Report = []
    for _, group in frame[dup].groupby(list(key), sort=False, dropna=False):
        head = group.iloc[0]
        for _, other in group.iloc[1:].iterrows():
            differs = [c for c in compare if not _same(head[c], other[c])]
            if differs:
                label = ", ".join(f"{k}={head[k]}" for k in key)
                raise DataContractError(
                    f"{path}, rows {head['_row']} and {other['_row']}: two rows for ({label}) disagree on "
                    f"'{differs[0]}' ({head[differs[0]]!r} and {other[differs[0]]!r})"
                )
            allowed = [c for c in tolerate if not _same(head[c], other[c])]
            extra = f"; {', '.join(allowed)} differ, row {head['_row']}'s kept" if allowed else ""
            rejected.append((int(other["_row"]), f"repeats row {head['_row']}{note}{extra}"))
    keep = ~frame.duplicated(list(key), keep="first")
    return frame[keep], sorted(rejected)


def _same(a: Any, b: Any) -> bool:
    """Equal, counting two blanks as equal."""
    return bool((pd.isna(a) and pd.isna(b)) or a == b)


def as_list(codes: Iterable[str] | str) -> list[str]:
    """Codes as a list; a single code (as a parameter file may give it) is a list of one."""
    return [codes] if isinstance(codes, str) else [str(c) for c in codes]


def keep_codes(frame: pd.DataFrame, column: str, codes: Iterable[str] | None, path: str | Path) -> pd.DataFrame:
    """Keep the rows whose code is one of `codes` (all rows when None); a code with no rows is an error."""
    if codes is None:
        return frame
    codes = as_list(codes)
    absent = [c for c in codes if c not in set(frame[column])]
    if absent:
        raise DataContractError(f"{path}: no rows for {', '.join(map(repr, absent))} in column '{column}'")
    return frame[frame[column].isin(codes)]


def finish(
    frame: pd.DataFrame,
    table: str,
    path: str | Path | Sequence[str | Path],
    *,
    rejected: Sequence[tuple[int, str]] = (),
    repaired: Sequence[tuple[int, str]] = (),
) -> pd.DataFrame:
    """Validate against the contract, attach and log the rejected and repaired rows, and return the table."""
    source = f"{path} (read as the {table} table)"
    # Errors name the file's own rows: an adapter that reshapes the file keeps each row's `_row`.
    rows = frame["_row"].tolist() if "_row" in frame.columns else None
    out = validate(
        frame.drop(columns=[c for c in frame.columns if c.startswith("_")]), table, source, row_offset=1, rows=rows
    )
    if rows is not None:
        out.attrs["rows"] = rows
    out.attrs["rejected"] = sorted(rejected)
    out.attrs["repaired"] = sorted(repaired)
    for label, report in (("rejected", rejected), ("repaired", repaired)):
        if report:
            shown = "; ".join(f"row {r}: {why}" for r, why in sorted(report)[:5])
            more = f" (and {len(report) - 5} more)" if len(report) > 5 else ""
            log.warning("%s: %d row(s) %s: %s%s", path, len(report), label, shown, more)
    return out
