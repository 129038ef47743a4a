"""The pathway lookup: specialty codes, ICD-10 diagnosis blocks and points of delivery mapped to pathways.

The file (data/lookups/pathway_lookup.csv, documented in its README) holds ranges; this module checks
them and expands them into one row per code, so the data layer joins on equality.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.contract import PATHWAYS, PODS, DataContractError
from analysis.paths import DATA

DEFAULT_LOOKUP = DATA / "lookups" / "pathway_lookup.csv"
KINDS = ("specialty", "diagnosis", "pod")  # the order in which the rules are tried
COLUMNS = ("kind", "code_from", "code_to", "pathway")
_SPECIALTY = re.compile(r"^\d{3}$")
_DIAGNOSIS = re.compile(r"^[A-Z]\d{2}$")


def read_pathway_lookup(path: str | Path = DEFAULT_LOOKUP) -> pd.DataFrame:
    """Read and check a pathway lookup file; return one row per code: kind, code, pathway."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise DataContractError(f"{path} does not look like a pathway lookup: missing columns {', '.join(missing)}")
    rows = []
    for position, rec in enumerate(raw.itertuples(index=False)):
        row = position + 2
        codes = _expand(rec.kind.strip(), rec.code_from.strip(), rec.code_to.strip(), f"{path}, row {row}")
        if rec.pathway not in PATHWAYS:
            raise DataContractError(
                f"{path}, row {row}, column 'pathway': expected one of {', '.join(PATHWAYS)}, found {rec.pathway!r}"
            )
        rows += [(rec.kind.strip(), code, rec.pathway, row) for code in codes]
    table = pd.DataFrame(rows, columns=["kind", "code", "pathway", "row"])
    _check_overlaps(table, path)
    uncovered = sorted(set(PODS) - set(table.loc[table.kind == "pod", "code"]))
    if uncovered:
        raise DataContractError(f"{path}: every point of delivery needs a 'pod' row; none for {', '.join(uncovered)}")
    return table.drop(columns="row").reset_index(drop=True)


def _expand(kind: str, start: str, stop: str, where: str) -> list[str]:
    """All codes from start to stop inclusive for one lookup row."""
    if kind == "pod":
        if start != stop or start not in PODS:
            raise DataContractError(
                f"{where}: a pod row names one point of delivery ({', '.join(PODS)}), found {start!r}-{stop!r}"
            )
        return [start]
    if kind == "specialty":
        if not (_SPECIALTY.match(start) and _SPECIALTY.match(stop)) or int(start) > int(stop):
            raise DataContractError(
                f"{where}: expected a range of three-digit treatment function codes, found {start!r}-{stop!r}"
            )
        return [f"{n:03d}" for n in range(int(start), int(stop) + 1)]
    if kind == "diagnosis":
        if not (_DIAGNOSIS.match(start) and _DIAGNOSIS.match(stop)) or _ordinal(start) > _ordinal(stop):
            raise DataContractError(
                f"{where}: expected a range of three-character ICD-10 codes such as F00-F99, found {start!r}-{stop!r}"
            )
        return [f"{chr(65 + n // 100)}{n % 100:02d}" for n in range(_ordinal(start), _ordinal(stop) + 1)]
    raise DataContractError(f"{where}, column 'kind': expected one of {', '.join(KINDS)}, found {kind!r}")


def _ordinal(code: str) -> int:
    """A three-character ICD-10 code as a number: A00 is 0, A99 is 99, B00 is 100."""
    return (ord(code[0]) - 65) * 100 + int(code[1:])


def _check_overlaps(table: pd.DataFrame, path: str | Path) -> None:
    """A code listed twice for the same kind would give an episode two pathways: name both rows."""
    dup = table.duplicated(["kind", "code"], keep=False)
    if dup.any():
        first = table[dup].iloc[0]
        rows = table.loc[dup & (table.kind == first.kind) & (table.code == first.code), "row"].tolist()
        raise DataContractError(
            f"{path}, rows {rows[0]} and {rows[1]}: {first.kind} code {first.code} is covered twice"
        )
