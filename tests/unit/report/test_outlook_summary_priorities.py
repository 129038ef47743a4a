"""The outlook's, summary's and priorities' pure parts on hand-made inputs.

Organisations named in the plan, caseloads, the staffing rule, the list of concerns, schemes and the decision rule in
words.
"""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from analysis.model import workforce
from analysis.report import priorities as pr
from analysis.report import summary
from analysis.report.outlook import estates as outlook_estates
from analysis.report.outlook import workforce as outlook_workforce

pytestmark = pytest.mark.unit


def test_plan_names_the_economy_by_code(small_book):
    book = small_book()
    assert outlook_estates.plan_names_economy(book, ["36 community beds at TAM", "none here"])
    assert outlook_estates.plan_names_economy(book, ["E08000025 social care"])  # a local authority counts too
    assert not outlook_estates.plan_names_economy(book, ["beds at RR1.", "5PE"])  # punctuation attached; not ours


def test_caseload_figures_from_the_plan_and_the_latest_recorded_members(small_book):
    content = {"pathways": {"pathways": {"long_term_conditions": {"plan_figures": [
        {"text": "Members planned by 2012.", "value": 27000, "unit": "members"},
        {"text": "Care managers", "value": 135, "unit": "staff"},
    ]}}}}
    indicators = pd.DataFrame({
        "indicator": "ownhealth_members", "area": ["5PG", "TAM", "5PG", "5PE"],
        "period_start": pd.to_datetime(["2008-03-01", "2008-03-01", "2008-02-01", "2008-03-01"]),
        "value": [2000.0, 29.0, 1900.0, 500.0],
    })
    figures = outlook_workforce.caseload_figures(small_book({"indicators": indicators}, content=content))
    # The plan's figure (its full stop dropped), then March 2008's members in both commissioners: 2,000 + 29.
    assert figures == [("Members planned by 2012", 27000.0), ("Members recorded in March 2008", 2029.0)]


def test_productivity_ratios_table_matches_the_rule_row_for_row(small_book):
    table = outlook_workforce.productivity_ratios(small_book())
    rule = workforce.productivity_table()
    assert len(table.frame) == len(rule)
    first = table.frame.iloc[0]
    assert (first["Point of delivery"], first["Sector"], first["Staff group"]) == (
        "Elective ordinary admissions",
        "Hospital",
        "Doctors",
    )
    assert table.frame["Activity a year per WTE"].tolist() == rule["per_wte"].tolist()
    assert table.frame["Point of delivery"].notna().all()


def matrix(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["name", "pathway_title", "has_data", "variation", "assurance"])


def test_concerns_list_special_causes_of_concern_then_failing_targets(small_book, monkeypatch):
    rows = matrix([
        ("Follow-up ratio", "Planned care", True, "concern_high", None),
        ("Four-hour waits", "Urgent care", True, "common_cause", "consistent_fail"),
        ("Births", "Maternity", True, "improvement_high", "consistent_pass"),
        ("Smoking", "Staying healthy", False, None, None),  # no data: not counted
    ])
    monkeypatch.setattr(summary, "matrix_rows", lambda book: rows)
    assert summary.concerns(small_book()).data == (
        "Of 3 measures with data, 1 shows a special cause of concern and 1 will keep missing its target:\n\n"
        "- **Follow-up ratio** (planned care): special cause of concern at the latest point.\n"
        "- **Four-hour waits** (urgent care): will keep missing its target unless the process changes."
    )
    monkeypatch.setattr(summary, "matrix_rows", lambda book: rows.iloc[2:])
    assert summary.concerns(small_book()).data == (
        "None of the 1 measures with data shows a special cause of concern or a target it will keep missing."
    )


def test_scheme_info_joins_the_hospital_side_s_cost_to_its_scheme():
    items = [
        SimpleNamespace(
            id="a", name="Scheme A", pathway="urgent_care", economy_wide=False, organisation="5PG", recurrent_cost=100.0
        ),
        SimpleNamespace(
            id="a_hospital",
            name="A (hospital)",
            pathway="urgent_care",
            economy_wide=False,
            organisation="RR1",
            recurrent_cost=50.0,
        ),
        SimpleNamespace(
            id="b", name="Scheme B", pathway="children", economy_wide=True, organisation="TAM", recurrent_cost=0.0
        ),
    ]
    info = pr.scheme_info(SimpleNamespace(interventions=items))
    assert info == {
        "a": {"yearly_cost": 150.0, "name": "Scheme A", "pathway": "urgent_care", "organisation": "5PG"},
        "b": {"yearly_cost": 0.0, "name": "Scheme B", "pathway": "children", "organisation": "All"},
    }


def test_empty_note_says_why_nothing_is_ranked(small_book):
    assert "no unit costs" in pr.empty_note(small_book()).data
    costs = pd.DataFrame({"year": [2007], "pod": ["ae"], "unit_cost": [90.0]})
    assert (
        pr.empty_note(small_book({"unit_costs": costs})).data == "*This edition's plan has no interventions to rank.*"
    )


def ranked() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "scheme": ["a", "b", "c", "d"],
            "name": ["Alpha", "Beta, the second", "Gamma", "Delta"],
            "decision": ["Scale up", "Scale up", "Keep and evaluate", "Cost it first"],
            "rank_savings": [1, 2, 3, 4],
            "yearly_cost": [2.5e5, 1e5, 5e4, 0.0],
            "savings_per_pound": [3.0, 1.5, 0.4, np.nan],
            "spp_p10": [2.0, 0.9, 0.1, np.nan],
            "spp_p50": [3.0, 1.6, 0.4, np.nan],
            "spp_p90": [4.0, 2.5, 0.8, np.nan],
            "share_paying": [0.9, 0.7, 0.1, np.nan],
            "gain_p10": [0.0, 0.0, 0.5, 0.0],
            "gain_p50": [0.0, 0.0, 1.25, 0.0],
            "gain_p90": [0.0, 0.0, 2.0, 0.0],
            "pv_costs": [1e6, 4e5, 2e5, 0.0],
        }
    )


@pytest.fixture
def ranked_book(small_book, monkeypatch):
    monkeypatch.setattr(pr, "schemes", lambda book: ranked())
    monkeypatch.setattr(
        pr, "projection", lambda book: SimpleNamespace(horizon_year=2012, effect_draws=np.zeros((500, 3)))
    )
    monkeypatch.setattr(pr, "assumptions", lambda book: {
        "baseline": {"5PG": 1e6}, "growth": 0.05, "cost_pressure": 0.03, "discount_rate": 0.035,
    })
    return small_book(plan={"savings_release": {"value": 0.5}})


def test_verdict_lists_each_decision_and_what_survives_the_cash_release(ranked_book):
    text = pr.verdict(ranked_book).data
    lines = text.split("\n\n")[0].splitlines()
    assert lines == [
        "- **Scale up** (2): Alpha and Beta, the second.",
        "- **Keep and evaluate** (1): Gamma.",
        "- **Cost it first** (1): Delta.",
    ]
    # Half the gross saving released as cash: Alpha's median £3.00 becomes £1.50 (still pays);
    # Beta's £1.60 becomes £0.80.
    assert (
        "The plan file assumes 50% of the gross saving is released as cash; at that rate 1 of the 2 schemes to scale up"
        in text
    )
    assert text.endswith("would still pay for itself in the median run: Alpha.")


def test_rule_text_states_the_thresholds_the_code_applies(ranked_book):
    text = pr.rule_text(ranked_book).data
    assert text.startswith(
        "Every scheme is appraised from its start to 2012/13, at a 3.5% discount rate, in each of the model's 500 runs."
    )
    assert "**Scale up** when savings exceed £1 for each £1 spent in more than 50% of the model's 500 runs." in text


def test_ranking_table_reads_each_scheme_s_range_and_decision(ranked_book):
    table = pr.ranking(ranked_book)
    row = table.frame.iloc[0]
    assert row["Scheme"] == "Alpha" and row["Decision"] == "Scale up"
    assert row["Savings per £1 (10th to 90th centile)"] == "£3.00 (£2.00 to £4.00)"
    assert row["Emergency admissions avoided per £1,000 (10th to 90th)"] == "none"
    assert table.frame.iloc[2]["Emergency admissions avoided per £1,000 (10th to 90th)"] == "1.25 (0.50 to 2.00)"
    assert table.frame.iloc[3]["Savings per £1 (10th to 90th centile)"] == "not costed"
    assert table.caption.startswith("The plan's schemes ranked by savings per pound to 2012/13")
