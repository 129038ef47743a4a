"""The PDF board pack end to end: headless Chromium prints the committed chapters to A4 with a cover and contents.

Skipped, with the reason, without Chromium or poppler-utils, or before `make book` has executed the chapters.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from analysis.build.chapters import chapters
from analysis.config import load
from analysis.paths import BOOK

PARAMS = "params/default.yml"
MIN_PAGES = 20  # cover, contents, ten chapters that each run over several pages, appendices
A4_POINTS = (595.3, 841.9)


def _missing_chapters() -> list[str]:
    params = load(PARAMS)
    return [c.output for c in chapters(params, PARAMS, {}) if not (BOOK / c.output).exists()]


pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed (apt-get install chromium)"),
    pytest.mark.skipif(
        shutil.which("pdfinfo") is None, reason="poppler-utils is not installed (apt-get install poppler-utils)"
    ),
    pytest.mark.skipif(
        bool(_missing_chapters()), reason="the executed chapters are not in book/ yet (run `make book`)"
    ),
]


def run(*cmd: str) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def book_pdf(tmp_path_factory) -> Path:
    from analysis.build.pdf import build_pdf

    return build_pdf(PARAMS, tmp_path_factory.mktemp("pdf") / "book.pdf")


@pytest.fixture(scope="module")
def pages(book_pdf) -> list[str]:
    texts = run("pdftotext", "-layout", str(book_pdf), "-").split("\f")
    return texts[:-1] if not texts[-1].strip() else texts


def test_every_page_is_a4_and_there_are_many(book_pdf):
    info = run("pdfinfo", "-f", "1", "-l", "9999", str(book_pdf))
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert count > MIN_PAGES
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    assert len(sizes) == count
    for width, height in sizes:
        assert abs(float(width) - A4_POINTS[0]) < 2 and abs(float(height) - A4_POINTS[1]) < 2


def test_the_cover_names_the_edition_and_says_synthetic(pages):
    cover = " ".join(pages[0].split())
    params = load(PARAMS)
    assert params.edition.title in cover
    assert "Synthetic data" in cover
    assert re.search(r"Built \d{1,2} [A-Z][a-z]+ \d{4}", cover)


def test_the_contents_page_numbers_point_at_the_chapters(pages):
    contents = pages[1]
    assert contents.lstrip().startswith("Contents")
    lines = re.findall(r"^\s*(\S.*?\S)\s{2,}(\d+)\s*$", contents, re.M)
    assert len(lines) >= 10
    for title, number in lines:
        page = int(number)
        assert 2 < page <= len(pages)
        # Chapters follow on (print.css), so a chapter's title is on its page but not always at the top.
        text = " ".join(pages[page - 1].split())
        assert title in text, f"the contents say '{title}' starts on page {page}, which begins: {text[:120]}"


def test_every_page_has_a_number_and_no_marker_is_left(pages):
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "SBPAGE" not in text


def test_charts_are_vectors_and_no_code_or_slider_is_printed(book_pdf, pages):
    images = run("pdfimages", "-list", str(book_pdf)).strip().splitlines()[2:]
    assert images == [], "charts should print as vectors, but the PDF holds raster images"
    text = "\n".join(pages)
    assert "from analysis.report import" not in text
    assert "book = common.load" not in text
    assert "This chart could not be drawn" not in text


# --- the printed layout: no blank pages, headings with what follows, few half-empty pages, print wording ---

MAX_MOSTLY_EMPTY = 8  # "a handful" (6 of 94 measured, the last page among them): charts may not be split


def footer_label() -> str:
    params = load(PARAMS)
    return params.edition.title + (" · synthetic data" if params.edition.synthetic else "")


def book_headings() -> list[str]:
    """Every heading the printed chapters have: markdown headings of the executed notebooks and the appendix pages."""
    import json

    found = []
    for path in [*BOOK.glob("*/*.ipynb"), *BOOK.glob("appendix/*.md")]:
        if path.parent.name == "templates":
            continue
        if path.suffix == ".ipynb":
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        else:
            text = path.read_text(encoding="utf-8")
        found += [m.strip() for m in re.findall(r"^#{1,4} +(.+)$", text, re.M) if "{{" not in m]
    return found


@pytest.fixture(scope="module")
def fills(book_pdf) -> list[float]:
    from analysis.build.pdf import page_fill

    return page_fill(book_pdf)


def test_no_page_is_blank(pages, fills):
    from analysis.build.pdf import blank_pages

    assert blank_pages(pages, fills, footer_label()) == []


def test_no_heading_is_left_alone_at_the_foot_of_a_page(pages):
    from analysis.build.pdf import orphaned_headings

    headings = book_headings()
    assert len(headings) > 30
    assert orphaned_headings(pages, headings, footer_label()) == []


def test_at_most_a_handful_of_pages_are_mostly_empty(fills):
    from analysis.build.pdf import mostly_empty_pages

    empty = mostly_empty_pages(fills)
    assert len(empty) <= MAX_MOSTLY_EMPTY, f"{len(empty)} of {len(fills)} pages are more than 40% empty: {empty}"


def test_print_never_asks_the_reader_to_move_hover_or_click(pages):
    text = " ".join(" ".join(pages).split())
    found = re.findall(r"[^.]*\b(?:move the sliders?|hover|click)\b[^.]*", text, re.I)
    assert not found, found[:5]
