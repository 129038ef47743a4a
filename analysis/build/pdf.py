"""The A4 PDF board pack: the executed chapters as one HTML page, printed by headless Chromium.

Nothing is executed. The edition's committed (or last built) chapters are rendered with Jupyter Book's
`singlehtml` builder; a cover and a contents list are put in front; Chromium (driven by Playwright,
with the network refused) waits until every chart is drawn, then prints A4 pages with page numbers in
the footer, vector charts and the print stylesheet (_static/print.css). The contents' page numbers
come from a first print: each chapter heading carries an invisible marker, pdftotext finds the page
of each marker, and the page is printed again with the numbers filled in.
"""

from __future__ import annotations

import html
import logging
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml
from bs4 import BeautifulSoup, Tag

from analysis import catalog
from analysis.build import provenance
from analysis.build.chapters import PUBLISHED_EDITION, chapters
from analysis.build.runner import BuildError, edition_dirs, stage_source
from analysis.config import relative
from analysis.paths import BUILD

log = logging.getLogger("analysis.build.pdf")

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
)
MARGIN = {"top": "14mm", "bottom": "16mm", "left": "15mm", "right": "15mm"}
VIEWPORT = {"width": 680, "height": 1000}  # A4's printable width (180 mm at 96 px/in): charts draw at print size
CHART_TIMEOUT_MS = 120_000
MARKER = "SBPAGE{:04d}"
MARKER_RE = re.compile(r"SBPAGE(\d{4})")
CONTENTS_PLACEHOLDER = "000"  # as wide as any page number, so the first print paginates like the second
MAX_PASSES = 3


class PdfError(BuildError):
    """The PDF could not be made; the message says which step failed and why."""


@dataclass(frozen=True)
class Entry:
    """A line of the contents list: a heading, its anchor, its depth (1 chapter, 2 section), its part."""

    title: str
    anchor: str
    level: int
    part: str = ""


def pdf_path(edition: str) -> Path:
    """Where an edition's PDF goes: _build/pdf/book.pdf for the default, _build/<edition>/pdf/book.pdf otherwise."""
    if edition == PUBLISHED_EDITION:
        return BUILD / "pdf" / "book.pdf"
    return BUILD / edition / "pdf" / "book.pdf"


def chromium() -> str:
    """The Chromium executable, or an error that says how to install it."""
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    raise PdfError("the PDF needs Chromium and none was found; install it with `apt-get install chromium`")


# ---------------------------------------------------------------------------------------------------
# Rendering the book as one HTML page


def stage_published(params_file: str, staging: Path) -> catalog.Catalog:
    """Stage an edition's executed chapters (nothing executed) with its config, toc and run information."""
    cat = catalog.load(params_file)
    chapter_list = chapters(cat.params, params_file, cat.content)
    book_dir, _ = edition_dirs(cat.params.edition.id)
    missing = [c.output for c in chapter_list if not (book_dir / c.output).exists()]
    if missing:
        build = "make book" if cat.params.edition.id == PUBLISHED_EDITION else f"make book PARAMS={params_file}"
        raise PdfError(
            f"the PDF prints executed chapters and {book_dir} lacks {', '.join(missing)}; run `{build}` first"
        )
    stage_source(staging, cat.params, chapter_list)
    for c in chapter_list:
        (staging / "book" / c.output).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(book_dir / c.output, staging / "book" / c.output)
    provenance.stage(staging, cat, params_file)
    return cat


def root_page(singlehtml: Path, toc: dict) -> Path:
    """Copy the singlehtml root page to index.html beside _static (its links are relative to that folder)."""
    page = singlehtml / f"{toc['root']}.html"
    if not page.exists():
        raise PdfError(f"the singlehtml build has no root page {page}")
    index = singlehtml / "index.html"
    shutil.copyfile(page, index)  # index.html is only a redirect to the root page
    return index


def singlehtml(staging: Path, log_dir: Path) -> Path:
    """Render the staged book as one HTML page (warnings are errors, as for the HTML book); return it."""
    out = staging / "_out"
    cmd = [
        str(Path(sys.executable).parent / "jupyter-book"), "build", str(staging), "--builder", "singlehtml",
        "--path-output", str(out), "--warningiserror", "--nitpick", "--keep-going",
    ]
    result = subprocess.run(cmd, capture_output=True, text=True)
    log_file = log_dir / "jupyter-book-singlehtml.log"
    log_file.write_text(result.stdout + result.stderr, encoding="utf-8")
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-25:])
        raise PdfError(f"Jupyter Book could not build the single-page HTML (full log: {log_file}):\n{tail}")
    toc = yaml.safe_load((staging / "_toc.yml").read_text(encoding="utf-8"))
    return root_page(out / "_build" / "singlehtml", toc)


# ---------------------------------------------------------------------------------------------------
# Cover and contents (pure: HTML in, HTML out)


def cover_html(params, stamp: dict) -> str:
    """The cover page: title, subtitle, author, a synthetic-data label when it applies, build date, provenance."""
    e = html.escape
    edition = params.edition
    label = (
        '<p class="sb-cover-synthetic">Synthetic data: the numbers in this pack describe no real patient, '
        "practice or organisation</p>"
        if edition.synthetic else ""
    )
    return (
        '<section class="sb-cover" aria-label="Cover">'
        '<div class="sb-cover-band"></div>'
        # Not an <h1>: the PDF's bookmarks start with the contents, not with the title split over two lines.
        f'<p class="sb-cover-title">{e(edition.title)}</p>'
        f'<p class="sb-cover-subtitle">{e(edition.subtitle)}</p>'
        f'<p class="sb-cover-author">{e(edition.author)}</p>'
        f"{label}"
        f'<p class="sb-cover-date">Built {e(_long_date(stamp["build_date"]))}</p>'
        '<p class="sb-cover-provenance">'
        f"Edition {e(stamp['edition'])} &middot; parameters {e(stamp['params_file'])} "
        f"(sha256 {e(stamp['params_sha256'][:12])}) &middot; code {e(stamp['code_version'])}"
        "</p></section>"
    )


def _long_date(iso: str) -> str:
    """'2008-04-01' as '1 April 2008'."""
    year, month, day = (int(x) for x in iso.split("-"))
    months = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")
    return f"{day} {months[month - 1]} {year}"


def contents_html(entries: list[Entry], pages: dict[str, int] | None = None, depth: int = 1) -> str:
    """The contents list with part captions and page numbers (placeholders until the pages are known)."""
    e = html.escape
    lines, part = [], None
    for entry in (x for x in entries if x.level <= depth):
        if entry.part != part and entry.part:
            lines.append(f'<li class="sb-contents-part">{e(entry.part)}</li>')
        part = entry.part or part
        page = str(pages[entry.anchor]) if pages and entry.anchor in pages else CONTENTS_PLACEHOLDER
        lines.append(
            f'<li class="sb-contents-level{entry.level}"><a href="#{e(entry.anchor)}">'
            f'<span class="sb-contents-title">{e(entry.title)}</span><span class="sb-contents-leader"></span>'
            f'<span class="sb-contents-page" data-anchor="{e(entry.anchor)}">{page}</span></a></li>'
        )
    return (
        '<nav class="sb-contents" aria-label="Contents"><h1 class="sb-contents-heading">Contents</h1>'
        f'<ol class="sb-contents-list">{"".join(lines)}</ol></nav>'
    )


def _heading_text(heading: Tag) -> str:
    """A heading's words without Sphinx's permalink sign."""
    clone = BeautifulSoup(str(heading), "html.parser")
    for link in clone.select("a.headerlink"):
        link.decompose()
    return " ".join(clone.get_text(" ").split())


def _parts(toc: dict) -> dict[str, str]:
    """Document -> part caption, from the staged toc."""
    return {
        ch["file"]: part.get("caption", "") for part in toc.get("parts", []) for ch in part.get("chapters", [])
    }


def prepare(page: str, toc: dict, cover: str) -> tuple[str, list[Entry]]:
    """Put the cover and contents before the article, anchor and mark each heading; return the page and contents."""
    soup = BeautifulSoup(page, "html.parser")
    article = soup.select_one("article.bd-article") or soup.body
    if article is None:
        raise PdfError("the single-page HTML has no <article> or <body> to print")
    parts = _parts(toc)
    root = article.find("section")
    entries: list[Entry] = []

    def add(heading: Tag | None, level: int, part: str = "") -> None:
        if heading is None:
            return
        anchor = f"sb-contents-{len(entries)}"
        heading["id"] = anchor  # section ids repeat across chapters in a single page; these are unique
        # The marker's box must belong to the heading: an absolutely positioned child of a far ancestor is
        # printed on the page where that ancestor starts, not where the heading is.
        heading["class"] = [*(heading.get("class") or []), "sb-marked"]
        title = _heading_text(heading)
        marker = soup.new_tag("span", attrs={"class": "sb-page-marker"})
        marker.string = MARKER.format(len(entries))
        heading.append(marker)
        entries.append(Entry(title, anchor, level, part))

    if root is not None:
        add(root.find(re.compile(r"^h[1-6]$")), 1)
        for section in root.find_all("section", recursive=False):
            add(section.find(re.compile(r"^h[1-6]$")), 2)
    for span in article.select('span[id^="document-"]'):
        section = span.find_next_sibling("section")
        if section is None:
            continue
        part = parts.get(span["id"].removeprefix("document-"), "")
        section["class"] = [*(section.get("class") or []), "sb-chapter"]  # print.css starts it on a new page
        add(section.find(re.compile(r"^h[1-6]$")), 1, part)
        for sub in section.find_all("section", recursive=False):
            add(sub.find(re.compile(r"^h[1-6]$")), 2, part)
    keep_headings_with_what_follows(soup, article)
    for tag in soup.select('script[src^="http"], script[src^="//"], link[href^="http"], link[href^="//"]'):
        tag.decompose()  # e.g. MathJax from a CDN, which Jupyter Book's singlehtml always links: offline, never
    front = BeautifulSoup(cover + contents_html(entries), "html.parser")
    article.insert(0, front)
    return str(soup), entries


def keep_headings_with_what_follows(soup: BeautifulSoup, article: Tag) -> int:
    """Wrap each section heading with the block after it, so print.css can keep them on one page.

    `break-after: avoid` on a heading alone does not stop Chromium from ending a page with it when the
    next block (a chart that may not be split) moves to the next page; a wrapper that may not be split
    does. Before a gallery of several charts the heading joins the first chart only. A heading followed
    directly by a subsection, or by a table (which may run on to the next page, its first rows beside
    the heading), is left alone. Returns the number of headings kept with what follows.
    """
    wrapped = 0
    for heading in article.find_all(re.compile(r"^h[2-4]$")):
        following = heading.find_next_sibling()
        if following is None or following.name == "section" or following.find(re.compile(r"^h[1-6]$")):
            continue
        if following.find("table") is not None and following.find(class_="sb-chart") is None:
            continue  # a table may run on to the next page; kept whole with its heading it would leave a gap
        items = following.select(".sb-gallery-item")
        if len(items) > 1:  # several charts: the heading goes with the first, and the others flow on
            items[0].insert(0, heading.extract())
            wrapped += 1
            continue
        keep = soup.new_tag("div", attrs={"class": "sb-keep"})
        heading.insert_before(keep)
        keep.append(heading.extract())
        keep.append(following.extract())
        wrapped += 1
    return wrapped


def marker_pages(page_texts: list[str]) -> dict[int, int]:
    """Marker number -> 1-based page where it is printed (the first occurrence)."""
    found: dict[int, int] = {}
    for number, text in enumerate(page_texts, start=1):
        for match in MARKER_RE.finditer(text):
            found.setdefault(int(match.group(1)), number)
    return found


def entry_pages(entries: list[Entry], page_texts: list[str]) -> dict[str, int]:
    """Anchor -> page for every contents entry, from the markers in a printed copy."""
    found = marker_pages(page_texts)
    missing = [e.title for i, e in enumerate(entries) if i not in found]
    if missing:
        raise PdfError(f"could not find the printed page of: {', '.join(missing[:5])}")
    return {e.anchor: found[i] for i, e in enumerate(entries)}


def pdf_page_texts(pdf: Path) -> list[str]:
    """The text of each page of a PDF (poppler's pdftotext)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        raise PdfError("the contents' page numbers need pdftotext; install it with `apt-get install poppler-utils`")
    result = subprocess.run([tool, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise PdfError(f"pdftotext could not read {pdf}: {result.stderr.strip()}")
    texts = result.stdout.split("\f")
    return texts[:-1] if texts and not texts[-1].strip() else texts


# ---------------------------------------------------------------------------------------------------
# Checking the printed pages: blank pages, pages left mostly empty, headings left alone at a page's foot

EMPTY_SHARE = 0.4  # a page whose content ends above 60% of its height is "mostly empty"
FOOTER_RE = re.compile(r"Page \d+ of \d+")


def page_fill(pdf: Path, dpi: int = 24) -> list[float]:
    """For each page, how far down its printable area the content reaches (0 blank, 1 full), footer excluded.

    Renders the pages small with poppler's pdftoppm and finds the lowest row that is not white.
    """
    from PIL import Image

    tool = shutil.which("pdftoppm")
    if tool is None:
        raise PdfError("checking the printed pages needs pdftoppm; install it with `apt-get install poppler-utils`")
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([tool, "-r", str(dpi), "-gray", str(pdf), f"{folder}/p"], check=True, capture_output=True)
        fills = []
        for image in sorted(Path(folder).glob("p-*.pgm"), key=lambda p: int(p.stem.split("-")[-1])):
            grey = Image.open(image)
            width, height = grey.size
            mm = height / 297.0
            top, bottom = int(14 * mm), int(height - 16 * mm)  # the margins; the footer sits in the bottom one
            rows = [y for y in range(top, bottom) if min(grey.crop((0, y, width, y + 1)).getdata()) < 200]
            fills.append(0.0 if not rows else (rows[-1] - top + 1) / (bottom - top))
        return fills


def _body_lines(text: str, footer_label: str) -> list[str]:
    """A page's lines of text without the footer (its label and 'Page x of y'), spaces collapsed."""
    lines = [" ".join(line.split()) for line in FOOTER_RE.sub("", text).splitlines()]
    label = " ".join(footer_label.split())
    return [line for line in lines if line and not (label and line.startswith(label))]


def blank_pages(page_texts: list[str], fills: list[float], footer_label: str = "") -> list[int]:
    """1-based numbers of pages with nothing on them but the footer."""
    return [
        n
        for n, (text, fill) in enumerate(zip(page_texts, fills, strict=True), start=1)
        if not _body_lines(text, footer_label) or fill == 0.0
    ]


def mostly_empty_pages(fills: list[float], share: float = EMPTY_SHARE, skip: int = 2) -> list[int]:
    """1-based numbers of pages (after the cover and contents) whose content ends above 1 - `share` of the page.

    The last page of each chapter may end early; callers decide how many such pages are acceptable.
    """
    return [n for n, fill in enumerate(fills, start=1) if n > skip and fill < 1 - share]


def orphaned_headings(page_texts: list[str], headings: list[str], footer_label: str = "") -> list[tuple[int, str]]:
    """(page, heading) for each page whose last line of text, above the footer, is a heading."""
    names = {" ".join(h.split()) for h in headings if h.strip()}
    out = []
    for number, text in enumerate(page_texts, start=1):
        lines = _body_lines(text, footer_label)
        if not lines:
            continue
        last_two = " ".join(lines[-2:])
        hit = next((h for h in names if lines[-1] == h or last_two == h), None)
        if hit:
            out.append((number, hit))
    return out


def footer_template(params) -> str:
    """Chromium's footer on every page: the edition (and 'synthetic data') on the left, page x of y on the right."""
    e = html.escape
    label = " &middot; synthetic data" if params.edition.synthetic else ""
    return (
        '<div style="width:100%;margin:0 15mm;font-family:Arial,Helvetica,sans-serif;font-size:7.5pt;'
        'color:#425563;display:flex;justify-content:space-between;-webkit-print-color-adjust:exact;">'
        f"<span>{e(params.edition.title)}{label}</span>"
        '<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>'
    )


# ---------------------------------------------------------------------------------------------------
# Printing


# The viewport is the printable width, so in print media a table wider than the article is wider than
# the paper: CSS cannot shrink a table below its narrowest layout, so zoom it (vectors stay sharp).
FIT_WIDE_JS = """() => {
    const article = document.querySelector('article.bd-article') || document.body;
    const limit = article.clientWidth || document.documentElement.clientWidth;
    const scaled = [];
    for (const el of article.querySelectorAll('table, pre')) {
        const width = el.scrollWidth;
        if (width > limit + 1) {
            el.style.zoom = (limit / width).toFixed(3);
            const caption = el.querySelector('caption');
            scaled.push((caption ? caption.textContent : el.tagName).trim().slice(0, 60) + ' x' + el.style.zoom);
        }
    }
    return scaled;
}"""


FILL_PAGES_JS = """(pages) => {
    for (const el of document.querySelectorAll('.sb-contents-page')) {
        const p = pages[el.dataset.anchor];
        if (p !== undefined) el.textContent = String(p);
    }
}"""


def print_page(index: Path, out_pdf: Path, params, entries: list[Entry], work: Path) -> tuple[int, list[str]]:
    """Print the prepared page to an A4 PDF with page numbers; return the number of print passes and refused URLs."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    refused: list[str] = []

    def guard(route) -> None:
        if route.request.url.startswith(("file://", "data:", "blob:")):
            route.continue_()
        else:  # the pack must print offline: nothing may come from the network
            refused.append(route.request.url)
            route.abort()

    options = {
        "format": "A4", "margin": MARGIN, "print_background": True, "display_header_footer": True,
        "header_template": "<span></span>", "footer_template": footer_template(params),
        "outline": True, "tagged": True,
    }
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium(), args=list(CHROMIUM_FLAGS), headless=True)
            try:
                page = browser.new_page(viewport=VIEWPORT)
                page.route("**/*", guard)
                page.goto(index.as_uri(), wait_until="load")
                _wait_for_charts(page)
                page.emulate_media(media="print")
                scaled = page.evaluate(FIT_WIDE_JS)
                if scaled:
                    log.info(
                        "scaled %d table(s) or listing(s) down to the page width: %s",
                        len(scaled),
                        "; ".join(scaled[:5]),
                    )
                passes, pages, draft = 0, None, work / "draft.pdf"
                while passes < MAX_PASSES:  # print, read each heading's page, fill the contents, until stable
                    passes += 1
                    page.pdf(path=str(draft), **options)
                    found = entry_pages(entries, pdf_page_texts(draft))
                    if found == pages:
                        break
                    pages = found
                    page.evaluate(FILL_PAGES_JS, pages)
                else:
                    log.warning("the contents' page numbers still moved after %d prints; check them", MAX_PASSES)
                page.evaluate("() => document.querySelectorAll('.sb-page-marker').forEach(m => m.remove())")
                page.pdf(path=str(out_pdf), **options)
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise PdfError(f"Chromium could not print the book: {exc}") from exc
    return passes, refused


def _wait_for_charts(page) -> None:
    """Wait until every chart has drawn its SVG or given up with a message; name the charts that are empty."""
    settled = (
        "Array.from(document.querySelectorAll('.sb-chart')).every(e => e.querySelector('svg') || e.textContent.trim())"
    )
    empty = (
        "() => Array.from(document.querySelectorAll('.sb-chart')).filter(e => !e.querySelector('svg'))"
        ".map(e => (e.getAttribute('aria-label') || e.id).slice(0, 80) + ': ' + (e.textContent.trim() || 'not "
        "drawn').slice(0, 160))"
    )
    try:
        page.wait_for_function(settled, timeout=CHART_TIMEOUT_MS)
    except Exception:  # noqa: BLE001 - a timeout is reported below with the charts that did not draw
        pass
    failed = page.evaluate(empty)
    if failed:
        raise PdfError(f"{len(failed)} chart(s) would print empty:\n  " + "\n  ".join(failed[:10]))
    page.evaluate("() => document.fonts.ready")


def report_layout(pdf: Path, params) -> None:
    """Log the printed pages' layout: page count, blank pages and pages more than 40% empty."""
    if shutil.which("pdftoppm") is None:
        return
    fills = page_fill(pdf)
    label = params.edition.title + (" · synthetic data" if params.edition.synthetic else "")
    blank = blank_pages(pdf_page_texts(pdf), fills, label)
    empty = mostly_empty_pages(fills)
    log.info(
        "%d pages; %d blank %s; %d more than %.0f%% empty %s",
        len(fills),
        len(blank),
        blank,
        len(empty),
        100 * EMPTY_SHARE,
        empty,
    )


def build_pdf(params_file: str, out_pdf: str | Path | None = None) -> Path:
    """Print an edition's executed chapters as an A4 PDF board pack; return the PDF's path."""
    params_file = relative(params_file)
    cat = catalog.load(params_file)
    edition = cat.params.edition.id
    target = Path(out_pdf) if out_pdf else pdf_path(edition)
    log_dir = BUILD / "logs" / edition
    log_dir.mkdir(parents=True, exist_ok=True)
    (BUILD / ".staging").mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"pdf-{edition}-", dir=BUILD / ".staging"))
    try:
        staging = work / "source"
        stage_published(params_file, staging)
        index = singlehtml(staging, log_dir)
        stamp = provenance.stamp(cat, params_file)
        toc = yaml.safe_load((staging / "_toc.yml").read_text(encoding="utf-8"))
        prepared, entries = prepare(index.read_text(encoding="utf-8"), toc, cover_html(cat.params, stamp))
        index.write_text(prepared, encoding="utf-8")
        draft = work / "book.pdf"
        passes, refused = print_page(index, draft, cat.params, entries, work)
        if refused:
            log.warning("the page asked for %d network resource(s), refused: %s", len(refused), ", ".join(refused[:5]))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(draft), str(target))
        log.info("printed %s in %d pass(es)", target, passes)
        report_layout(target, cat.params)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target
