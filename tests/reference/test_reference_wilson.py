"""Wilson score intervals against statsmodels' implementation (proportion_confint, method='wilson').

Both of the project's Wilson functions are checked: the statistics engine's (benchmarking) and the
synthetic generator's (the intervals it writes beside generated indicators, as Fingertips would).
"""

import numpy as np
import pytest
from statsmodels.stats.proportion import proportion_confint

from analysis.stats import benchmark
from analysis.synthetic import intervals

# Small and large denominators, the edges (no events, every event) and a proportion near one half.
COUNTS = np.array([0, 1, 3, 17, 50, 99, 100, 4_321, 250_000])
DENOMINATORS = np.array([10, 10, 40, 60, 100, 100, 100, 9_876, 1_000_000])

pytestmark = pytest.mark.reference


@pytest.mark.parametrize("level", [0.95, 0.998])
def test_benchmark_wilson_matches_statsmodels(level):
    lower, upper = benchmark.wilson(COUNTS, DENOMINATORS, level=level)
    expected_lower, expected_upper = proportion_confint(COUNTS, DENOMINATORS, alpha=1 - level, method="wilson")
    np.testing.assert_allclose(lower, expected_lower, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(upper, expected_upper, rtol=1e-10, atol=1e-12)


def test_synthetic_wilson_matches_statsmodels():
    lower, upper = intervals.wilson(COUNTS, DENOMINATORS)
    expected_lower, expected_upper = proportion_confint(COUNTS, DENOMINATORS, alpha=0.05, method="wilson")
    np.testing.assert_allclose(lower, expected_lower, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(upper, expected_upper, rtol=1e-10, atol=1e-12)


def test_one_worked_case_by_hand():
    # 3 of 40 at z = 1.96: centre (3 + 1.9208) / 43.8416 = 0.11224,
    # half-width 1.96 sqrt(3 x 37 / 40 + 0.9604) / 43.8416.
    lower, upper = benchmark.wilson([3], [40])
    z = 1.959963984540054
    centre = (3 + z**2 / 2) / (40 + z**2)
    half = z * np.sqrt(3 * 37 / 40 + z**2 / 4) / (40 + z**2)
    assert lower[0] == pytest.approx(centre - half) and upper[0] == pytest.approx(centre + half)
    assert lower[0] == pytest.approx(0.0258, abs=1e-4) and upper[0] == pytest.approx(0.1986, abs=1e-4)
