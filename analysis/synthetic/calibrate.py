"""Derive the synthetic generator's calibration numbers from the real published files.

The generator never reads these files: it reads data/default/calibration.yml, where every derived
number sits beside its basis. This module is how those numbers were obtained, and the integration
test re-derives them to prove calibration.yml still matches the files (tests/integration/
test_calibration.py). The files are read with plain pandas, in their published layouts.

`python -m analysis.synthetic.calibrate` prints the derived numbers and any that differ from
calibration.yml.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.paths import REAL_DATA

BIRMINGHAM = "E08000025"
SOLIHULL = "E08000029"
ENGLAND = "E92000001"
PLAN_POPULATION = 630_000  # the plan, section 1.0: "a resident population of 630,000"

MAR = "nhse_mar_monthly_activity_commissioner_2008-04_2013-03.csv"
MYE = "ons_mye2011_lad_by_sex_single_year_age.csv"
NPP = "ons_npp2018_uk_countries_by_sex_age_2018_2035.csv"
SITREP = "nhse_ae_weekly_sitrep_provider_we2010-11-07.csv"
LIST_SIZES = "nhsd_gp_payments_practice_list_sizes_2014-15_2022-23.csv"
IMD = "fingertips_93553_imd_score_by_gp_practice_2010_2015_2019.csv"
SMOKING = "fingertips_91547_smoking_prevalence_qof_2013-14_2023-24.csv"
AE_0_4 = "fingertips_93930_ae_attendances_0-4_gp_pcn_2021-22_2022-23.csv"
LA_INDICATORS = "fingertips_la_indicators_via_trafford_dashboard.csv"
DEATHS_AT_HOME = "fingertips_92727_deaths_usual_residence_65plus_la.csv"
KH03 = "nhse_kh03_beds_by_sector_2010q1.csv"
HCHS = "nhsd_hchs_staff_fte_by_org_staffgroup_2017-09_2018-06.csv"

# Monthly Activity Return columns behind each point of delivery.
MAR_MEASURES = {
    "elective_ordinary": "Elective G&A Ordinary Admissions (FFCEs)",
    "day_case": "Elective G&A Daycase Admissions (FFCEs)",
    "non_elective": "Total Non-elective G&A Admissions (FFCEs)",
    "gp_referral": "GP Referrals Made (All specialties)",
    "outpatient_first": "All 1st Outpatient Attendances (G&A)",
}

# NHS Digital HCHS staff groups folded into the book's seven groups (doctors are split later).
HCHS_GROUPS = {
    "HCHS doctors": "Doctors",
    "Nurses & health visitors": "Nurses and health visitors",
    "Midwives": "Midwives",
    "Scientific, therapeutic & technical staff": "Scientific, therapeutic and technical",
    "Support to doctors, nurses & midwives": "Support to clinical staff",
    "Support to ST&T staff": "Support to clinical staff",
    "Support to ambulance staff": "Support to clinical staff",
    "Central functions": "Managers and infrastructure",
    "Hotel, property & estates": "Managers and infrastructure",
    "Managers": "Managers and infrastructure",
    "Senior managers": "Managers and infrastructure",
}

KH03_SECTORS = ("general_acute", "maternity", "mental_illness", "learning_disabilities")


@lru_cache(maxsize=16)
def _load(path: Path, options: tuple) -> pd.DataFrame:
    if not path.exists():
        raise FileNotFoundError(f"calibration source {path} is missing")
    return pd.read_csv(path, **dict(options))


def _read(name: str, folder: Path, **kwargs) -> pd.DataFrame:
    """A real file as published (read once per process; callers get their own copy)."""
    return _load(folder / name, tuple(sorted(kwargs.items(), key=lambda kv: kv[0]))).copy()


def _round(x: float, digits: int = 4) -> float:
    """Round to significant digits, so calibration.yml stays readable and comparisons stable."""
    if x == 0 or not math.isfinite(x):
        return float(x)
    return float(round(x, digits - 1 - int(math.floor(math.log10(abs(x))))))


def mye2011_counts(area: str, folder: Path = REAL_DATA) -> dict[str, list[int]]:
    """Mid-2011 residents by sex and single year of age (0-90+) for a district, or England (E92000001)."""
    mye = _read(MYE, folder)
    rows = mye[mye["lad_code"].str.startswith("E")] if area == ENGLAND else mye[mye["lad_code"] == area]
    if rows.empty:
        raise KeyError(f"{MYE}: no rows for area {area}")
    table = rows.groupby(["sex", "age"])["population"].sum()
    return {sex: [int(table[(sex, age)]) for age in range(91)] for sex in ("male", "female")}


def npp2018_growth(
    variant: str, first: int = 2018, last: int = 2028, folder: Path = REAL_DATA
) -> dict[str, list[float]]:
    """England's annual growth rate by sex and age between two projection years of one variant."""
    npp = _read(NPP, folder)
    names = {"principal": "principal", "high": "high (hhh)", "low": "low (lll)"}
    rows = npp[(npp["country_code"] == ENGLAND) & (npp["variant"] == names[variant])]
    table = rows.pivot_table(index=["sex", "age"], columns="year", values="population", aggfunc="sum")
    rate = (table[last] / table[first]) ** (1 / (last - first)) - 1
    return {sex: [round(float(rate[(sex, age)]), 5) for age in range(91)] for sex in ("male", "female")}


def population_denominators(folder: Path = REAL_DATA) -> dict[str, int]:
    """Residents behind the activity rates: Solihull and England mid-2011; BEN = the plan's 630,000 less Solihull."""
    solihull = sum(sum(v) for v in mye2011_counts(SOLIHULL, folder).values())
    england = sum(sum(v) for v in mye2011_counts(ENGLAND, folder).values())
    return {"5PG": PLAN_POPULATION - solihull, "TAM": solihull, ENGLAND: england}


def mar_rates_per_1000(fin_year: str = "2008-09", folder: Path = REAL_DATA) -> dict[str, dict[str, float]]:
    """Annual Monthly Activity Return counts per 1,000 residents by point of delivery, for 5PG, TAM and England."""
    mar = _read(MAR, folder)
    mar = mar[mar["fin_year"] == fin_year]
    denominators = population_denominators(folder)
    out: dict[str, dict[str, float]] = {}
    for area, rows in (("5PG", mar[mar["org_code"] == "5PG"]), ("TAM", mar[mar["org_code"] == "TAM"]),
                       (ENGLAND, mar[mar["level"] == "England"])):
        if len(rows) != 12:
            raise ValueError(f"{MAR}: expected 12 months of {fin_year} for {area}, found {len(rows)}")
        out[area] = {pod: _round(rows[col].sum() / denominators[area] * 1000) for pod, col in MAR_MEASURES.items()}
    return out


def mar_seasonality(folder: Path = REAL_DATA) -> dict[str, list[float]]:
    """Monthly factors (April to March, mean 1) per point of delivery from England's Monthly Activity Return."""
    mar = _read(MAR, folder)
    eng = mar[mar["level"] == "England"].copy()
    eng["month"] = pd.to_datetime(eng["period"]).dt.month
    out = {}
    for pod, col in MAR_MEASURES.items():
        share = eng[col] / eng.groupby("fin_year")[col].transform("mean")
        by_month = share.groupby(eng["month"]).mean()
        factors = [by_month[m] for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]
        mean = sum(factors) / 12
        out[pod] = [round(float(f / mean), 4) for f in factors]
    return out


def _sitrep(folder: Path) -> pd.DataFrame:
    sit = _read(SITREP, folder)
    sit.columns = [c.strip() for c in sit.columns]
    return sit


def ae_sitrep(folder: Path = REAL_DATA) -> dict[str, float]:
    """England's major A&E attendances per 1,000 a year and type 3 share; four-hour performance of England and RR1."""
    sit = _sitrep(folder)
    col = {c.split("|")[0].strip() + "|" + c.split("|")[1].strip(): c for c in sit.columns if "|" in c}
    eng = sit[sit["Name"] == "England"].iloc[0]
    rr1 = sit[sit["Code"] == "RR1"].iloc[0]
    england = population_denominators(folder)[ENGLAND]
    week_to_year = 365.25 / 7
    att = "A&E attendances"
    type1 = float(eng[col[f"{att}|Type 1 Departments - Major A&E"]])
    type2 = float(eng[col[f"{att}|Type 2 Departments - Single Specialty"]])
    type3 = float(eng[col[f"{att}|Type 3 Departments - Other A&E/Minor Injury Unit"]])
    total = float(eng[col[f"{att}|Total attendances"]])
    pct = "A&E attendances > 4 hours from arrival to admission, transfer or discharge"
    return {
        "england_major_ae_per_1000": _round((type1 + type2) * week_to_year / england * 1000),
        "england_type3_share": _round(type3 / total),
        "england_four_hour_all": _round(float(eng[col[f"{pct}|Percentage in 4 hours or less (all)"]])),
        "rr1_four_hour_all": _round(float(rr1[col[f"{pct}|Percentage in 4 hours or less (all)"]])),
    }


def _list_sizes(folder: Path) -> pd.DataFrame:
    sizes = _read(LIST_SIZES, folder, on_bad_lines="skip", dtype=str)
    sizes["registered_patients"] = pd.to_numeric(sizes["registered_patients"], errors="coerce")
    return sizes


def _quantiles(values: pd.Series, digits: int = 4) -> list[float]:
    qs = np.quantile(values.to_numpy(dtype=float), np.linspace(0, 1, 11))
    return [_round(float(q), digits) for q in qs]


def list_size_quantiles(
    ccgs: tuple[str, ...] = ("13P", "04X", "05P"), year: str = "2014/15", folder: Path = REAL_DATA
) -> list[float]:
    """Deciles (0, 10, ..., 100%) of registered list size for the Birmingham and Solihull practices of one year."""
    sizes = _list_sizes(folder)
    rows = sizes[(sizes["financial_year"] == year) & sizes["ccg_code"].isin(ccgs)]
    rows = rows[
        rows["registered_patients"] >= 1000
    ]  # closing and merging practices are not the shape of a going practice
    return _quantiles(rows["registered_patients"])


def imd_quantiles(ccg: str, imd_year: int = 2010, list_year: str = "2014/15", folder: Path = REAL_DATA) -> list[float]:
    """Deciles of practice deprivation (IMD score) for one CCG's practices."""
    sizes = _list_sizes(folder)
    codes = set(sizes.loc[(sizes["financial_year"] == list_year) & (sizes["ccg_code"] == ccg), "practice_code"])
    imd = _read(IMD, folder)
    values = imd[(imd["Year"] == imd_year) & imd["AreaCode"].isin(codes)]["Value"]
    if values.empty:
        raise KeyError(f"{IMD}: no {imd_year} scores for the practices of CCG {ccg}")
    return _quantiles(values)


def imd_england_mean(imd_year: int = 2010, folder: Path = REAL_DATA) -> float:
    """The mean practice deprivation score in England."""
    imd = _read(IMD, folder)
    return _round(float(imd[imd["Year"] == imd_year]["Value"].mean()))


def _fingertips_rows(frame: pd.DataFrame, period: str) -> pd.DataFrame:
    return frame[(frame["Time period"] == period) & (frame["Sex"] == "Persons") & frame["Category"].isna()]


def practice_gradient(file: str, period: str, imd_year: int = 2019, folder: Path = REAL_DATA) -> dict[str, float]:
    """Slope of log(practice value) on practice IMD score across England, and the residual spread."""
    data = _fingertips_rows(_read(file, folder), period)
    gps = data[(data["Area Type"] == "GPs") & (data["Value"] > 0)].set_index("Area Code")["Value"]
    imd = _read(IMD, folder)
    scores = imd[imd["Year"] == imd_year].set_index("AreaCode")["Value"]
    joined = pd.concat([gps.rename("value"), scores.rename("imd")], axis=1, join="inner")
    slope, intercept = np.polyfit(joined["imd"], np.log(joined["value"]), 1)
    residual = np.log(joined["value"]) - (intercept + slope * joined["imd"])
    return {"log_slope_per_imd_point": _round(float(slope)), "residual_sd": _round(float(residual.std()))}


def fingertips_value(file: str, area: str, period: str, folder: Path = REAL_DATA) -> float:
    """One area's published value of a Fingertips export (persons, no category)."""
    data = _fingertips_rows(_read(file, folder), period)
    rows = data[data["Area Code"] == area]
    if rows.empty:
        raise KeyError(f"{file}: no {period} value for {area}")
    return _round(float(rows["Value"].iloc[0]))


def la_indicator(source_file: str, area: str, period: str, row: int = 0, folder: Path = REAL_DATA) -> float:
    """A local authority indicator value; `row` picks male (0) or female (1) where a period has both."""
    data = _read(LA_INDICATORS, folder)
    rows = data[
        (data["source_file"] == source_file) & (data["area_code"] == area) & (data["period"].astype(str) == period)
    ]
    if len(rows) <= row:
        raise KeyError(f"{LA_INDICATORS}: no {source_file} value for {area} in {period}")
    return _round(float(rows["value"].iloc[row]))


def deaths_usual_residence(
    area: str, years: tuple[int, ...] = (2004, 2005, 2006, 2007), folder: Path = REAL_DATA
) -> list[float]:
    """Percentage of deaths (aged 65+) in the usual place of residence, by calendar year."""
    data = _read(DEATHS_AT_HOME, folder)
    rows = data[data["area_code"] == area].set_index("period")["value"]
    return [_round(float(rows[y])) for y in years]


def kh03_beds(org: str, folder: Path = REAL_DATA) -> dict[str, dict[str, float]]:
    """Average available and occupied overnight beds by sector, KH03 Q1 2010/11 (sectors with beds only)."""
    data = _read(KH03, folder)
    row = data[data["org_code"] == org]
    if row.empty:
        raise KeyError(f"{KH03}: no row for {org}")
    row = row.iloc[0]
    return {
        sector: {
            "available": _round(float(row[f"available_{sector}"])),
            "occupied": _round(float(row[f"occupied_{sector}"])),
        }
        for sector in KH03_SECTORS
        if float(row[f"available_{sector}"]) > 0
    }


def hchs_fte(org: str, month: str = "2017-SEP", folder: Path = REAL_DATA) -> dict[str, float]:
    """Full-time equivalent staff by the book's staff groups (doctors not yet split), one organisation and month."""
    data = _read(HCHS, folder)
    rows = data[(data["org_code"] == org) & (data["month"] == month) & data["staff_group"].isin(list(HCHS_GROUPS))]
    if rows.empty:
        raise KeyError(f"{HCHS}: no {month} rows for {org}")
    grouped = rows.groupby(rows["staff_group"].map(HCHS_GROUPS))["fte"].sum()
    return {group: _round(float(fte)) for group, fte in sorted(grouped.items())}


def derive(folder: Path = REAL_DATA) -> dict[str, object]:
    """Every derived calibration number, keyed by its dotted path in calibration.yml."""
    out: dict[str, object] = {}
    for area, code in (("5PG", BIRMINGHAM), ("TAM", SOLIHULL), (ENGLAND, ENGLAND)):
        out[f"population.shape_mid2011.{area}"] = mye2011_counts(code, folder)
    for variant in ("principal", "high", "low"):
        out[f"population.growth.{variant}"] = npp2018_growth(variant, folder=folder)
    out["population.england_mid2011"] = population_denominators(folder)[ENGLAND]
    for area, rates in mar_rates_per_1000(folder=folder).items():
        out[f"activity.mar_rates_per_1000.{area}"] = rates
    for pod, factors in mar_seasonality(folder).items():
        out[f"activity.seasonality.{pod}"] = factors
    sitrep = ae_sitrep(folder)
    out["activity.ae_major_per_1000_england"] = sitrep["england_major_ae_per_1000"]
    out["indicators.urgent_care.england_type3_share"] = sitrep["england_type3_share"]
    out["practices.list_size_quantiles"] = list_size_quantiles(folder=folder)
    out["practices.imd_quantiles.5PG"] = imd_quantiles("13P", folder=folder)
    out["practices.imd_quantiles.TAM"] = imd_quantiles("05P", folder=folder)
    out["practices.imd_england_mean"] = imd_england_mean(folder=folder)
    out["indicators.staying_healthy.smoking_gradient"] = practice_gradient(SMOKING, "2022/23", folder=folder)
    out["indicators.children.ae_0_4_gradient"] = practice_gradient(AE_0_4, "2021/22", folder=folder)
    out["indicators.children.ae_0_4_england_2021"] = fingertips_value(AE_0_4, ENGLAND, "2021/22", folder)
    for area, code in (("5PG", BIRMINGHAM), ("TAM", SOLIHULL), (ENGLAND, ENGLAND)):
        out[f"indicators.staying_healthy.smoking_qof_2013.{area}"] = fingertips_value(SMOKING, code, "2013/14", folder)
        la = {
            "children.excess_weight_reception_2007": ("excess_weight_reception.csv", "2007/08", 0),
            "children.excess_weight_year6_2007": ("excess_weight_year6.csv", "2007/08", 0),
            "children.decay_free_5yr_2007": ("dental_decay.csv", "2007/08", 0),
            "staying_healthy.physically_inactive_2015": ("physically_inactive.csv", "2015/16", 0),
            "staying_healthy.alcohol_admissions_2008": ("alcohol_related_admissions.csv", "2008/09", 0),
            "staying_healthy.hle_male_2009": ("healthy_life_expectancy_at_birth.csv", "2009-11", 0),
            "staying_healthy.hle_female_2009": ("healthy_life_expectancy_at_birth.csv", "2009-11", 1),
            "staying_healthy.sii_male_2010": ("slope_index_of_inequality.csv", "2010-12", 0),
            "staying_healthy.sii_female_2010": ("slope_index_of_inequality.csv", "2010-12", 1),
            "long_term_conditions.falls_65_2010": ("admissions_falls.csv", "2010/11", 0),
            "mental_health.dementia_diagnosis_2017": ("dementia_diagnosis.csv", "2017", 0),
            "mental_health.self_harm_2010": ("admissions_self_harm.csv", "2010/11", 0),
            "mental_health.smi_excess_mortality_2009": ("mortality_serious_mental_illness.csv", "2009/10", 0),
        }
        for key, (source, period, row) in la.items():
            out[f"indicators.{key}.{area}"] = la_indicator(source, code, period, row, folder)
        out[f"indicators.end_of_life.deaths_usual_residence.{area}"] = deaths_usual_residence(code, folder=folder)
    for org in ("RR1", "RXT", "5PG", "TAM"):
        out[f"beds.kh03_2010q1.{org}"] = kh03_beds(org, folder)
    for org in ("RR1", "RXT"):
        out[f"workforce.hchs_2017.{org}"] = hchs_fte(org, folder=folder)
    return out


def lookup(calibration: dict, path: str) -> object:
    """The `value` at a dotted path of calibration.yml (KeyError naming the path when absent)."""
    node: object = calibration
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(f"calibration.yml has no entry '{path}' (stopped at '{part}')")
        node = node[part]
    return node["value"] if isinstance(node, dict) and "value" in node else node


def _same(a: object, b: object, rel: float) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k], rel) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y, rel) for x, y in zip(a, b, strict=True))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=rel, abs_tol=1e-9)
    return a == b


def differences(calibration: dict, derived: dict[str, object], rel: float = 1e-3) -> list[str]:
    """Derived entries whose calibration.yml value differs (missing entries included)."""
    problems = []
    for path, value in derived.items():
        try:
            stored = lookup(calibration, path)
        except KeyError as err:
            problems.append(str(err))
            continue
        if not _same(stored, value, rel):
            problems.append(f"calibration.yml '{path}': stored {stored!r}, the files give {value!r}")
    return problems


def main() -> None:
    """Print the derived numbers as YAML, then any that differ from calibration.yml."""
    import yaml

    from analysis.synthetic.calibration import load_raw

    derived = derive()
    print(yaml.safe_dump(derived, sort_keys=False, default_flow_style=None, width=140))
    problems = differences(load_raw(), derived)
    print("\n".join(problems) if problems else "calibration.yml matches the real files")


if __name__ == "__main__":
    main()
