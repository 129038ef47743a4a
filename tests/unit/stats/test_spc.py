"""Hand-made series for each Making Data Count rule; expectations worked out from the method by hand."""

import numpy as np
import pandas as pd
import pytest

from analysis.stats import spc

pytestmark = pytest.mark.unit

# Twelve points with mean 0 and average moving range 2: with fix_after=12 the limits are frozen at
# mean 0, process limits +/- 5.32 and near limits +/- 3.5467, whatever follows.
BASE = [1.0, -1.0] * 6


def kinds(result: pd.DataFrame) -> list[str]:
    return result["point_type"].tolist()


def test_three_points_worked_by_hand_in_every_column():
    # 1, 2, 3: mean 2, moving ranges 1 and 1 (amr 1); process limits 2 -/+ 2.66, near limits 2 -/+ 1.7733.
    # Fewer than twelve points, so the limits are trial limits; nothing is a special cause.
    result = spc.xmr([1.0, 2.0, 3.0])
    expected = pd.DataFrame({
        "value": [1.0, 2.0, 3.0], "mean": 2.0, "lpl": 2 - 2.66, "upl": 2 + 2.66,
        "near_lpl": 2 - 2 / 3 * 2.66, "near_upl": 2 + 2 / 3 * 2.66, "rebase_group": 0,
        "relative_to_mean": [-1, 0, 1], "special_cause": False, "point_type": "common_cause", "trial_limits": True,
    })
    pd.testing.assert_frame_equal(result, expected, check_dtype=False)


def test_limits_screening_by_hand():
    # Moving ranges: eight of 1 and one of 10, amr = 2; 10 >= 3.267 x 2 is screened out, amr = 1.
    y = [0, 1, 0, 1, 0, 1, 0, 1, 0, 10]
    screened = spc.xmr(y)
    assert screened["mean"].iloc[0] == pytest.approx(1.4)
    assert screened["upl"].iloc[0] == pytest.approx(1.4 + 2.66)
    assert screened["lpl"].iloc[0] == pytest.approx(1.4 - 2.66)
    assert screened["near_upl"].iloc[0] == pytest.approx(1.4 + 2 / 3 * 2.66)
    excel = spc.xmr(y, screen_outliers=False)
    assert excel["upl"].iloc[0] == pytest.approx(1.4 + 2.66 * 2)
    assert excel["lpl"].iloc[0] == pytest.approx(1.4 - 2.66 * 2)


def test_outside_is_strict_and_names_direction():
    # Frozen limits +/- 5.32: 5.32 itself is inside, 5.33 above (improvement when increasing is better).
    inside = spc.xmr(BASE + [2.66 * 2], fix_after=12)
    assert not inside["special_cause"].iloc[-1]
    above = spc.xmr(BASE + [5.33], fix_after=12)
    assert kinds(above)[-1] == "special_cause_improvement"
    below = spc.xmr(BASE + [-5.33], fix_after=12, improvement="decrease")
    assert kinds(below)[-1] == "special_cause_improvement"
    neutral = spc.xmr(BASE + [-5.33], fix_after=12, improvement="neutral")
    assert kinds(neutral)[-1] == "special_cause_neutral_low"


def test_shift_of_seven_flags_every_point_of_the_run():
    # Mean exactly 0; the -2 before the ones is below the mean, so the run is the seven ones.
    y = [2, -2] * 5 + [1] * 7 + [-7]
    result = spc.xmr(y)
    assert result["mean"].iloc[0] == 0
    assert result["special_cause"].tolist() == [False] * 10 + [True] * 7 + [False]
    assert set(kinds(result)[10:17]) == {"special_cause_improvement"}


def test_a_point_on_the_mean_breaks_a_shift():
    y = [2, -2] * 5 + [1, 1, 1, 0, 1, 1, 1] + [-6]
    result = spc.xmr(y)
    assert result["mean"].iloc[0] == 0
    assert result["relative_to_mean"].iloc[13] == 0
    assert not result["special_cause"].any()


def test_trend_of_seven_is_flagged_by_direction_not_side_of_mean():
    # Seven strictly rising points that cross the mean: all improvement when increasing is better.
    y = [4, 6] * 4 + [2, 3, 4, 5.5, 6, 7, 8] + [5]
    result = spc.xmr(y)
    assert result["special_cause"].tolist() == [False] * 8 + [True] * 7 + [False]
    assert set(kinds(result)[8:15]) == {"special_cause_improvement"}
    assert (result["relative_to_mean"].iloc[8:11] == -1).all()  # below the mean, still improvement
    concern = spc.xmr(y, improvement="decrease")
    assert set(kinds(concern)[8:15]) == {"special_cause_concern"}


def test_a_tie_breaks_a_trend():
    y = [4, 6] * 4 + [2, 3, 4, 4, 5.5, 6, 7, 7.5] + [5]
    result = spc.xmr(y)
    assert not result["special_cause"].any()


def test_two_in_three_flags_only_the_close_points_on_one_side():
    # Near limits +/- 3.5467, process limits +/- 5.32: 4 is close, 0.5 is not.
    result = spc.xmr(BASE + [4, 0.5, 4], fix_after=12)
    assert result["special_cause"].tolist()[12:] == [True, False, True]
    assert kinds(result)[12] == "special_cause_improvement"


def test_two_in_three_needs_all_three_points_on_the_same_side():
    across = spc.xmr(BASE + [4, -0.5, 4], fix_after=12)
    assert not across["special_cause"].any()
    opposite = spc.xmr(BASE + [4, 1, -4], fix_after=12)
    assert not opposite["special_cause"].any()


def test_a_point_outside_the_limits_is_not_close():
    # 6 is outside, 4 close, 1 neither: only one close point, so no two-in-three for the 4.
    result = spc.xmr(BASE + [6, 4, 1], fix_after=12)
    assert result["special_cause"].tolist()[12:] == [True, False, False]


def test_precedence_trend_over_shift():
    # Seven points falling but all above the mean: a shift (high) and a trend (falling);
    # the trend wins, so with increase as improvement they are concern, not improvement.
    result = spc.xmr(BASE + [3.4, 3, 2.5, 2, 1.5, 1, 0.5], fix_after=12)
    assert kinds(result)[12:] == ["special_cause_concern"] * 7


def test_precedence_from_mocked_rules():
    rule, direction = spc.special_cause_rule(
        values=[1, 2, 3, 4],
        relative_to_mean=[1, 1, -1, -1],
        outside=[1, 0, 0, 0],
        part_trend=[1, 1, 0, 0],
        part_two_in_three=[0, 1, 1, 0],
        part_shift=[1, 1, 1, 1],
    )
    assert rule.tolist() == [spc.OUTSIDE, spc.TREND, spc.TWO_IN_THREE, spc.SHIFT]
    assert direction.tolist() == [1, 1, -1, -1]


def test_rebase_groups_have_their_own_limits():
    y = [10, 12] * 6 + [20, 23] * 6
    result = spc.xmr(y, rebase_at=[12])
    assert result["rebase_group"].tolist() == [0] * 12 + [1] * 12
    assert result["mean"].iloc[0] == pytest.approx(11)
    assert result["mean"].iloc[-1] == pytest.approx(21.5)
    assert result["upl"].iloc[0] == pytest.approx(11 + 2.66 * 2)
    assert result["upl"].iloc[-1] == pytest.approx(21.5 + 2.66 * 3)
    # Without the rebase the step change shows as special cause.
    assert spc.xmr(y)["special_cause"].any()
    assert not result["special_cause"].any()


def test_fix_after_freezes_the_limits():
    y = BASE + [3.0] * 3
    result = spc.xmr(y, fix_after=12)
    assert result["mean"].iloc[-1] == 0
    assert result["upl"].iloc[-1] == pytest.approx(5.32)
    with pytest.raises(ValueError, match="fix_after"):
        spc.xmr(y, fix_after=11)


def test_trial_limits_below_twelve_points_per_group():
    assert spc.xmr(list(range(11)))["trial_limits"].all()
    assert not spc.xmr(list(range(12)))["trial_limits"].any()
    result = spc.xmr([1.0, 2.0] * 8, rebase_at=[12])
    assert result["trial_limits"].tolist() == [False] * 12 + [True] * 4


def test_constant_series_has_zero_width_limits():
    result = spc.xmr([5.0] * 15)
    assert (result[["mean", "lpl", "upl", "near_lpl", "near_upl"]] == 5.0).all().all()
    assert not result["special_cause"].any()
    assert spc.variation_icon(result) == "common_cause"


def test_series_index_is_kept_and_bad_inputs_are_named():
    values = pd.Series([1.0, 2.0, 3.0], index=pd.date_range("2024-01-01", periods=3, freq="MS"))
    assert spc.xmr(values).index.equals(values.index)
    with pytest.raises(ValueError, match="position 1"):
        spc.xmr([1.0, np.nan, 2.0])
    with pytest.raises(ValueError, match="improvement"):
        spc.xmr([1.0, 2.0], improvement="up")
    with pytest.raises(ValueError, match="rebase_at"):
        spc.xmr([1.0, 2.0], rebase_at=[5])


def test_configurable_run_lengths():
    y = [2, -2] * 5 + [1] * 6 + [-6]
    assert not spc.xmr(y)["special_cause"].any()
    assert spc.xmr(y, shift_points=6)["special_cause"].iloc[10:16].all()


@pytest.mark.parametrize(
    ("improvement", "tail", "icon"),
    [
        ("increase", 5.33, "improvement_high"),
        ("increase", -5.33, "concern_low"),
        ("decrease", 5.33, "concern_high"),
        ("decrease", -5.33, "improvement_low"),
        ("neutral", 5.33, "neutral_high"),
        ("neutral", -5.33, "neutral_low"),
        ("increase", 0.0, "common_cause"),
    ],
)
def test_variation_icon_from_the_last_point(improvement, tail, icon):
    result = spc.xmr(BASE + [tail], fix_after=12, improvement=improvement)
    assert spc.variation_icon(result) == icon


@pytest.mark.parametrize(
    ("improvement", "target", "expected"),
    [
        ("increase", 6.0, "consistent_fail"),  # the target is above the upper limit (5.32)
        ("increase", -6.0, "consistent_pass"),
        ("increase", 0.0, "inconsistent"),
        ("decrease", 6.0, "consistent_pass"),
        ("decrease", -6.0, "consistent_fail"),
        ("decrease", 5.32, "inconsistent"),  # on the limit: strict inequalities
        ("neutral", 6.0, None),
        ("increase", None, None),
    ],
)
def test_assurance_in_both_directions(improvement, target, expected):
    result = spc.xmr(BASE, improvement=improvement)
    assert result["upl"].iloc[-1] == pytest.approx(5.32)
    assert spc.assurance(result, target, improvement) == expected


def test_assurance_uses_the_last_rebase_group():
    y = [10, 12] * 6 + [20, 22] * 6
    result = spc.xmr(y, rebase_at=[12])
    # Last group: mean 21, limits 21 +/- 5.32; a target of 15 is passed consistently only there.
    assert spc.assurance(result, 15, "increase") == "consistent_pass"


def test_summarise_reads_the_latest_point():
    result = spc.xmr(BASE + [5.33], fix_after=12, target=-6.0)
    summary = spc.summarise(result)
    assert summary["latest_value"] == 5.33
    assert summary["variation"] == "improvement_high"
    assert summary["assurance"] == "consistent_pass"
