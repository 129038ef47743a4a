"""Charts of a pathway's money and of the staff consequence of the plan: titles worked by hand from small frames."""

import json

import pandas as pd
import pytest

from analysis.charts import model as cm
from analysis.charts.theme import title_text

pytestmark = pytest.mark.unit


def finished(chart, source="Test source") -> dict:
    spec = chart.to_dict()
    assert title_text(spec) and spec["description"]
    assert any(source in line for line in spec["title"]["subtitle"])
    assert json.dumps(chart.to_dict(), sort_keys=True) == json.dumps(spec, sort_keys=True)
    return spec


@pytest.mark.parametrize(("value", "text"), [
    (1_234_000, "£1.2m"), (960_000, "£1.0m"), (350_400, "£350k"), (-200_000, "-£200k"), (499, "£0"), (-120, "£0"),
])
def test_money_short(value, text):
    assert cm.money_short(value) == text


def shift(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["year", "sector", "staff_group", "do_nothing", "plan", "change"])


def test_staff_change_words_names_what_is_needed_and_what_is_released():
    frame = shift([
        (2012, "acute", "Doctors", 100.0, 72.0, -28.0),
        (2012, "acute", "Nurses", 300.0, 249.0, -51.0),
        (2012, "community", "Community nurses", 600.0, 647.0, 47.0),
        (2012, "new roles", "Telephone care managers", 0.0, 135.0, 135.0),
        (2011, "new roles", "Telephone care managers", 0.0, 100.0, 100.0),
    ])
    assert cm.staff_change_words(frame, 2012) == (
        "By 2012/13 the plan needs 135 WTE in new roles and 47 more WTE in the community, and releases 79 WTE of "
        "hospital staff time"
    )
    assert (
        cm.staff_change_words(frame, 2011, subject="the plan for this pathway")
        == "By 2011/12 the plan for this pathway needs 100 WTE in new roles"
    )


def test_staff_change_words_when_nothing_moves():
    frame = shift([(2012, "acute", "Doctors", 100.0, 100.2, 0.2)])
    assert cm.staff_change_words(frame, 2012) == "In 2012/13 the plan leaves staff where doing nothing would"


def test_staff_shift_chart_shows_each_change_and_leaves_out_the_negligible():
    frame = shift([
        (2012, "acute", "Nurses", 300.0, 249.0, -51.0),
        (2012, "community", "Community nurses", 600.0, 647.0, 47.0),
        (2012, "acute", "Doctors", 100.0, 100.01, 0.01),
        (2011, "acute", "Nurses", 300.0, 280.0, -20.0),
    ])
    spec = finished(cm.staff_shift_chart(frame, source="Test source"))
    assert (
        title_text(spec)
        == "By 2012/13 the plan needs 47 more WTE in the community, and releases 51 WTE of hospital staff time"
    )
    bars = next(d for d in spec["datasets"].values() if len(d) and "group" in d[0])
    assert [(b["group"], b["direction"]) for b in bars] == [
        ("Community nurses (community)", "Needed by the plan"),
        ("Nurses (hospital)", "Released by the plan"),
    ]
    with pytest.raises(ValueError, match="changes no staff group"):
        cm.staff_shift_chart(frame[frame["year"] == 2012].assign(change=0.0), source="Test source")


def money(saving, costs, dn=(10e6, 11e6), plan=(10e6, 10.5e6)) -> pd.DataFrame:
    frame = pd.DataFrame({"year": [2011, 2012], "year_label": ["2011/12", "2012/13"], "cost_do_nothing": list(dn),
                          "cost_plan": list(plan), "saving": list(saving), "scheme_costs": list(costs)})
    frame["net"] = frame["saving"] - frame["scheme_costs"]
    return frame


def test_pathway_money_chart_titles():
    spec = finished(cm.pathway_money_chart(money((0, 500_000), (100_000, 200_000)), source="Test source"))
    assert (
        title_text(spec)
        == "By 2012/13 this pathway's schemes save £500k a year on activity and cost £200k: a net saving of £300k"
    )
    assert "vconcat" in spec  # the costs and the schemes' flows
    spec = finished(cm.pathway_money_chart(money((0, -700_000), (0, 5_800_000)), source="Test source"))
    assert (
        title_text(spec)
        == "By 2012/13 this pathway's schemes add £700k a year to the cost of activity and cost £5.8m: a net cost of "
        "£6.5m"
    )
    spec = finished(cm.pathway_money_chart(money((0, 144_000), (0, 0)), source="Test source"))
    assert (
        title_text(spec) == "By 2012/13 this pathway's schemes save £144k a year on activity, at no cost of their own"
    )


def test_pathway_money_chart_without_schemes_shows_only_the_cost():
    spec = finished(cm.pathway_money_chart(money((0, 0), (0, 0), plan=(10e6, 11e6)), source="Test source"))
    # 11m against 10m: 10% more.
    assert (
        title_text(spec)
        == "No scheme of the plan is this pathway's own; its activity costs £11.0m in 2012/13 doing nothing, 10.0% "
        "more than in 2011/12"
    )
    assert "vconcat" not in spec


def test_workforce_and_beds_titles_when_the_plan_changes_nothing():
    wf = pd.DataFrame({"year": [2012, 2012], "scenario": ["do_nothing", "plan"], "sector": ["acute", "acute"],
                       "staff_group": ["Doctors", "Doctors"], "wte": [100.0, 100.0]})
    assert (
        title_text(cm.workforce_chart(wf, source="Test source").to_dict())
        == "In 2012/13 the plan needs the staff doing nothing needs"
    )
    balance = pd.DataFrame(
        {
            "year": [2012],
            "hospital_do_nothing": [500.0],
            "hospital_plan": [500.0],
            "hospital_reduction": [0.0],
            "community_commissioned": [0.0],
        }
    )
    assert (
        title_text(cm.beds_chart(balance, source="Test source").to_dict())
        == "In 2012/13 the plan needs the hospital beds doing nothing needs"
    )
    balance = balance.assign(hospital_plan=510.0, hospital_reduction=-10.0, community_commissioned=36.0)
    assert (
        title_text(cm.beds_chart(balance, source="Test source").to_dict())
        == "By 2012/13 the plan needs 10 more hospital beds, with 36 community beds commissioned"
    )


def test_pathway_money_chart_without_schemes_says_why_the_lines_meet():
    spec = cm.pathway_money_chart(money((0, 0), (0, 0), plan=(10e6, 11e6)), source="Test source").to_dict()
    assert "no scheme changes it, so the plan's line lies on doing nothing's." in " ".join(spec["title"]["subtitle"])
