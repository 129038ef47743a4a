"""The built book in headless Chromium with the network cut off: charts draw, tooltips and sliders work.

Runs when Debian's Chromium is installed (CI installs it); otherwise skipped with the reason.
The pages are rendered from the committed chapters (nothing is executed), so this tests what is published.
"""

import shutil
from pathlib import Path

import pytest

from analysis.build.runner import render_published

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "_build" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def html(tmp_path_factory) -> Path:
    return render_published("params/default.yml", tmp_path_factory.mktemp("book"))


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=FLAGS, headless=True, viewport={"width": 1280, "height": 1600}
        )
        yield context
        context.close()


def open_offline(browser, page_file: Path):
    """Open a built page with every request that is not a local file refused."""
    page = browser.new_page()
    refused = []

    def guard(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.goto(page_file.as_uri())
    page.wait_for_function(
        "document.querySelectorAll('.sb-chart svg').length === document.querySelectorAll('.sb-chart').length",
        timeout=30000,
    )
    return page, refused


def drawn_marks(page) -> list[int]:
    return page.eval_on_selector_all(
        ".sb-chart", "els => els.map(e => e.querySelectorAll('svg path, svg line, svg rect, svg text').length)"
    )


@pytest.mark.parametrize("page_name", ["chapters/economy", "pathways/urgent_care"])
def test_charts_draw_offline_and_show_tooltips(html, browser, page_name):
    page, _ = open_offline(browser, html / "book" / f"{page_name}.html")
    marks = drawn_marks(page)
    assert marks and all(n > 10 for n in marks), f"some charts on {page_name} drew nothing: {marks}"
    assert page.locator(".sb-chart:has-text('could not be drawn')").count() == 0
    # Hover over a data mark of the first chart and expect Vega's tooltip.
    mark = page.locator(".sb-chart").first.locator("g.mark-symbol path, g.mark-rect path, g.mark-tick path").first
    mark.scroll_into_view_if_needed()
    box = mark.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#vg-tooltip-element.visible", timeout=5000)
    assert page.locator("#vg-tooltip-element").inner_text().strip()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{page_name.replace('/', '-')}.png"), full_page=True)
    page.close()


def test_a_slider_moves_a_chart(html, browser):
    page, _ = open_offline(browser, html / "book" / "chapters" / "economy.html")
    chart = page.locator(".sb-chart", has=page.locator("input[type=range]")).first
    slider = chart.locator("input[type=range]").first
    before = chart.locator("svg").first.inner_html()
    low = slider.get_attribute("min")
    slider.fill(low)
    page.wait_for_timeout(500)
    assert chart.locator("svg").first.inner_html() != before
    page.close()
