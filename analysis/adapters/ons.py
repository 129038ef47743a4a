"""ONS population files -> the population table.

- Mid-year estimates (ons_mye2011_lad_by_sex_single_year_age.csv: year, lad_code, lad_name, sex, age,
  population): variant "estimate", area = lad_code.
- National population projections (ons_npp2018_uk_countries_by_sex_age_2018_2035.csv: variant,
  country_code, year, sex, age, population): variants "principal", "high (hhh)" and "low (lll)" become
  principal, high and low; area = country_code.

In both, the oldest age is "90 and over" and is recorded as age 90 (a "90+" label is read the same).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from analysis.adapters.source import as_list, finish, keep_codes, numbers, read_published_csv
from analysis.contract import SEXES, DataContractError

NPP_VARIANTS = {"principal": "principal", "high (hhh)": "high", "low (lll)": "low"}


def read_mid_year_estimates(path: str | Path, *, areas: Iterable[str] | None = None) -> pd.DataFrame:
    """Read ONS mid-year estimates by local authority, sex and single year of age as the population table."""
    raw, rejected = read_published_csv(
        path, what="ONS mid-year population estimates", required=("year", "lad_code", "sex", "age", "population")
    )
    raw = keep_codes(raw.assign(area=raw["lad_code"].str.strip()), "area", areas, path)
    return finish(_population(raw, path).assign(variant="estimate"), "population", path, rejected=rejected)


def read_national_projections(
    path: str | Path, *, areas: Iterable[str] | None = None, variants: Iterable[str] | None = None
) -> pd.DataFrame:
    """Read ONS national population projections by country, sex and age as the population table."""
    raw, rejected = read_published_csv(
        path,
        what="ONS national population projections",
        required=("variant", "country_code", "year", "sex", "age", "population"),
    )
    raw = keep_codes(raw.assign(area=raw["country_code"].str.strip()), "area", areas, path)
    variant = raw["variant"].str.strip().str.lower().map(NPP_VARIANTS)
    if variant.isna().any():
        first = variant.isna().to_numpy().nonzero()[0][0]
        raise DataContractError(
            f"{path}, row {raw['_row'].iloc[first]}, column 'variant': expected one of {', '.join(NPP_VARIANTS)}, "
            f"found {raw['variant'].iloc[first]!r}"
        )
    frame = _population(raw, path).assign(variant=variant.to_numpy())
    if variants is not None:
        frame = frame[frame["variant"].isin(as_list(variants))]
    return finish(frame, "population", path, rejected=rejected)


def _population(raw: pd.DataFrame, path: str | Path) -> pd.DataFrame:
    """The common columns: area, year, sex, age (90+ as 90) and population, with file rows kept."""
    sex = raw["sex"].str.strip().str.lower()
    if not sex.isin(SEXES).all():
        first = (~sex.isin(SEXES)).to_numpy().nonzero()[0][0]
        raise DataContractError(
            f"{path}, row {raw['_row'].iloc[first]}, column 'sex': expected male or female, found "
            f"{raw['sex'].iloc[first]!r}"
        )
    ages = raw.assign(age=raw["age"].str.strip().str.replace(r"^90\+$", "90", regex=True))
    return pd.DataFrame(
        {
            "area": raw["area"],
            "year": numbers(raw, "year", path),
            "sex": sex,
            "age": numbers(ages, "age", path),
            "population": numbers(raw, "population", path),
            "_row": raw["_row"],
        }
    )
