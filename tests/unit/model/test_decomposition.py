"""Log-mean Divisia decomposition: parts that sum exactly to the change, whatever the order."""

import math

import numpy as np
import pytest

from analysis.model.decomposition import lmdi, log_mean

pytestmark = pytest.mark.unit


def test_two_factor_split_by_hand():
    # 100 -> 100 x 1.2 x 0.9 = 108. L(108, 100) = 8 / ln(1.08); parts L ln 1.2 and L ln 0.9.
    parts = lmdi(np.array(100.0), np.array([1.2, 0.9]))
    L = 8 / math.log(1.08)
    assert parts[0] == pytest.approx(L * math.log(1.2))
    assert parts[1] == pytest.approx(L * math.log(0.9))
    assert parts.sum() == pytest.approx(8.0, abs=1e-12)


def test_parts_sum_to_the_change_for_every_series_and_any_order():
    rng = np.random.default_rng(4)
    base = rng.uniform(0, 1000, 50)
    factors = rng.uniform(0.5, 1.5, (4, 50))
    parts = lmdi(base, factors)
    np.testing.assert_allclose(parts.sum(axis=0), base * factors.prod(axis=0) - base, atol=1e-9)
    reordered = lmdi(base, factors[::-1])
    np.testing.assert_allclose(reordered[::-1], parts)


def test_offsetting_factors_and_zero_baseline():
    parts = lmdi(np.array([100.0, 0.0]), np.array([[2.0, 3.0], [0.5, 1.0]]))
    # First series ends where it began: L = 100, parts 100 ln 2 and 100 ln 0.5; second has no activity.
    np.testing.assert_allclose(parts[:, 0], [100 * math.log(2), 100 * math.log(0.5)])
    np.testing.assert_allclose(parts[:, 1], [0.0, 0.0])


def test_log_mean_limits():
    assert log_mean(np.array(5.0), np.array(5.0)) == 5.0
    assert log_mean(np.array(0.0), np.array(5.0)) == 0.0
    assert log_mean(np.array(math.e), np.array(1.0)) == pytest.approx(math.e - 1)
