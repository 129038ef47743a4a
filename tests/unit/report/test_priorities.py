"""Prioritisation.

Schemes joined with their hospital side, the decision rule, the uncertainty from the model's runs, and the link between
commissioning intentions and schemes.
"""

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from analysis.model.interventions import parse_interventions
from analysis.report import priorities as pr
from analysis.report import projected


def intervention(
    id_: str,
    *,
    organisation="5PG",
    pathway="long_term_conditions",
    cost=100.0,
    start=2008,
    source="plan, appendix two",
    investment=0.0,
) -> dict:
    return {
        "id": id_,
        "name": id_.replace("_", " ").capitalize(),
        "pathway": pathway,
        "organisation": organisation,
        "acts_on": [{"pathway": pathway, "pod": "non_elective"}],
        "start_year": start,
        "ramp_years": 1,
        "effect_low": -0.1,
        "effect_high": -0.05,
        "investment": investment,
        "recurrent_cost": cost,
        "staff": [],
        "source": source,
        "basis": "assumption",
        "note": "A test scheme.",
    }


# --- schemes and the rule ----------------------------------------------------------------------------


@pytest.mark.unit
def test_a_hospital_side_joins_its_scheme_only_when_the_scheme_exists():
    assert pr.scheme_ids(["a", "a_hospital", "b_hospital", "c"]) == ["a", "a", "b_hospital", "c"]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("cost", "paying", "gain", "decision"),
    [
        (0.0, 0.0, 1.0, "Cost it first"),
        (10.0, 0.51, 0.0, "Scale up"),
        (10.0, 0.5, 0.9, "Keep and evaluate"),  # exactly half is not "most"
        (10.0, 0.2, 0.5, "Review or stop"),
        (10.0, 0.0, 0.0, "Review or stop"),
    ],
)
def test_decision_rule(cost, paying, gain, decision):
    assert pr.decide(cost, paying, gain) == decision


@pytest.mark.unit
def test_scheme_draws_add_the_hospital_side_to_its_scheme_in_each_run():
    draws = pd.DataFrame({
        "run": [0, 0, 1, 1],
        "intervention": ["a", "a_hospital"] * 2,
        "pv_savings": [-50.0, 250.0, -50.0, 100.0],
        "pv_costs": [100.0, 0.0, 100.0, 0.0],
        "emergency_avoided": [0.0, 20.0, 0.0, 5.0],
        "cost_total": [200.0, 0.0, 200.0, 0.0],
    })
    out = pr.scheme_draws(draws)
    assert list(out["scheme"]) == ["a", "a"]
    assert list(out["savings_per_pound"]) == pytest.approx([2.0, 0.5])  # (250 - 50) / 100, (100 - 50) / 100
    assert list(out["gain_per_1000"]) == pytest.approx([100.0, 25.0])  # 20 / 200 x 1,000, 5 / 200 x 1,000


@pytest.mark.unit
def test_summary_of_runs_gives_centiles_shares_and_the_decision():
    ratios = [0.5, 1.5, 2.0, 3.0]
    draws = pd.DataFrame({
        "run": range(4), "intervention": "a", "pv_savings": [100.0 * r for r in ratios], "pv_costs": 100.0,
        "emergency_avoided": [0.0, 0.0, 0.0, 1.0], "cost_total": 100.0,
    })
    central = pd.DataFrame({"intervention": ["a"], "pv_savings": [180.0], "pv_costs": [100.0]})
    row = pr.summarise(
        draws, central, {"a": {"name": "A", "pathway": "p", "organisation": "5PG", "yearly_cost": 20.0}}
    ).iloc[0]
    assert row["savings_per_pound"] == pytest.approx(1.8)  # the central run, not the draws
    # Linear centiles of 0.5, 1.5, 2, 3: at 10% position 0.3 -> 0.8; at 90% position 2.7 -> 2.7.
    assert (row["spp_p10"], row["spp_p50"], row["spp_p90"]) == (
        pytest.approx(0.8),
        pytest.approx(1.75),
        pytest.approx(2.7),
    )
    assert row["share_paying"] == pytest.approx(0.75)
    assert row["share_gain"] == pytest.approx(0.25)
    assert row["decision"] == "Scale up"


@pytest.mark.unit
def test_ranks_put_uncosted_schemes_last():
    draws = pd.DataFrame(
        {
            "run": [0, 0, 0],
            "intervention": ["a", "b", "c"],
            "pv_savings": [50.0, 300.0, 10.0],
            "pv_costs": [100.0, 100.0, 0.0],
            "emergency_avoided": [5.0, 0.0, 1.0],
            "cost_total": [100.0, 100.0, 0.0],
        }
    )
    central = draws[["intervention", "pv_savings", "pv_costs"]]
    out = pr.summarise(draws, central, {}).set_index("scheme")
    assert out.loc["b", "rank_savings"] == 1 and out.loc["a", "rank_savings"] == 2 and out.loc["c", "rank_savings"] == 3
    assert out.loc["a", "rank_gain"] == 1
    assert out.loc["c", "decision"] == "Cost it first"


# --- money over years --------------------------------------------------------------------------------


@pytest.mark.unit
def test_discounting_and_costs_start_in_each_schemes_start_year():
    items = parse_interventions(
        [intervention("a", cost=100.0, start=2008, investment=50.0), intervention("b", cost=10.0, start=2010)]
    )
    p = SimpleNamespace(years=(2007, 2008, 2009, 2010), interventions=items)
    window = pr.discount_matrix(p, 0.1)
    assert window[0] == pytest.approx([0.0, 1.0, 1 / 1.1, 1 / 1.21])
    assert window[1] == pytest.approx([0.0, 0.0, 0.0, 1.0])
    assert pr.cost_matrix(p).tolist() == [[0.0, 150.0, 100.0, 100.0], [0.0, 0.0, 0.0, 10.0]]


# --- commissioning intentions ----------------------------------------------------------------------------


@pytest.mark.unit
def test_intentions_link_to_the_scheme_with_the_closest_yearly_sum_once_each():
    items = parse_interventions([
        intervention("ownhealth", cost=3.75e6),
        intervention("intermediate", cost=1.5e6),
        intervention("intermediate_hospital", cost=0.0),
        intervention("not_in_appendix", cost=0.75e6, source="plan, section 6"),
        intervention("other_pathway", cost=0.75e6, pathway="end_of_life"),
    ])
    investments = [
        {"organisation": "5PG", "pathway": "long_term_conditions", "investment": 4.0e6},  # 6% from OwnHealth
        {"organisation": "5PG", "pathway": "long_term_conditions", "investment": 1.5e6},  # exactly intermediate
        {
            "organisation": "5PG",
            "pathway": "long_term_conditions",
            "investment": 0.75e6,
        },  # only unlinkable schemes match
        {"organisation": "TAM", "pathway": "long_term_conditions", "investment": 1.5e6},  # another commissioner
        {
            "organisation": "5PG",
            "pathway": "long_term_conditions",
            "investment": 3.0e6,
        },  # 25% from OwnHealth, but it is taken
    ]
    links = pr.link_intentions(investments, SimpleNamespace(interventions=items))
    assert links == {0: "ownhealth", 1: "intermediate"}


@pytest.mark.unit
def test_an_intention_too_far_from_any_scheme_is_not_linked():
    items = parse_interventions([intervention("a", cost=1.0e6)])
    assert (
        pr.link_intentions(
            [{"organisation": "5PG", "pathway": "long_term_conditions", "investment": 2.0e6}],
            SimpleNamespace(interventions=items),
        )
        == {}
    )


# --- the default edition ---------------------------------------------------------------------------------


@pytest.mark.integration
def test_runs_at_the_central_effects_reproduce_the_finance_appraisal():
    from analysis.model import finance
    from analysis.model.projection import central_effects
    from analysis.report import common

    book = common.load("params/default.yml")
    p = projected.projection(book)
    # Three runs, each with every effect at its centre and the trend at its centre: the same as the
    # principal run of the finance chapter.
    fixed = replace(p, effect_draws=np.tile(central_effects(p), (3, 1)), trend_z=np.zeros(3))
    draws = pr.run_draws(fixed, book.table("unit_costs"), projected.assumptions(book))
    central = finance.appraise(p, book.table("unit_costs"), projected.assumptions(book)).set_index("intervention")
    for _run, group in draws.groupby("run"):
        mine = group.set_index("intervention")
        assert mine["pv_savings"].to_numpy() == pytest.approx(
            central.loc[mine.index, "pv_savings"].to_numpy(), rel=1e-9, abs=1e-6
        )
        assert mine["pv_costs"].to_numpy() == pytest.approx(central.loc[mine.index, "pv_costs"].to_numpy())


@pytest.mark.integration
def test_default_edition_schemes_are_ranked_and_decided_by_the_rule():
    from analysis.report import common

    book = common.load("params/default.yml")
    frame = pr.schemes(book)
    assert not any(s.endswith(pr.HOSPITAL_SUFFIX) for s in frame["scheme"])  # every hospital side joined its scheme
    for row in frame.itertuples(index=False):
        paying = 0.0 if np.isnan(row.share_paying) else row.share_paying
        assert row.decision == pr.decide(row.pv_costs, paying, row.share_gain)
        if row.pv_costs > 0:
            assert row.spp_p10 <= row.spp_p50 <= row.spp_p90
    assert list(frame["rank_savings"]) == sorted(frame["rank_savings"])
