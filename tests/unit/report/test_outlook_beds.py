"""The estates chapter sets the hospital beds the plan avoids against the community beds it commissions."""

import pytest

from analysis.report import common
from analysis.report.outlook import estates as outlook_estates


@pytest.mark.integration
def test_beds_chart_counts_the_plans_community_beds():
    book = common.load("params/default.yml")
    # data/default/plan.yml: BEN PCT commissions 36 community beds, open from 2011/12 (plan sections 10 and 11).
    assert outlook_estates.community_commissions(book) == [{"organisation": "5PG", "year": 2011, "beds": 36}]
    spec = outlook_estates.beds(book).to_dict()
    title = " ".join(spec["title"]["text"]) if isinstance(spec["title"]["text"], list) else spec["title"]["text"]
    assert title.endswith("with 36 community beds commissioned")
    data = spec["datasets"][spec["data"]["name"]]
    community = {r["year"]: r["beds"] for r in data if r["measure"] == "community_commissioned"}
    assert community == {2007: 0, 2008: 0, 2009: 0, 2010: 0, 2011: 36, 2012: 36}


@pytest.mark.integration
def test_organisation_codes_read_as_names():
    book = common.load("params/default.yml")
    assert (
        outlook_estates.organisation_names(book, "5PG and TAM")
        == "Birmingham East and North PCT and Solihull Care Trust"
    )
    assert outlook_estates.organisation_names(book, "Not named in the plan") == "Not named in the plan"
    assert "RR1" not in repr(outlook_estates.estate_changes(book))
