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
from analysis.paths import resolve


@dataclass(frozen=True)
class Adapter:
    """One published format: the function that reads it, the table it makes, and who publishes it.

    `table` None: the adapter makes whichever contract table its entry is listed under (it is passed on).
    """

    read: Callable[..., pd.DataFrame]
    table: str | None
    publisher: str


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
    return attach_deprivation(practices, read_practice_deprivation(resolve(deprivation)))


def _plain(function: Callable[..., pd.DataFrame]) -> Callable[..., pd.DataFrame]:
    """An adapter that needs nothing from the parameter file."""

    def read(path: Path, *, params: Any = None, **options: Any) -> pd.DataFrame:
        return function(path, **options)

    read.__doc__ = function.__doc__
    return read


def _read_contract(path: Path, *, table: str, params: Any = None) -> pd.DataFrame:
    """A contract table from a tidy CSV or Parquet file in the contract's own columns (no options)."""
    return read_contract_table(path, table)


ADAPTERS: dict[str, Adapter] = {
    "mar": Adapter(_read_mar, "activity", "NHS England, Monthly Activity Return"),
    "fingertips": Adapter(_plain(read_fingertips), "indicators", "OHID, Fingertips"),
    "fingertips_long": Adapter(_plain(read_fingertips_long), "indicators", "OHID, Fingertips"),
    "ons_mye": Adapter(_plain(read_mid_year_estimates), "population", "ONS, mid-year population estimates"),
    "ons_npp": Adapter(_plain(read_national_projections), "population", "ONS, national population projections"),
    "kh03_beds": Adapter(_plain(read_kh03_beds), "beds", "NHS England, KH03 bed availability and occupancy"),
    "hchs_workforce": Adapter(_plain(read_hchs_workforce), "workforce", "NHS Digital, NHS workforce statistics"),
    "gp_list_sizes": Adapter(_read_practices, "practices", "NHS Digital, payments to general practice"),
    "practice_deprivation": Adapter(_plain(read_practice_deprivation), "practices", "OHID, Fingertips (IMD by practice)"),
    "nhse_ae_monthly": Adapter(
        _plain(read_ae_monthly), "provider_series", "NHS England, A&E Attendances and Emergency Admissions (monthly, by provider)"
    ),
    "contract": Adapter(_read_contract, None, "a local extract in the data contract's own columns"),
}


def read(adapter: str, path: str | Path, *, table: str, params: Any = None, **options: Any) -> pd.DataFrame:
    """Read one file through the named adapter, which must make `table`."""
    spec = _get(adapter)
    if spec.table is not None and spec.table != table:
        raise ValueError(f"adapter '{adapter}' makes the {spec.table} table, not {table} (listed under data.files.{table})")
    if spec.table is None:
        options = {**options, "table": table}
    try:
        return spec.read(Path(path), params=params, **options)
    except TypeError as exc:
        if "unexpected keyword argument" in str(exc):
            raise ValueError(f"adapter '{adapter}' ({path}): {exc}; check the entry's options") from None
        raise


def publisher(adapter: str) -> str:
    """Who publishes the files the named adapter reads, for the book's source lines."""
    return _get(adapter).publisher


def _get(adapter: str) -> Adapter:
    if adapter not in ADAPTERS:
        raise ValueError(f"unknown adapter '{adapter}'; expected one of {', '.join(ADAPTERS)}")
    return ADAPTERS[adapter]
