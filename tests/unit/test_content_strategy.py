"""The strategy content file (data/content/strategy.yml) names only strands, pages and measures that exist."""

import re

import pytest
import yaml

from analysis.build.chapters import chapters
from analysis.config import load
from analysis.paths import CONTENT

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def content():
    return {
        name: yaml.safe_load((CONTENT / f"{name}.yml").read_text(encoding="utf-8"))
        for name in ("strategy", "economy", "indicators", "pathways")
    }


def test_every_strand_of_the_core_strategy_is_mapped_and_nothing_else(content):
    strands = {s["id"] for s in content["economy"]["core_strategy"]["strands"]}
    assert set(content["strategy"]["strands"]) == strands


def test_each_strand_names_pages_of_the_book_and_measures_that_exist(content):
    params = load("params/default.yml")
    pages = {c.output.removesuffix(".ipynb") for c in chapters(params, "params/default.yml", content)}
    kpis = {k.id for p in params.pathways.values() for k in p.kpis}
    indicators = set(content["indicators"]["indicators"])
    for sid, spec in content["strategy"]["strands"].items():
        assert spec["pages"], sid
        for item in spec["pages"]:
            assert item["page"] in pages, f"{sid}: no page {item['page']}"
            assert item["page"].startswith("pathways/") or item.get("title"), f"{sid}: {item['page']} needs a title"
        assert set(spec["measures"]) <= kpis | indicators, sid
        assert spec["measures"] or spec.get("gap"), f"{sid}: with no measure, say why (gap)"


def test_the_four_challenged_services_of_the_plan_are_there_with_sources(content):
    services = content["strategy"]["challenged_services"]
    assert [s["id"] for s in services] == ["ae", "maternity", "paediatrics", "emergency_surgery"]
    for s in services:
        assert {"id", "title", "text", "measures", "source"} == set(s)
        assert re.search(r"\b12\.[1-4]\b", s["source"]), s["source"]  # the plan's section 12
