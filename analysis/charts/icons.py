"""Making Data Count variation and assurance icons, drawn as small inline SVG in NHS colours.

Our own drawing in the familiar style: a ring in the colour of the meaning (blue improvement, orange
concern, purple neutral, grey common cause), a run of dots that ends high or low, and a letter
(H or L for variation; P, F or ? for assurance). Each icon is an accessible image (role="img" with
an aria-label and a title), and the strings are deterministic so notebook outputs never change.
"""

from __future__ import annotations

from analysis.charts.theme import MEANING, NHS

VARIATION_LABELS = {
    "common_cause": "Common cause variation: no significant change",
    "improvement_high": "Special cause of improvement, high values",
    "improvement_low": "Special cause of improvement, low values",
    "concern_high": "Special cause of concern, high values",
    "concern_low": "Special cause of concern, low values",
    "neutral_high": "Special cause, neither improvement nor concern, high values",
    "neutral_low": "Special cause, neither improvement nor concern, low values",
}
ASSURANCE_LABELS = {
    "consistent_pass": "Assurance: the process will consistently pass the target",
    "consistent_fail": "Assurance: the process will consistently fail the target",
    "inconsistent": "Assurance: hit and miss, the target lies within the process limits",
}

# Dot heights (0 top, 100 bottom) of the little run drawn inside the ring.
_FLAT = (58, 50, 60, 52, 58, 50, 56)
_HIGH = (62, 56, 60, 54, 44, 36, 28)
_LOW = (40, 46, 42, 48, 58, 66, 74)


def _colour(name: str) -> str:
    """The meaning colour of an icon name."""
    for meaning in ("improvement", "concern", "neutral"):
        if name.startswith(meaning):
            return MEANING[meaning]
    return MEANING["common_cause"]


def _svg(label: str, size: int, body: str) -> str:
    """The outer SVG element, accessible and sized."""
    if size <= 0:
        raise ValueError(f"icon size must be a positive number of pixels, found {size!r}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 100 100" '
        f'role="img" aria-label="{label}"><title>{label}</title>{body}</svg>'
    )


def _ring(colour: str) -> str:
    """The white disc with a coloured ring."""
    return f'<circle cx="50" cy="50" r="44" fill="{NHS["white"]}" stroke="{colour}" stroke-width="7"/>'


def _dots(heights: tuple[int, ...], colour: str, highlight_from: int) -> str:
    """A run of dots joined by a thin line; dots from `highlight_from` onwards in the icon colour."""
    xs = [24 + 8.5 * i for i in range(len(heights))]
    points = " ".join(f"{x:g},{y}" for x, y in zip(xs, heights, strict=True))
    grey = MEANING["common_cause"]
    line = f'<polyline points="{points}" fill="none" stroke="{grey}" stroke-width="2"/>'
    circles = "".join(
        f'<circle cx="{x:g}" cy="{y}" r="4" fill="{colour if i >= highlight_from else grey}"/>'
        for i, (x, y) in enumerate(zip(xs, heights, strict=True))
    )
    return line + circles


def _letter(text: str, colour: str, y: int, size: int = 26, x: int = 50) -> str:
    """A bold letter centred at (x, y)."""
    return (
        f'<text x="{x}" y="{y}" text-anchor="middle" font-family="Arial, Helvetica, sans-serif" '
        f'font-size="{size}" font-weight="bold" fill="{colour}">{text}</text>'
    )


def variation_svg(name: str, size: int = 36) -> str:
    """The variation icon (common_cause, improvement_high/low, concern_high/low, neutral_high/low) as inline SVG."""
    if name not in VARIATION_LABELS:
        raise ValueError(f"variation_svg: unknown icon {name!r}; expected one of {', '.join(VARIATION_LABELS)}")
    colour = _colour(name)
    if name == "common_cause":
        body = _ring(colour) + _dots(_FLAT, colour, len(_FLAT))
    elif name.endswith("_high"):
        body = _ring(colour) + _dots(_HIGH, colour, 4) + _letter("H", colour, 40, 24, 35)
    else:
        body = _ring(colour) + _dots(_LOW, colour, 4) + _letter("L", colour, 80, 24, 35)
    return _svg(VARIATION_LABELS[name], size, body)


def assurance_svg(name: str, size: int = 36) -> str:
    """The assurance icon (consistent_pass, consistent_fail, inconsistent) as inline SVG."""
    if name not in ASSURANCE_LABELS:
        raise ValueError(f"assurance_svg: unknown icon {name!r}; expected one of {', '.join(ASSURANCE_LABELS)}")
    colour = {"consistent_pass": MEANING["improvement"], "consistent_fail": MEANING["concern"]}.get(
        name, MEANING["common_cause"]
    )
    letter = {"consistent_pass": "P", "consistent_fail": "F", "inconsistent": "?"}[name]
    # The target as a dashed red line behind the letter.
    body = (
        _ring(colour)
        + f'<line x1="14" y1="50" x2="86" y2="50" stroke="{MEANING["target"]}" stroke-width="3" stroke-dasharray="6 '
        '4"/>' + _letter(letter, colour, 62, 38)
    )
    return _svg(ASSURANCE_LABELS[name], size, body)
