"""The PDF board pack's pieces that need no browser: paths, cover, contents, page finding, staging checks."""

from types import SimpleNamespace

import pytest
import yaml
from bs4 import BeautifulSoup

from analysis.build import pdf
from analysis.paths import BUILD, ROOT

STAMP = {
    "edition": "default",
    "title": "T",
    "synthetic": True,
    "params_file": "params/default.yml",
    "params_sha256": "0123456789abcdef" * 4,
    "inputs": {},
    "code_version": "abc1234+modified",
    "build_date": "2008-04-01",
}
TOC = {
    "format": "jb-book",
    "root": "book/chapters/introduction",
    "parts": [
        {"caption": "Overview", "chapters": [{"file": "book/chapters/economy"}]},
        {
            "caption": "Clinical pathways",
            "chapters": [{"file": "book/pathways/maternity"}, {"file": "book/pathways/children"}],
        },
    ],
}
# The shape of Jupyter Book's singlehtml page: the root document's section, then one toctree wrapper per
# part holding each document as <span id="document-..."> and its section; section ids repeat across documents.
SINGLEHTML = """<html><head><script src="https://cdn.example.org/mathjax.js"></script>
<link rel="stylesheet" href="_static/print.css"></head><body>
<div class="bd-sidebar-primary">nav</div>
<article class="bd-article">
<section id="about-this-book"><h1>About this book<a class="headerlink" href="#about-this-book">#</a></h1>
<section id="how-to-read"><h2>How to read this book<a class="headerlink" href="#how-to-read">#</a></h2><p>text</p></section>
<div class="toctree-wrapper compound">
<span id="document-book/chapters/economy"></span>
<section id="the-local-health-economy"><h2>The local health economy<a class="headerlink" href="#x">#</a></h2>
<section id="key-messages"><h3>Key messages</h3></section></section>
</div>
<div class="toctree-wrapper compound">
<span id="document-book/pathways/maternity"></span>
<section id="maternity"><h2>Maternity &amp; newborn</h2><section id="key-messages"><h3>Key messages</h3></section></section>
<span id="document-book/pathways/children"></span>
<section id="children"><h2>Children</h2><section id="key-messages"><h3>Key messages</h3></section></section>
</div>
</section>
</article></body></html>"""


def params(synthetic: bool = True, title: str = "Birmingham East and North and Solihull"):
    edition = SimpleNamespace(
        id="default", title=title, subtitle="Local health economy strategy book, 2008/09 to 2012/13",
        author="Working Together for Health partnership", synthetic=synthetic,
    )
    return SimpleNamespace(edition=edition)


@pytest.mark.unit
def test_the_default_edition_prints_to_build_pdf_and_others_to_their_own_folder():
    assert pdf.pdf_path("default") == BUILD / "pdf" / "book.pdf"
    assert pdf.pdf_path("bens-real") == BUILD / "bens-real" / "pdf" / "book.pdf"


@pytest.mark.unit
def test_cover_names_the_edition_and_labels_synthetic_data():
    cover = pdf.cover_html(params(), STAMP)
    text = " ".join(BeautifulSoup(cover, "html.parser").get_text(" ").split())
    assert "Birmingham East and North and Solihull" in text
    assert "Local health economy strategy book, 2008/09 to 2012/13" in text
    assert "Working Together for Health partnership" in text
    assert "Synthetic data" in text
    assert "Built 1 April 2008" in text
    assert "code abc1234+modified" in text and "sha256 0123456789ab" in text
    real = pdf.cover_html(params(synthetic=False), STAMP)
    assert "Synthetic data" not in real and "sb-cover-synthetic" not in real


@pytest.mark.unit
def test_cover_escapes_html_in_the_title():
    cover = pdf.cover_html(params(title="A & B <Trust>"), STAMP)
    assert "A &amp; B &lt;Trust&gt;" in cover and "<Trust>" not in cover


@pytest.mark.unit
@pytest.mark.parametrize(
    ("iso", "long"),
    [("2008-04-01", "1 April 2008"), ("2013-12-31", "31 December 2013"), ("2026-01-09", "9 January 2026")],
)
def test_long_dates(iso, long):
    assert pdf._long_date(iso) == long


@pytest.mark.unit
def test_contents_lists_chapters_under_their_parts_with_placeholders_then_pages():
    entries = [
        pdf.Entry("About this book", "sb-contents-0", 1),
        pdf.Entry("How to read", "sb-contents-1", 2),
        pdf.Entry("Maternity", "sb-contents-2", 1, "Clinical pathways"),
        pdf.Entry("Children", "sb-contents-3", 1, "Clinical pathways"),
    ]
    draft = BeautifulSoup(pdf.contents_html(entries), "html.parser")
    assert [li.get_text(" ", strip=True) for li in draft.select("li")] == [
        "About this book 000", "Clinical pathways", "Maternity 000", "Children 000",
    ]
    assert [a["href"] for a in draft.select("a")] == ["#sb-contents-0", "#sb-contents-2", "#sb-contents-3"]
    final = BeautifulSoup(
        pdf.contents_html(entries, {"sb-contents-0": 3, "sb-contents-2": 7, "sb-contents-3": 12}), "html.parser"
    )
    assert [s.get_text() for s in final.select(".sb-contents-page")] == ["3", "7", "12"]
    deep = BeautifulSoup(pdf.contents_html(entries, depth=2), "html.parser")
    assert [li.get_text(" ", strip=True) for li in deep.select("li.sb-contents-level2")] == ["How to read 000"]


@pytest.mark.unit
def test_prepare_puts_cover_and_contents_first_and_gives_each_heading_a_unique_anchor_and_marker():
    page, entries = pdf.prepare(SINGLEHTML, TOC, '<section class="sb-cover">cover</section>')
    assert [(e.title, e.level, e.part) for e in entries] == [
        ("About this book", 1, ""),
        ("How to read this book", 2, ""),
        ("The local health economy", 1, "Overview"),
        ("Key messages", 2, "Overview"),
        ("Maternity & newborn", 1, "Clinical pathways"),
        ("Key messages", 2, "Clinical pathways"),
        ("Children", 1, "Clinical pathways"),
        ("Key messages", 2, "Clinical pathways"),
    ]
    soup = BeautifulSoup(page, "html.parser")
    article = soup.select_one("article.bd-article")
    first = [c for c in article.children if getattr(c, "name", None)][:2]
    assert first[0]["class"] == ["sb-cover"] and first[1]["class"] == ["sb-contents"]
    anchors = [e.anchor for e in entries]
    assert len(set(anchors)) == len(anchors)
    for i, entry in enumerate(entries):
        heading = soup.find(id=entry.anchor)
        assert heading.name in {"h1", "h2", "h3"}
        assert heading.select_one(".sb-page-marker").get_text() == f"SBPAGE{i:04d}"
    chapters = soup.select("section.sb-chapter")
    assert [s["id"] for s in chapters] == ["the-local-health-economy", "maternity", "children"]
    assert not soup.select('script[src^="https"]')  # nothing from the network
    assert soup.select_one('link[href="_static/print.css"]') is not None


@pytest.mark.unit
def test_prepare_refuses_a_page_without_a_body():
    with pytest.raises(pdf.PdfError, match="no <article> or <body>"):
        pdf.prepare("", TOC, "")


@pytest.mark.unit
def test_markers_give_each_heading_its_page():
    texts = [
        "cover",
        "Contents\nAbout 000",
        "About this book SBPAGE0000\nHow SBPAGE0001",
        "more",
        "Maternity SBPAGE0002",
    ]
    assert pdf.marker_pages(texts) == {0: 3, 1: 3, 2: 5}
    entries = [pdf.Entry("About", "a", 1), pdf.Entry("How", "b", 2), pdf.Entry("Maternity", "c", 1)]
    assert pdf.entry_pages(entries, texts) == {"a": 3, "b": 3, "c": 5}


@pytest.mark.unit
def test_a_heading_whose_page_cannot_be_found_is_named():
    entries = [pdf.Entry("About", "a", 1), pdf.Entry("Children", "b", 1)]
    with pytest.raises(pdf.PdfError, match="could not find the printed page of: Children"):
        pdf.entry_pages(entries, ["SBPAGE0000"])


@pytest.mark.unit
def test_footer_has_page_numbers_and_the_synthetic_label():
    footer = pdf.footer_template(params())
    assert '<span class="pageNumber"></span>' in footer and '<span class="totalPages"></span>' in footer
    assert "synthetic data" in footer
    assert "synthetic" not in pdf.footer_template(params(synthetic=False))


@pytest.mark.unit
def test_the_root_page_is_copied_beside_static(tmp_path):
    root = tmp_path / "book" / "chapters" / "introduction.html"
    root.parent.mkdir(parents=True)
    root.write_text("<html>the book</html>")
    (tmp_path / "index.html").write_text(
        '<meta http-equiv="Refresh" content="0; url=book/chapters/introduction.html" />'
    )
    index = pdf.root_page(tmp_path, TOC)
    assert index == tmp_path / "index.html" and index.read_text() == "<html>the book</html>"
    with pytest.raises(pdf.PdfError, match="no root page"):
        pdf.root_page(tmp_path, {"root": "book/missing"})


@pytest.mark.unit
def test_missing_executed_chapters_are_named_with_the_command_that_makes_them(tmp_path, monkeypatch):
    from analysis.config import load

    real = load("params/default.yml")
    monkeypatch.setattr(pdf.catalog, "load", lambda params_file: SimpleNamespace(params=real, content={}))
    monkeypatch.setattr(pdf, "edition_dirs", lambda edition: (tmp_path / "book", tmp_path / "html"))
    (tmp_path / "book" / "chapters").mkdir(parents=True)
    (tmp_path / "book" / "chapters" / "introduction.ipynb").write_text("{}")
    with pytest.raises(pdf.PdfError, match=r"lacks chapters/summary.ipynb, chapters/economy.ipynb, pathways/maternity.ipynb.*run `make book` first"):
        pdf.stage_published("params/default.yml", tmp_path / "staging")
    assert not (tmp_path / "staging").exists()


@pytest.mark.unit
def test_the_print_stylesheet_is_loaded_by_the_book_and_styles_what_pdf_py_emits():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert "print.css" in config["sphinx"]["config"]["html_css_files"]
    css = (ROOT / "_static" / "print.css").read_text(encoding="utf-8")
    for selector in (
        "section.sb-chapter", ".sb-cover", ".sb-contents", ".sb-page-marker", ".vega-bindings",
        ".bd-sidebar-primary", ".cell_input", ".sb-run-parameters", ".sb-print-only",
    ):
        assert selector in css, f"_static/print.css has no rule for {selector}"
    assert "display: block !important" in css  # the theme's flex layout is undone for print


@pytest.mark.unit
def test_the_command_line_has_a_pdf_subcommand(capsys):
    from analysis.__main__ import main

    with pytest.raises(SystemExit) as stop:
        main(["pdf", "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert "--params" in out and "--out" in out
    assert main(["pdf", "--params", "params/no-such-edition.yml"]) == 2
    assert "no-such-edition.yml" in capsys.readouterr().err
