"""The analysts' live explorer: the horizon gap it shows, worked by hand, and its controls."""

from types import SimpleNamespace

import pytest

from analysis.report import live


@pytest.mark.unit
def test_explorer_gap_worked_by_hand_from_the_model_grid(monkeypatch):
    import pandas as pd

    calls = {}

    def gap_grid(p, unit_costs, assumptions, *, growth_shifts, scales):
        calls.update(growth_shifts=growth_shifts, scales=scales)
        # Two years; the horizon (2012) is four years from the base.
        return pd.DataFrame({
            "year": [2011, 2012], "years_from_base": [3, 4], "spend_plan": [90e6, 100e6],
            "intervention_costs": [4e6, 5e6], "allocation": [80e6, 90e6],
        })

    monkeypatch.setattr(live.catalog, "load", lambda params_file: SimpleNamespace(table=lambda name: None))
    monkeypatch.setattr(live.projected, "projection", lambda book: "projection")
    monkeypatch.setattr(live.projected, "assumptions", lambda book: {})
    monkeypatch.setattr(live.finance, "gap_grid", gap_grid)
    # Efficiency cuts the cost of care, not the schemes' own costs: 100 x 0.9^4 + 5 - 90 = -19.39 (£ million).
    assert live.horizon_gap("any.yml", 1.5, 0.1, 0.5) == pytest.approx(100e6 * 0.9**4 + 5e6 - 90e6)
    assert calls == {"growth_shifts": (1.5,), "scales": (0.5,)}  # the sliders reach the model unchanged
    assert live.horizon_gap("any.yml", 0.0, 0.0, 1.0) == pytest.approx(15e6)


@pytest.mark.integration
def test_more_efficiency_closes_the_gap():
    assert live.horizon_gap("params/default.yml", 0.0, 0.02, 1.0) < live.horizon_gap(
        "params/default.yml", 0.0, 0.0, 1.0
    )


@pytest.mark.integration
def test_explorer_builds_its_widgets():
    box = live.explorer("params/default.yml")
    assert [w.description for w in box.children[:3]] == ["Growth shift (points)", "Efficiency a year", "Effect scale"]
