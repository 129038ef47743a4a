"""The episode-level extract: one row per episode or attendance, read lazily through the engine and checked.

Columns (only date, commissioner and pod are required; the others are added as empty when absent):
date (date of the episode or attendance), commissioner, provider, practice, pod (point of delivery, one
of analysis.contract.PODS), specialty (treatment function code), diagnosis (primary ICD-10 code),
age_band, sex, cost (pounds), los (length of stay in days).
"""

from __future__ import annotations

from pathlib import Path

import ibis
import ibis.expr.datatypes as dt
from ibis.backends import BaseBackend

from analysis.contract import PODS, DataContractError

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
    suffixes = "".join(path.suffixes).lower()
    if suffixes.endswith((".parquet", ".pq")):
        table = con.read_parquet(path)
    elif suffixes.endswith((".csv", ".csv.gz")):
        table = con.read_csv(path)
    else:
        raise DataContractError(f"{path}: an episode extract must be a .parquet or .csv file")
    table = conform_episodes(table, str(path))
    if check_values:
        check_episode_values(table, str(path))
    return table


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
        **{f"blank_{c}": table[c].isnull().sum() for c, (_, required) in EPISODE_COLUMNS.items() if required},
    ).execute()
    for column in ("date", "commissioner", "pod"):
        blanks = int(counts[f"blank_{column}"].iloc[0] or 0)
        if blanks:
            raise DataContractError(
                f"{source}, column '{column}': {blanks} row(s) have no value; every episode needs one"
            )
    unknown = table.filter(~table.pod.isin(PODS)).select("pod").distinct().limit(5).execute()["pod"].tolist()
    if unknown:
        raise DataContractError(
            f"{source}, column 'pod': unknown point(s) of delivery {', '.join(map(repr, sorted(unknown)))}; "
            f"expected one of {', '.join(PODS)}"
        )
