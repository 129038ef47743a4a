"""A pathway chapter's parts on small hand-made tables.

KPIs and their SPC titles, the latest values as shown, benchmarks, member schemes, practice rates and the deliverables
register.
"""

import numpy as np
import pandas as pd
import pytest

from analysis.report.pathway import benchmarks, measures, plans, practices

pytestmark = pytest.mark.unit

BEN, SOL = "Birmingham East and North PCT", "Solihull Care Trust"


def ae_activity(counts=(10.0, 20.0, 30.0, 40.0), commissioner="5PG") -> pd.DataFrame:
    return pd.DataFrame({
        "month": pd.date_range("2007-04-01", periods=len(counts), freq="MS"), "commissioner": commissioner,
        "practice": "P1", "pathway": "urgent_care", "pod": "ae", "count": list(counts),
    })


def test_kpi_list_and_frame_follow_the_parameter_file(small_book):
    book = small_book({"activity": ae_activity()})
    ids = [k.id for k in measures.kpi_list(book, "urgent_care")]
    assert ids == ["ae_attendances", "emergency_admissions", "four_hour_performance", "ucc_diversion"]
    assert measures.kpi_list(book, "no_such_pathway") == []
    frames = measures.kpi_frame(book, "urgent_care")
    assert list(frames) == ids
    assert frames["ae_attendances"]["value"].tolist() == [10.0, 20.0, 30.0, 40.0]
    assert frames["four_hour_performance"].empty  # no indicators in this edition


def test_kpi_results_run_spc_where_there_are_two_points(small_book):
    results = {r.kpi.id: r for r in measures.kpi_results(small_book({"activity": ae_activity()}), "urgent_care")}
    ae = results["ae_attendances"]
    assert ae.summary["latest_value"] == 40.0
    assert ae.spc["mean"].iloc[0] == pytest.approx(25.0)  # the mean of 10, 20, 30 and 40
    assert results["four_hour_performance"].spc is None and results["four_hour_performance"].summary is None


def test_kpi_title_states_the_variation_and_the_assurance(default_params):
    kpi = default_params.pathways["urgent_care"].kpis[0]
    result = measures.KpiResult(
        kpi, pd.DataFrame(), None, {"variation": "concern_high", "assurance": "consistent_fail"}
    )
    assert measures.kpi_title(result) == (
        "A&E attendances needs attention: recent values are unusually high, and will keep missing its target unless "
        "the process changes"
    )
    plain = measures.KpiResult(kpi, pd.DataFrame(), None, {"variation": "common_cause", "assurance": None})
    assert measures.kpi_title(plain) == "A&E attendances varies within its usual range"


def test_latest_values_shown_under_disclosure_control(small_book):
    published = small_book({"activity": ae_activity((10.0, 20.0, 13.0))})
    results = measures.kpi_results(published, "urgent_care")
    values = measures.shown_latest(published, "urgent_care", results)
    assert values[0] == 13.0 and all(np.isnan(v) for v in values[2:])
    # Counted from patient-level data: 13 is rounded to the nearest 5; a latest count of 3 is suppressed.
    patient = small_book({"activity": ae_activity((10.0, 20.0, 13.0))}, patient_level=frozenset({"activity"}))
    assert measures.shown_latest(patient, "urgent_care", measures.kpi_results(patient, "urgent_care"))[0] == "15"
    small = small_book({"activity": ae_activity((10.0, 20.0, 3.0))}, patient_level=frozenset({"activity"}))
    assert measures.shown_latest(small, "urgent_care", measures.kpi_results(small, "urgent_care"))[0] == "*"


def test_benchmark_rows_take_each_commissioner_s_latest_period_with_england(small_book):
    indicators = pd.DataFrame({
        "indicator": "four_hour_performance_pct", "area": ["5PG", "TAM", "E92000001", "5PG"],
        "period": ["2007/08"] * 3 + ["2006/07"], "period_start": pd.to_datetime(["2007-04-01"] * 3 + ["2006-04-01"]),
        "value": [0.97, 0.95, 0.98, 0.5], "lower_ci": [0.96, 0.94, np.nan, 0.4], "upper_ci": [0.98, 0.96, np.nan, 0.6],
        "polarity": "high_is_good",
    })
    rows = benchmarks.benchmark_rows(small_book({"indicators": indicators}), "urgent_care")
    four_hour = rows[rows["indicator"] == "four_hour_performance_pct"].set_index("area")
    assert four_hour["value"].to_dict() == {BEN: 0.97, SOL: 0.95}
    assert set(four_hour["england"]) == {0.98} and four_hour.loc[BEN, "lower"] == 0.96
    missing = rows[rows["indicator"] == "ucc_diversion_pct"]
    assert len(missing) == 1 and missing["area"].isna().all()  # no data: one empty row, so the table can say so


def test_member_schemes_are_the_indicators_that_count_members(small_book):
    assert benchmarks.member_schemes(small_book(), "long_term_conditions") == ["ownhealth"]
    assert benchmarks.member_schemes(small_book(), "urgent_care") == []
    assert benchmarks.member_schemes(small_book(), "no_such_pathway") == []


def test_practice_rates_in_the_last_full_fiscal_year(small_book):
    months = pd.date_range("2007-04-01", periods=14, freq="MS")  # 2007/08 in full and two months of 2008/09
    activity = pd.concat(
        [
            pd.DataFrame(
                {
                    "month": months,
                    "commissioner": "5PG",
                    "practice": "P1",
                    "pathway": "urgent_care",
                    "pod": "ae",
                    "count": 3.0,
                }
            ),
            pd.DataFrame(
                {
                    "month": months,
                    "commissioner": "TAM",
                    "practice": "P2",
                    "pathway": "urgent_care",
                    "pod": "ae",
                    "count": 1.0,
                }
            ),
            pd.DataFrame(
                {
                    "month": months,
                    "commissioner": "5PG",
                    "practice": "P3",
                    "pathway": "urgent_care",
                    "pod": "ae",
                    "count": 9.0,
                }
            ),
        ]
    )
    lists = pd.DataFrame({"practice": ["P1", "P2", "P3", "P1"], "year": [2007, 2007, 2007, 2008],
                          "commissioner": ["5PG", "TAM", "5PG", "5PG"], "list_size": [1000.0, 500.0, 0.0, 7.0]})
    frame = practices.practice_rates(small_book({"activity": activity, "practices": lists}), "urgent_care", "ae")
    # 2007/08: P1 36 attendances on 1,000, P2 12 on 500; P3 has no registered list and is left out.
    assert frame.attrs["year"] == 2007
    assert frame[["practice", "count", "list_size"]].to_numpy().tolist() == [["P1", 36.0, 1000.0], ["P2", 12.0, 500.0]]
    assert practices.practice_rates(small_book(), "urgent_care", "ae").empty


def test_economy_practices_from_the_practices_table(small_book):
    lists = pd.DataFrame({"practice": ["P1", "P2", "P3"], "year": 2007, "commissioner": ["5PG", "TAM", "5PE"]})
    book = small_book({"practices": lists})
    assert practices.economy_practices(book, pd.Series(["P1", "P3", "X9"])) == {"P1", "P2"}
    # None of the candidates is in the practices table: every candidate is kept.
    assert practices.economy_practices(book, pd.Series(["X1", "X2"])) == {"X1", "X2"}


def test_deliverables_register_with_status_colours(small_book):
    content = {"pathways": {"pathways": {"maternity": {"deliverables": [
        {"id": "d1", "text": "Open a midwife-led unit", "owner": "BEN PCT", "due": "2009-03", "status": "at_risk"},
        {"id": "d2", "text": "Review <a> & <b>", "owner": "Trust", "due": "2010-03", "status": "complete"},
    ]}}}}
    book = small_book(content=content)
    assert plans.content(book, "maternity")["deliverables"][0]["id"] == "d1"
    assert plans.content(book, "children") == {}
    table = plans.deliverables(book, "maternity")
    assert table.frame["Deliverable"].tolist() == ["Open a midwife-led unit", "Review <a> & <b>"]
    assert table.frame["Status"].iloc[0] == '<span class="sb-rag sb-rag-amber" aria-label="At risk">At risk</span>'
    assert "sb-rag-blue" in table.frame["Status"].iloc[1]
    assert plans.deliverables(small_book(), "maternity").frame.empty


def test_an_unknown_status_is_shown_escaped_in_its_label_and_text(small_book):
    status = 'late" onmouseover="x()'
    content = {"pathways": {"pathways": {"maternity": {"deliverables": [
        {"id": "d1", "text": "Open a unit", "owner": "BEN PCT", "due": "2009-03", "status": status},
    ]}}}}
    shown = plans.deliverables(small_book(content=content), "maternity").frame["Status"].iloc[0]
    assert shown == (
        '<span class="sb-rag sb-rag-grey" aria-label="late&quot; onmouseover=&quot;x()">'
        "late&quot; onmouseover=&quot;x()</span>"
    )


def test_investments_of_the_pathway_with_their_total(small_book):
    plan = {
        "investments": [
            {
                "pathway": "urgent_care",
                "organisation": "5PG",
                "intention": "2nd urgent care centre",
                "description": "A centre",
                "investment": 350_000,
            },
            {
                "pathway": "urgent_care",
                "organisation": "all",
                "intention": "Triage",
                "description": "Phone line",
                "investment": 125_000,
            },
            {"pathway": "children", "organisation": "TAM", "intention": "Other", "description": "x", "investment": 1e6},
        ]
    }
    table = plans.investments(small_book(plan=plan), "urgent_care")
    assert table.frame["Organisation"].tolist() == [BEN, "all"]
    assert table.caption == "Planned investment in this pathway: £0.47 million"  # 350,000 + 125,000 = 475,000
    assert (
        plans.investments(small_book(plan=plan), "maternity").data
        == "*The plan's investment tables name no investment for this pathway.*"
    )
    theirs = {
        "investments": [
            {"pathway": "urgent_care", "organisation": "5PE", "intention": "x", "description": "y", "investment": 1.0}
        ]
    }
    assert "other organisations'" in plans.investments(small_book(plan=theirs), "urgent_care").data


def test_nearest_five_rounds_halves_up_and_keeps_missing():
    # 12.4 / 5 = 2.48 -> 2 (10); 12.5 / 5 = 2.5 -> 3 (15); 7.4 -> 5; 0.0 stays 0.
    assert [measures.nearest_five(v) for v in (12.4, 12.5, 7.4, 0.0)] == [10.0, 15.0, 5.0, 0.0]
    assert np.isnan(measures.nearest_five(np.nan))
