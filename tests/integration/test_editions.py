"""The real-data editions: params/bens-real.yml and another economy's file, params/black-country-real.yml.

Fast tests load and check both editions through the catalog, with every expected figure computed here
straight from the published files with the csv module. The end-to-end builds take a few minutes each,
so they run only with STRATEGY_BOOK_SLOW=1 (`STRATEGY_BOOK_SLOW=1 make test`).
"""

import csv
import os
import re
import subprocess
import sys

import pandas as pd
import pytest

from analysis.build.chapters import chapters
from analysis.config import load as load_params
from analysis.paths import REAL_DATA, ROOT
from analysis.report import common, introduction, kpis, projected
from analysis.report.outlook import activity as outlook_activity
from analysis.report.outlook import finance as outlook_finance
from analysis.report.pathway import measures

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not REAL_DATA.exists(), reason=f"the real published files are not here ({REAL_DATA})"),
]

BENS = "params/bens-real.yml"
OTHER = "params/black-country-real.yml"
BSOL = "params/bsol-2021.yml"
AE_MONTHLY = REAL_DATA / "nhse_ae_monthly"
MAR = REAL_DATA / "nhse_mar_monthly_activity_commissioner_2008-04_2013-03.csv"
MYE = REAL_DATA / "ons_mye2011_lad_by_sex_single_year_age.csv"
LA = REAL_DATA / "fingertips_la_indicators_via_trafford_dashboard.csv"
LISTS = REAL_DATA / "nhsd_gp_payments_practice_list_sizes_2014-15_2022-23.csv"
NON_ELECTIVE = "Total Non-elective G&A Admissions (FFCEs)"
SLOW = os.environ.get("STRATEGY_BOOK_SLOW") == "1"


def rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def mar():
    return [r for r in rows(MAR) if r["level"] == "PCT"]


@pytest.fixture(scope="module")
def bens():
    return common.load(BENS)


@pytest.fixture(scope="module")
def other():
    return common.load(OTHER)


def mar_total(mar, codes, start, end, measure=NON_ELECTIVE):
    return sum(float(r[measure]) for r in mar if r["org_code"].strip() in codes and start <= r["period"] <= end)


def mye_total(code):
    return sum(float(r["population"]) for r in rows(MYE) if r["lad_code"] == code)


# ---- both files are valid editions ------------------------------------------------------------------


@pytest.mark.parametrize("path", [BENS, OTHER, BSOL])
def test_parameter_file_is_a_real_edition(path):
    params = load_params(path)
    assert params.edition.synthetic is False and params.data.kind == "files"
    assert list(params.pathways) == [
        "maternity",
        "children",
        "staying_healthy",
        "long_term_conditions",
        "urgent_care",
        "planned_care",
        "mental_health",
        "end_of_life",
    ]
    names = [c.name for c in chapters(params, path, {})]
    assert sum(n.startswith("pathway-") for n in names) == 8
    for sources in params.data.files.values():
        for s in sources:
            assert s.path.startswith("../shared/data/real/")


# ---- the BENS real-data edition ---------------------------------------------------------------------


def test_activity_is_the_mar_with_solihull_as_one_series(bens, mar):
    act = bens.table("activity")
    ne = act[(act["pod"] == "non_elective") & (act["commissioner"] == "TAM")]
    assert len(ne) == 48  # TAM to March 2011 and 5QW from April 2011, one series
    expected = mar_total(mar, {"TAM", "5QW"}, "2008-04-01", "2012-03-01")
    assert ne["count"].sum() == pytest.approx(expected)
    peers = set(act["commissioner"]) - {"5PG", "TAM"}
    assert len(peers) >= 140  # the other PCTs are there as peers


def test_emergency_admissions_kpi_is_the_economy_total(bens, mar):
    spec = next(k for k in bens.params.pathways["urgent_care"].kpis if k.id == "emergency_admissions")
    series = kpis.kpi_series(bens, "urgent_care", spec)
    first = series[series["period_start"] == "2008-04-01"]["value"].iloc[0]
    assert first == pytest.approx(mar_total(mar, {"5PG", "TAM"}, "2008-04-01", "2008-04-01"))
    assert len(series) == 48


def test_commissioner_populations_derive_from_their_authorities(bens):
    pop = bens.table("population")
    at = pop[(pop["variant"] == "estimate") & (pop["year"] == 2011)].groupby("area")["population"].sum()
    assert at["TAM"] == pytest.approx(mye_total("E08000029"))  # Solihull, unscaled
    assert at["5PG"] == pytest.approx(425000)  # Birmingham's structure scaled to the plan's population
    principal = pop[(pop["variant"] == "principal") & (pop["area"] == "5PG")]
    assert set(principal["year"]) == set(range(2008, 2013))  # the history and the plan's years
    assert "population" in bens.derived


def test_indicators_stand_in_by_local_authority_and_hold_proportions(bens):
    assert kpis.indicator_areas(bens) == {"E08000025": "5PG", "E08000029": "TAM"}
    published = {
        r["period"]: float(r["value"]) for r in rows(LA)
        if r["source_file"] == "excess_weight_reception.csv" and r["area_code"] == "E08000025" and r["value"]
    }
    ind = bens.table("indicators")
    held = ind[(ind["indicator"] == "excess_weight_reception_pct") & (ind["area"] == "E08000025")].set_index("period")[
        "value"
    ]
    for period, value in published.items():
        assert held[period] == pytest.approx(value / 100)


def test_practices_are_placed_by_their_first_ccg_and_a_split_ccg_places_none(bens):
    first = {}  # practice -> (first financial year listed, its CCG then)
    for r in rows(LISTS):
        year = r["financial_year"]
        if r["practice_code"] not in first or year < first[r["practice_code"]][0]:
            first[r["practice_code"]] = (year, r["ccg_code"])
    first = {p: ccg for p, (_, ccg) in first.items()}
    practices = bens.table("practices")
    assert {p for p, c in first.items() if c == "05P"} <= set(practices[practices["commissioner"] == "TAM"]["practice"])
    # 13P (CrossCity) took practices from 5PG and 5MX: none is given to 5PG wholesale, each is listed
    crosscity = sorted(p for p, c in first.items() if c == "13P")
    assert len(crosscity) > 100 and not (practices["commissioner"] == "5PG").any()
    assert f"{len(crosscity)} practices first listed under 13P are not placed" in bens.derived["practices"]
    assert crosscity[0] in bens.derived["practices"]


def test_kpis_without_data_say_so_and_are_not_faked(bens):
    summary = measures.kpi_summary(bens, "maternity")
    assert "No data in this edition" in summary.data and "Births" in summary.data
    urgent = measures.kpi_summary(bens, "urgent_care")
    assert "A&E attendances" in repr(urgent) and "No data in this edition" in repr(urgent)


def test_plan_against_outturn_uses_the_recorded_years(bens, mar):
    frame = outlook_activity.outturn_frame(bens)
    actual = frame[frame["series"] == "What happened"].set_index("year")["count"]
    assert list(actual.index) == [2008, 2009, 2010, 2011]  # April 2008 to March 2012
    pods = ["Elective G&A Ordinary Admissions (FFCEs)", "Elective G&A Daycase Admissions (FFCEs)", NON_ELECTIVE,
            "GP Referrals Made (G&A)", "All 1st Outpatient Attendances (G&A)"]
    expected = sum(mar_total(mar, {"5PG", "TAM", "5QW"}, "2010-04-01", "2011-03-01", m) for m in pods)
    assert actual[2010] == pytest.approx(expected)


def test_no_costs_means_one_line_not_a_failure(bens):
    assert outlook_finance.gap(bens).data.startswith("*No costs in this edition")
    assert "no figure is invented" in introduction.about(bens).data


def test_every_page_says_what_is_real(bens):
    notice = common.synthetic_notice(bens).data
    assert "Published statistics" in notice and "Monthly Activity Return" in notice


# ---- another economy from the same files ------------------------------------------------------------


def test_another_pct_set_is_only_a_parameter_file(other, mar):
    act = other.table("activity")
    ne = act[(act["pod"] == "non_elective") & (act["commissioner"] == "5PE")]
    assert ne["count"].sum() == pytest.approx(mar_total(mar, {"5PE"}, "2008-04-01", "2012-03-01"))
    pop = other.table("population")
    at = pop[(pop["variant"] == "estimate") & (pop["year"] == 2011)].groupby("area")["population"].sum()
    assert at["5PE"] == pytest.approx(mye_total("E08000027"))
    assert at["5PF"] == pytest.approx(mye_total("E08000028"))
    assert projected.economy_interventions(other) == []  # the BENS plan's schemes do not act in Dudley and Sandwell
    p = projected.projection(other)
    assert set(p.series["commissioner"]) == {"5PE", "5PF"}


# ---- end to end (slow) ------------------------------------------------------------------------------


@pytest.mark.skipif(not SLOW, reason="builds a whole edition (a few minutes); set STRATEGY_BOOK_SLOW=1")
@pytest.mark.parametrize("path", [BENS, OTHER, BSOL])
def test_edition_builds_end_to_end(path):
    params = load_params(path)
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "build", "--params", path, "--workers", "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=1200,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    html = ROOT / "_build" / params.edition.id / "html" / "book"
    for pid in params.pathways:
        page = (html / "pathways" / f"{pid}.html").read_text(encoding="utf-8")
        assert "Published statistics" in page
        assert "Synthetic data." not in page
        assert not re.search(r"Traceback|row\(s\) rejected", page)
    if params.plan is None:  # a plan-free edition: no page names the default plan's organisations, schemes or sites
        from test_plan_free import assert_no_page_names_the_default_plan

        assert_no_page_names_the_default_plan(path, html)


# ---- the current-era edition (bsol-2021) -----------------------------------------------------------------


def ae_sum(month, codes, prefix):
    """The sum over `codes` of a month file's columns whose header starts with `prefix`, by hand."""
    total = 0.0
    for r in rows(AE_MONTHLY / f"msitae_{month}.csv"):
        if r["Org Code"].strip() in codes:
            total += sum(float(v or 0) for k, v in r.items() if k and k.lower().startswith(prefix))
    return total


def test_current_era_urgent_care_kpis_are_the_monthly_ae_files():
    book = common.load(BSOL)
    found = {k.id: kpis.kpi_series(book, "urgent_care", k) for k in kpis.pathway_kpis(book, "urgent_care")}
    assert {"ae_four_hour_all", "ae_four_hour_type_1", "ae_twelve_hour_waits", "ae_attendances_all"} <= set(found)
    providers = {"RRK", "RQ3", "RXT"}
    june = lambda kpi: found[kpi].set_index("period_start")["value"][pd.Timestamp("2021-06-01")]  # noqa: E731
    attendances = ae_sum("2021-06", providers, "a&e attendances")
    assert attendances > 10000
    assert june("ae_attendances_all") == pytest.approx(attendances)
    breaches = ae_sum("2021-06", providers, "attendances over 4hrs")
    assert june("ae_four_hour_all") == pytest.approx(1 - breaches / attendances)
    assert june("ae_twelve_hour_waits") == pytest.approx(ae_sum("2021-06", providers, "patients who have waited 12+"))
    assert len(found["ae_four_hour_all"]) == 24
    assert next(k for k in kpis.pathway_kpis(book, "urgent_care") if k.id == "ae_four_hour_all").target == 0.95
