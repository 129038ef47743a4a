"""Wilson and Byar intervals, Fingertips comparisons, RAG and RightCare peer opportunity, by hand."""

import math

import pandas as pd
import pytest

from analysis.stats import benchmark as bm

pytestmark = pytest.mark.unit

Z = 1.959963985


def test_wilson_by_hand():
    # 5 of 100: centre p + z^2/2n, spread z sqrt(p(1-p)/n + z^2/4n^2), both over 1 + z^2/n.
    p, n = 0.05, 100
    centre, spread, scale = p + Z**2 / (2 * n), Z * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2)), 1 + Z**2 / n
    lower, upper = bm.wilson(5, 100)
    assert lower == pytest.approx((centre - spread) / scale, rel=1e-7)
    assert upper == pytest.approx((centre + spread) / scale, rel=1e-7)
    assert lower == pytest.approx(0.02154, abs=1e-5)


def test_wilson_at_zero_and_all():
    lower, upper = bm.wilson([0, 20], [20, 20])
    assert lower[0] == 0 and upper[1] == pytest.approx(1)
    assert upper[0] == pytest.approx(Z**2 / 20 / (1 + Z**2 / 20))


def test_byar_by_hand():
    # O = 10: lower 10 (1 - 1/90 - z/(3 sqrt 10))^3, upper 11 (1 - 1/99 + z/(3 sqrt 11))^3, per 1,000 of 1,000.
    lower, upper = bm.byar(10, 1000, multiplier=1000)
    assert lower == pytest.approx(10 * (1 - 1 / 90 - Z / (3 * math.sqrt(10))) ** 3, rel=1e-7)
    assert upper == pytest.approx(11 * (1 - 1 / 99 + Z / (3 * math.sqrt(11))) ** 3, rel=1e-7)
    assert lower == pytest.approx(4.7875, abs=1e-3) and upper == pytest.approx(18.3915, abs=1e-3)


def test_byar_small_counts_do_not_go_negative():
    lower, upper = bm.byar([0, 1], [1, 1], level=0.998)
    assert lower.tolist() == [0.0, 0.0]
    assert (upper > 0).all()


def test_intervals_table_has_both_levels():
    table = bm.intervals([50], [100])
    assert list(table.columns) == ["value", "lower95", "upper95", "lower998", "upper998"]
    row = table.iloc[0]
    assert row["lower998"] < row["lower95"] < 0.5 < row["upper95"] < row["upper998"]


@pytest.mark.parametrize(
    ("lower", "upper", "polarity", "expected"),
    [
        (1.1, 1.3, "high_is_good", "better"),
        (1.1, 1.3, "low_is_good", "worse"),
        (1.1, 1.3, "no_judgement", "higher"),
        (0.7, 0.9, "high_is_good", "worse"),
        (0.7, 0.9, "low_is_good", "better"),
        (0.7, 0.9, "no_judgement", "lower"),
        (0.9, 1.1, "high_is_good", "similar"),
        (1.0, 1.2, "high_is_good", "similar"),  # touching the benchmark is not excluding it
        (float("nan"), 1.2, "high_is_good", "not_compared"),
    ],
)
def test_compare_in_the_fingertips_sense(lower, upper, polarity, expected):
    assert bm.compare(1.0, lower, upper, 1.0, polarity) == expected


def test_compare_is_vectorised():
    out = bm.compare([1, 2], [0.5, 1.5], [1.5, 2.5], 1.0, "high_is_good")
    assert out.tolist() == ["similar", "better"]


@pytest.mark.parametrize(
    ("comparison", "polarity", "colour"),
    [
        ("better", "high_is_good", "green"),
        ("similar", "low_is_good", "amber"),
        ("worse", "low_is_good", "red"),
        ("higher", "no_judgement", "grey"),
        ("similar", "no_judgement", "grey"),
        ("not_compared", "high_is_good", "grey"),
    ],
)
def test_rag(comparison, polarity, colour):
    assert bm.rag(comparison, polarity) == colour


def test_bad_polarity_is_named():
    with pytest.raises(ValueError, match="polarity"):
        bm.rag("better", "up")


def peers_frame() -> pd.DataFrame:
    # Our area "A" with 50 per 1,000 of 20,000 people; ten peers from 10 to 100.
    return pd.DataFrame(
        {
            "area": ["A"] + [f"P{i}" for i in range(10)] + ["Z"],
            "value": [50.0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 1.0],
            "denominator": [20_000.0] + [10_000.0] * 10 + [1.0],
        }
    )


def test_peer_opportunity_low_is_good_by_hand():
    result = bm.peer_opportunity(
        peers_frame(),
        area="A",
        similar=[f"P{i}" for i in range(10)],
        polarity="low_is_good",
        multiplier=1000,
        unit_cost=200,
    )
    assert result.benchmark == pytest.approx(30)  # mean of the best (lowest) five: 10..50
    assert result.best_peers == ("P0", "P1", "P2", "P3", "P4")
    assert result.gap == pytest.approx(20)
    assert result.activity == pytest.approx(20 / 1000 * 20_000)  # 400 fewer admissions
    assert result.cost == pytest.approx(400 * 200)
    assert (result.peers_min, result.peers_median, result.peers_max) == (10, 55, 100)
    assert result.peers_q1 == pytest.approx(32.5) and result.peers_q3 == pytest.approx(77.5)


def test_peer_opportunity_high_is_good_and_no_negative_opportunity():
    similar = [f"P{i}" for i in range(10)]
    high = bm.peer_opportunity(peers_frame(), area="A", similar=similar, polarity="high_is_good", multiplier=1000)
    assert high.benchmark == pytest.approx(80)  # mean of 60..100
    assert high.activity == pytest.approx(30 / 1000 * 20_000)
    assert high.cost is None
    already = bm.peer_opportunity(peers_frame(), area="P9", similar=similar, polarity="high_is_good")
    assert already.gap < 0 and already.activity == 0


def test_peer_opportunity_errors_name_the_problem():
    with pytest.raises(ValueError, match="'Q'"):
        bm.peer_opportunity(peers_frame(), area="A", similar=["Q"] * 5, polarity="low_is_good")
    with pytest.raises(ValueError, match="no judgement"):
        bm.peer_opportunity(peers_frame(), area="A", similar=["P1"], polarity="no_judgement")
    with pytest.raises(ValueError, match="best_n"):
        bm.peer_opportunity(peers_frame(), area="A", similar=["P1", "P2"], polarity="low_is_good")
