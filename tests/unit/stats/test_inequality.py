"""Slope index of inequality on hand-made cases."""

import pytest

from analysis.stats import inequality as ineq

pytestmark = pytest.mark.unit


def test_midpoint_ranks_by_hand():
    assert ineq.midpoint_ranks([1, 2, 1]).tolist() == [0.125, 0.5, 0.875]


def test_exactly_linear_deciles_give_the_slope_and_a_zero_width_interval():
    # Equal populations: midpoints 0.05, 0.15, ..., 0.95; values 60 + 20 x rank.
    deciles = list(range(1, 11))
    values = [60 + 20 * (0.05 + 0.1 * (d - 1)) for d in deciles]
    result = ineq.slope_index(values, deciles, [1000] * 10)
    assert result.sii == pytest.approx(20)
    assert result.intercept == pytest.approx(60)
    assert result.lower == pytest.approx(20) and result.upper == pytest.approx(20)
    assert result.rii == pytest.approx(20 / 70)  # mean value 70
    assert result.groups == 10


def test_order_of_deprivation():
    # If decile 10 is the most deprived, the same values read the other way round.
    values = [70, 60, 50]
    assert ineq.slope_index(values, [1, 2, 3], [1, 1, 1]).sii == pytest.approx(-30)
    assert ineq.slope_index(values, [1, 2, 3], [1, 1, 1], most_deprived_first=False).sii == pytest.approx(30)
    shuffled = ineq.slope_index([50, 70, 60], [3, 1, 2], [1, 1, 1])
    assert shuffled.sii == pytest.approx(-30)


def test_weighted_slope_by_hand():
    # Populations 1, 2, 1: ranks 0.125, 0.5, 0.875; weighted means x 0.5, y 2.25;
    # slope = sum w (x - xbar)(y - ybar) / sum w (x - xbar)^2 = 0.375 / 0.28125.
    result = ineq.slope_index([1, 3, 2], [1, 2, 3], [1, 2, 1])
    assert result.sii == pytest.approx(0.375 / 0.28125)
    assert result.lower < result.sii < result.upper


def test_inputs_are_checked():
    with pytest.raises(ValueError, match="same length"):
        ineq.slope_index([1, 2, 3], [1, 2], [1, 1, 1])
    with pytest.raises(ValueError, match="only once"):
        ineq.slope_index([1, 2, 3], [1, 1, 2], [1, 1, 1])
