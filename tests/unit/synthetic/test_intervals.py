"""Interval formulas against values worked by hand (and published exact Poisson limits)."""

import numpy as np
import pytest

from analysis.synthetic.intervals import byar, rate_interval, wilson

pytestmark = pytest.mark.unit


def test_wilson_8_of_10():
    # (2k + z^2) / (2(n + z^2)) -/+ z sqrt(z^2 + 4k(1 - p)) / (2(n + z^2)), z = 1.96: 0.4902 to 0.9433
    lower, upper = wilson(np.array([8]), np.array([10]))
    assert lower[0] == pytest.approx(0.4902, abs=1e-4)
    assert upper[0] == pytest.approx(0.9433, abs=1e-4)


def test_wilson_zero_of_twenty_starts_at_zero():
    lower, upper = wilson(np.array([0]), np.array([20]))
    assert lower[0] == pytest.approx(0.0, abs=1e-12)
    assert upper[0] == pytest.approx(3.8415 / 23.8415, abs=1e-4)  # z^2 / (n + z^2)


def test_wilson_is_nan_without_a_denominator():
    lower, upper = wilson(np.array([0]), np.array([0]))
    assert np.isnan(lower[0]) and np.isnan(upper[0])


def test_byar_is_close_to_the_exact_poisson_limits():
    # exact 95% Poisson limits for 10 events: 4.7954 and 18.3904 (chi-square tables)
    lower, upper = byar(np.array([10]))
    assert lower[0] == pytest.approx(4.7954, abs=0.01)
    assert upper[0] == pytest.approx(18.3904, abs=0.01)


def test_byar_for_zero_events():
    # lower 0; upper (1 - 1/9 + 1.96/3)^3 = 1.54222^3 = 3.668
    lower, upper = byar(np.array([0]))
    assert lower[0] == 0
    assert upper[0] == pytest.approx(3.668, abs=1e-3)


def test_rate_interval_scales_by_the_denominator():
    lower, upper = rate_interval(np.array([10]), np.array([10_000]), 100_000)
    assert lower[0] == pytest.approx(47.954, abs=0.1)
    assert upper[0] == pytest.approx(183.904, abs=0.1)
