"""The content files and the default plan load and hold the structure the book reads.

The content files are data/content/*.yml and the default plan data/default/plan.yml. Expected figures are
written by hand from the plan's appendix two.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from analysis.contract import PATHWAYS, PODS
from analysis.paths import CONTENT, DATA, SHARED

PATHWAYS_FILE = CONTENT / "pathways.yml"
VALUE_FILE = CONTENT / "value.yml"
ECONOMY_FILE = CONTENT / "economy.yml"
PLAN_FILE = DATA / "default" / "plan.yml"
ALL_FILES = (PATHWAYS_FILE, VALUE_FILE, ECONOMY_FILE, PLAN_FILE)

STATUSES = {"planned", "on_track", "at_risk", "off_track", "complete"}
BASES = {"plan", "assumption"}
ROLES = {"commissioner", "provider", "both"}
COMMISSIONERS = {"5PG", "TAM"}
PATHWAY_KEYS = {
    "title",
    "plan_section",
    "summary",
    "key_messages",
    "aspiration",
    "plans",
    "governance",
    "deliverables",
    "plan_figures",
}
DELIVERABLE_KEYS = {"id", "text", "owner", "due", "status", "source"}
FIGURE_KEYS = {"id", "text", "value", "unit", "source"}
INTERVENTION_KEYS = {
    "id", "name", "pathway", "organisation", "acts_on", "start_year", "ramp_years", "effect_low",
    "effect_high", "investment", "recurrent_cost", "staff", "basis", "source", "note",
}
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _strings(node, where: str = "") -> Iterator[tuple[str, str]]:
    """Every string in a YAML tree, with the path of keys and positions that leads to it."""
    if isinstance(node, str):
        yield where, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, f"{where}[{i}]")


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@pytest.fixture(scope="module")
def pathways() -> dict:
    return _load(PATHWAYS_FILE)["pathways"]


@pytest.fixture(scope="module")
def value() -> dict:
    return _load(VALUE_FILE)


@pytest.fixture(scope="module")
def economy() -> dict:
    return _load(ECONOMY_FILE)


@pytest.fixture(scope="module")
def plan() -> dict:
    return _load(PLAN_FILE)


@pytest.mark.unit
@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_file_has_no_empty_strings(path: Path) -> None:
    empty = [where for where, text in _strings(_load(path)) if not text.strip()]
    assert not empty, f"{path.name}: empty strings at {empty}"


@pytest.mark.unit
def test_every_pathway_present_in_book_order(pathways: dict) -> None:
    assert tuple(pathways) == PATHWAYS


@pytest.mark.unit
def test_pathway_chapters_have_their_keys_and_sections(pathways: dict) -> None:
    sections = [spec["plan_section"] for spec in pathways.values()]
    assert sections == ["3.0", "4.0", "5.0", "6.0", "7.0", "8.0", "9.0", "10.0"]
    for pid, spec in pathways.items():
        missing = PATHWAY_KEYS - set(spec)
        assert not missing, f"pathways.{pid}: missing {missing}"
        for key in ("summary", "aspiration", "governance", "title"):
            assert isinstance(spec[key], str), f"pathways.{pid}.{key} should be text"
        for key in ("key_messages", "plans", "deliverables", "plan_figures"):
            assert isinstance(spec[key], list) and spec[key], f"pathways.{pid}.{key} should be a non-empty list"
        assert all(isinstance(m, str) for m in spec["key_messages"] + spec["plans"])


@pytest.mark.unit
def test_deliverables_have_fields_unique_ids_and_planned_status(pathways: dict) -> None:
    seen: set[str] = set()
    for pid, spec in pathways.items():
        for d in spec["deliverables"]:
            assert set(d) == DELIVERABLE_KEYS, f"pathways.{pid} deliverable {d.get('id')}: keys {set(d)}"
            assert d["status"] in STATUSES
            assert d["status"] == "planned", "the plan is at its start: every deliverable begins as planned"
            assert d["id"] not in seen, f"duplicate deliverable id {d['id']}"
            seen.add(d["id"])
    # The plan lists 5, 4, 6, 6, 7, 5, 6 and 3 deliverables in sections 3.0 to 10.0.
    assert [len(spec["deliverables"]) for spec in pathways.values()] == [5, 4, 6, 6, 7, 5, 6, 3]


@pytest.mark.unit
def test_plan_figures_are_numbers_with_units_and_sources(pathways: dict) -> None:
    for pid, spec in pathways.items():
        for f in spec["plan_figures"]:
            assert set(f) == FIGURE_KEYS, f"pathways.{pid} figure {f.get('id')}: keys {set(f)}"
            assert _number(f["value"]), f"pathways.{pid} figure {f['id']}: value should be a number"


@pytest.mark.unit
def test_key_plan_figures_carry_over(pathways: dict) -> None:
    def figures(pid: str) -> set:
        return {f["value"] for f in pathways[pid]["plan_figures"]}

    assert {2000, 11000, 27000, 15_000_000, 32_000_000, 135, -30, -50} <= figures("long_term_conditions")
    assert {-14, -7, 12000, 30} <= figures("planned_care")
    assert {4500, 36, 2011} <= figures("end_of_life")


@pytest.mark.unit
def test_mental_health_has_a_dementia_section(pathways: dict) -> None:
    dementia = pathways["mental_health"]["dementia"]
    assert {"key_messages", "aspiration", "plans"} <= set(dementia)
    assert dementia["key_messages"] and dementia["plans"]
    assert isinstance(dementia["aspiration"], str)


@pytest.mark.unit
def test_value_has_three_elements_with_paired_barriers_and_enablers(value: dict) -> None:
    elements = value["elements"]
    assert list(elements) == ["within_organisation", "across_health_system", "across_public_services"]
    for name, element in elements.items():
        assert {"title", "explanation", "barriers", "enablers", "source"} <= set(element), name
        # The briefing pairs each barrier with one enabler, three of each per element.
        assert len(element["barriers"]) == len(element["enablers"]) == 3, name


@pytest.mark.unit
def test_value_propositions_and_productivity_facts(value: dict) -> None:
    kinds = [p["kind"] for p in value["propositions"]]
    # NHS West Midlands agreed eight propositions and ten commitments.
    assert kinds.count("proposition") == 8 and kinds.count("commitment") == 10
    assert all(p.get("source") for p in value["propositions"])
    facts = {f["id"]: f for f in value["productivity_challenge"]}
    for f in facts.values():
        assert {"id", "text", "value", "unit", "source"} <= set(f) and _number(f["value"]), f["id"]
    assert facts["nhs_growth"]["value"] == 5.5
    assert facts["kings_fund_22bn"]["value"] == 22_000_000_000


@pytest.mark.unit
def test_economy_organisations_strategy_and_estates(economy: dict) -> None:
    orgs = economy["organisations"]
    codes = {o["code"] for o in orgs}
    assert {"5PG", "TAM", "RR1", "RXT", "E08000025", "E08000029"} <= codes
    for o in orgs:
        assert o["role"] in ROLES, f"organisation {o['name']}: role {o['role']!r}"
        assert {"name", "role", "description", "source"} <= set(o)
    assert len(economy["core_strategy"]["strands"]) == 6
    facts = {f["id"]: f["value"] for f in economy["context"]}
    assert facts["population"] == 630_000 and facts["commissioning_budgets"] == 1_600_000_000
    assert all(_number(f["value"]) and f.get("source") for f in economy["context"])
    for e in economy["estates"]:
        assert set(e) == {"site", "change", "organisation", "source"}
    assert any("Saltley" in e["site"] for e in economy["estates"])


@pytest.mark.unit
def test_investments_match_appendix_two(plan: dict) -> None:
    rows = plan["investments"]
    for r in rows:
        assert r["organisation"] in COMMISSIONERS
        assert r["pathway"] in PATHWAYS, f"investment {r['intention']}: pathway {r['pathway']!r}"
        assert _number(r["investment"]) and r["investment"] > 0
        assert set(r) - {"pathway_note"} == {
            "organisation",
            "intention",
            "description",
            "investment",
            "pathway",
            "source",
        }
    # Appendix two, added by hand: BEN PCT 11 lines, about £12.75m; Solihull Care Trust 9 lines, about £5.3m.
    ben = [r["investment"] for r in rows if r["organisation"] == "5PG"]
    sct = [r["investment"] for r in rows if r["organisation"] == "TAM"]
    assert (len(ben), sum(ben)) == (11, 12_750_000)
    assert (len(sct), sum(sct)) == (9, 5_300_000)


@pytest.mark.unit
def test_interventions_follow_the_model_contract(plan: dict) -> None:
    ids = [i["id"] for i in plan["interventions"]]
    assert len(ids) == len(set(ids)), "intervention ids must be unique"
    for i in plan["interventions"]:
        where = f"interventions.{i.get('id')}"
        assert set(i) == INTERVENTION_KEYS, f"{where}: keys {sorted(set(i) ^ INTERVENTION_KEYS)}"
        assert SNAKE.match(i["id"]), where
        assert i["pathway"] in PATHWAYS and i["organisation"] in COMMISSIONERS | {"all"}, where
        assert i["acts_on"], where
        for target in i["acts_on"]:
            assert target["pathway"] in PATHWAYS and target["pod"] in PODS, f"{where}: {target}"
        assert isinstance(i["start_year"], int) and 2008 <= i["start_year"] <= 2012, where
        assert isinstance(i["ramp_years"], int) and i["ramp_years"] >= 1, where
        assert -1 < i["effect_low"] <= i["effect_high"] < 1, where
        assert i["investment"] >= 0 and i["recurrent_cost"] >= 0, where
        assert i["basis"] in BASES, where
        for s in i["staff"]:
            assert set(s) == {"staff_group", "fte"} and s["fte"] > 0, where
        if all(t["pod"] == "community" for t in i["acts_on"]):
            assert i["effect_low"] >= 0, (
                f"{where}: community services that replace hospital care add community activity"
            )
        assert not re.search(r"[.!?]\s+[A-Z]", i["note"].strip()), f"{where}: note should be one sentence"


@pytest.mark.unit
def test_interventions_cover_the_plan(plan: dict) -> None:
    by_id = {i["id"]: i for i in plan["interventions"]}
    own = by_id["birmingham_ownhealth"]
    assert own["start_year"] == 2008 and own["basis"] == "plan"
    assert own["staff"] == [{"staff_group": "Telephone care managers", "fte": 135}]
    assert own["acts_on"] == [{"pathway": "long_term_conditions", "pod": "non_elective"}]
    assert own["effect_high"] < 0
    covered = {(i["pathway"], p["pod"]) for i in plan["interventions"] for p in i["acts_on"]}
    for needed in [
        ("planned_care", "gp_referral"), ("planned_care", "outpatient_first"), ("planned_care", "outpatient_followup"),
        ("urgent_care", "ae"), ("end_of_life", "non_elective"), ("end_of_life", "community"),
        ("maternity", "non_elective"), ("children", "non_elective"), ("mental_health", "community"),
    ]:
        assert needed in covered, f"no intervention acts on {needed}"
    # Every "<id>_hospital" entry pairs with a community entry of the same scheme.
    for i in by_id:
        if i.endswith("_hospital"):
            assert i.removesuffix("_hospital") in by_id, i


def _unwrap(node):
    """Replace every {value, basis, source, note} mapping by its value (the finance model's plain form)."""
    if isinstance(node, dict):
        if "value" in node:
            return node["value"]
        return {k: _unwrap(v) for k, v in node.items()}
    return node


def _valued(node) -> Iterator[dict]:
    """Every mapping that carries a value, however deep."""
    if isinstance(node, dict):
        if "value" in node:
            yield node
        for v in node.values():
            yield from _valued(v)
    elif isinstance(node, list):
        for v in node:
            yield from _valued(v)


@pytest.mark.unit
def test_allocation_values_have_basis_source_and_note(plan: dict) -> None:
    items = list(_valued(plan["allocation"])) + [plan["savings_release"]]
    assert len(items) >= 12
    for item in items:
        assert item["basis"] in BASES and item["source"] and item["note"], item
        assert _number(item["value"]), item


@pytest.mark.unit
def test_allocation_figures(plan: dict) -> None:
    alloc = _unwrap(plan["allocation"])
    # The plan's £1.6 billion commissioning budgets, split 67:33 between BEN PCT and Solihull.
    assert alloc["baseline"] == {"5PG": 1_072_000_000, "TAM": 528_000_000}
    assert sum(alloc["baseline"].values()) == 1_600_000_000
    shares = plan["allocation"]["baseline"]
    assert shares["5PG"]["share"] + shares["TAM"]["share"] == pytest.approx(1.0)
    assert list(alloc["growth"]) == [2008, 2009, 2010, 2011, 2012]
    assert alloc["growth"][2009] == alloc["growth"][2010] == 0.055
    assert max(alloc["growth"][2011], alloc["growth"][2012]) < 0.055
    assert alloc["discount_rate"] == 0.035
    parts = plan["allocation"]["cost_pressure"]["components"]
    assert alloc["cost_pressure"] == pytest.approx(sum(c["value"] for c in parts))


@pytest.mark.unit
def test_allocation_reads_into_the_finance_model(plan: dict) -> None:
    from analysis.model.finance import parse_assumptions

    parsed = parse_assumptions(_unwrap(plan["allocation"]), str(PLAN_FILE))
    assert parsed.baseline_year == 2008 and parsed.growth[2008] == 0.055


# Proper names of bodies and documents may be given in full; they are not sentences.
PROPER_NAMES = (
    "Birmingham East and North Primary Care Trust",
    "Working together to improve health and happiness in Birmingham and Solihull",
    "Our Health, Our Care, Our Say",
    "pan-Birmingham Children's Services Steering Group",
    "Birmingham-wide Joint Commissioning Group (Partnership)",
)


def _shingles(text: str, n: int) -> set[tuple[str, ...]]:
    """Every run of n words (numbers such as 12,000 count as one word)."""
    words = re.findall(r"[a-z0-9]+(?:[,.][0-9]+)*", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def _without_names(text: str) -> str:
    for name in PROPER_NAMES:
        text = re.sub(re.escape(name), " | ", text, flags=re.IGNORECASE)
    return text


@pytest.mark.unit
@pytest.mark.skipif(not (SHARED / "seeds").exists(), reason="the source documents (../shared/seeds) are not present")
@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_text_is_in_our_own_words(path: Path) -> None:
    """No run of eight words in a row is lifted from a source document."""
    seeds = " ".join(p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("0*.txt")))
    lifted = _shingles(seeds, 8)
    copied = [
        (where, " ".join(sorted(found)[0]))
        for where, text in _strings(_load(path))
        if (found := _shingles(_without_names(text), 8) & lifted)
    ]
    assert not copied, f"{path.name}: text copied from a source document: {copied}"
