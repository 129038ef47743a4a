import pandas as pd
import pytest

from analysis.model.fiscal import fy_label
from analysis.synthetic.spec import SpecError, fin_year, parse

from .specs import spec

pytestmark = pytest.mark.unit


def test_default_spec_gives_four_financial_years_of_months():
    s = parse(spec())
    assert s.years == [2004, 2005, 2006, 2007]
    assert len(s.months) == 48
    assert s.months[0] == pd.Timestamp("2004-04-01") and s.months[-1] == pd.Timestamp("2008-03-01")
    assert s.codes == ["5PG", "TAM"]


def test_financial_year_and_label():
    assert fin_year(pd.Timestamp("2008-03-01")) == 2007
    assert fin_year(pd.Timestamp("2007-04-01")) == 2007
    assert fy_label(2007) == "2007/08"
    assert fy_label(1999) == "1999/00"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start": "soon"}, "spec['start']"),
        ({"start": "2004-05"}, "whole financial years"),
        ({"start": "2009-04"}, "must not come after"),
        ({"practices": 1}, "spec['practices']"),
        ({"peers": 0}, "spec['peers']"),
        ({"commissioners": []}, "at least one commissioner"),
        (
            {
                "commissioners": [
                    {"code": "5PG", "name": "A", "population": 1},
                    {"code": "5PG", "name": "B", "population": 1},
                ]
            },
            "duplicate",
        ),
        ({"commissioners": [{"code": "5PG", "name": "A", "population": -5}]}, "['population']"),
        ({"colour": "blue"}, "unknown key(s) colour"),
    ],
)
def test_bad_specs_name_the_key(changes, message):
    with pytest.raises(SpecError) as err:
        parse(spec(**changes))
    assert message in str(err.value)


def test_missing_key_is_named():
    bad = spec()
    del bad["seed"]
    with pytest.raises(SpecError, match="missing key"):
        parse(bad)
