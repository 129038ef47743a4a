"""The PDF page checks (blank pages, mostly empty pages, orphaned headings) on hand-made pages."""

import pytest
from bs4 import BeautifulSoup

from analysis.build import pdf

pytestmark = pytest.mark.unit

FOOTER = "Test edition · synthetic data"


def test_a_page_with_only_its_footer_is_blank():
    texts = ["Cover", f"{FOOTER}    Page 2 of 3", f"Some text\n{FOOTER}    Page 3 of 3"]
    assert pdf.blank_pages(texts, [0.5, 0.0, 0.3], FOOTER) == [2]
    assert pdf.blank_pages(texts, [0.5, 0.2, 0.3], FOOTER) == [2]  # no text but the footer, even if a rule was drawn


def test_mostly_empty_pages_skip_the_cover_and_contents():
    assert pdf.mostly_empty_pages([0.1, 0.2, 0.9, 0.59, 0.61]) == [4]


def test_a_heading_as_the_last_line_of_a_page_is_orphaned():
    texts = [
        f"Body text\nWhat the plan does to the gap\n\n{FOOTER}    Page 1 of 2",
        f"Chart title\nA chart\n{FOOTER}    Page 2 of 2",
    ]
    assert pdf.orphaned_headings(texts, ["What the plan does to the gap", "Chart title"], FOOTER) == [
        (1, "What the plan does to the gap")
    ]


def test_each_heading_is_wrapped_with_the_block_after_it():
    soup = BeautifulSoup(
        "<article><section><h2>A</h2><div class='cell'>chart</div><p>more</p>"
        "<section><h3>B</h3><p>text</p></section></section></article>", "html.parser")
    assert pdf.keep_headings_with_what_follows(soup, soup.article) == 2
    keeps = soup.select("div.sb-keep")
    assert [k.find(["h2", "h3"]).text for k in keeps] == ["A", "B"]
    assert keeps[0].select_one("div.cell").text == "chart" and keeps[0].find("p") is None


def test_before_several_charts_the_heading_goes_with_the_first_only():
    soup = BeautifulSoup(
        "<article><section><h2>Measures</h2><div class='cell'><div class='sb-gallery-item'>one</div>"
        "<div class='sb-gallery-item'>two</div></div></section></article>", "html.parser")
    assert pdf.keep_headings_with_what_follows(soup, soup.article) == 1
    first, second = soup.select(".sb-gallery-item")
    assert first.find("h2").text == "Measures" and second.find("h2") is None
    assert not soup.select("div.sb-keep")
