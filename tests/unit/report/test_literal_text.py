"""Untrusted text into markdown (analysis.report.wording.literal), and report functions given hostile names.

The markdown is rendered with MyST's own parser (myst-parser's markdown-it set-up, with the extensions
Jupyter Book enables) and the HTML parsed: the test looks for elements, not strings.
"""

from __future__ import annotations

import html
from dataclasses import replace

import pytest
from bs4 import BeautifulSoup
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from analysis.report import common, introduction, summary
from analysis.report.pathway import measures, plans
from analysis.report.wording import literal

pytestmark = pytest.mark.unit

MYST = create_md_parser(
    MdParserConfig(enable_extensions={"colon_fence", "dollarmath", "substitution", "linkify", "deflist", "tasklist"}),
    RendererHTML,
)

HOSTILE = [
    '<script>alert("x")</script>',
    '<img src=x onerror="alert(1)">',
    "```{raw} html\n<b onmouseover=alert(1)>raw</b>\n```",
    "{raw}`<i>r</i>` and {eval-rst}`x`",
    ":::{note}\nnote\n:::",
    "(target)=\n# heading",
    "{{ substitution }}",
    "$x^2$ and $$y$$",
    "[link](javascript:alert(1)) <https://example.org>",
    "*em* _u_ **b** ~~s~~ | a | b |",
    "1. first\n2) second",
    "- item\n+ item\n% comment\n+++",
    "\\*not escaped\\* &amp; &lt;b&gt;",
    "A&E attendances (Dudley's PCT)",
]


def rendered(markdown: str) -> BeautifulSoup:
    return BeautifulSoup(MYST.render(markdown), "html.parser")


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("place", ["{}", "- **{}** (note)", '<div class="sb"><strong>Note.</strong> {}</div>', "# {}"])
def test_literal_text_renders_as_itself_and_creates_nothing(text, place):
    soup = rendered(place.format(literal(text)))
    # A bare web address may become a link (MyST's linkify): harmless, and the only element text may make.
    links = [a for a in soup.find_all("a") if not a["href"].startswith(("http://", "https://"))]
    assert not links
    tags = {t.name for t in soup.find_all(True)} - {"a"}
    allowed = {"p", "ul", "li", "strong", "div", "h1"}
    assert tags <= allowed, tags - allowed
    assert not any(a.startswith("on") for t in soup.find_all(True) for a in t.attrs)
    assert " ".join(text.split()) in " ".join(soup.get_text().split())


def test_literal_leaves_plain_words_readable():
    assert literal("Birmingham East and North PCT") == "Birmingham East and North PCT"
    assert literal("Dudley's  \n PCT, 2008/09 (draft).") == "Dudley's PCT, 2008/09 (draft)."
    assert literal(None) == "" and literal(float("nan")) == ""
    assert literal(12.5) == "12.5"


def test_literal_references_every_markup_character():
    text = literal("<>&`*_{}[]#|$~^\\\"")
    assert all(c not in text.replace("&#", "").replace(";", "") for c in "<>`*_{}[]|$~^\\\"")
    assert html.unescape(text) == "<>&`*_{}[]#|$~^\\\""


def test_line_start_markers_are_neutralised_only_at_the_start():
    assert literal("- a - b").startswith("&#45;") and literal("- a - b").endswith("a - b")
    assert literal("12. June") == "12&#46; June"
    assert literal("(t)=") == "&#40;t)="


HOSTILE_NAME = '<script>alert("n")</script> {raw}`<b>x</b>`'


def _soup_of(output) -> BeautifulSoup:
    if hasattr(output, "_repr_html_"):
        return BeautifulSoup(output._repr_html_(), "html.parser")
    return rendered(output.data)


def _assert_inert(output, shown: str = HOSTILE_NAME):
    soup = _soup_of(output)
    assert not soup.find_all(["script", "b"]), soup
    assert not any(a.startswith("on") for t in soup.find_all(True) for a in t.attrs)
    assert " ".join(shown.split()) in " ".join(soup.get_text().split())


@pytest.fixture(scope="module")
def hostile_book():
    """The default edition with hostile commissioner, provider and KPI names, subtitle and description."""
    book = common.load("params/default.yml")
    p = book.params
    economy = p.economy.model_copy(update={
        "commissioners": [c.model_copy(update={"name": f"{c.name} {HOSTILE_NAME}"}) for c in p.economy.commissioners],
        "providers": [c.model_copy(update={"name": f"{c.name} {HOSTILE_NAME}"}) for c in p.economy.providers],
    })
    edition = p.edition.model_copy(update={"subtitle": HOSTILE_NAME, "description": HOSTILE_NAME})
    pathways = {
        pid: pw.model_copy(
            update={"kpis": [k.model_copy(update={"name": f"{k.name} {HOSTILE_NAME}"}) for k in pw.kpis]}
        )
        for pid, pw in p.pathways.items()
    }
    params = p.model_copy(update={"economy": economy, "edition": edition, "pathways": pathways})
    content = {
        **book.content,
        "pathways": {
            "pathways": {
                pid: {
                    **spec,
                    "summary": HOSTILE_NAME,
                    "key_messages": [HOSTILE_NAME],
                    "aspiration": HOSTILE_NAME,
                    "plans": [HOSTILE_NAME],
                }
                for pid, spec in book.content["pathways"]["pathways"].items()
            }
        },
    }
    return replace(book, params=params, content=content)


def test_introduction_shows_hostile_names_as_text(hostile_book):
    _assert_inert(introduction.about(hostile_book))


def test_the_synthetic_notice_shows_a_hostile_description_as_text(hostile_book):
    _assert_inert(common.synthetic_notice(hostile_book))


def test_plan_sections_show_hostile_content_as_text(hostile_book):
    _assert_inert(plans.key_messages(hostile_book, "urgent_care"))
    _assert_inert(plans.aspiration_and_plans(hostile_book, "urgent_care"))


def test_what_to_watch_and_the_kpi_table_show_hostile_kpi_names_as_text(hostile_book):
    watch = measures.what_to_watch(hostile_book, "planned_care")
    soup = rendered(watch.data)
    assert not soup.find_all(["script", "b"])
    _assert_inert(measures.kpi_summary(hostile_book, "urgent_care"))
    _assert_inert(summary.kpi_matrix(hostile_book))
