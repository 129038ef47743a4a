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
        top = " ".join(pages[page - 1].split())[:300]
        assert title in top, f"the contents say '{title}' starts on page {page}, which begins: {top[:120]}"


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
