"""FunnelPlotR worked cases (../shared/reference/funnel): exact Poisson limits and outlier flags."""

import json

import numpy as np
import pytest

from analysis.paths import REFERENCE
from analysis.stats import funnel as fn

pytestmark = pytest.mark.reference

FOLDER = REFERENCE / "funnel"
if not FOLDER.is_dir():
    pytest.skip(f"reference cases not found at {FOLDER} (the shared folder is absent)", allow_module_level=True)


def load(name: str) -> dict:
    return json.loads((FOLDER / name).read_text())


LIMITS = load("01_funnelplotr_exact_poisson_limits.json")
FLAGS = load("04_funnelplotr_outlier_flags.json")


@pytest.mark.parametrize("column", fn.LIMIT_COLUMNS)
def test_exact_poisson_limits_as_printed(column):
    got = fn.poisson_limits(LIMITS["input"]["expected"], LIMITS["input"]["target"])[column]
    # Printed to 7 d.p. (lower) and 6 d.p. (upper).
    np.testing.assert_allclose(got, LIMITS["expected_upstream"][column], atol=5e-7)


@pytest.mark.parametrize("column", fn.LIMIT_COLUMNS)
def test_exact_poisson_limits_as_derived(column):
    got = fn.poisson_limits(LIMITS["input"]["expected"], LIMITS["input"]["target"])[column]
    np.testing.assert_allclose(got, LIMITS["derived_by_port"][column], rtol=1e-10)


@pytest.mark.parametrize(
    "case", FLAGS["cases"], ids=lambda c: f"adj{c['draw_adjusted']}-{c['limit']}-x{c['multiplier']}"
)
def test_outlier_flags_inclusive_of_the_limits(case):
    data = FLAGS["input"]
    level = case["limit"]
    if case["draw_adjusted"]:
        lower, upper = data[f"OD{level}LCL"], data[f"OD{level}UCL"]
    else:
        lower, upper = data[f"LCL{level}"], data[f"UCL{level}"]
    values = np.asarray(data["rr"]) * case["multiplier"]
    assert fn.outside(values, lower, upper).astype(int).tolist() == case["expected"]
