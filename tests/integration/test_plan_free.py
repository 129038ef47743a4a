"""Editions without a plan: no page may carry another economy's plan, organisations, schemes or sites.

The forbidden words are read from the default edition's own plan and content files (never typed here),
less any that the edition under test names for itself (params/bsol-2021.yml's own providers include
Birmingham and Solihull's mental health trust, which the default plan names too).
Fast tests check the catalog; every page of the built plan-free editions is checked by the slow build test
in test_editions.py (STRATEGY_BOOK_SLOW=1), with `assert_no_page_names_the_default_plan` from here.
"""

import re

import pytest
import yaml

from analysis import catalog
from analysis.config import load as load_params
from analysis.paths import REAL_DATA, ROOT
from analysis.report import introduction
from analysis.report.pathway import plans

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not REAL_DATA.exists(), reason=f"the real published files are not here ({REAL_DATA})"),
]

PLAN_FREE = ["params/black-country-real.yml", "params/bsol-2021.yml"]


def default_terms() -> set[str]:
    """Organisation codes and names, scheme names, site and community names and plan titles of the default edition."""
    default = load_params("params/default.yml")
    content = {f.stem: yaml.safe_load(f.read_text(encoding="utf-8")) for f in (ROOT / default.content).glob("*.yml")}
    plan = yaml.safe_load((ROOT / default.plan).read_text(encoding="utf-8"))
    economy = content["economy"]
    terms = set()
    for org in economy["organisations"]:
        terms |= {str(org[k]) for k in ("code", "name", "short_name") if org.get(k)}
    terms |= {str(e["site"]) for e in economy.get("estates", [])}
    terms |= {str(c["name"]) for c in economy.get("communities", [])}
    terms |= {economy["core_strategy"]["title"], content["pathways"]["source"], plan["source"]}
    terms |= {str(i["intention"]) for i in plan["investments"]}
    terms |= {str(i["name"]) for i in plan["interventions"] if i.get("name")}
    terms |= {str(i["organisation"]) for i in plan["investments"] + plan["interventions"]} - {"all"}
    terms |= {o.code for o in (*default.economy.commissioners, *default.economy.providers)}
    terms |= {o.name for o in (*default.economy.commissioners, *default.economy.providers)}
    return terms


def forbidden(path: str) -> list[str]:
    """The default edition's terms less those the edition names for itself (its organisations and areas)."""
    p = load_params(path)
    own = " ".join(
        o.name + " " + o.code for o in (*p.economy.commissioners, *p.economy.providers, *p.economy.local_authorities)
    ).lower()
    generic = " ".join(
        str(t).lower() for t in yaml.safe_load((ROOT / "data/common/pathways.yml").read_text())["pathways"].values()
    )
    return sorted(t for t in default_terms() if len(t) >= 3 and t.lower() not in own and t.lower() not in generic)


def leaks(text: str, terms: list[str]) -> list[str]:
    return [t for t in terms if re.search(rf"(?<![A-Za-z0-9]){re.escape(t)}(?![A-Za-z0-9])", text)]


def test_the_forbidden_words_come_from_the_default_plan():
    terms = forbidden("params/black-country-real.yml")
    for expected in (
        "Working Together for Health: BENS overarching vision and plans 2008-2013",
        "5PG",
        "TAM",
        "RR1",
        "Birmingham OwnHealth",
    ):
        assert expected in terms
    assert "RXT" not in forbidden("params/bsol-2021.yml")  # its own provider
    assert leaks("run by TAM.", ["TAM"]) and not leaks("TAMESIDE", ["TAM"])


@pytest.mark.parametrize("path", PLAN_FREE)
def test_a_plan_free_edition_loads_no_plan_and_says_so_once(path):
    book = catalog.load(path)
    assert not book.has_plan and book.plan == {} and not book.has_content
    assert "No plan is loaded" in introduction.about(book).data
    assert plans.investments(book, "urgent_care").data == plans.NO_PLAN
    assert not leaks(introduction.about(book).data, forbidden(path))


def assert_no_page_names_the_default_plan(path: str, html) -> None:
    """Every built page of a plan-free edition is free of the default plan's words.

    Called by the slow build test in test_editions.py, so each edition is built once.
    """
    terms = forbidden(path)
    pages = sorted(html.rglob("*.html"))
    assert len(pages) >= 15
    found = {
        str(page.relative_to(html)): hits for page in pages if (hits := leaks(page.read_text(encoding="utf-8"), terms))
    }
    assert not found, found
