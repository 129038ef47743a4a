"""NHSRplotthedots 0.2.2 worked cases (../shared/reference/spc): limits, point types, rules, assurance."""

import json

import pandas as pd
import pytest

from analysis.paths import REFERENCE
from analysis.stats import spc

pytestmark = pytest.mark.reference

FOLDER = REFERENCE / "spc"
if not FOLDER.is_dir():
    pytest.skip(f"reference cases not found at {FOLDER} (the shared folder is absent)", allow_module_level=True)


def load(name: str) -> dict:
    return json.loads((FOLDER / name).read_text())


LIMIT_CASES = sorted(p.name for p in FOLDER.glob("0[1-3]_*.json"))
RULES = load("07_ptd_rule_function_vectors.json")
ASSURANCE = load("08_ptd_assurance.json")


def run(case: dict) -> pd.DataFrame:
    data = case["input"]
    return spc.xmr(
        data["y"],
        improvement=data.get("improvement_direction", "increase"),
        screen_outliers=data.get("screen_outliers", True),
    )


@pytest.mark.parametrize("name", LIMIT_CASES)
def test_limits_as_printed_upstream(name):
    case = load(name)
    expected = case["expected_upstream"]
    result = run(case)
    # The upstream snapshot prints 7 significant figures.
    for column in ("mean", "lpl", "upl"):
        assert result[column].iloc[0] == pytest.approx(expected[column], rel=5e-7, abs=5e-7)
    assert result["relative_to_mean"].tolist()[:14] == expected["relative_to_mean_first14"]
    if "common_cause" in expected:
        assert (result["point_type"] == "common_cause").sum() == expected["common_cause"]
        assert (result["point_type"] == "special_cause_improvement").sum() == expected["special_cause_improvement"]


@pytest.mark.parametrize("name", LIMIT_CASES)
def test_every_point_as_derived(name):
    case = load(name)
    derived = case["derived_by_port"]
    result = run(case)
    assert result["point_type"].tolist() == derived["point_type"]
    for column in ("mean", "lpl", "upl"):
        assert result[column].iloc[0] == pytest.approx(derived[column], rel=1e-12)


def test_screened_and_unscreened_limits_differ():
    screened = run(load("02_ptd_rnorm20_outlier_screened.json"))
    excel = run(load("03_ptd_rnorm20_outlier_unscreened_excel_mode.json"))
    assert (excel["upl"] - excel["lpl"]).iloc[0] > (screened["upl"] - screened["lpl"]).iloc[0]


LABELS = {
    (spc.OUTSIDE, 1): "Above UCL",
    (spc.OUTSIDE, -1): "Below LCL",
    (spc.TREND, 1): "7 Point Trend (Increasing)",
    (spc.TREND, -1): "7 Point Trend (Decreasing)",
    (spc.TWO_IN_THREE, 1): "2 in 3 Above CL",
    (spc.TWO_IN_THREE, -1): "2 in 3 Below CL",
    (spc.SHIFT, 1): "7 Points Above CL",
    (spc.SHIFT, -1): "7 Points Below CL",
    (spc.NONE, 0): "Common Cause",
}


def apply_rule(fn: str, data):
    """Our rule function for each upstream function name."""
    if fn == "seven_point_one_side_mean":
        return spc.shift_ends(data).tolist()
    if fn == "part_of_seven_trend":
        return spc.part_of_run(data).tolist()
    if fn == "seven_point_trend":
        return spc.trend_ends(data).tolist()
    if fn == "two_in_three":
        return spc.two_in_three(data["close"], data["rtm"]).tolist()
    if fn.startswith("part_of_two_in_three"):
        return spc.part_of_two_in_three(spc.two_in_three(data["close"], data["rtm"]), data["close"]).tolist()
    if fn.startswith("special_cause_type"):
        rule, direction = spc.special_cause_rule(
            data["y"],
            data["relative_to_mean"],
            data["outside_limits"],
            data["part_of_seven_trend"],
            data["part_of_two_in_three"],
            data["part_of_seven_one_side"],
        )
        return [LABELS[(r, d)] for r, d in zip(rule.tolist(), direction.tolist(), strict=True)]
    raise AssertionError(f"no rule function mapped for {fn!r}")


@pytest.mark.parametrize("case", RULES["cases"], ids=lambda c: f"{c['fn'][:30]}-{len(c['expected'])}")
def test_rule_vectors(case):
    assert apply_rule(case["fn"], case["input"]) == case["expected"]


def facet(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame({"lpl": [r["lpl"] for r in rows], "upl": [r["upl"] for r in rows]})


@pytest.mark.parametrize("case", ASSURANCE["cases"], ids=lambda c: f"{c['improvement_direction']}-{c.get('expected')}")
def test_assurance(case):
    improvement = case["improvement_direction"]
    if "rows" in case:  # one facet per row, each with its own target
        got = [spc.assurance(facet([row]), row["target"], improvement) for row in case["rows"]]
        assert got == case["expected"]
    elif "single_facet_rows_in_order" in case:  # the last row of the facet decides
        assert spc.assurance(facet(case["single_facet_rows_in_order"]), case["target"], improvement) == case["expected"]
    else:
        assert spc.assurance(facet([{"lpl": 1, "upl": 3}]), case["target"], improvement) == case["expected"]
