"""Variation and assurance icons: accessible, in the meaning colours, deterministic."""

import pytest

from analysis.charts import icons
from analysis.charts.theme import MEANING

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("name", "colour", "letter"),
    [
        ("common_cause", MEANING["common_cause"], None),
        ("improvement_high", MEANING["improvement"], "H"),
        ("improvement_low", MEANING["improvement"], "L"),
        ("concern_high", MEANING["concern"], "H"),
        ("concern_low", MEANING["concern"], "L"),
        ("neutral_high", MEANING["neutral"], "H"),
        ("neutral_low", MEANING["neutral"], "L"),
    ],
)
def test_variation_icons(name, colour, letter):
    svg = icons.variation_svg(name)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg and f'aria-label="{icons.VARIATION_LABELS[name]}"' in svg
    assert f'stroke="{colour}"' in svg
    assert 'width="36"' in svg
    if letter:
        assert f">{letter}</text>" in svg
    else:
        assert "<text" not in svg
    assert icons.variation_svg(name) == svg


def test_concern_label_wording():
    assert 'aria-label="Special cause of concern, high values"' in icons.variation_svg("concern_high")


@pytest.mark.parametrize(
    ("name", "colour", "letter"),
    [
        ("consistent_pass", MEANING["improvement"], "P"),
        ("consistent_fail", MEANING["concern"], "F"),
        ("inconsistent", MEANING["common_cause"], "?"),
    ],
)
def test_assurance_icons(name, colour, letter):
    svg = icons.assurance_svg(name, size=24)
    assert 'role="img"' in svg and "aria-label=" in svg
    assert f'stroke="{colour}"' in svg and f">{letter}</text>" in svg
    assert 'width="24"' in svg


def test_unknown_icons_are_named():
    with pytest.raises(ValueError, match="improvement_up"):
        icons.variation_svg("improvement_up")
    with pytest.raises(ValueError, match="pass"):
        icons.assurance_svg("pass")
