"""`python -m analysis new-edition`: names, authorities, period and the parameter file it writes, on small tables."""

import pandas as pd
import pytest
import yaml

from analysis.build import new_edition as ne
from analysis.config import Params

pytestmark = pytest.mark.unit

AUTHORITIES = {"E08000025": "Birmingham", "E08000003": "Manchester", "E08000029": "Solihull", "E06000001": "Hartlepool"}


def test_names_are_the_last_given_for_each_code_asked_for():
    frame = pd.DataFrame({"code": ["5NT", "5NT", "5MX", "X"], "name": ["OLD NAME", "MANCHESTER PCT", None, "Other"]})
    assert ne.names_of(frame, "code", "name", ["5NT", "5MX"]) == {"5NT": "MANCHESTER PCT"}


def test_capitals_are_written_as_a_reader_writes_them():
    assert ne.display_name("HEART OF BIRMINGHAM TEACHING PCT") == "Heart of Birmingham Teaching PCT"
    assert (
        ne.display_name("UNIVERSITY HOSPITALS BIRMINGHAM NHS FOUNDATION TRUST")
        == "University Hospitals Birmingham NHS Foundation Trust"
    )
    assert ne.display_name("Solihull Care Trust") == "Solihull Care Trust"  # already mixed case: unchanged


def test_the_authority_is_the_place_in_the_name():
    assert ne.match_authority("Heart of Birmingham Teaching PCT", AUTHORITIES) == "E08000025"
    assert ne.match_authority("Manchester PCT", AUTHORITIES) == "E08000003"
    assert ne.match_authority("Birmingham and Solihull CCG", AUTHORITIES) in {"E08000025", "E08000029"}
    assert ne.match_authority("North East Essex PCT", AUTHORITIES) is None


def test_shared_authorities_are_found():
    orgs = [
        ne.Organisation("5MX", "a", "E08000025"),
        ne.Organisation("5M1", "b", "E08000025"),
        ne.Organisation("5NT", "c", "E08000003"),
    ]
    assert ne.shared_areas(orgs) == {"E08000025"}


def draft(**changes):
    base = dict(
        edition_id="manchester",
        commissioners=[ne.Organisation("5NT", "Manchester PCT", "E08000003", "area guessed from its name: check it")],
        providers=[ne.Organisation("R0A", "Manchester University NHS Foundation Trust")],
        authorities={"E08000003": "Manchester"},
        history_start="2008-04",
        data_end="2012-03",
        activity=True,
        providers_in_ae=True,
    )
    return ne.Draft(**(base | changes))


def test_the_written_file_is_a_valid_plan_free_parameter_file():
    text = ne.render(draft())
    params = Params.model_validate(yaml.safe_load(text))
    assert params.plan is None and params.content is None
    assert params.economy.commissioners[0].area == "E08000003"
    assert params.period.history_start == "2008-04" and params.period.baseline_year == 2011
    assert {"activity", "provider_series", "population", "indicators", "practices"} <= set(params.data.files)
    assert "area guessed from its name: check it" in text


def test_two_commissioners_in_one_authority_get_a_population_rule_or_a_check():
    both = [ne.Organisation("5MX", "Heart of Birmingham PCT", "E08000025", "", in_practices=True),
            ne.Organisation("5M1", "South Birmingham PCT", "E08000025", "", in_practices=False)]
    text = ne.render(draft(commissioners=both, authorities={"E08000025": "Birmingham"}))
    lines = {line.split("code: ")[1][:3]: line for line in text.splitlines() if "code: 5M" in line}
    assert "population: practices" in lines["5MX"]
    assert "population:" not in lines["5M1"].split("#")[0] and "CHECK" in lines["5M1"]


def test_an_unknown_code_is_marked_for_checking(tmp_path):
    folder = tmp_path / "real"
    folder.mkdir()
    out = ne.gather(["ZZZ"], [], "x", folder)
    assert out.commissioners[0].name.startswith("CHECK") and any("ZZZ" in n for n in out.notes)
    assert "CHECK: commissioner ZZZ" in ne.render(out)


def test_it_never_overwrites_a_parameter_file(tmp_path):
    existing = tmp_path / "x.yml"
    existing.write_text("keep me")
    with pytest.raises(FileExistsError, match="never overwrites"):
        ne.write(["5NT"], [], existing, folder=tmp_path)
    assert existing.read_text() == "keep me"


def test_code_map_suggests_the_ccgs_named_after_the_authority_never_a_board():
    lists = pd.DataFrame(
        {
            "financial_year": ["2014/15"] * 4 + ["2022/23"],
            "ccg_code": ["00W", "01N", "13P", "02A", "14L"],
            "ccg_name": [
                "NHS CENTRAL MANCHESTER CCG",
                "NHS SOUTH MANCHESTER CCG",
                "NHS BIRMINGHAM CROSSCITY CCG",
                "NHS TRAFFORD CCG",
                "NHS GREATER MANCHESTER ICB - 14L",
            ],
        }
    )
    one = [ne.Organisation("5NT", "Manchester PCT", "E08000003")]
    assert ne.code_map_candidates(lists, one, AUTHORITIES) == {"00W": "5NT", "01N": "5NT"}
    two = [
        ne.Organisation("5MX", "Heart of Birmingham PCT", "E08000025"),
        ne.Organisation("5M1", "South Birmingham PCT", "E08000025"),
    ]
    assert ne.code_map_candidates(lists, two, AUTHORITIES) == {"13P": ["5MX", "5M1"]}  # placed by neither: listed


def test_provider_files_outside_the_period_are_written_commented_out():
    text = ne.render(draft(provider_period=("2020-01", "2021-12")))
    assert "outside this edition's period" in text
    assert "provider_series" not in yaml.safe_load(text)["data"]["files"]
    assert (
        "provider_series"
        in yaml.safe_load(ne.render(draft(activity=False, provider_period=("2020-01", "2021-12"))))["data"]["files"]
    )


def test_a_commissioner_named_after_two_authorities_takes_the_larger_and_maps_both_authorities_ccgs():
    name = "NHS Birmingham and Solihull ICB - 15E"
    assert ne.named_authorities(name, AUTHORITIES) == ["E08000025", "E08000029"]
    assert ne.match_authority(name, AUTHORITIES, {"E08000025": 1_073_000, "E08000029": 207_000}) == "E08000025"
    lists = pd.DataFrame({
        "financial_year": ["2014/15"] * 3,
        "ccg_code": ["13P", "05P", "05L"],
        "ccg_name": ["NHS BIRMINGHAM CROSSCITY CCG", "NHS SOLIHULL CCG", "NHS SANDWELL AND WEST BIRMINGHAM CCG"],
    })
    org = [ne.Organisation("15E", name, "E08000025")]
    everyone = AUTHORITIES | {"E08000028": "Sandwell"}
    mine = {"E08000025": "Birmingham", "E08000029": "Solihull"}
    # 05L also names Sandwell, outside the economy: not suggested
    assert ne.code_map_candidates(lists, org, mine, everyone) == {"13P": "15E", "05P": "15E"}


def test_codes_and_apostrophes_survive_the_capitals():
    assert ne.display_name("NHS BIRMINGHAM AND SOLIHULL ICB - 15E") == "NHS Birmingham and Solihull ICB - 15E"
    assert (
        ne.display_name("BIRMINGHAM WOMEN'S AND CHILDREN'S NHS FOUNDATION TRUST")
        == "Birmingham Women's and Children's NHS Foundation Trust"
    )
    assert ne.place_words("NHS Birmingham and Solihull ICB - 15E") == "Birmingham Solihull"
