"""The financial model against hand calculations on the one-series economy of conftest.tiny."""

import numpy as np
import pandas as pd
import pytest

from analysis.model import finance as fin

pytestmark = pytest.mark.unit

UNIT_COSTS = pd.DataFrame({"year": [2006, 2007], "pod": ["non_elective", "non_elective"], "unit_cost": [900.0, 1000.0]})
ASSUMPTIONS = {
    "baseline": {"A": 2_000_000.0},
    "growth": 0.05,
    "cost_pressure": {2008: 0.03, 2009: 0.03},
    "discount_rate": 0.035,
}


def test_npv_of_a_known_stream():
    # 100 a year for 3 years at 3.5%, the first year undiscounted: 100 + 100/1.035 + 100/1.035^2.
    assert fin.npv([100, 100, 100], 0.035) == pytest.approx(100 + 96.618357 + 93.351070, abs=1e-5)
    assert fin.npv([100, 100, 100], 0.0) == 300


def test_payback_and_roi():
    # Cumulative -100, -70, -30, +20: paid back in the fourth year.
    assert fin.payback_year([2008, 2009, 2010, 2011], [-100, 30, 40, 50]) == 2011
    assert fin.payback_year([2008, 2009], [-100, 30]) is None
    assert fin.roi(300.0, 100.0) == 2.0
    assert np.isnan(fin.roi(300.0, 0.0))


def test_gap_by_hand(tiny):
    # 2007/08 breaks even: activity 1,200 x 1,000 = 1.2m of a 2m allocation, so other spending is 0.8m.
    g = fin.gap(tiny, UNIT_COSTS, ASSUMPTIONS).set_index("year")
    assert g.loc[2007, "gap_do_nothing"] == pytest.approx(0.0)
    assert g.loc[2007, "other_spend"] == pytest.approx(800_000)
    # Other spending grows with prices (3%) and with the population (+10% a year): 800,000 x 1.03 x 1.1.
    assert g.loc[2008, "other_spend"] == pytest.approx(906_400)
    # 2008/09: allocation 2.1m; do nothing 1,320 x 1,030 + 906,400 = 2,266,000.
    assert g.loc[2008, "allocation"] == pytest.approx(2_100_000)
    assert g.loc[2008, "cost_do_nothing"] == pytest.approx(2_266_000)
    assert g.loc[2008, "gap_do_nothing"] == pytest.approx(166_000)
    # The plan: 1,221 x 1,030 + 906,400 + investment 50,000 + recurrent 10,000 = 2,224,030.
    assert g.loc[2008, "cost_plan"] == pytest.approx(2_224_030)
    assert g.loc[2008, "gap_plan"] == pytest.approx(124_030)
    # 2009/10: allocation 2,205,000; other spending 800,000 x 1.0609 x 1.21 = 1,026,951.2.
    assert g.loc[2009, "gap_plan"] == pytest.approx(1234.2 * 1060.9 + 1_026_951.2 + 10_000 - 2_205_000)
    assert g.loc[2009, "gap_share_do_nothing"] == pytest.approx((1452 * 1060.9 + 1_026_951.2 - 2_205_000) / 2_205_000)


def test_other_spending_does_not_grow_without_population_growth():
    from analysis.model.projection import project

    from .conftest import flat_activity, intervention, one_band_population, one_band_profile

    population = one_band_population({2006: 1000.0, 2007: 1000.0, 2008: 1000.0, 2009: 1000.0})
    flat = project(
        flat_activity(),
        population,
        [intervention()],
        horizon_year=2009,
        runs=50,
        seed=7,
        age_profile=one_band_profile(),
    )
    g = fin.gap(flat, UNIT_COSTS, ASSUMPTIONS).set_index("year")
    assert g.loc[2008, "other_spend"] == pytest.approx(800_000 * 1.03)


def test_efficiency_reduces_all_spending_but_not_scheme_costs(tiny):
    g = fin.gap(tiny, UNIT_COSTS, {**ASSUMPTIONS, "efficiency": 0.02}).set_index("year")
    assert g.loc[2008, "gap_do_nothing"] == pytest.approx(2_266_000 * 0.98 - 2_100_000)
    assert g.loc[2008, "cost_plan"] == pytest.approx((1221 * 1030 + 906_400) * 0.98 + 60_000)


def test_savings_and_appraisal_by_hand(tiny):
    s = fin.savings(tiny, UNIT_COSTS, ASSUMPTIONS).set_index("year")
    assert s.loc[2008, "activity_avoided"] == pytest.approx(99.0)
    assert s.loc[2008, "saving"] == pytest.approx(99 * 1030)
    assert s.loc[2009, "saving"] == pytest.approx((1452 - 1234.2) * 1060.9)
    a = fin.appraisal(s.reset_index(), tiny.interventions, 0.035).iloc[0]
    benefit = [99 * 1030, (1452 - 1234.2) * 1060.9]
    cost = [60_000, 10_000]
    assert a["pv_savings"] == pytest.approx(benefit[0] + benefit[1] / 1.035)
    assert a["pv_costs"] == pytest.approx(cost[0] + cost[1] / 1.035)
    assert a["npv"] == pytest.approx(a["pv_savings"] - a["pv_costs"])
    assert a["roi"] == pytest.approx((a["pv_savings"] - a["pv_costs"]) / a["pv_costs"])
    assert a["payback_year"] == 2008
    one_call = fin.appraise(tiny, UNIT_COSTS, ASSUMPTIONS).iloc[0]
    assert one_call["npv"] == pytest.approx(a["npv"])


def test_savings_of_overlapping_interventions_add_up_to_the_cost_difference(economy):
    assumptions = {"baseline": {"A": 5e6, "B": 5e6}, "growth": 0.03, "cost_pressure": 0.02}
    costs = pd.DataFrame(
        {
            "year": 2007,
            "pod": ["non_elective", "outpatient_followup", "community", "ae"],
            "unit_cost": [1500.0, 90.0, 50.0, 100.0],
        }
    )
    s = fin.savings(economy, costs, assumptions)
    g = fin.economy_total(fin.gap(economy, costs, assumptions)).set_index("year")
    by_year = s.groupby("year")["saving"].sum()
    np.testing.assert_allclose(
        by_year.to_numpy(), (g["activity_cost_do_nothing"] - g["activity_cost_plan"]).to_numpy(), rtol=1e-10
    )
    assert (s.groupby("intervention")["saving"].sum() > 0).all()


def test_tornado_moves_by_hand(tiny):
    t = fin.tornado(tiny, UNIT_COSTS, ASSUMPTIONS).set_index("key")
    base = 1234.2 * 1060.9 + 1_026_951.2 + 10_000  # other spending: 800,000 x 1.0609 x 1.21
    assert t.loc["growth", "base"] == pytest.approx(base - 2_205_000)
    assert t.loc["growth", "gap_low"] == pytest.approx(base - 2_000_000 * 1.04**2)
    assert t.loc["growth", "gap_high"] == pytest.approx(base - 2_000_000 * 1.06**2)
    # Effects at the low end of the interval: -20% at full effect in 2009.
    assert t.loc["effects", "gap_low"] == pytest.approx(1452 * 0.8 * 1060.9 + 1_026_951.2 + 10_000 - 2_205_000)
    # Widest swing first.
    assert t["swing"].is_monotonic_decreasing


def test_gap_grid_matches_the_gap_at_its_centre(tiny):
    grid = fin.gap_grid(tiny, UNIT_COSTS, ASSUMPTIONS)
    centre = grid[(grid["growth_shift"] == 0) & (grid["effect_scale"] == 1)].set_index("year")
    g = fin.gap(tiny, UNIT_COSTS, ASSUMPTIONS).set_index("year")
    np.testing.assert_allclose(centre["spend_plan"] + centre["intervention_costs"], g["cost_plan"])
    np.testing.assert_allclose(centre["allocation"], g["allocation"])
    up = grid[(grid["growth_shift"] == 1.0) & (grid["effect_scale"] == 1)].set_index("year")
    assert up.loc[2009, "allocation"] == pytest.approx(2_000_000 * 1.06**2)
    none = grid[(grid["growth_shift"] == 0) & (grid["effect_scale"] == 0)].set_index("year")
    np.testing.assert_allclose(none["spend_plan"], none["spend_do_nothing"])
    assert len(grid) < 5000


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"colour": 1}, "unknown key\\(s\\) colour"),
        ({"growth": {2008: 0.05}}, "'growth' has no rate for 2009 \\(2009/10\\)"),
        ({"baseline": {"Z": 1.0}}, "no allocation for organisation\\(s\\) A"),
        ({"discount_rate": 1.5}, "'discount_rate' must be a number from 0 to 1"),
        ({"efficiency": 0.01, "efficiency_requirement": 0.01}, "give only one of them"),
    ],
)
def test_assumption_errors_name_the_key(tiny, change, message):
    with pytest.raises(ValueError, match=message):
        fin.gap(tiny, UNIT_COSTS, {**ASSUMPTIONS, **change})


def test_unit_cost_falls_back_to_the_activity_cost_column(tiny):
    # The activity table costs 1,000 a unit, so with no unit_costs row the result is the same.
    g = fin.gap(tiny, UNIT_COSTS.iloc[0:0], ASSUMPTIONS).set_index("year")
    assert g.loc[2008, "gap_do_nothing"] == pytest.approx(166_000)


def test_allocation_compounds_the_qipp_growth_path():
    # 5.5% in 2008/09 and 2009/10, then 2% (the QIPP letter's "much tighter later"): 100 -> 105.5 ->
    # 111.3025 -> 113.52855.
    growth = {2008: 0.055, 2009: 0.055, 2010: 0.02}
    got = fin.allocation(
        {"baseline": {"X": 100.0}, "growth": growth, "cost_pressure": 0.0}, [2007, 2008, 2009, 2010], 2007
    )
    np.testing.assert_allclose(got["allocation"], [100, 105.5, 111.3025, 113.52855])
    # Given for 2008/09 instead, the 2007/08 allocation is back-cast by that year's growth.
    back = fin.allocation(
        {"baseline": {"X": 105.5}, "baseline_year": 2008, "growth": growth, "cost_pressure": 0.0}, [2007, 2008], 2007
    )
    np.testing.assert_allclose(back["allocation"], [100, 105.5])


def test_efficiency_to_close_by_hand():
    # One year: 100 x (1 - e) + 10 = 91 gives e = 0.19; two years: 100 x (1 - e)^2 = 81 gives e = 0.1.
    assert fin.efficiency_to_close(100.0, 10.0, 91.0, 1) == pytest.approx(0.19)
    assert fin.efficiency_to_close(100.0, 10.0, 91.0, 2) == pytest.approx(0.10)
    assert fin.efficiency_to_close(50.0, 10.0, 100.0, 3) == 0.0  # no shortfall
    assert np.isnan(fin.efficiency_to_close(50.0, 120.0, 100.0, 3))  # the fixed costs alone exceed the allocation


def test_a_scheme_and_its_hospital_side_are_appraised_as_one():
    from analysis.model.interventions import parse_interventions

    from .conftest import intervention

    items = parse_interventions([
        intervention(id="a", investment=0.0, recurrent_cost=100.0),
        intervention(id="a_hospital", name="A: hospital side", investment=0.0, recurrent_cost=0.0),
        intervention(id="b", investment=0.0, recurrent_cost=0.0),
    ])
    saving = pd.DataFrame({
        "intervention": ["a", "a", "a_hospital", "a_hospital", "b", "b"], "year": [2008, 2009] * 3,
        "saving": [-20.0, -20.0, 150.0, 150.0, 5.0, 5.0],
    })
    out = fin.scheme_appraisal(saving, items, discount_rate=0.0, until_year=2009).set_index("scheme")
    assert list(out.index) == ["a", "b"]
    # Costs 100 + 100; net savings (150 - 20) x 2 = 260; 1.30 per pound; +30 in the first year, so it pays back then.
    assert out.loc["a", "pv_costs"] == pytest.approx(200.0)
    assert out.loc["a", "pv_savings"] == pytest.approx(260.0)
    assert out.loc["a", "savings_per_pound"] == pytest.approx(1.3)
    assert out.loc["a", "payback_year"] == 2008
    assert (
        not out.loc["b", "costed"]
        and np.isnan(out.loc["b", "savings_per_pound"])
        and pd.isna(out.loc["b", "payback_year"])
    )
