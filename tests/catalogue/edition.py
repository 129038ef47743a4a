"""A small, valid files edition written into a folder, in the published formats every adapter reads.

The bad-input catalogue copies it into a test's tmp_path, breaks one thing and runs `check`. Every
file is a few dozen rows written here (no real data is copied), so a `check` takes well under a second.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import yaml

from analysis.adapters.mar import MEASURES
from analysis.paths import CONTENT, DATA

MONTHS = [f"{2008 + (m + 3) // 12}-{(m + 3) % 12 + 1:02d}" for m in range(12)]  # 2008-04 .. 2009-03
MAR_CODES = {"5PG": "BIRMINGHAM EAST AND NORTH PCT", "5QW": "SOLIHULL PCT", "5PE": "DUDLEY PCT"}
AREAS = {"E08000025": "Birmingham", "E08000029": "Solihull"}
PRACTICES = {"M85001": "13P", "M85002": "13P", "M85003": "05P", "M85004": "05P"}


def _csv(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def write_mar(path: Path) -> None:
    header = ["period", "fin_year", "sha_code", "sha_name", "org_code", "org_name", "level", *MEASURES]
    rows = []
    for month in MONTHS:
        for n, (code, name) in enumerate(MAR_CODES.items()):
            counts = [100 + 10 * n + k for k in range(len(MEASURES))]
            rows.append([f"{month}-01", "2008-09", "Q34", "WEST MIDLANDS SHA", code, name, "PCT", *counts])
    _csv(path, header, rows)


FINGERTIPS = [
    "Indicator ID", "Indicator Name", "Parent Code", "Parent Name", "Area Code", "Area Name", "Area Type", "Sex", "Age",
    "Category Type", "Category", "Time period", "Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit", "Count",
    "Denominator", "Compared to England value or percentiles",
]  # fmt: skip


def write_fingertips(path: Path) -> None:
    rows = [["93930", "A&E attendances (0 to 4 years)", "", "", "E92000001", "England", "England", "Persons", "0-4 yrs",
             "", "", "2021/22", "760.1", "759.0", "761.2", "2332838", "3069096", "Not compared"]]  # fmt: skip
    for n, practice in enumerate(PRACTICES):
        count, denominator = 300 + 40 * n, 400 + 10 * n
        rows.append(["93930", "A&E attendances (0 to 4 years)", "", "", practice, f"Practice {n + 1}", "GPs", "Persons",
                     "0-4 yrs", "", "", "2021/22", f"{1000 * count / denominator:.1f}", "", "", str(count),
                     str(denominator), ""])  # fmt: skip
    for code, value, comparison in (
        ("E92000001", "14.4", "Not compared"),
        ("E08000025", "18.0", "Worse"),
        ("E08000029", "12.0", "Better"),
    ):
        rows.append(["92443", "Smoking Prevalence in adults", "", "", code, "x",
                     "England" if code == "E92000001" else "UA",
                     "Persons", "18+ yrs", "", "", "2019", value, "", "", "", "", comparison])  # fmt: skip
    _csv(path, FINGERTIPS, rows)


def write_fingertips_long(path: Path) -> None:
    header = [
        "source_file",
        "area_code",
        "area_name",
        "period",
        "value",
        "indicator",
        "measure",
        "unit",
        "significance",
        "group",
    ]
    rows = []
    for period, base in (("2010/11", 2500.0), ("2011/12", 2400.0)):
        for code, delta, significance in (
            ("E92000001", 0, "Not compared"),
            ("E08000025", 100, "Worse"),
            ("E08000029", -100, "Better"),
        ):
            rows.append(["admissions_falls.csv", code, "x", period, base + delta, "Falls admissions 65+",
                         "Age standardised rate per 100,000", "Persons", significance, ""])  # fmt: skip
    _csv(path, header, rows)


def write_mye(path: Path) -> None:
    rows = [
        [2011, code, name, sex, age, 5000 - 40 * age]
        for code, name in AREAS.items()
        for sex in ("male", "female")
        for age in range(91)
    ]
    _csv(path, ["year", "lad_code", "lad_name", "sex", "age", "population"], rows)


def write_npp(path: Path) -> None:
    rows = [["principal", "E92000001", year, sex, age, 600000 - 5000 * age + 1000 * (year - 2018)]
            for year in range(2018, 2024) for sex in ("male", "female") for age in range(91)]  # fmt: skip
    _csv(path, ["variant", "country_code", "year", "sex", "age", "population"], rows)


def write_list_sizes(path: Path) -> None:
    header = ["financial_year", "practice_code", "practice_name", "practice_postcode", "ccg_code", "ccg_name",
              "region_code", "contract_type", "registered_patients", "weighted_patients"]  # fmt: skip
    rows = [["2014/15", p, f"Practice {n + 1}", "B1 1AA", ccg, "x", "Q38", "GMS", 5000 + 100 * n, 5000]
            for n, (p, ccg) in enumerate(PRACTICES.items())]  # fmt: skip
    _csv(path, header, rows)


def write_deprivation(path: Path) -> None:
    rows = [
        ["93553", year, p, f"Practice {n + 1}", 1, 20.5 + n + (year - 2010) / 10]
        for year in (2010, 2015)
        for n, p in enumerate(PRACTICES)
    ]
    _csv(path, ["IndicatorID", "Year", "AreaCode", "AreaName", "IsAreaCurrent", "Value"], rows)


def write_kh03(path: Path) -> None:
    sectors = ("general_acute", "learning_disabilities", "maternity", "mental_illness")
    header = ["year", "period", "sha_code", "org_code", "org_name"] + [
        f"{k}_{s}" for k in ("available", "occupied") for s in sectors
    ]
    rows = [["2010-11", "June", "", "", "England", 1000, 20, 80, 200, 900, 15, 50, 180],
            ["2010-11", "June", "Q34", "RR1", "Heart of England NHS Foundation Trust",
             1200, 0, 90, 0, 1100, 0, 60, 0]]  # fmt: skip
    _csv(path, header, rows)


def write_hchs(path: Path) -> None:
    rows = [["2017-SEP", "RR1", "Heart of England NHS Foundation Trust", group, fte]
            for group, fte in (("HCHS doctors", 1200.5), ("Nurses & health visitors", 3400.0))]  # fmt: skip
    _csv(path, ["month", "org_code", "org_name", "staff_group", "fte"], rows)


def write_episodes(path: Path) -> None:
    rows = []
    for month in MONTHS:
        for commissioner in ("5PG", "TAM"):
            for pod, specialty in (("non_elective", "300"), ("outpatient_first", "110")):
                for day in ("03", "17"):
                    rows.append([f"{month}-{day}", commissioner, "RR1", "M85001", pod, specialty, "I21", 1500.0])
    _csv(path, ["date", "commissioner", "provider", "practice", "pod", "specialty", "diagnosis", "cost"], rows)


FILES = {
    "mar.csv": write_mar,
    "fingertips.csv": write_fingertips,
    "fingertips_long.csv": write_fingertips_long,
    "mye.csv": write_mye,
    "npp.csv": write_npp,
    "list_sizes.csv": write_list_sizes,
    "deprivation.csv": write_deprivation,
    "kh03.csv": write_kh03,
    "hchs.csv": write_hchs,
    "episodes.csv": write_episodes,
}


def parameters(folder: Path, activity: str = "mar") -> dict:
    """The edition's parameter file as a mapping (paths are absolute, inside `folder`)."""
    f = {name: str(folder / name) for name in FILES}
    activity_entry = (
        {"adapter": "mar", "path": f["mar.csv"]} if activity == "mar"
        else {"adapter": "episodes", "path": f["episodes.csv"], "options": {"start": MONTHS[0], "end": MONTHS[-1]}}
    )
    return {
        "edition": {
            "id": "catalogue",
            "title": "Catalogue edition",
            "subtitle": "A small valid files edition",
            "author": "The test suite",
            "synthetic": False,
            "description": "Written by tests/catalogue/edition.py.",
        },
        "economy": {
            "commissioners": [
                {"code": "5PG", "name": "Birmingham East and North PCT", "population": 425000, "area": "E08000025"},
                {"code": "TAM", "name": "Solihull Care Trust", "area": "E08000029"},
            ],
            "providers": [{"code": "RR1", "name": "Heart of England NHS Foundation Trust"}],
            "local_authorities": [
                {"code": "E08000025", "name": "Birmingham"},
                {"code": "E08000029", "name": "Solihull"},
            ],
            "england": "E92000001",
            "peers": [],
            "code_map": {"5QW": "TAM", "13P": "5PG", "05P": "TAM"},
        },
        "period": {"history_start": MONTHS[0], "data_end": MONTHS[-1], "baseline_year": 2008, "horizon_year": 2012},
        "data": {
            "kind": "files",
            "files": {
                "activity": [activity_entry],
                "population": [
                    {"adapter": "ons_mye", "path": f["mye.csv"]},
                    {"adapter": "ons_npp", "path": f["npp.csv"], "options": {"areas": ["E92000001"]}},
                ],
                "indicators": [
                    {
                        "adapter": "fingertips",
                        "path": f["fingertips.csv"],
                        "options": {
                            "indicator_ids": {"93930": "ae_0_4_per_1000", "92443": "smoking_prevalence_pct"},
                            "units": {"92443": "Percentage"},
                            "polarity": {"93930": "low_is_good"},
                        },
                    },
                    {
                        "adapter": "fingertips_long",
                        "path": f["fingertips_long.csv"],
                        "options": {"indicator_ids": {"admissions_falls": "falls_admissions_65_per_100k"}},
                    },
                ],
                "practices": [
                    {
                        "adapter": "gp_list_sizes",
                        "path": f["list_sizes.csv"],
                        "options": {"deprivation": f["deprivation.csv"]},
                    }
                ],
                "beds": [{"adapter": "kh03_beds", "path": f["kh03.csv"]}],
                "workforce": [{"adapter": "hchs_workforce", "path": f["hchs.csv"]}],
            },
        },
        "content": str(folder / "content"),
        "plan": str(folder / "plan.yml"),
        "pathways": {
            "children": {
                "kpis": [
                    {
                        "id": "child_emergency_admissions",
                        "name": "Emergency admissions of children",
                        "source": "activity",
                        "pods": ["non_elective"],
                        "unit": "admissions a month",
                        "improvement": "decrease",
                        "polarity": "low_is_good",
                    }
                ],
                "funnel": "ae_0_4_per_1000",
            },
            "staying_healthy": {"benchmark": ["smoking_prevalence_pct"]},
            "long_term_conditions": {
                "kpis": [
                    {
                        "id": "falls_admissions",
                        "name": "Falls admissions",
                        "source": "indicators",
                        "indicator": "falls_admissions_65_per_100k",
                        "unit": "admissions per 100,000 a year",
                        "improvement": "decrease",
                        "polarity": "low_is_good",
                    }
                ],
            },
            "urgent_care": {
                "kpis": [
                    {
                        "id": "emergency_admissions",
                        "name": "Emergency admissions",
                        "source": "activity",
                        "pods": ["non_elective"],
                        "unit": "admissions a month",
                        "improvement": "decrease",
                        "polarity": "low_is_good",
                    }
                ],
            },
        },
        "model": {"runs": 20, "seed": 1},
        "build": {"workers": 1, "timeout": 600},
    }


def write_edition(folder: Path, activity: str = "mar") -> Path:
    """Write the data files, the content folder, the plan and the parameter file; return the parameter file."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, write in FILES.items():
        write(folder / name)
    shutil.copytree(CONTENT, folder / "content")
    shutil.copy2(DATA / "default" / "plan.yml", folder / "plan.yml")
    params = folder / "params.yml"
    params.write_text(yaml.safe_dump(parameters(folder, activity), sort_keys=False), encoding="utf-8")
    return params
