"""data/content/indicators.yml: every indicator the default edition shows has a whole name."""

from __future__ import annotations

import pytest
import yaml

from analysis import config
from analysis.paths import CONTENT

pytestmark = pytest.mark.unit

INDICATORS_FILE = CONTENT / "indicators.yml"


def _indicators() -> dict:
    return yaml.safe_load(INDICATORS_FILE.read_text(encoding="utf-8"))["indicators"]


def test_names_with_commas_are_whole():
    names = {k: v["name"] for k, v in _indicators().items()}
    assert names["perinatal_mortality"] == "Perinatal mortality (per 1,000 births)"
    assert names["falls_admissions_65_per_100k"] == "Emergency admissions for falls, aged 65 and over (per 100,000)"
    assert names["ae_0_4_per_1000"] == "A&E attendances of children aged 0-4 (per 1,000)"


def test_every_entry_has_only_the_known_keys():
    # A comma inside an unquoted flow mapping cuts the name and leaves its tail as a key without a value.
    for key, entry in _indicators().items():
        assert {"name", "percent"} <= set(entry) <= {"name", "percent", "short"}, f"{key}: keys {sorted(entry)}"
        assert isinstance(entry["name"], str) and entry["name"].strip(), key
        assert isinstance(entry["percent"], bool), key


def test_every_indicator_the_default_edition_shows_is_named():
    params = config.load("params/default.yml")
    shown = set()
    for spec in params.pathways.values():
        shown |= set(spec.benchmark) | {k.indicator for k in spec.kpis if k.indicator}
        if spec.funnel:
            shown.add(spec.funnel)
    assert shown - set(_indicators()) == set()
