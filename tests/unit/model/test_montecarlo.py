"""The Monte Carlo of intervention effects: seeded, vectorised, calibrated to the 80% intervals."""

import numpy as np
import pytest

from analysis.model import montecarlo as mc

pytestmark = pytest.mark.unit


def test_the_same_seed_gives_the_same_draws_and_another_seed_does_not():
    low, high = np.array([-0.1, -0.3]), np.array([-0.03, 0.1])
    a = mc.draw_effects(low, high, 100, mc.streams(5)[0])
    b = mc.draw_effects(low, high, 100, mc.streams(5)[0])
    c = mc.draw_effects(low, high, 100, mc.streams(6)[0])
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


def test_the_80_percent_interval_holds_80_percent_of_draws():
    # 20,000 draws: the share inside (low, high) has binomial sd sqrt(.8 x .2 / 20000) = 0.0028;
    # a tolerance of 0.012 is over 4 sd, so the test fails only if the calibration is wrong.
    draws = mc.draw_effects(np.array([-0.10]), np.array([-0.03]), 20_000, mc.streams(1)[0])[:, 0]
    inside = np.mean((draws >= -0.10) & (draws <= -0.03))
    assert abs(inside - 0.80) < 0.012
    assert draws.mean() == pytest.approx(-0.065, abs=0.001)


def test_draws_are_clipped_above_minus_one():
    # Centre -1, so about half the raw draws are at or below -1; none may remain so.
    draws = mc.draw_effects(np.array([-1.5]), np.array([-0.5]), 5000, mc.streams(2)[0])
    assert draws.min() == mc.EFFECT_FLOOR > -1
    assert np.mean(draws == mc.EFFECT_FLOOR) == pytest.approx(0.5, abs=0.03)
    f = mc.factors(draws, np.ones((1, 1)), np.ones((1, 1)))
    assert np.all(f > 0)


def test_factors_multiply_ramped_effects_on_exposed_series_only():
    # Two interventions, two years, three series. Run effects -0.2 and +0.1; ramps (0.5, 1) and (0, 1).
    effects = np.array([[-0.2, 0.1]])
    ramps = np.array([[0.5, 1.0], [0.0, 1.0]])
    exposure = np.array([[1, 1, 0], [0, 1, 1]])
    got = mc.factors(effects, ramps, exposure)[0]
    expected = np.array([[0.9, 0.9, 1.0], [0.8, 0.8 * 1.1, 1.1]])
    np.testing.assert_allclose(got, expected)


def test_vectorised_factors_equal_a_loop_over_runs():
    rng = np.random.default_rng(3)
    effects = mc.draw_effects(rng.uniform(-0.3, -0.1, 4), rng.uniform(-0.1, 0.05, 4), 50, rng)
    ramps = rng.uniform(0, 1, (4, 5))
    exposure = rng.integers(0, 2, (4, 7))
    fast = mc.factors(effects, ramps, exposure)
    for r in range(effects.shape[0]):
        slow = np.ones((5, 7))
        for k in range(4):
            for y in range(5):
                for s in range(7):
                    if exposure[k, s]:
                        slow[y, s] *= 1 + effects[r, k] * ramps[k, y]
        np.testing.assert_allclose(fast[r], slow, rtol=1e-12)


def test_trend_draws_are_floored_at_zero():
    central = np.array([[1.0, 0.1]])
    sd = np.array([[0.1, 0.2]])
    got = mc.trend_draws(central, sd, np.array([-1.0, 2.0]))
    np.testing.assert_allclose(got[:, 0, :], [[0.9, 0.0], [1.2, 0.5]])
