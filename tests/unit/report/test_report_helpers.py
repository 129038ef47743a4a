"""Smaller report helpers on hand-made tables, each checked by the words and numbers a reader sees.

Organisations in words, the plan's words, A&E counts and benchmark, the money table and gap title, run charts,
and the guards for editions without a plan or without activity.
"""

import numpy as np
import pandas as pd
import pytest
from IPython.display import Markdown

from analysis import config
from analysis.report import economy, introduction, kpis, projected, strategy
from analysis.report.common import SYNTHETIC_SOURCE
from analysis.report.outlook import finance
from analysis.report.pathway import benchmarks, measures, plans

pytestmark = pytest.mark.unit

BEN, SOL = "Birmingham East and North PCT", "Solihull Care Trust"
HEART = "Heart of England NHS Foundation Trust"


def with_economy(params, **changes):
    """The default parameters with some of the economy's fields replaced."""
    return params.model_copy(update={"economy": params.economy.model_copy(update=changes)})


def placed(params, ben: dict, sol: dict):
    """The default parameters with each commissioner's fields (area, population) replaced."""
    ben_org, sol_org = params.economy.commissioners
    return with_economy(params, commissioners=[ben_org.model_copy(update=ben), sol_org.model_copy(update=sol)])


def published(params):
    """The parameters of an edition on published (not synthetic) data."""
    return params.model_copy(update={"edition": params.edition.model_copy(update={"synthetic": False})})


def population() -> pd.DataFrame:
    rows = [
        ("5PG", 2007, "male", 10, 2000.0, "estimate"), ("5PG", 2007, "female", 40, 2512.0, "estimate"),
        ("TAM", 2007, "male", 10, 100.0, "estimate"),
    ]
    return pd.DataFrame(rows, columns=["area", "year", "sex", "age", "population", "variant"])


def ae_series(rows) -> pd.DataFrame:
    """provider_series rows from (month, provider, measure, department, value)."""
    frame = pd.DataFrame(rows, columns=["month", "provider", "measure", "department", "value"])
    return frame.assign(month=pd.to_datetime(frame["month"]))


# --- economy: the organisations in words -----------------------------------------------------------------


def test_a_commissioner_is_described_by_its_residents_and_its_area(small_book, default_params):
    ben = default_params.economy.commissioners[0]
    book = small_book({"population": population()})
    # 2,000 + 2,512 residents in mid-2007, written to the nearest hundred.
    assert economy.organisation_about(book, "Commissioner", ben) == (
        "Commissions health care for about 4,500 residents (mid-2007)."
    )
    in_birmingham = placed(default_params, {"area": "E08000025"}, {})
    ben_placed = in_birmingham.economy.commissioners[0]
    assert economy.organisation_about(
        small_book({"population": population()}, params=in_birmingham), "Commissioner", ben_placed
    ) == "Commissions health care for about 4,500 residents (mid-2007) in Birmingham."
    assert economy.organisation_about(small_book(), "Commissioner", ben) == "Commissions health care for its residents."


def test_a_local_authority_is_described_with_the_commissioners_inside_it(small_book, default_params):
    birmingham = default_params.economy.local_authorities[0]
    assert economy.organisation_about(small_book(), "Local authority", birmingham) == (
        "One of the two local authorities the economy spans."
    )
    one_area = with_economy(
        placed(default_params, {"area": "E08000025"}, {"area": "E08000025"}), local_authorities=[birmingham]
    )
    assert economy.organisation_about(small_book(params=one_area), "Local authority", birmingham) == (
        f"The local authority the economy lies in; {BEN} and {SOL} lie within it."
    )
    ben_only = placed(default_params, {"area": "E08000025"}, {})
    assert economy.organisation_about(small_book(params=ben_only), "Local authority", birmingham) == (
        f"One of the two local authorities the economy spans; {BEN} lies within it."
    )


def test_a_provider_is_described_by_its_latest_months_attendances(small_book, default_params):
    series = ae_series([
        ("2008-02-01", "RR1", "attendances", "type_1", 900.0),
        ("2008-03-01", "RR1", "attendances", "type_1", 1000.0),
        ("2008-03-01", "RR1", "attendances", "type_2", 200.0),
        ("2008-03-01", "RR1", "over_4h", "type_1", 70.0),  # breaches are not attendances
        ("2008-03-01", "RX9", "attendances", "type_1", 5000.0),  # another provider's
    ])
    book = small_book({"provider_series": series})
    expected = f"One of the economy's providers: 1,200 A&E attendances in March 2008 ({SYNTHETIC_SOURCE})."
    assert economy.provider_about(book, "RR1") == expected
    heart = default_params.economy.providers[0]
    assert economy.organisation_about(book, "Provider", heart) == expected
    assert economy.provider_about(book, "RXT") == (
        "One of the economy's providers, as the parameter file names them; this edition has no series of its own "
        "for it."
    )


def test_structure_note_says_whose_age_structure_each_commissioner_borrows(small_book, default_params):
    scaled = placed(
        default_params,
        {"area": "E08000025", "population": 425000},
        {"area": "E08000029", "population": "practices"},
    )
    assert economy.structure_note(small_book(params=published(scaled))) == (
        " The published estimates are by local authority: "
        f"{BEN}'s age and sex structure is Birmingham's, scaled to the population its parameter file gives; "
        f"{SOL}'s age and sex structure is Solihull's, scaled to the registered lists of its practices."
    )
    # Synthetic data, or commissioners with no area of their own: nothing to say.
    assert economy.structure_note(small_book(params=scaled)) == ""
    assert economy.structure_note(small_book(params=published(default_params))) == ""


# --- introduction --------------------------------------------------------------------------------------------


def test_plan_words_follow_the_plan_or_say_once_that_there_is_none(small_book, default_params):
    assert introduction.plan_words(small_book()) == (
        "It follows the economy's five-year plan pathway by pathway: where each stands,\n"
        "how it compares with others, whether change is working, and what the plan means for activity,\n"
        "money, staff and beds from 2007/08 to 2012/13."
    )
    no_plan = introduction.plan_words(small_book(params=default_params.model_copy(update={"plan": None})))
    assert no_plan.startswith("It goes pathway by pathway:")
    assert "what doing nothing means for activity, money, staff and beds from 2007/08 to 2012/13.\n\n" in no_plan
    assert no_plan.endswith(introduction.NO_PLAN_WORDS) and "five-year plan" not in no_plan


# --- kpis: A&E counts ----------------------------------------------------------------------------------------


def test_four_hour_counts_keep_only_rows_with_both_counts():
    rows = ae_series([
        ("2008-01-01", "RR1", "attendances", "type_1", 100.0), ("2008-01-01", "RR1", "over_4h", "type_1", 10.0),
        ("2008-01-01", "RR1", "attendances", "type_2", 50.0), ("2008-01-01", "RR1", "over_4h", "type_2", 5.0),
        # An exempt provider: attendances but blank breaches, so its attendances are left out too.
        ("2008-01-01", "RXT", "attendances", "type_1", 40.0), ("2008-01-01", "RXT", "over_4h", "type_1", np.nan),
        ("2008-02-01", "RR1", "attendances", "type_1", 200.0), ("2008-02-01", "RR1", "over_4h", "type_1", 30.0),
    ])
    counts = kpis.four_hour_counts(rows)
    assert counts["attendances"].tolist() == [150.0, 200.0]
    assert counts["over_4h"].tolist() == [15.0, 30.0]
    assert list(counts.index) == list(pd.to_datetime(["2008-01-01", "2008-02-01"]))
    # Booked and unbooked attendances of one department are separate rows, each with its own breaches.
    booked = rows.iloc[:2].assign(booking=["booked", "booked"])
    unbooked = rows.iloc[:2].assign(booking=["unbooked", "unbooked"], value=[20.0, 4.0])
    both = kpis.four_hour_counts(pd.concat([booked, unbooked]))
    assert both["attendances"].tolist() == [120.0] and both["over_4h"].tolist() == [14.0]
    only_attendances = kpis.four_hour_counts(rows[rows["measure"] == "attendances"])
    assert only_attendances.empty and list(only_attendances.columns) == ["attendances", "over_4h"]


def test_provider_codes_are_the_parameter_files(small_book, default_params):
    assert kpis.provider_codes(small_book()) == ["RR1", "RXT"]
    one = with_economy(default_params, providers=default_params.economy.providers[:1])
    assert kpis.provider_codes(small_book(params=one)) == ["RR1"]


# --- the A&E benchmark ---------------------------------------------------------------------------------------


def benchmark_series() -> pd.DataFrame:
    return ae_series([
        # The economy's trust: type 1 1,000 attendances, 100 breaches; type 2 200 and none.
        ("2008-03-01", "RR1", "attendances", "type_1", 1000.0), ("2008-03-01", "RR1", "over_4h", "type_1", 100.0),
        ("2008-03-01", "RR1", "attendances", "type_2", 200.0), ("2008-03-01", "RR1", "over_4h", "type_2", 0.0),
        ("2008-03-01", "RR1", "dta_over_12h", "type_1", 5.0),
        # Three peers with type 1 departments: 90%, 70% and 80% within four hours.
        ("2008-03-01", "P1", "attendances", "type_1", 100.0), ("2008-03-01", "P1", "over_4h", "type_1", 10.0),
        ("2008-03-01", "P1", "dta_over_12h", "type_1", 2.0),
        ("2008-03-01", "P2", "attendances", "type_1", 100.0), ("2008-03-01", "P2", "over_4h", "type_1", 30.0),
        ("2008-03-01", "P2", "dta_over_12h", "type_1", 4.0),
        ("2008-03-01", "P3", "attendances", "type_1", 100.0), ("2008-03-01", "P3", "over_4h", "type_1", 20.0),
        ("2008-03-01", "P3", "dta_over_12h", "type_1", 3.0),
        # A walk-in centre (no type 1 department) is no peer of an acute trust.
        ("2008-03-01", "W1", "attendances", "type_2", 500.0), ("2008-03-01", "W1", "over_4h", "type_2", 0.0),
        # Thirteen months before the last: outside the year compared.
        ("2007-02-01", "P1", "attendances", "type_1", 100.0), ("2007-02-01", "P1", "over_4h", "type_1", 100.0),
    ])


def test_provider_benchmark_sets_the_economys_trust_against_the_peers(small_book):
    table = benchmarks.provider_benchmark(small_book({"provider_series": benchmark_series()}), "urgent_care")
    frame = table.frame
    assert frame["Provider"].tolist() == [
        HEART, "Median of the 3 other providers", "Other providers' best quarter (75th centile)"
    ]
    # RR1: 1 - 100/1,200 for all types, 1 - 100/1,000 for type 1; peers 0.9, 0.7, 0.8: median 0.8, 75th centile 0.85.
    assert frame["Four hours, all types"].tolist() == pytest.approx([1 - 100 / 1200, 0.8, 0.85])
    assert frame["Four hours, type 1"].tolist() == pytest.approx([0.9, 0.8, 0.85])
    assert frame["12-hour waits from decision to admit"].tolist()[:2] == [5.0, 3.0]
    assert frame["Attendances"].tolist()[:2] == [1200.0, 100.0]
    assert np.isnan(frame["Attendances"].iloc[2])
    assert table.caption.startswith("A&E performance against the 95% four-hour standard, April 2007 to March 2008:")


def test_provider_benchmark_only_for_urgent_care_and_a_note_without_peers(small_book):
    book = small_book({"provider_series": benchmark_series()})
    assert benchmarks.provider_benchmark(book, "maternity") is None
    assert benchmarks.provider_benchmark(small_book(), "urgent_care") is None
    ours_only = benchmark_series().query("provider == 'RR1'")
    note = benchmarks.provider_benchmark(small_book({"provider_series": ours_only}), "urgent_care")
    assert note.frame["Note"].tolist() == [
        "None of the economy's providers has a type 1 A&E department in the provider file."
    ]


# --- the money table and the gap chart's title ----------------------------------------------------------------


def gap_frame(gap_do_nothing, gap_plan) -> pd.DataFrame:
    years = [2007, 2008, 2009]
    return pd.DataFrame({
        "year": years, "year_label": ["2007/08", "2008/09", "2009/10"],
        "gap_do_nothing": gap_do_nothing, "gap_plan": gap_plan,
    })


def with_gap(book, frame):
    """The catalog with its worked-out gap frame already in place (the model's own output is tested elsewhere)."""
    book.computed("finance.gap", lambda _: frame)
    return book


@pytest.mark.parametrize(
    ("do_nothing", "plan", "title"),
    [
        # A shortfall in the baseline year alone does not count: the title is about the years ahead.
        (
            [3.0, -1.0, -2.0], [3.0, -1.0, -2.0],
            "At the plan's assumptions the allocation covers the cost of care to 2009/10",
        ),
        (
            [-5.0, -1.0, 4.0], [-5.0, -1.0, 2.0],
            "At the plan's assumptions the cost of care overtakes the allocation in 2009/10, and the plan's schemes "
            "narrow the gap",
        ),
        (
            [-5.0, 1.0, 4.0], [-5.0, 1.0, 6.0],
            "At the plan's assumptions the cost of care overtakes the allocation in 2008/09, and the plan's schemes "
            "widen the gap",
        ),
    ],
)
def test_gap_title_names_the_first_year_of_shortfall(small_book, do_nothing, plan, title):
    assert finance.gap_title(with_gap(small_book(), gap_frame(do_nothing, plan))) == title


def test_money_by_year_reads_across_one_column_a_year(small_book):
    frame = pd.DataFrame({
        "year": [2007, 2008], "year_label": ["2007/08", "2008/09"],
        "allocation": [100e6, 105e6], "activity_cost_do_nothing": [80e6, 90e6], "activity_cost_plan": [80e6, 86e6],
        "other_spend": [15e6, 20e6], "intervention_costs": [0.0, 2e6],
        # 80 + 15 - 100 and 90 + 20 - 105; with the plan 86 + 20 + 2 - 105.
        "gap_do_nothing": [-5e6, 5e6], "gap_plan": [-5e6, 3e6],
    })
    unit_costs = pd.DataFrame({"year": [2007], "pod": ["ae"], "unit_cost": [100.0]})
    table = finance.money_by_year(with_gap(small_book({"unit_costs": unit_costs}), frame))
    shown = table.frame.set_index("Where the money goes")
    assert list(shown.index) == [
        "Allocation", "Hospital and community activity", "Other spending", "Gap, doing nothing",
        "The plan's schemes cost", "Activity the plan avoids", "Gap, with the plan",
    ]
    assert shown["2008/09"].tolist() == [105e6, 90e6, 20e6, 5e6, 2e6, 4e6, 3e6]
    assert shown["2007/08"].tolist() == [100e6, 80e6, 15e6, -5e6, 0.0, 0.0, -5e6]
    assert table.caption.startswith("Where the money goes each year")
    assert "£4.0m" in repr(table) and "£105.0m" in repr(table)
    no_costs = finance.money_by_year(small_book())
    assert isinstance(no_costs, Markdown) and no_costs.data == finance.NO_COSTS


# --- run charts ------------------------------------------------------------------------------------------------


def run_kpi(**extra) -> config.Kpi:
    return config.Kpi(id="members", name="Scheme members", source="activity", pods=["ae"], unit="members", chart="run",
                      **extra)


def run_series(values) -> pd.DataFrame:
    return pd.DataFrame({"period_start": pd.date_range("2008-01-01", periods=len(values), freq="MS"), "value": values})


def test_run_title_says_where_the_total_has_got_to_and_what_the_plan_asks_next():
    # Months already past are skipped: the next month of the trajectory after March 2008 is June 2008.
    kpi = run_kpi(trajectory={"2009-03": 900, "2008-06": 500, "2008-01": 50})
    rising = measures.KpiResult(kpi, run_series([140.0, 220.0, 300.0]), None, None)
    assert measures.run_title(rising) == (
        "Scheme members has risen every month to 300 in Mar 2008; the plan asks for 500 by Jun 2008"
    )
    flat = measures.KpiResult(run_kpi(), run_series([140.0, 140.0, 300.0]), None, None)
    assert measures.run_title(flat) == "Scheme members has reached 300 in Mar 2008"
    past = measures.KpiResult(run_kpi(trajectory={"2008-02": 200}), run_series([140.0, 220.0, 300.0]), None, None)
    assert measures.run_title(past) == "Scheme members has risen every month to 300 in Mar 2008"


def test_run_summary_has_the_latest_value_and_no_limits():
    summary = measures.run_summary(run_kpi(trajectory={"2008-06": 500}), run_series([140.0, 220.0, 300.0]))
    assert summary["latest_value"] == 300.0
    assert all(np.isnan(summary[k]) for k in ("mean", "lpl", "upl"))
    assert summary["target"] is None and summary["trial_limits"] is False
    assert summary["variation"] == "run" and summary["assurance"] == "run"
    assert measures.run_summary(run_kpi(), run_series([1.0, 2.0]))["assurance"] is None


# --- guards: no plan, no activity; the plan's source; the strategy page --------------------------------------


def test_needs_plan_shows_the_page_only_with_a_plan(small_book, default_params):
    @plans.needs_plan
    def schemes_page(book, pathway):
        return f"schemes of {pathway}"

    assert schemes_page(small_book(), "maternity") == "schemes of maternity"
    shown = schemes_page(small_book(params=default_params.model_copy(update={"plan": None})), "maternity")
    assert shown.data == (
        "*No plan is loaded for this edition (see the introduction), so there is nothing to show here.*"
    )
    assert schemes_page.__name__ == "schemes_page"


def test_plan_source_from_the_content_or_the_parameter_file(small_book, default_params):
    content = {"pathways": {"source": "Working Together for Health, 2008"}}
    assert plans.plan_source(small_book(content=content)) == "Working Together for Health, 2008"
    assert plans.plan_source(small_book()) == "data/content"
    assert plans.plan_source(small_book(params=default_params.model_copy(update={"content": None}))) == ""


def activity(commissioner: str) -> pd.DataFrame:
    return pd.DataFrame({
        "month": pd.to_datetime(["2007-04-01"]), "commissioner": [commissioner], "practice": ["P1"],
        "pathway": ["urgent_care"], "pod": ["ae"], "count": [10.0],
    })


def test_has_economy_activity_needs_the_economys_own_commissioners(small_book):
    assert projected.has_economy_activity(small_book({"activity": activity("TAM")}))
    assert not projected.has_economy_activity(small_book({"activity": activity("5PE")}))
    assert not projected.has_economy_activity(small_book())


def test_needs_projection_shows_one_line_without_activity(small_book):
    @projected.needs_projection
    def projection_page(book):
        return "the projection"

    assert projection_page(small_book({"activity": activity("5PG")})) == "the projection"
    assert projection_page(small_book({"activity": activity("5PE")})).data == (
        "*No projection: this edition has no data on activity by commissioner.*"
    )


def test_strategy_about_counts_strands_and_services(small_book):
    content = {
        "economy": {"core_strategy": {"strands": [{"name": s} for s in ("Prevention", "Access", "Quality")]}},
        "strategy": {"challenged_services": [{"name": "Stroke"}, {"name": "Maternity"}]},
    }
    assert strategy.about(small_book(content=content)).data == (
        "The plan rests on a core strategy of 3 strands that every partner signed up to, and it discusses 2 services "
        "that the region counts as challenged. This page shows where the book follows each strand, and what the "
        "edition's data say about each challenged service."
    )
    assert strategy.about(small_book()).data == strategy.NO_STRATEGY
