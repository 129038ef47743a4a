"""The pathway chapter's words and charts: sentences that agree, nothing empty, proportions as percentages."""

from __future__ import annotations

import html

import pytest
from IPython.display import Markdown

from analysis.charts.theme import WIDTH
from analysis.report import common, wording
from analysis.report.pathway import benchmarks, measures, plans, practices


@pytest.mark.unit
def test_outlier_titles_agree_in_number():
    assert (
        practices.outlier_title(1, 1, "has", "A&E attendances")
        == "1 practice has unusually high and 1 unusually low A&E attendances"
    )
    assert (
        practices.outlier_title(3, 0, "is", "on smoking")
        == "3 practices are unusually high on smoking; none is unusually low"
    )
    assert (
        practices.outlier_title(0, 1, "has", "referrals")
        == "1 practice has unusually low referrals; none has unusually high"
    )
    assert practices.outlier_title(0, 0, "is", "on smoking") == "No practice is unusually high or low on smoking"


@pytest.mark.unit
def test_names_inside_sentences_keep_acronyms_and_proper_names():
    assert wording.sentence_case("Smoking prevalence (adults)") == "smoking prevalence (adults)"
    assert wording.sentence_case("A&E attendances") == "A&E attendances"
    assert wording.sentence_case("GP referrals") == "GP referrals"
    assert wording.sentence_case("Birmingham OwnHealth members") == "Birmingham OwnHealth members"


@pytest.mark.unit
def test_monthly_periods_read_as_months():
    assert benchmarks.period_label("2008-03") == "Mar 2008"
    assert benchmarks.period_label("2007/08") == "2007/08"


@pytest.fixture(scope="module")
def book():
    return common.load("params/default.yml")


def _text(output) -> str:
    return output.data if isinstance(output, Markdown) else repr(output)


PATHWAYS = ["maternity", "children", "staying_healthy", "long_term_conditions", "urgent_care", "planned_care",
            "mental_health", "end_of_life"]


@pytest.mark.integration
@pytest.mark.parametrize("pathway", PATHWAYS)
def test_each_chapter_shows_its_own_pathway(book, pathway):
    """Each section of a pathway chapter carries that pathway's content and measures, not another's."""
    written = plans.content(book, pathway)
    kpi_list = measures.kpi_list(book, pathway)
    messages = plans.key_messages(book, pathway).data
    for message in written["key_messages"]:
        assert f"- {message}" in messages
    assert written["aspiration"].strip()[:60] in _text(plans.aspiration_and_plans(book, pathway))
    if kpi_list:
        shown = measures.kpi_summary(book, pathway).frame["Indicator"].str.replace(r"\s*<span.*$", "", regex=True)
        assert shown.map(html.unescape).tolist() == [k.name for k in kpi_list]  # the column holds HTML
        assert [chart_id for chart_id, _ in measures.kpi_charts(book, pathway).charts] == [
            f"kpi-{k.id}" for k in kpi_list
        ]
    assert measures.what_to_watch(book, pathway).data.startswith("**What to watch.** ")


@pytest.mark.integration
def test_what_to_watch_without_measures_says_so(book):
    text = measures.what_to_watch(book, "staying_healthy").data
    assert text.startswith("**What to watch.** ") and "no measure over time" in text


@pytest.mark.integration
def test_what_to_watch_shows_proportions_as_percentages(book):
    # The four-hour measure's target is 0.98 in params/default.yml: the text says 98.0%, never 0.98.
    text = measures.what_to_watch(book, "urgent_care").data
    assert "target of 98.0%" in text and "0.98" not in text


@pytest.mark.integration
def test_activity_chart_is_full_width_with_a_whole_legend_title(book):
    spec = practices.activity_by_pod(book, "urgent_care").to_dict()
    assert WIDTH - 40 <= spec["width"] <= WIDTH
    legend = spec["encoding"]["color"]["legend"]
    assert legend["titleLimit"] >= 7 * len(legend["title"])  # about 7 pixels a character at 12 px


@pytest.mark.integration
def test_urgent_care_is_benchmarked_on_its_indicators(book):
    text = repr(benchmarks.benchmark(book, "urgent_care"))
    assert "A&E patients seen within four hours" in text and "Urgent attendances seen in urgent care centres" in text
    assert "%" in text


@pytest.mark.integration
def test_members_against_non_members_only_where_the_data_has_them(book):
    chart = benchmarks.members_comparison(book, "long_term_conditions").to_dict()
    # From the synthetic indicators, 2007/08: GP visits 4.75 against 6.82 a person (30% fewer);
    # unplanned admissions 178 against 281 per 1,000 (37% fewer).
    assert " ".join(chart["title"]["text"]) == (
        "Birmingham OwnHealth members had 30% fewer GP visits and 37% fewer unplanned admissions than similar "
        "non-members in 2007/08"
    )
    rows = benchmarks.member_rows(book, "long_term_conditions")
    assert len(rows) == 4 and set(rows["group"]) == set(benchmarks.MEMBER_GROUPS)
    note = benchmarks.members_comparison(book, "maternity")
    assert isinstance(note, Markdown) and note.data.count("\n") == 0 and "non-members" in note.data


@pytest.mark.integration
def test_spc_charts_of_shares_use_percent_axes(book):
    gallery = measures.kpi_charts(book, "urgent_care")
    specs = {anchor: c.to_dict() for anchor, c in gallery.charts}
    four_hour = specs[measures.kpi_anchor("four_hour_performance")]
    assert four_hour["layer"][0]["encoding"]["y"]["axis"]["format"].endswith("%")
    attendances = specs[measures.kpi_anchor("ae_attendances")]
    assert "format" not in attendances["layer"][0]["encoding"]["y"].get("axis", {})


@pytest.mark.integration
def test_funnel_titles_count_practices_in_words_that_agree(book):
    for pathway in ("children", "staying_healthy", "urgent_care", "planned_care"):
        out = practices.practice_funnel(book, pathway)
        if isinstance(out, Markdown):
            continue
        title = (
            " ".join(out.to_dict()["title"]["text"])
            if isinstance(out.to_dict()["title"]["text"], list)
            else out.to_dict()["title"]["text"]
        )
        assert not title.startswith("1 practices") and " 1 practices " not in title, title
        assert "a&e" not in title, title
