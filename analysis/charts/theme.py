"""The book's one chart style: NHS identity colours, plain axes, a message title, a source and alt text.

Every chart builder in `analysis.charts` ends with `finish(...)`, so no chart can reach the book
without a title that states its message, a source line and a one-sentence text alternative.
"""

from __future__ import annotations

import textwrap

import altair as alt

# NHS identity colours (https://www.england.nhs.uk/nhsidentity/identity-guidelines/colours/).
NHS = {
    "blue": "#005EB8",
    "dark_blue": "#003087",
    "bright_blue": "#0072CE",
    "light_blue": "#41B6E6",
    "aqua_blue": "#00A9CE",
    "black": "#231F20",
    "dark_grey": "#425563",
    "mid_grey": "#768692",
    "pale_grey": "#E8EDEE",
    "white": "#FFFFFF",
    "dark_green": "#006747",
    "green": "#009639",
    "aqua_green": "#00A499",
    "purple": "#330072",
    "dark_pink": "#7C2855",
    "pink": "#AE2573",
    "dark_red": "#8A1538",
    "red": "#DA291C",
    "orange": "#ED8B00",
    "warm_yellow": "#FFB81C",
}

# NHS orange (2.5:1 on white) and warm yellow (1.7:1) fall short of the 3:1 that WCAG 1.4.11 asks of
# graphics that carry meaning, so the book draws them darkened, keeping their hue: 4.0:1 and 3.8:1.
ORANGE = "#CC5F00"
AMBER = "#A67C00"
MIN_CONTRAST = 3.0  # WCAG 1.4.11, non-text contrast against the white background

# Categorical order chosen for colour-blind separation (blue/orange first, then dark and light
# contrasts); every one reaches 3:1 on white (tests/unit/charts/test_theme_contrast.py checks it).
CATEGORICAL = [
    NHS["blue"],
    ORANGE,
    NHS["dark_grey"],
    NHS["aqua_green"],
    NHS["pink"],
    NHS["dark_blue"],
    AMBER,
    NHS["purple"],
]

# Meanings used across the book, so a colour means one thing everywhere.
MEANING = {
    "improvement": NHS["blue"],
    "concern": ORANGE,
    "neutral": NHS["purple"],
    "common_cause": NHS["mid_grey"],
    "target": NHS["red"],
    "limit": NHS["dark_grey"],
    "local": NHS["blue"],
    "peer": NHS["mid_grey"],
    "england": NHS["black"],
    "do_nothing": ORANGE,
    "plan": NHS["blue"],
    "red": NHS["red"],
    "amber": AMBER,
    "green": NHS["green"],
    "grey": NHS["mid_grey"],
    "synthetic": NHS["mid_grey"],
}

FONT = "Arial, Helvetica, sans-serif"
INTERACTION = "sb_interaction"  # usermeta key: what a reader can do with the chart on screen
TITLE_CHARACTERS = 70  # Vega-Lite never wraps a title; longer titles are split into lines here
SUBTITLE_CHARACTERS = 105  # about 600 pixels of 12-pixel text: the width of the book's reading column
WIDTH = 620
HEIGHT = 280


def theme() -> dict:
    """The Vega-Lite config of the book's charts."""
    text = NHS["black"]
    return {
        "config": {
            "font": FONT,
            "background": "white",
            "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": HEIGHT},
            "title": {
                "anchor": "start",
                "fontSize": 15,
                "fontWeight": "bold",
                "color": text,
                "subtitleFontSize": 12,
                "subtitleColor": NHS["dark_grey"],
                "offset": 10,
            },
            "axis": {
                "labelColor": text,
                "titleColor": text,
                "labelFontSize": 11,
                "titleFontSize": 12,
                "titleFontWeight": "normal",
                "domainColor": NHS["dark_grey"],
                "tickColor": NHS["dark_grey"],
                "gridColor": NHS["pale_grey"],
            },
            "axisX": {"grid": False},
            "axisY": {"grid": True, "domain": False, "ticks": False},
            # Vega cuts legend labels at 160 pixels by default ("Between 95% and 99.8% li..."); a legend
            # below the chart has the chart's whole width.
            "legend": {
                "labelColor": text,
                "titleColor": text,
                "labelFontSize": 11,
                "titleFontSize": 12,
                "orient": "bottom",
                "labelLimit": WIDTH // 2,
                "titleLimit": WIDTH,
            },
            "range": {"category": CATEGORICAL},
            "line": {"strokeWidth": 2},
            "point": {"size": 40, "filled": True},
            "bar": {"color": NHS["blue"]},
        }
    }


def contrast_ratio(colour: str, background: str = "#FFFFFF") -> float:
    """WCAG 2 contrast ratio of two hex colours: (L1 + 0.05) / (L2 + 0.05), lighter over darker."""

    def luminance(hex_colour: str) -> float:
        h = hex_colour.lstrip("#")
        if len(h) != 6:
            raise ValueError(f"contrast_ratio: expected a colour written #RRGGBB, found {hex_colour!r}")
        channels = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    a, b = luminance(colour), luminance(background)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def source_line(source: str, synthetic: bool = False) -> str:
    """The source line under a chart; synthetic data says so on every chart that shows it."""
    line = f"Source: {source}"
    if synthetic:
        line += " (synthetic data, not real patients)"
    return line


def finish(
    chart: alt.TopLevelMixin,
    *,
    title: str,
    source: str,
    description: str,
    subtitle: str | None = None,
    synthetic: bool = False,
    interaction: str | None = None,
) -> alt.TopLevelMixin:
    """Give a chart its message title, subtitle, source line and screen-reader description.

    `interaction` is what a reader can do on screen ("Move the slider to ..."): it is kept out of the
    chart itself (paper has no slider) and travels in the spec's usermeta, from which the renderer
    writes a note that only the web page shows (analysis.charts.render).
    """
    if not title or not source or not description:
        raise ValueError("every chart needs a title, a source and a one-sentence description")
    if interaction:
        chart = chart.properties(usermeta={INTERACTION: interaction})
    lines = textwrap.wrap(subtitle, SUBTITLE_CHARACTERS) if subtitle else []
    lines += textwrap.wrap(source_line(source, synthetic), SUBTITLE_CHARACTERS)
    heading = textwrap.wrap(title, TITLE_CHARACTERS)
    return chart.properties(
        title=alt.TitleParams(text=heading if len(heading) > 1 else title, subtitle=lines),
        description=description,
    )


def title_text(spec: dict) -> str:
    """A chart's title as one string, however many lines it was wrapped into."""
    text = spec.get("title", {}).get("text", "") if isinstance(spec.get("title"), dict) else spec.get("title", "")
    return " ".join(text) if isinstance(text, list) else str(text)


def register() -> None:
    """Register and enable the theme (idempotent)."""
    alt.theme.register("strategy_book", enable=True)(theme)
