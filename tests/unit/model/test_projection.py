"""The projection end to end on inputs small enough to compute by hand."""


import numpy as np
import pandas as pd
import pytest

from analysis.model import projection as pj

from .conftest import flat_activity, intervention, one_band_population, one_band_profile

pytestmark = pytest.mark.unit


def test_do_nothing_and_plan_by_hand(tiny):
    # Baseline 2007/08: 12 x 100 = 1,200. Population +10% in 2008 and 2009; flat history, so no trend.
    # Effect centre -0.15 ramped over 2 years from 2008: x0.925 in 2008, x0.85 in 2009.
    assert tiny.baseline_year == 2007 and tiny.years == (2007, 2008, 2009)
    np.testing.assert_allclose(pj.do_nothing(tiny)[:, 0], [1200, 1320, 1452])
    np.testing.assert_allclose(pj.plan(tiny)[:, 0], [1200, 1320 * 0.925, 1452 * 0.85])
    traj = tiny.trajectories
    plan_rows = traj[traj["scenario"] == "plan"].sort_values("year")
    np.testing.assert_allclose(plan_rows["count"], [1200, 1221, 1234.2])
    history = traj[traj["scenario"] == "history"]
    assert history["year"].tolist() == [2006, 2007] and history["count"].tolist() == [1200, 1200]


def test_waterfall_splits_the_change_by_hand_and_sums_exactly(tiny):
    w = tiny.waterfall
    steps = dict(zip(w["kind"], w["value"], strict=True))
    # Demography and trend take 1,200 to doing nothing (1,200 x 1.21 = 1,452); the trend is flat, so
    # demography is all of it. The intervention takes 1,452 to the plan, 1,234.2.
    assert steps["baseline"] == 1200 and steps["horizon"] == pytest.approx(1234.2)
    assert steps["demography"] == pytest.approx(252.0)
    assert steps["trend"] == pytest.approx(0.0, abs=1e-9)
    assert steps["intervention"] == pytest.approx(1234.2 - 1452)
    changes = w[~w["kind"].isin(["baseline", "horizon"])]["value"].sum()
    assert changes == pytest.approx(1234.2 - 1200, abs=1e-9)


def test_band_reflects_the_effect_interval(tiny):
    # Trend is certain here, so the plan in 2009 is 1,452 x (1 + e), e ~ N(-0.15, (0.1/2.563)^2):
    # the 10th and 90th centiles are near 1,452 x 0.8 and 1,452 x 0.9. With 400 runs the sample
    # centiles' sd is about 5, so allow 20.
    band = tiny.band[(tiny.band["scenario"] == "plan") & (tiny.band["year"] == 2009)].iloc[0]
    assert band["p10"] == pytest.approx(1452 * 0.8, abs=20)
    assert band["p90"] == pytest.approx(1452 * 0.9, abs=20)
    dn = tiny.band[(tiny.band["scenario"] == "do_nothing") & (tiny.band["year"] == 2009)].iloc[0]
    assert dn["p10"] == dn["p90"] == pytest.approx(1452)


def test_same_seed_same_band_other_seed_different():
    args = (
        flat_activity(),
        one_band_population({2006: 1000.0, 2007: 1000.0, 2008: 1100.0, 2009: 1210.0}),
        [intervention()],
    )
    kw = dict(horizon_year=2009, runs=200, age_profile=one_band_profile())
    a = pj.project(*args, seed=1, **kw)
    b = pj.project(*args, seed=1, **kw)
    c = pj.project(*args, seed=2, **kw)
    pd.testing.assert_frame_equal(a.band, b.band)
    np.testing.assert_array_equal(a.effect_draws, b.effect_draws)
    assert not np.allclose(a.band["p10"].iloc[-1], c.band["p10"].iloc[-1])


def test_history_is_deflated_so_demography_is_not_counted_twice():
    # Activity and population both grow exactly 10% a year: the non-demographic trend is nil, and
    # do nothing grows with the population alone.
    months = pd.date_range("2004-04-01", "2008-03-01", freq="MS")
    fy = months.year - (months.month < 4)
    activity = flat_activity(first="2004-04-01").assign(count=100.0 * 1.1 ** (fy - 2004))
    population = one_band_population({y: 1000.0 * 1.1 ** (y - 2004) for y in range(2004, 2010)})
    p = pj.project(activity, population, [], horizon_year=2009, age_profile=one_band_profile())
    assert p.trend_fits["method"].iloc[0] == "no trend: constant series"
    np.testing.assert_allclose(pj.do_nothing(p)[:, 0], 1200 * 1.1**3 * np.array([1, 1.1, 1.21]))


def test_explicit_baseline_must_be_complete_and_partial_years_are_ignored():
    activity = flat_activity(last="2008-06-01")
    population = one_band_population({2006: 1000.0, 2007: 1000.0, 2008: 1000.0})
    p = pj.project(activity, population, [], horizon_year=2008, age_profile=one_band_profile())
    assert p.baseline_year == 2007 and p.baseline.tolist() == [1200.0]
    with pytest.raises(ValueError, match="baseline_year 2008 is not a complete fiscal year"):
        pj.project(activity, population, [], baseline_year=2008, horizon_year=2009, age_profile=one_band_profile())


def test_unknown_organisation_names_the_intervention():
    population = one_band_population({2006: 1000.0, 2007: 1000.0, 2008: 1000.0})
    with pytest.raises(ValueError, match="id 'boh': organisation 'Z'"):
        pj.project(
            flat_activity(),
            population,
            [intervention(organisation="Z")],
            horizon_year=2008,
            age_profile=one_band_profile(),
        )


def test_organisation_map_and_notes_for_interventions_acting_on_nothing():
    population = one_band_population({2006: 1000.0, 2007: 1000.0, 2008: 1000.0})
    items = [
        intervention(organisation="BEN PCT"),
        intervention(id="ae", organisation="all", acts_on=[{"pathway": "urgent_care", "pod": "ae"}]),
    ]
    p = pj.project(
        flat_activity(),
        population,
        items,
        horizon_year=2008,
        age_profile=one_band_profile(),
        organisation_map={"A": "BEN PCT"},
    )
    assert p.series["organisation"].tolist() == ["BEN PCT"]
    assert p.exposure.tolist() == [[1.0], [0.0]]
    assert any("'ae' acts on no activity" in n for n in p.notes)


def test_economy_outputs_are_consistent(economy):
    p = economy
    assert p.runs == 300 and len(p.series) == 12
    # Waterfall per pathway: changes sum to horizon minus baseline; horizon equals the plan.
    w = p.waterfall
    for pathway, part in w.groupby("pathway"):
        level = part.set_index("kind")["value"]
        changes = part[~part["kind"].isin(["baseline", "horizon"])]["value"].sum()
        assert changes == pytest.approx(level["horizon"] - level["baseline"], rel=1e-12, abs=1e-6)
        mask = pj.select(p, pathway=pathway)
        assert level["horizon"] == pytest.approx(pj.plan(p)[-1, mask].sum())
    total = pj.waterfall_steps(w)
    assert total["end"].iloc[-1] == pytest.approx(pj.plan(p)[-1].sum())
    assert total["end"].iloc[-2] == pytest.approx(total["end"].iloc[-1])
    # Centiles are ordered, and the baseline year is certain.
    assert (p.band["p10"] <= p.band["p50"] + 1e-9).all() and (p.band["p50"] <= p.band["p90"] + 1e-9).all()
    base = p.band[p.band["year"] == p.baseline_year]
    np.testing.assert_allclose(base["p10"], base["p90"])


def test_trajectory_grid_scales_the_effects(economy):
    grid = pj.trajectory_grid(economy, pathway="long_term_conditions")
    plan = grid[grid["scenario"] == "plan"]
    dn = grid[grid["scenario"] == "do_nothing"].set_index("year")["count"]
    at_zero = plan[plan["effect_scale"] == 0].set_index("year")["count"]
    at_one = plan[plan["effect_scale"] == 1].set_index("year")["count"]
    pd.testing.assert_series_equal(at_zero, dn)
    mask = pj.select(economy, pathway="long_term_conditions")
    np.testing.assert_allclose(at_one.to_numpy(), pj.plan(economy)[:, mask].sum(axis=1))
    assert at_one.iloc[-1] < dn.iloc[-1] and len(grid) < 5000
    assert set(plan["effect_scale"]) == set(pj.EFFECT_SCALES)


def test_only_one_intervention_can_be_scaled(economy):
    none_of_eol = pj.plan(economy, effect_scale=0.0, only="eol")
    boh_alone = pj.plan(economy, effects="central")
    assert not np.allclose(none_of_eol, boh_alone)
    with pytest.raises(ValueError, match="no intervention with id 'xyz'"):
        pj.plan(economy, effect_scale=0.0, only="xyz")
