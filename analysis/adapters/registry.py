"""The adapters by name, as a parameter file's data.files entries refer to them.

    data:
      kind: files
      files:
        activity:
          - {adapter: mar, path: ../shared/data/real/nhse_mar_monthly_activity_commissioner_2008-04_2013-03.csv,
             options: {organisations: [5PG, TAM]}}

        provider_series:
          - {adapter: nhse_ae_monthly, path: ../shared/data/real/nhse_ae_monthly}
        finance:
          - {adapter: contract, path: extracts/finance.csv}

`read` checks that the adapter makes the table the entry is listed under, fills in what the parameter
file already holds (the MAR's organisation code changes from economy.code_map), and passes the
entry's options on as keyword arguments. The `contract` adapter makes whichever table it is listed
under, from a file already in that table's columns.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.adapters.fingertips import read_fingertips
from analysis.adapters.fingertips_long import read_fingertips_long
from analysis.adapters.hchs import read_hchs_workforce
from analysis.adapters.kh03 import read_kh03_beds
from analysis.adapters.mar import read_mar
from analysis.adapters.nhse_ae import read_ae_monthly
from analysis.adapters.ons import read_mid_year_estimates, read_national_projections
from analysis.adapters.practices import attach_deprivation, read_list_sizes, read_practice_deprivation
from analysis.adapters.tidy import read_contract_table
from analysis.inputs import InputError
from analysis.paths import resolve


@dataclass(frozen=True)
class Adapter:
    """One published format: the function that reads it, the table it makes, and who publishes it.

    `table` None: the adapter makes whichever contract table its entry is listed under (it is passed on).
    `folders` True: the entry's path may be a folder of files (one file a month).
    """

    read: Callable[..., pd.DataFrame]
    table: str | None
    publisher: str
    folders: bool = False


def _read_mar(path: Path, *, params: Any = None, **options: Any) -> pd.DataFrame:
    """The MAR, with the parameter file's code changes unless the entry gives its own."""
    if params is not None and "code_map" not in options:
        options["code_map"] = {old: new for old, new in params.economy.code_map.items() if isinstance(new, str)}
    return read_mar(path, **options)


def _read_practices(path: Path, *, params: Any = None, deprivation: str | None = None, **options: Any) -> pd.DataFrame:
    """List sizes, with each practice's IMD score attached when a deprivation file is named."""
    practices = read_list_sizes(path, **options)
    if deprivation is None:
        return practices
    scores = read_practice_deprivation(resolve(deprivation))
    out = attach_deprivation(practices, scores)
    scored = out.groupby("year")["imd_score"].count()
    bare = [int(y) for y in scored[scored == 0].index]
    if bare:  # a deprivation file that covers none of a year's practices is the wrong file or the wrong years
        raise InputError(
            f"{deprivation}: no practice of {path} gets an IMD score for {', '.join(map(str, bare))} "
            "(scores apply from their own year on; this file has years "
            f"{', '.join(map(str, sorted(scores['year'].dropna().astype(int).unique())))}); "
            "give a deprivation file with a year at or before the list sizes' first year"
        )
    return out


def _plain(function: Callable[..., pd.DataFrame]) -> Callable[..., pd.DataFrame]:
    """An adapter that needs nothing from the parameter file."""

    def read(path: Path, *, params: Any = None, **options: Any) -> pd.DataFrame:
        return function(path, **options)

    # The adapter's docstring, and __wrapped__ so options_of reads the adapter's own options.
    return functools.update_wrapper(read, function, assigned=("__doc__",), updated=())


def _read_contract(path: Path, *, table: str, params: Any = None) -> pd.DataFrame:
    """A contract table from a tidy CSV or Parquet file in the contract's own columns (no options)."""
    return read_contract_table(path, table)


# The functions whose keyword options each wrapper passes on (for options_of).
# (Set through the function's __dict__: a typed Callable has no `reads` attribute.)
vars(_read_mar)["reads"] = (read_mar,)
vars(_read_practices)["reads"] = (read_list_sizes,)

ADAPTERS: dict[str, Adapter] = {
    "mar": Adapter(_read_mar, "activity", "NHS England, Monthly Activity Return"),
    "fingertips": Adapter(_plain(read_fingertips), "indicators", "OHID, Fingertips"),
    "fingertips_long": Adapter(_plain(read_fingertips_long), "indicators", "OHID, Fingertips"),
    "ons_mye": Adapter(_plain(read_mid_year_estimates), "population", "ONS, mid-year population estimates"),
    "ons_npp": Adapter(_plain(read_national_projections), "population", "ONS, national population projections"),
    "kh03_beds": Adapter(_plain(read_kh03_beds), "beds", "NHS England, KH03 bed availability and occupancy"),
    "hchs_workforce": Adapter(_plain(read_hchs_workforce), "workforce", "NHS Digital, NHS workforce statistics"),
    "gp_list_sizes": Adapter(_read_practices, "practices", "NHS Digital, payments to general practice"),
    "practice_deprivation": Adapter(
        _plain(read_practice_deprivation), "practices", "OHID, Fingertips (IMD by practice)"
    ),
    "nhse_ae_monthly": Adapter(
        _plain(read_ae_monthly),
        "provider_series",
        "NHS England, A&E Attendances and Emergency Admissions (monthly, by provider)",
        folders=True,
    ),
    "contract": Adapter(_read_contract, None, "a local extract in the data contract's own columns"),
}


def read(adapter: str, path: str | Path, *, table: str, params: Any = None, **options: Any) -> pd.DataFrame:
    """Read one file through the named adapter, which must make `table`."""
    spec = _get(adapter)
    # An adapter whose table is None makes whichever table it is listed under (it is told which).
    if getattr(spec, "table", None) is not None and spec.table != table:
        raise InputError(
            f"adapter '{adapter}' makes the {spec.table} table, not {table} (listed under data.files.{table})"
        )
    known = options_of(adapter)
    unknown = sorted(set(options) - set(known)) if known is not None else []
    if known is not None and unknown:
        raise InputError(
            f"adapter '{adapter}' ({path}): unknown option(s) {', '.join(unknown)}; "
            f"this adapter takes {', '.join(known) or 'no options'}; check the entry's options"
        )
    if spec.table is None:
        options = {**options, "table": table}
    try:
        return spec.read(Path(path), params=params, **options)
    except TypeError as exc:
        if "unexpected keyword argument" in str(exc):
            raise InputError(f"adapter '{adapter}' ({path}): {exc}; check the entry's options") from None
        raise


def options_of(adapter: str) -> list[str] | None:
    """The options a parameter file may give the named adapter (None when they cannot be read off its function)."""
    read_function = _get(adapter).read
    functions = [read_function, *getattr(read_function, "reads", ())]
    names: list[str] = []
    for function in functions:
        target = inspect.unwrap(function)
        parameters = list(inspect.signature(target).parameters.values())
        if (
            any(p.kind is p.VAR_KEYWORD for p in parameters)
            and function is read_function
            and not getattr(function, "reads", ())
        ):
            return None
        names += [p.name for p in parameters if p.kind is p.KEYWORD_ONLY and p.name not in ("params", "table")]
    return list(dict.fromkeys(names))


def reads_folders(adapter: str) -> bool:
    """Whether the named adapter's path may be a folder of files."""
    return _get(adapter).folders


def publisher(adapter: str) -> str:
    """Who publishes the files the named adapter reads, for the book's source lines."""
    return _get(adapter).publisher


def _get(adapter: str) -> Adapter:
    if adapter not in ADAPTERS:
        raise InputError(f"unknown adapter '{adapter}'; expected one of {', '.join(ADAPTERS)}")
    return ADAPTERS[adapter]
