"""The small-counts edition, built end to end and every output scanned for an exact count.

params/bens-real.yml with its activity replaced by an episode-level extract
whose monthly counts are small (many of 1 to 7), built end to end. Every output is then scanned for a
count that is not 0, suppressed or a multiple of 5: the book's HTML tables, every embedded chart spec's
data, the executed notebooks' outputs and their glued values.

The scan looks at counts, not at every number: the columns of tables and the fields of chart data that
hold activity counts (a year, a percentage, a rate or a model's projection is not one). Which fields are
counts is listed here, field by field, from the charts' own data.

The build takes a few minutes, so it runs only with STRATEGY_BOOK_SLOW=1, like the other end-to-end builds.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis.contract import PODS
from analysis.paths import REAL_DATA, ROOT
from tests.integration.practice_files import write_practice_files

SLOW = os.environ.get("STRATEGY_BOOK_SLOW") == "1"
pytestmark = [pytest.mark.integration]

EDITION = "small-counts-test"
PRACTICES = [f"M86{i:03d}" for i in range(1, 25)]
COMMISSIONER = {p: ("5PG" if i < 14 else "TAM") for i, p in enumerate(PRACTICES)}
WEIGHTS = [0.05, 0.10, 0.10, 0.12, 0.25, 0.20, 0.10, 0.08]


def write_small_extract(path: Path, rows: int = 9000, seed: int = 11) -> pd.DataFrame:
    """A seeded episode extract for April 2008 to March 2012: about 190 episodes a month over 24 practices."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2008-04-01")
    days = int((np.datetime64("2012-04-01") - start).astype(int))
    episodes = pd.DataFrame({
        "date": pd.to_datetime(start + rng.integers(0, days, rows).astype("timedelta64[D]")).date,
        "practice": rng.choice(PRACTICES, size=rows),
        "pod": rng.choice(PODS, size=rows, p=WEIGHTS),
    })
    episodes["commissioner"] = episodes["practice"].map(COMMISSIONER)
    episodes["provider"] = "RR1"
    episodes["cost"] = rng.gamma(2.0, 300.0, rows).round(2)
    episodes.to_parquet(path, index=False)
    return episodes


def write_small_counts_edition(folder: Path) -> Path:
    """params/bens-real.yml with an episode extract for activity and the extract's own practices (list sizes, IMD)."""
    folder.mkdir(parents=True, exist_ok=True)
    write_small_extract(folder / "episodes.parquet")
    sizes, imd = write_practice_files(
        folder, COMMISSIONER, financial_year="2011/12", imd_year=2010, sizes=(2500, 350), scores=(12.0, 2.0)
    )
    params = yaml.safe_load((ROOT / "params" / "bens-real.yml").read_text(encoding="utf-8"))
    params["edition"]["id"] = EDITION
    files = params["data"]["files"]
    files["activity"] = [
        {
            "adapter": "episodes",
            "path": str(folder / "episodes.parquet"),
            "options": {"start": "2008-04", "end": "2012-03"},
        }
    ]
    files["practices"] = [{"adapter": "gp_list_sizes", "path": str(sizes), "options": {"deprivation": str(imd)}}]
    for _table, sources in files.items():  # the published files' paths are relative to the project
        for source in sources:
            for key in ("path",):
                if not Path(source[key]).is_absolute():
                    source[key] = str((ROOT / source[key]).resolve())
            if "deprivation" in source.get("options", {}) and not Path(source["options"]["deprivation"]).is_absolute():
                source["options"]["deprivation"] = str((ROOT / source["options"]["deprivation"]).resolve())
    for key in ("content", "plan"):
        params[key] = str((ROOT / params[key]).resolve())
    file = folder / "small-counts.yml"
    file.write_text(yaml.safe_dump(params, sort_keys=False), encoding="utf-8")
    return file


# ---- the scan --------------------------------------------------------------------------------------

NUMBER = r"(\d[\d,]*(?:\.\d+)?)"


def bad_count(value) -> bool:
    """Whether a count as shown breaks the rule: anything but 0, suppressed ("*"), missing or a multiple of 5.

    (A disclosed count and a sum of them is 0 or at least 10; an average or a limit shown to the
    nearest 5 may be 5, or below 0 for a lower limit.)
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        if text in ("", "*"):
            return False
        try:
            value = float(text)
        except ValueError:
            return True
    number = abs(float(value))
    return abs(number - 5 * round(number / 5)) > 1e-6


def activity_count_kpis(params: dict) -> dict[str, str]:
    """KPI id -> name of every KPI that is a count of activity (not a ratio): those whose values are counts."""
    return {
        k["id"]: k["name"]
        for pathway in params["pathways"].values() for k in pathway.get("kpis", [])
        if k.get("source") == "activity" and not k.get("ratio_to")
    }


def chart_specs(soup) -> list[tuple[str, dict]]:
    """(anchor, spec) of every chart on a page, the spec read back from the script that embeds it."""
    out = []
    for div in soup.find_all("div", class_="sb-chart"):
        script = div.find_next_sibling("script")
        match = re.search(r"var spec=(.*);function draw\(\)", script.string or "", re.DOTALL)
        assert match, f"chart {div.get('id')} has no embedded spec"
        out.append((div.get("id", ""), json.loads(match.group(1))))
    return out


def spec_rows(spec: dict) -> list[list[dict]]:
    """Every dataset of a chart spec (named datasets and inline values, in every layer)."""
    found = [rows for rows in (spec.get("datasets") or {}).values()]

    def walk(node):
        if isinstance(node, dict):
            values = node.get("data", {}).get("values") if isinstance(node.get("data"), dict) else None
            if isinstance(values, list):
                found.append(values)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk({k: v for k, v in spec.items() if k != "datasets"})
    return found


def chart_count_problems(anchor: str, spec: dict, count_kpis: dict[str, str]) -> list[str]:
    """Counts in one chart's data that break the rule, field by field."""
    problems = []
    for rows in spec_rows(spec):
        for row in rows:
            if not isinstance(row, dict):
                continue
            keys = set(row)
            where = f"{anchor or spec.get('description', '')[:60]}: {row}"
            checks = []
            if anchor.startswith("kpi-") and anchor[4:] in count_kpis and {"date", "value", "mean"} <= keys:
                checks.append(row["value"])  # a control chart's point: a month's count
            if "numerator_text" in keys:  # a practice funnel: the count, and value x expected gives it back
                checks.append(row["numerator_text"])
                if row.get("value") is not None and row.get("denominator") is not None:
                    checks.append(round(row["value"] * row["denominator"], 6))
            if {"Activity", "count", "pod", "year"} <= keys:  # yearly activity by point of delivery
                checks += [row["Activity"], row["count"]]
            if row.get("scenario") == "history" and "count" in keys:  # the trajectory's recorded years
                checks.append(row["count"])
            if row.get("series") == "What happened" and "count" in keys:  # the plan against what happened
                checks.append(row["count"])
            for text in (v for v in row.values() if isinstance(v, str)):
                checks += re.findall(NUMBER + r" fewer", text)
            problems += [f"{where} -> {c!r}" for c in checks if bad_count(c)]
    return problems


def table_count_problems(soup, count_kpis: dict[str, str]) -> list[str]:
    """Counts in a page's tables that break the rule.

    Checked: activity KPIs' latest, average and usual range, and the practice opportunity.
    """
    problems = []
    names = {" ".join(n.split()) for n in count_kpis.values()}
    for table in soup.find_all("table", class_="sb-table"):
        heads = [" ".join(th.get_text(" ").split()) for th in table.find_all("th")]
        for tr in table.find("tbody").find_all("tr"):
            cells = dict(zip(heads, (" ".join(td.get_text(" ").split()) for td in tr.find_all("td")), strict=True))
            name = cells.get("Indicator") or cells.get("Measure") or ""
            if any(name == n or name.startswith(n + " (") for n in names):
                for column in ("Latest", "Average"):
                    if column in cells and cells[column] and not cells[column].startswith("No data"):
                        first = cells[column].split()[0]
                        if bad_count(first):
                            problems.append(f"{name}: {column} {cells[column]!r}")
                for column in [h for h in heads if h.startswith("Usual range")]:
                    for end in re.findall(r"−?\d[\d,]*(?:\.\d+)?", cells.get(column, "")):
                        if bad_count(end.lstrip("−")):
                            problems.append(f"{name}: usual range {cells[column]!r}")
            fewer = cells.get("Fewer a year if all matched")
            if fewer is not None and bad_count(fewer):
                problems.append(f"practice opportunity {cells}")
    return problems


def text_count_problems(text: str) -> list[str]:
    """Counts in running text that break the rule ("N fewer a year")."""
    return [f"{m.group(0)!r}" for m in re.finditer(NUMBER + r" fewer a year", text) if bad_count(m.group(1))]


def test_the_scan_finds_an_exact_count_wherever_the_book_shows_counts():
    """The scan's own check: exact counts planted in each kind of field are found.

    Years, rates and projections are not counts.
    """
    from bs4 import BeautifulSoup

    kpis = {"ae_attendances": "A&E attendances"}
    spc = {"datasets": {"d": [{"date": "2011-03-01", "value": 29, "mean": 31.4, "lpl": 2.1, "upl": 60.2}]}}
    assert chart_count_problems("kpi-ae_attendances", spc, kpis)
    assert not chart_count_problems("kpi-four_hour_performance", spc, kpis)  # an indicator, not a count
    funnel = {"datasets": {"d": [{"unit": "P1", "numerator_text": "10", "value": 1.1, "denominator": 8.0}]}}
    assert chart_count_problems("", funnel, kpis)  # 1.1 x 8 gives back 8.8, not the rounded 10
    yearly = {"layer": [{"data": {"values": [{"Activity": "120", "count": 119, "pod": "ae", "year": 2010}]}}]}
    assert chart_count_problems("", yearly, kpis)
    history = {
        "datasets": {"d": [{"scenario": "history", "count": 496.0, "year": 2011}, {"scenario": "plan", "count": 501.3}]}
    }
    assert len(chart_count_problems("", history, kpis)) == 1
    assert chart_count_problems("", {"datasets": {"d": [{"row": "A&E attendances: 38 fewer, £0.1m"}]}}, kpis)
    assert not chart_count_problems("", {"datasets": {"d": [{"year": 2011, "share": 0.123, "count": 17.2}]}}, kpis)
    page = BeautifulSoup(
        '<table class="sb-table"><thead><tr><th>Indicator</th><th>Latest</th><th>Average</th><th>Usual '
        "range</th></tr></thead>"
        "<tbody><tr><td>A&amp;E attendances (attendances a month)</td><td>15 Mar "
        "2012</td><td>123.4</td><td>5–35</td></tr></tbody></table>",
        "html.parser",
    )
    assert table_count_problems(page, kpis) == ["A&E attendances (attendances a month): Average '123.4'"]
    assert text_count_problems("would mean 38 fewer a year") and not text_count_problems("would mean 35 fewer a year")
    assert [bad_count(v) for v in ("*", "0", "1,235", "1,234", 5, -5, 12.5, None)] == [
        False,
        False,
        False,
        True,
        False,
        False,
        True,
        False,
    ]


@pytest.mark.skipif(not REAL_DATA.exists(), reason=f"the real published files are not here ({REAL_DATA})")
@pytest.mark.skipif(not SLOW, reason="builds a whole edition (a few minutes); set STRATEGY_BOOK_SLOW=1")
def test_the_small_counts_edition_shows_no_count_that_breaks_the_rule(tmp_path):
    from bs4 import BeautifulSoup

    params_file = write_small_counts_edition(tmp_path)
    params = yaml.safe_load(params_file.read_text(encoding="utf-8"))
    count_kpis = activity_count_kpis(params)
    out = ROOT / "_build" / EDITION
    shutil.rmtree(out, ignore_errors=True)
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "build", "--params", str(params_file), "--workers", "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=1800, env={**os.environ, "STRATEGY_BOOK_PNG": "0"},
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    pages = [p for p in sorted((out / "html").rglob("*.html")) if "_static" not in p.parts]
    assert len(pages) >= 18
    problems, charts, tables = {}, 0, 0
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        found = []
        for anchor, spec in chart_specs(soup):
            charts += 1
            found += chart_count_problems(anchor, spec, count_kpis)
        tables += len(soup.find_all("table", class_="sb-table"))
        found += table_count_problems(soup, count_kpis)
        found += text_count_problems(" ".join(soup.get_text(" ").split()))
        if found:
            problems[str(page.relative_to(out))] = found
    assert charts > 30 and tables > 20  # the scan saw the book's charts and tables
    # The executed notebooks: every output's text and every glued value (the summary pastes these).
    notebooks = sorted(p for p in (out / "book").rglob("*.ipynb") if "templates" not in p.parts)
    assert len(notebooks) >= 17
    glued_values = 0
    for notebook in notebooks:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            for output in cell.get("outputs", []):
                # Every text form of the output, glued values (application/papermill.record/...) included.
                data = output.get("data", {})
                text = " ".join(
                    "".join(v) if isinstance(v, list) else v
                    for k, v in data.items()
                    if k.split("/")[-1] in ("plain", "markdown", "html")
                )
                glued_values += "scrapbook" in output.get("metadata", {})
                found = text_count_problems(text)
                if "scrapbook" in output.get("metadata", {}):
                    glued = output["metadata"]["scrapbook"].get("name", "")
                    found += [
                        f"glue {glued}: {n}"
                        for n in re.findall(NUMBER + r" (?:episodes|attendances|admissions|referrals|contacts)", text)
                        if bad_count(n)
                    ]
                if found:
                    problems.setdefault(str(notebook.relative_to(out)), []).extend(found)
    assert glued_values >= 10  # the scan read the glued values the summary pastes
    assert problems == {}
