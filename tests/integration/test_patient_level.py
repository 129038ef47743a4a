"""An edition whose activity is an episode-level extract, disclosed at the data boundary.

The catalog marks it patient-level and discloses its counts at the data boundary (1 to 7
suppressed, others rounded to the nearest 5: DESIGN.md section 4) before the report layer sees them,
so every count the book shows is a disclosed count or a sum of them.

The extract is written here: a few thousand seeded episodes spread over April 2004 to February 2008,
then a hand-placed last month (March 2008) whose counts are known, so the latest values of the KPIs
are worked out by hand below. The parameter file is params/default.yml with `data.kind: files`.
Practices M85000-M85011 belong to 5PG and M85012-M85019 to TAM; the hand-placed episodes of a pod go
to practices 0, 1, 2, ... in turn.
"""

import html
import re

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis import catalog
from analysis.contract import PODS
from analysis.paths import ROOT
from analysis.report import summary
from analysis.report.pathway import measures, practices
from analysis.report.value import variation
from tests.integration.practice_files import write_practice_files

pytestmark = pytest.mark.integration

PRACTICES = [f"M85{i:03d}" for i in range(1, 21)]
COMMISSIONER = {p: ("5PG" if i < 12 else "TAM") for i, p in enumerate(PRACTICES)}
WEIGHTS = [0.05, 0.10, 0.10, 0.12, 0.25, 0.20, 0.10, 0.08]
# March 2008, the last month: episodes of each point of delivery (no specialty or diagnosis, so each
# falls in its pod's default pathway: A&E and emergency admissions in urgent care, the rest in planned care).
LAST_MONTH = {
    "ae": 13,
    "non_elective": 3,
    "gp_referral": 22,
    "outpatient_first": 5,
    "outpatient_followup": 12,
    "elective_ordinary": 4,
    "day_case": 5,
}


def write_extract(path, rows=4000, seed=2008):
    """A seeded episode extract (Parquet), one row per episode."""
    rng = np.random.default_rng(seed)
    start, days = np.datetime64("2004-04-01"), (np.datetime64("2008-03-01") - np.datetime64("2004-04-01")).astype(int)
    practice = rng.choice(
        PRACTICES, size=rows, p=np.linspace(1, 3, len(PRACTICES)) / np.linspace(1, 3, len(PRACTICES)).sum()
    )
    bulk = pd.DataFrame({
        "date": start + rng.integers(0, days, rows).astype("timedelta64[D]"),
        "practice": practice,
        "pod": rng.choice(PODS, size=rows, p=WEIGHTS),
    })
    last = pd.DataFrame(
        [
            {
                "date": np.datetime64("2008-03-01") + np.timedelta64(i % 31, "D"),
                "practice": PRACTICES[i % len(PRACTICES)],
                "pod": pod,
            }
            for pod, n in LAST_MONTH.items()
            for i in range(n)
        ]
    )
    episodes = pd.concat([bulk, last], ignore_index=True)
    episodes["date"] = pd.to_datetime(episodes["date"]).dt.date
    episodes["commissioner"] = episodes["practice"].map(COMMISSIONER)
    episodes["provider"] = "RR1"
    episodes["cost"] = rng.gamma(2.0, 300.0, len(episodes)).round(2)
    episodes.to_parquet(path, index=False)
    return episodes


def write_practices(folder):
    """GP list sizes (NHS Digital's columns) and IMD scores by practice (Fingertips' columns) for 2007/08."""
    return write_practice_files(
        folder, COMMISSIONER, financial_year="2007/08", imd_year=2007, sizes=(3000, 400), scores=(10.0, 2.5)
    )


def shown_by_hand(n: float) -> str:
    """The rule, written out: 0 stays 0, 1-7 is '*', else the nearest multiple of 5 (no halves for whole numbers)."""
    n = int(round(n))
    if n == 0:
        return "0"
    if n < 8:
        return "*"
    return f"{int(np.floor(n / 5 + 0.5)) * 5:,}"


def write_population(folder):
    """Residents of each commissioner by sex and single year of age (ONS mid-year estimates' columns).

    A files edition needs a population table (analysis.catalog.REQUIRED_FILE_TABLES).
    """
    path = folder / "population.csv"
    pd.DataFrame([
        {"year": 2007, "lad_code": code, "lad_name": code, "sex": sex, "age": age, "population": 2500 - 20 * age}
        for code in ("5PG", "TAM") for sex in ("male", "female") for age in range(91)
    ]).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    folder = tmp_path_factory.mktemp("episodes")
    episodes = write_extract(folder / "episodes.parquet")
    sizes, imd = write_practices(folder)
    params = yaml.safe_load((ROOT / "params" / "default.yml").read_text(encoding="utf-8"))
    params["edition"].update(
        id="episodes-test", synthetic=False, description="Test edition on a seeded episode extract."
    )
    params["data"] = {
        "kind": "files",
        "files": {
            "activity": [
                {
                    "adapter": "episodes",
                    "path": str(folder / "episodes.parquet"),
                    "options": {"start": "2004-04", "end": "2008-03"},
                }
            ],
            "practices": [{"adapter": "gp_list_sizes", "path": str(sizes), "options": {"deprivation": str(imd)}}],
            "population": [{"adapter": "ons_mye", "path": str(write_population(folder))}],
        },
    }
    file = folder / "episodes.yml"
    file.write_text(yaml.safe_dump(params, sort_keys=False), encoding="utf-8")
    return catalog.load(str(file)), episodes


def disclosed_by_hand(n: float) -> float:
    """The rule on one cell as the catalog holds it: 0, missing for 1-7, else the nearest multiple of 5."""
    text = shown_by_hand(n)
    return np.nan if text == "*" else float(text.replace(",", ""))


def test_the_catalog_discloses_the_extract_before_anything_is_derived(edition):
    book, episodes = edition
    assert book.patient_level == frozenset({"activity"})
    activity = book.table("activity")
    # The exact monthly counts, aggregated by the store as any files edition would be (never shown).
    exact = catalog.episode_activity(book_path(book), "activity", {"start": "2004-04", "end": "2008-03"})
    assert exact["count"].sum() == len(episodes)
    exact = (
        exact.assign(month=pd.to_datetime(exact["month"]))
        .groupby(["month", "commissioner", "pathway", "pod"], as_index=False)["count"]
        .sum()
    )
    held = activity.merge(
        exact, on=["month", "commissioner", "pathway", "pod"], suffixes=("", "_exact"), validate="one_to_one"
    )
    assert len(held) == len(exact) == len(activity)
    expected = held["count_exact"].map(disclosed_by_hand)
    assert np.array_equal(held["count"].to_numpy(), expected.to_numpy(), equal_nan=True)
    assert (held["suppressed"] == held["count_exact"].between(1, 7)).all()
    assert activity["provider"].isna().all() and activity["practice"].isna().all()  # summed away at the boundary
    assert held["cost"][held["suppressed"]].isna().all()
    # Practices: complete fiscal years only, each cell disclosed the same way.
    years = book.practice_years
    assert sorted(years["year"].unique()) == [2004, 2005, 2006, 2007]
    shown = years["count"].dropna()
    assert ((shown == 0) | ((shown % 5 == 0) & (shown >= 10))).all()
    assert "episode-level extract (episodes.parquet)" in book.sources["activity"]
    assert "rounded to the nearest 5" in book.derived["activity"]


def book_path(book):
    return book.params.data.files["activity"][0].path


def latest_known_ratio(episodes) -> float:
    """Follow-ups per first attendance in the last month whose disclosed first attendances are not all suppressed."""
    months = pd.to_datetime(episodes["date"]).dt.to_period("M")

    def disclosed(pod):
        cells = episodes[episodes["pod"] == pod].groupby([months, episodes["commissioner"]]).size()
        return cells.map(disclosed_by_hand).groupby(level=0).sum()

    first, follow = disclosed("outpatient_first"), disclosed("outpatient_followup")
    month = first[first > 0].index.max()
    return follow.get(month, 0.0) / first[month]


def _plain(cell: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split())


def _cells(table, column: str) -> dict[str, str]:
    """KPI name -> the first word of one column of the KPI summary table (the value, without its month)."""
    names = [_plain(re.sub(r"<span.*", "", m)) for m in table.frame["Indicator"]]
    return {n: _plain(v).split()[0] for n, v in zip(names, table.frame[column], strict=True)}


def test_kpi_summary_shows_latest_counts_suppressed_or_rounded(edition):
    book, _ = edition
    urgent = measures.kpi_summary(book, "urgent_care")
    latest = _cells(urgent.first, "Latest")  # a table and a note: the indicator KPIs have no data here
    # March 2008, each commissioner's cell disclosed before the two are added:
    assert latest["A&E attendances"] == "10"  # 13: 12 in 5PG (10) and 1 in TAM (suppressed)
    assert latest["Emergency admissions"] == "*"  # 3, all in 5PG: suppressed, so the month is unknown
    planned = _cells(measures.kpi_summary(book, "planned_care").first, "Latest")
    assert planned["GP referrals"] == "25"  # 22: 14 in 5PG (15) and 8 in TAM (10)
    assert planned["First outpatient attendances"] == "*"  # 5, all in 5PG
    # 12 / 5 in March: first attendances unknown, so the latest ratio is that of the last month with both
    # counts known, worked out from the disclosed cells.
    assert planned["Follow-up attendances per first attendance"] == f"{latest_known_ratio(edition[1]):.1f}"
    assert planned["Elective admissions (ordinary and day case)"] == "*"  # 4 ordinary and 5 day cases, each suppressed
    # The average and the usual range of a count are shown to the nearest 5 too.
    for column in ("Average",):
        shown = _cells(urgent.first, column)
        assert int(shown["A&E attendances"].replace(",", "")) % 5 == 0


def test_the_executive_summary_matrix_shows_the_same_latest_values(edition):
    book, _ = edition
    matrix = summary.kpi_matrix(book)
    # The measure's cell names its unit and the latest value its month, each after a line break.
    latest = {
        _plain(re.sub(r"<br>.*", "", m)): _plain(re.sub(r"<br>.*", "", v))
        for m, v in zip(matrix.frame["Measure"], matrix.frame["Latest"], strict=True)
    }
    assert latest["A&E attendances"] == "10"
    assert latest["Emergency admissions"] == "*"
    assert latest["Follow-up attendances per first attendance"] == f"{latest_known_ratio(edition[1]):.1f}"
    assert "1 to 7 suppressed (*), others rounded to the nearest 5" in matrix.source


def test_the_value_chapter_rounds_the_practice_opportunity_and_hides_what_follows_a_suppressed_count(edition):
    book, _ = edition
    _, _, raw, _ = variation.practice_variation(book)
    table = variation.variation_table(book)
    shown = table.frame.set_index("Activity")
    for line, fewer in zip(raw["line"], raw["activity"], strict=True):
        assert shown.loc[line, "Fewer a year if all matched"] == shown_by_hand(fewer), line
        if shown_by_hand(fewer) == "*":
            assert shown.loc[line, "Share of the activity"] == "*" and shown.loc[line, "Value a year"] == "*"
    cells = [c for c in shown["Fewer a year if all matched"] if c != "*"]
    assert cells and all(int(c.replace(",", "")) % 5 == 0 for c in cells)
    assert "1 to 7 suppressed (*)" in repr(table)
    top = raw.sort_values("cost", ascending=False).iloc[0]
    text = variation.variation_text(book).data
    assert f"{shown_by_hand(top['activity'])} fewer a year" in text or "fewer than 8 a year" in text


def test_the_practice_funnel_shows_rounded_counts_and_leaves_off_suppressed_practices(edition):
    book, episodes = edition
    chart = practices.practice_funnel(book, "urgent_care").to_dict()
    dots = next(layer for layer in chart["layer"] if layer.get("mark", {}).get("type") == "circle")
    data = dots["data"]["values"] if "values" in dots.get("data", {}) else chart["datasets"][dots["data"]["name"]]
    # A&E attendances of each practice in 2007/08 (April 2007 to March 2008), counted from the extract
    when = pd.to_datetime(episodes["date"])
    year = episodes[(episodes["pod"] == "ae") & (when >= "2007-04-01") & (when < "2008-04-01")]
    counts = year.groupby("practice").size().reindex(PRACTICES, fill_value=0)
    drawn = {d["unit"]: d["numerator_text"] for d in data}
    assert set(drawn) == {p for p, n in counts.items() if n == 0 or n >= 8}
    assert drawn == {p: shown_by_hand(counts[p]) for p in drawn}
    assert all("numerator" not in d for d in data)  # the page holds no exact count
    hidden = int(((counts >= 1) & (counts <= 7)).sum())
    subtitle = " ".join(chart["title"]["subtitle"])
    assert f"{hidden} units with a suppressed count not drawn" in subtitle
    assert len(chart["title"]["subtitle"]) == len(set(chart["title"]["subtitle"]))


def test_every_page_says_the_activity_is_patient_level(edition):
    book, _ = edition
    from analysis.report import common

    notice = common.synthetic_notice(book).data
    assert "Patient-level data, with disclosure control." in notice and "episodes.parquet" in notice


def test_a_control_chart_whose_months_fall_to_1_to_7_is_not_drawn(edition):
    book, episodes = edition
    months = pd.to_datetime(episodes["date"]).dt.to_period("M")
    every = pd.period_range("2004-04", "2008-03", freq="M")

    def unknown_months(pod):
        """Months in which each commissioner's count is 0 to 7 and some is not 0: every cell suppressed."""
        cells = (
            episodes[episodes["pod"] == pod].groupby([months, episodes["commissioner"]]).size().unstack(fill_value=0)
        )
        cells = cells.reindex(every, fill_value=0)
        return int(((cells <= 7).all(axis=1) & (cells.sum(axis=1) > 0)).sum())

    small = unknown_months("non_elective")
    assert small > 0  # the extract is small enough for some
    charts = dict(measures.kpi_charts(book, "urgent_care").charts)
    text = " ".join(str(v) for v in charts["kpi-emergency_admissions"].to_dict()["datasets"].values())
    assert f"Not drawn: in {small} of 48 months every count behind this measure is 1 to 7" in text
    drawn = "Not drawn" not in str(charts["kpi-ae_attendances"].to_dict())
    assert drawn == (unknown_months("ae") == 0)
