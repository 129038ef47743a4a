"""Every colour that carries meaning reaches 3:1 against the white background (WCAG 1.4.11)."""

import re
from pathlib import Path

import pytest

from analysis.charts import spc, value
from analysis.charts.theme import CATEGORICAL, MEANING, MIN_CONTRAST, NHS, contrast_ratio
from analysis.report.outlook import activity

pytestmark = pytest.mark.unit

ANALYSIS = Path(__file__).resolve().parents[3] / "analysis"
BACKGROUNDS = {"white", "pale_grey"}  # the page and the grid lines: they carry no meaning


def test_contrast_ratio_by_hand():
    assert contrast_ratio("#000000") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF") == pytest.approx(1.0)
    # #767676 is the usual "lightest grey that passes 4.5:1 on white".
    assert contrast_ratio("#767676") == pytest.approx(4.54, abs=0.01)
    # The NHS identity's orange and warm yellow fail 3:1, as the issue measured.
    assert contrast_ratio(NHS["orange"]) == pytest.approx(2.5, abs=0.05)
    assert contrast_ratio(NHS["warm_yellow"]) == pytest.approx(1.7, abs=0.05)


@pytest.mark.parametrize(
    ("where", "colours"),
    [
        ("MEANING", MEANING),
        ("CATEGORICAL", dict(enumerate(CATEGORICAL))),
        ("value.DECISION_COLOURS", value.DECISION_COLOURS),
        ("spc.LEGEND_COLOURS", dict(zip(spc.LEGEND, spc.LEGEND_COLOURS, strict=True))),
        ("activity.OUTTURN_COLOURS", activity.OUTTURN_COLOURS),
    ],
)
def test_every_meaningful_colour_reaches_three_to_one(where, colours):
    low = {k: f"{c} ({contrast_ratio(c):.2f}:1)" for k, c in colours.items() if contrast_ratio(c) < MIN_CONTRAST}
    assert not low, f"{where}: below {MIN_CONTRAST}:1 on white: {low}"


def test_no_module_draws_with_an_identity_colour_below_three_to_one():
    failing = {k for k, c in NHS.items() if contrast_ratio(c) < MIN_CONTRAST} - BACKGROUNDS
    used = []
    for path in sorted(ANALYSIS.rglob("*.py")):
        if path.name == "theme.py":
            continue
        for key in re.findall(r'NHS\["([a-z_]+)"\]', path.read_text()):
            if key in failing:
                used.append(f"{path.relative_to(ANALYSIS)}: NHS[{key!r}]")
    assert not used, "colours below 3:1 used in charts: " + "; ".join(used)


def test_no_chart_module_types_a_colour_below_three_to_one():
    for path in sorted((ANALYSIS / "charts").glob("*.py")):
        if path.name == "theme.py":
            continue
        for colour in re.findall(r'"(#[0-9A-Fa-f]{6})"', path.read_text()):
            assert contrast_ratio(colour) >= MIN_CONTRAST, (
                f"{path.name}: {colour} is {contrast_ratio(colour):.2f}:1 on white"
            )
