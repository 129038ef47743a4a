"""Funnel plot statistics against hand calculations from Spiegelhalter's method."""

import math

import numpy as np
import pytest

from analysis.stats import funnel as fn

pytestmark = pytest.mark.unit

Z95 = 1.959964


def test_exact_poisson_limits_have_a_closed_form_at_one_expected():
    # With 2 degrees of freedom the chi-square quantile is -2 ln(1 - p), so ll = -ln(1 - p).
    limits = fn.poisson_limits([1.0])
    assert limits["ll95"].iloc[0] == pytest.approx(-math.log(0.975), rel=1e-9)
    assert limits["ll998"].iloc[0] == pytest.approx(-math.log(0.999), rel=1e-9)
    assert limits["ul95"].iloc[0] > 1 > limits["ll95"].iloc[0]
    doubled = fn.poisson_limits([1.0], target=2.0)
    assert doubled["ll95"].iloc[0] == pytest.approx(-2 * math.log(0.975))


def test_outside_is_inclusive_of_the_limits():
    assert fn.outside([0.9, 1.1, 0.89, 1.11], 0.9, 1.1).tolist() == [False, False, True, True]


def test_truncation_drops_the_lowest_and_highest_tenth():
    z = np.array([5.0, -4, 1, 2, 3, 0, -1, -2, -3, 4])
    kept = fn.truncate(z, 0.1)
    # Ten ranks: floor(rank x 10 / 11) is 0 for rank 1 and 9 for rank 10, the two dropped.
    assert np.isnan(kept[[0, 1]]).all()
    assert not np.isnan(np.delete(kept, [0, 1])).any()


def cqc_units():
    """Ten units with expected 100 and CQC z-scores -3, -2, -1, -1, 0, 0, 1, 1, 2, 3 (s = 0.05)."""
    z = np.array([-3, -2, -1, -1, 0, 0, 1, 1, 2, 3], dtype=float)
    observed = 100 * (1 + z / 20) ** 2  # (sqrt(O/E) - 1) / (1 / (2 sqrt E)) = z
    return observed, np.full(10, 100.0)


def test_winsorised_phi_and_tau2_by_hand():
    observed, expected = cqc_units()
    result = fn.funnel(observed, expected, sr_method="CQC")
    # 10% and 90% quantiles (linear) of the sorted z: -2.1 and 2.1, so -3 and 3 are pulled in.
    phi = (2 * 2.1**2 + 2 * 4 + 4 * 1) / 10
    assert result.phi == pytest.approx(phi)
    # tau2 = (n phi - (n - 1)) / (sum w - sum w^2 / sum w), w = 400 for every unit.
    tau2 = (10 * phi - 9) / (4000 - 10 * 400**2 / 4000)
    assert result.tau2 == pytest.approx(tau2)
    assert result.adjusted
    spread = Z95 * math.sqrt(0.05**2 + tau2)
    row = result.table.iloc[0]
    assert row["od_ul95"] == pytest.approx((1 + spread) ** 2, rel=1e-6)
    assert row["od_ll95"] == pytest.approx((1 - spread) ** 2, rel=1e-6)
    assert "overdispersion adjustment" in result.method and "phi = 2.08" in result.method


def test_no_adjustment_when_phi_is_at_most_one():
    expected = np.array([10.0, 20, 40, 80, 160])
    result = fn.funnel(expected, expected)  # every ratio exactly 1: z = 0, phi = 0
    assert result.phi == 0
    assert result.tau2 == 0
    assert not result.adjusted
    t = result.table
    for c in fn.LIMIT_COLUMNS:
        np.testing.assert_array_equal(t[c], t[f"od_{c}"])
    assert "no overdispersion adjustment needed" in result.method


def test_overdispersion_off_keeps_the_exact_limits():
    observed, expected = cqc_units()
    result = fn.funnel(observed, expected, overdispersion=False)
    assert not result.adjusted and result.tau2 == 0
    exact = fn.poisson_limits(expected)
    np.testing.assert_allclose(result.table["od_ul998"], exact["ul998"])


def test_proportions_use_the_pooled_target_and_the_arcsine_scale():
    result = fn.funnel([10, 30], [100, 100], data_type="PR", group=["a", "b"])
    assert result.target == pytest.approx(0.2)
    centre, s = math.asin(math.sqrt(0.2)), 1 / (2 * math.sqrt(100))
    assert result.table["ul95"].iloc[0] == pytest.approx(math.sin(centre + Z95 * s) ** 2, rel=1e-6)
    assert result.table["ll95"].iloc[0] == pytest.approx(math.sin(centre - Z95 * s) ** 2, rel=1e-6)
    assert result.table["value"].tolist() == [0.1, 0.3]


def test_proportion_limits_stay_within_zero_and_one():
    curve = fn.limits([1.0, 2.0], target=0.02, data_type="PR")
    assert (curve["ll998"] == 0).all()
    assert (curve["ul998"] <= 1).all()


def test_rows_of_a_group_are_summed_first():
    result = fn.funnel([5, 5, 20], [10, 10, 25], group=["a", "a", "b"])
    assert result.table["unit"].tolist() == ["a", "b"]
    assert result.table["numerator"].tolist() == [10, 20]
    assert result.table["denominator"].tolist() == [20, 25]
    assert list(result.table.columns) == [
        "unit", "numerator", "denominator", "value", "target",
        "ll95", "ul95", "ll998", "ul998", "od_ll95", "od_ul95", "od_ll998", "od_ul998", "outlier95", "outlier998",
    ]  # fmt: skip


def test_outliers_flagged_against_the_limits_in_use():
    observed, expected = cqc_units()
    observed = np.append(observed, 200.0)
    expected = np.append(expected, 100.0)
    result = fn.funnel(observed, expected, sr_method="CQC")
    last = result.table.iloc[-1]
    assert last["outlier998"] == (last["value"] > last["od_ul998"])
    assert last["outlier998"]


def test_funnel_curve_spans_the_units():
    observed, expected = cqc_units()
    result = fn.funnel(observed, expected * np.linspace(0.5, 3, 10), sr_method="CQC")
    curve = fn.funnel_curve(result, n_points=50)
    assert len(curve) == 50
    assert curve["denominator"].min() < result.table["denominator"].min()
    assert curve["denominator"].max() > result.table["denominator"].max()
    assert (curve["ul998"] >= curve["ul95"]).all() and (curve["ll998"] <= curve["ll95"]).all()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"data_type": "XX"}, "data_type"),
        ({"sr_method": "NHS"}, "sr_method"),
        ({"trim_by": 0.6}, "trim_by"),
    ],
)
def test_bad_settings_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        fn.funnel([1, 2], [1, 2], **kwargs)


def test_bad_units_are_named():
    with pytest.raises(ValueError, match="position 1.*denominators"):
        fn.funnel([1, 2], [1, 0])
    with pytest.raises(ValueError, match="exceed"):
        fn.funnel([5, 2], [4, 4], data_type="PR")


def test_a_unit_with_no_events_is_plotted_but_left_out_of_phi():
    result = fn.funnel([0, 5, 8, 12, 9], [5, 6, 7, 11, 10])
    assert np.isfinite(result.phi)
    assert result.table["value"].iloc[0] == 0
    assert result.table["outlier95"].iloc[0]  # 0 observed against 5 expected is below the exact 95% limit
