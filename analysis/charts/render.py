"""The book's Altair renderer: offline, deterministic HTML, a compressed PNG fallback, stable text.

Altair's default renderer loads Vega from a CDN (an offline page shows nothing) and its `inline`
template repeats ~900 KB per chart. Instead every chart becomes a div whose id is a hash of its spec,
a small script that calls the `vegaEmbed` loaded once from `_static/vega-bundle.js`, and plain text
for nbval and screen readers.

No PNG by default (docs/reproducible-outputs.md): the HTML book shows the HTML, the PDF prints that
HTML with Chromium, and a rasterised chart depends on the machine's fonts, so committed notebooks hold
none. Set STRATEGY_BOOK_PNG=1 to add one where a tool without JavaScript needs it (say nbconvert to
LaTeX); the build removes it from the chapters it writes.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import vl_convert as vlc
from PIL import Image

from analysis.charts.theme import INTERACTION
from analysis.charts.theme import register as register_theme

VEGA_LITE_VERSION = "6.4"  # matches altair 6.3's schema (v6.4.1); vl-convert bundles this version
RENDERER = "strategy_book"
# "1" adds a PNG to every chart's output (~0.3 s a chart); off by default, never in the built chapters.
PNG_ENV = "STRATEGY_BOOK_PNG"


def spec_of(chart: alt.TopLevelMixin | dict) -> dict:
    """The Vega-Lite spec of a chart, as a plain dict."""
    return chart if isinstance(chart, dict) else chart.to_dict()


def chart_id(spec: dict) -> str:
    """A deterministic element id: the same spec always gets the same id (so nbval passes)."""
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:12]
    return f"sb-chart-{digest}"


def _title_text(spec: dict) -> str:
    title = spec.get("title", "")
    if isinstance(title, dict):
        title = title.get("text", "")
    return " ".join(title) if isinstance(title, list) else str(title)


def png(spec: dict, scale: float = 2.0) -> bytes:
    """A PNG of the chart, re-saved as a palette image (vl-convert's PNGs are barely compressed)."""
    raw = vlc.vegalite_to_png(spec, scale=scale, vl_version=VEGA_LITE_VERSION)
    image = Image.open(io.BytesIO(raw)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def script_json(value: object) -> str:
    r"""JSON to write inside a <script> element: <, > and & as \u escapes.

    So no text in the data (a name holding "</script>" or "<!--") can end the script or change how the
    browser reads it.
    """
    text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def html_fragment(spec: dict, anchor: str | None = None) -> str:
    """The HTML of one chart: a figure div, the embed call, nothing loaded from the network."""
    element = anchor or chart_id(spec)
    label = html.escape(spec.get("description") or _title_text(spec), quote=True)
    payload = script_json(spec)
    # document.currentScript finds this chart's own div even if a chart appears twice on a page.
    # tabindex: the div scrolls sideways when the chart is wider than the page, and a keyboard user
    # can reach (and scroll) it only if it can take focus (WCAG 2.1.1).
    return (
        f'<div id="{element}" class="sb-chart" role="figure" aria-label="{label}" tabindex="0"></div>'
        "<script>(function(){var el=document.currentScript.previousElementSibling;"
        f"var spec={payload};"
        "function draw(){window.vegaEmbed(el,spec,{actions:false,renderer:'svg'})"
        ".catch(function(e){el.textContent='This chart could not be drawn: '+e;});}"
        "if(window.vegaEmbed){draw();}else{window.addEventListener('load',draw);}})();</script>"
        + interaction_note(spec)
    )


def interaction_note(spec: dict) -> str:
    """What a reader can do with the chart on screen, and its print wording: each shown only where it is true."""
    how = (spec.get("usermeta") or {}).get(INTERACTION)
    if not how:
        return ""
    return (
        f'<p class="sb-interaction">{html.escape(how)}</p>'
        '<p class="sb-print-only sb-print-note">Printed at the assumptions stated in the text; the web version of '
        "this book lets a reader change them and read each value.</p>"
    )


def plain_text(spec: dict) -> str:
    """Stable plain text for a chart: its title and its one-sentence description."""
    description = spec.get("description", "")
    return f"Chart: {_title_text(spec)}. {description}".strip()


def mimebundle(spec: dict, anchor: str | None = None) -> dict:
    """Everything a notebook output needs for one chart."""
    bundle = {"text/html": html_fragment(spec, anchor), "text/plain": plain_text(spec)}
    if os.environ.get(PNG_ENV, "0") == "1":
        bundle["image/png"] = base64.b64encode(png(spec)).decode()
    return bundle


def _renderer(spec: dict, **_metadata) -> dict:
    return mimebundle(spec)


@dataclass
class Gallery:
    """Several charts shown as one output, each with its own anchor (one call in a notebook)."""

    charts: list[tuple[str, alt.TopLevelMixin]]

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        parts = [mimebundle(spec_of(chart), anchor) for anchor, chart in self.charts]
        bundle = {
            "text/html": "".join(f'<div class="sb-gallery-item">{p["text/html"]}</div>' for p in parts),
            "text/plain": "\n".join(p["text/plain"] for p in parts),
        }
        # A gallery has no single PNG; a builder without JavaScript shows the text of each chart.
        return bundle


def gallery(charts: Iterable[tuple[str, alt.TopLevelMixin]]) -> Gallery:
    """Wrap (anchor, chart) pairs for display as one output."""
    return Gallery(list(charts))


def enable() -> None:
    """Register the theme and this renderer with Altair (idempotent); call once per notebook."""
    register_theme()
    alt.renderers.register(RENDERER, _renderer)
    alt.renderers.enable(RENDERER)


def write_bundle(static_dir: Path) -> Path:
    """Write the Vega, Vega-Lite and vega-embed runtime once into the book's _static folder."""
    target = static_dir / "vega-bundle.js"
    code = vlc.javascript_bundle(vl_version=VEGA_LITE_VERSION)
    # Wrapped in a function so the bundle's top-level names cannot clash with Sphinx's scripts.
    text = (
        f"/* Vega, Vega-Lite and vega-embed, bundled by vl-convert {vlc.__version__} "
        f"*/\n(function(){{\n{code}\n}})();\n"
    )
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        static_dir.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
    return target
