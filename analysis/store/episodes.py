"""The episode-level extract: one row per episode or attendance, read lazily through the engine and checked.

Columns (only date, commissioner and pod are required; the others are added as empty when absent):
date (date of the episode or attendance), commissioner, provider, practice, pod (point of delivery, one
of analysis.contract.PODS), specialty (treatment function code), diagnosis (primary ICD-10 code),
age_band, sex, cost (pounds), los (length of stay in days).
"""

from __future__ import annotations

import codecs
from pathlib import Path

import ibis
import ibis.expr.datatypes as dt
import pandas as pd
from ibis.backends import BaseBackend

from analysis.contract import MAX_VALUE, PODS, DataContractError

# column -> (what it must hold, required)
EPISODE_COLUMNS: dict[str, tuple[str, bool]] = {
    "date": ("date", True),
    "commissioner": ("text", True),
    "provider": ("text", False),
    "practice": ("text", False),
    "pod": ("text", True),
    "specialty": ("code", False),
    "diagnosis": ("text", False),
    "age_band": ("text", False),
    "sex": ("text", False),
    "cost": ("number", False),
    "los": ("number", False),
}
_EMPTY_TYPE = {"date": "date", "text": "string", "code": "string", "number": "float64"}


def read_episodes(con: BaseBackend, path: str | Path, *, check_values: bool = True) -> ibis.Table:
    """Open a Parquet or CSV episode extract as an Ibis table with the episode columns, checked."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such episode extract")
    if path.is_dir():
        raise DataContractError(f"{path}: is a folder; expected an episode extract, a .parquet or .csv file")
    suffixes = "".join(path.suffixes).lower()
    try:
        if suffixes.endswith((".parquet", ".pq")):
            table = con.read_parquet(path)
        elif suffixes.endswith((".csv", ".csv.gz")):
            table = con.read_csv(path)
        else:
            raise DataContractError(f"{path}: an episode extract must be a .parquet or .csv file")
        table = conform_episodes(table, str(path))
        if check_values:
            check_episode_values(table, str(path))
    except DataContractError as exc:
        raise DataContractError(_with_row(str(exc), path)) from None
    except Exception as exc:  # noqa: BLE001 - the engine's own error on a file it cannot read
        if not is_engine_error(exc):
            raise
        raise DataContractError(
            non_utf8(path) or f"{path}: the engine could not read this episode extract: {engine_message(exc)}"
        ) from None
    return table


NEWLINE = b"\n"


def non_utf8(path: Path) -> str | None:
    """A message naming the first row of a CSV extract that is not UTF-8 text (None when it all is), read in blocks."""
    if not "".join(path.suffixes).lower().endswith(".csv"):
        return None
    decoder = codecs.getincrementaldecoder("utf-8")()
    row = 1
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                where = row + block.count(NEWLINE, 0, exc.start)
                return (f"{path}, row {where}: byte {block[exc.start:exc.start + 1]!r} "
                        "is not UTF-8 text (expected an episode extract saved as UTF-8)")
            row += block.count(NEWLINE)
    return None


def is_engine_error(exc: BaseException) -> bool:
    """Whether an exception is DuckDB's (or Arrow's) report of a file it cannot read or convert."""
    module = type(exc).__module__ or ""
    return module.startswith(("duckdb", "_duckdb", "pyarrow")) or type(exc).__name__ in (
        "ArrowInvalid",
        "ArrowTypeError",
    )


def engine_message(exc: BaseException) -> str:
    """The first line of an engine error, without its internal class name."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text.split(": ", 1)[1] if text.startswith(("Invalid Input Error", "Conversion Error", "IO Error")) else text


# --- row numbers as the analyst counts them --------------------------------------------------------
# Checks run in the engine over the whole extract; only when one fails is the file scanned again to
# find the first offending row: a CSV's row as a spreadsheet numbers it (header = row 1), a Parquet
# file's record from 1.

_RULES = {
    "date": lambda v: pd.to_datetime(v, errors="coerce", format="ISO8601").isna(),
    "commissioner": lambda v: v.isna() | (v.astype("string").str.strip() == ""),
    "pod": lambda v: v.isna() | ~v.astype("string").isin(PODS),
    "cost": lambda v: _not_a_measure(v),
    "los": lambda v: _not_a_measure(v),
}


def _not_a_measure(values: pd.Series) -> pd.Series:
    """Values that are not a finite number from 0 to MAX_VALUE (blanks are allowed)."""
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    return values.notna() & ~((numbers >= 0) & (numbers <= MAX_VALUE))


def first_row(path: str | Path, column: str, bad) -> str:
    """', row N' (CSV) or ', record N' (Parquet) of the first value of `column` where bad(values); '' if none."""
    import duckdb

    path = Path(path)
    try:
        if "".join(path.suffixes).lower().endswith((".parquet", ".pq")):
            frame = duckdb.execute(
                f'SELECT file_row_number, "{column}" AS v FROM read_parquet(?, file_row_number = true) ORDER BY '
                "file_row_number",
                [str(path)],
            ).df()
            hit = bad(frame["v"]).to_numpy(dtype=bool)
            return f", record {int(frame['file_row_number'].iloc[hit.argmax()]) + 1}" if hit.any() else ""
        offset = 2
        for chunk in pd.read_csv(path, usecols=[column], dtype="string", keep_default_na=False, chunksize=1_000_000):
            values = chunk[column].mask(chunk[column] == "")
            hit = bad(values).to_numpy(dtype=bool)
            if hit.any():
                return f", row {offset + int(hit.argmax())}"
            offset += len(chunk)
    except Exception:  # noqa: BLE001 - the row is a courtesy; the error stands without it
        return ""
    return ""


def _with_row(message: str, path: Path) -> str:
    """Add the first offending row to an error that names a column but no row."""
    for column, rule in _RULES.items():
        marker = f"column '{column}'"
        if marker in message and ", row " not in message and ", record " not in message:
            row = first_row(path, column, rule)
            return message.replace(f", {marker}", f"{row}, {marker}", 1) if row else message
    return message


def first_row_outside(path: str | Path, start: pd.Timestamp, end: pd.Timestamp) -> str:
    """', row N' of the first episode dated before `start` or on or after `end` (see first_row)."""
    def outside(values: pd.Series) -> pd.Series:
        dates = pd.to_datetime(values, errors="coerce", format="ISO8601")
        return (dates < start) | (dates >= end)

    return first_row(path, "date", outside)


def conform_episodes(table: ibis.Table, source: str) -> ibis.Table:
    """Check the columns and their types, add absent optional columns as nulls, return them in order."""
    schema = table.schema()
    missing = [c for c, (_, required) in EPISODE_COLUMNS.items() if required and c not in schema]
    if missing:
        raise DataContractError(
            f"{source}: the episode extract needs column(s) {', '.join(missing)}; found {', '.join(schema.names)}"
        )
    columns = {}
    for name, (kind, _) in EPISODE_COLUMNS.items():
        if name not in schema:
            columns[name] = ibis.null().cast(_EMPTY_TYPE[kind])
            continue
        _check_type(schema[name], kind, name, source)
        columns[name] = table[name].cast(_EMPTY_TYPE[kind]) if schema[name].is_null() else table[name]
    return table.select(**columns)


def _check_type(dtype: dt.DataType, kind: str, name: str, source: str) -> None:
    """Raise if a column's type cannot hold what the episode extract expects there."""
    ok = {
        "date": dtype.is_date() or dtype.is_timestamp(),
        "text": dtype.is_string() or dtype.is_null(),
        "code": dtype.is_string() or dtype.is_integer() or dtype.is_null(),
        "number": dtype.is_numeric() or dtype.is_null(),
    }[kind]
    if not ok:
        expected = {"date": "a date", "text": "text", "code": "a code (text or whole number)", "number": "a number"}[
            kind
        ]
        raise DataContractError(f"{source}, column '{name}': expected {expected}, found values of type {dtype}")


def check_episode_values(table: ibis.Table, source: str) -> None:
    """One pass over the extract: required columns have no blanks and every pod is a known one."""
    counts = table.aggregate(
        rows=table.count(),
        **{
            f"blank_{c}": table[c].isnull().sum()  # noqa: PD003 (an Ibis column: no isna)
            for c, (_, required) in EPISODE_COLUMNS.items()
            if required
        },
    ).execute()
    for column in ("date", "commissioner", "pod"):
        blanks = int(counts[f"blank_{column}"].iloc[0] or 0)
        if blanks:
            raise DataContractError(
                f"{source}, column '{column}': {blanks} row(s) have no value; every episode needs one"
            )
    for column in ("cost", "los"):
        value = table[column].cast("float64")
        bad = (
            table.aggregate(n=((value < 0) | value.isinf() | (value > MAX_VALUE)).ifelse(1, 0).sum())
            .execute()["n"]
            .iloc[0]
        )
        if int(bad or 0):
            raise DataContractError(
                f"{source}, column '{column}': {int(bad)} row(s) hold a negative, infinite or absurd value "
                f"(expected a finite number from 0 to {MAX_VALUE:g})"
            )
    unknown = table.filter(~table.pod.isin(PODS)).select("pod").distinct().limit(5).execute()["pod"].tolist()
    if unknown:
        raise DataContractError(
            f"{source}, column 'pod': unknown point(s) of delivery {', '.join(map(repr, sorted(unknown)))}; "
            f"expected one of {', '.join(PODS)}"
        )
