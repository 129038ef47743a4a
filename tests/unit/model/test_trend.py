"""The Holt-Winters trend: known growth recovered, and the yearly interval's variance by hand."""

import math

import numpy as np
import pytest

from analysis.model.trend import fit_trend, innovation_weights, yearly_total_sd

pytestmark = pytest.mark.unit


def seasonal(growth_a_year: float, months: int = 60) -> np.ndarray:
    t = np.arange(months)
    return 1000 * (1 + growth_a_year) ** (t / 12) * (1 + 0.1 * np.sin(2 * np.pi * t / 12))


@pytest.mark.parametrize("growth", [0.03, -0.03, 0.01])
def test_first_forecast_year_recovers_a_known_growth_rate(growth):
    # A noise-free series growing 3% a year: next year's total is 3% above the last year's.
    fit = fit_trend(seasonal(growth), years_ahead=3)
    assert fit.method.startswith("Holt-Winters")
    assert fit.factors[0] == 1.0
    assert fit.factors[1] == pytest.approx(1 + growth, abs=0.005)
    # The trend is damped, so later years grow less than compounding would.
    assert abs(fit.factors[3] - 1) < abs((1 + growth) ** 3 - 1)


def test_flat_and_empty_series_have_no_trend():
    assert fit_trend(np.full(48, 50.0), 5).factors.tolist() == [1.0] * 6
    zero = fit_trend(np.zeros(48), 5)
    assert zero.factors.tolist() == [1.0] * 6 and "no activity" in zero.method
    short = fit_trend(np.arange(1, 19, dtype=float), 2)
    assert short.factors.tolist() == [1.0] * 3 and "18 months" in short.method
    assert np.all(short.sd == 0)


def test_interval_widens_with_the_horizon_and_holds_the_central_factor():
    rng = np.random.default_rng(0)
    fit = fit_trend(seasonal(0.02) + rng.normal(0, 20, 60), 4)
    assert np.all(np.diff(fit.sd) > 0)
    assert np.all(fit.lower <= fit.factors) and np.all(fit.factors <= fit.upper)


def test_random_walk_year_totals_have_the_hand_variance():
    # alpha = 1, no trend or season: y(T+h) = level + e1 + ... + eh. The first year's total carries
    # e_j with weight 13 - j, variance sum_{k=1}^{12} k^2 = 650; the second carries e1..e12 with
    # weight 12 and e13..e24 with weights 12..1: 12 x 144 + 650 = 2378.
    c = innovation_weights(alpha=1.0, beta=0.0, gamma=0.0, phi=1.0, steps=24)
    np.testing.assert_allclose(c, np.ones(24))
    sd = yearly_total_sd(c, sigma=2.0, years=2)
    np.testing.assert_allclose(sd, [2 * math.sqrt(650), 2 * math.sqrt(2378)])


def test_seasonal_random_walk_year_totals_have_the_hand_variance():
    # gamma = 1 only: each month repeats last year's same month plus a shock. Year 1 total: 12 shocks
    # (variance 12); year 2: each month has its own shock and last year's (variance 24).
    c = innovation_weights(alpha=0.0, beta=0.0, gamma=1.0, phi=1.0, steps=24)
    assert c[0] == 1 and c[12] == 1 and c[1:12].sum() == 0
    np.testing.assert_allclose(yearly_total_sd(c, 1.0, 2), [math.sqrt(12), math.sqrt(24)])


def test_damped_weights_follow_the_formula():
    # c_j = alpha + alpha*beta*(phi + ... + phi^j): alpha .5, beta .2, phi .9, j = 2: .5 + .1 * 1.71
    c = innovation_weights(alpha=0.5, beta=0.2, gamma=0.0, phi=0.9, steps=3)
    assert c[2] == pytest.approx(0.5 + 0.1 * (0.9 + 0.81))
