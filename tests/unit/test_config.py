"""The parameter file: defaults load, and mistakes are named by key."""

import pytest
import yaml

from analysis import config
from analysis.paths import PARAMS


def write(tmp_path, data) -> str:
    path = tmp_path / "p.yml"
    path.write_text(yaml.safe_dump(data))
    return str(path)


@pytest.fixture
def default_raw():
    return yaml.safe_load((PARAMS / "default.yml").read_text())


@pytest.mark.unit
def test_default_parameters_load():
    params = config.load("params/default.yml")
    assert params.edition.id == "default"
    assert list(params.pathways)[0] == "maternity"


@pytest.mark.unit
def test_unknown_key_is_named(tmp_path, default_raw):
    default_raw["edition"]["colour"] = "blue"
    with pytest.raises(config.ParameterError, match=r"key 'edition\.colour': unknown key"):
        config.load(write(tmp_path, default_raw))


@pytest.mark.unit
def test_horizon_before_baseline_is_impossible(tmp_path, default_raw):
    default_raw["period"]["horizon_year"] = 2006
    with pytest.raises(
        config.ParameterError, match=r"key 'period'.*horizon_year \(2006\) must come after baseline_year \(2007\)"
    ):
        config.load(write(tmp_path, default_raw))


@pytest.mark.unit
def test_activity_kpi_needs_pods(tmp_path, default_raw):
    default_raw["pathways"]["urgent_care"]["kpis"][0].pop("pods")
    with pytest.raises(
        config.ParameterError, match="KPI 'ae_attendances' reads the activity table, so it needs 'pods'"
    ):
        config.load(write(tmp_path, default_raw))


@pytest.mark.unit
def test_unknown_pod_is_named(tmp_path, default_raw):
    default_raw["pathways"]["urgent_care"]["kpis"][0]["pods"] = ["a_and_e"]
    with pytest.raises(config.ParameterError, match=r"unknown pod\(s\) \['a_and_e'\]"):
        config.load(write(tmp_path, default_raw))


@pytest.mark.unit
def test_pathways_follow_the_book_order(tmp_path, default_raw):
    default_raw["pathways"] = {"end_of_life": {}, "maternity": {}}
    assert list(config.load(write(tmp_path, default_raw)).pathways) == ["maternity", "end_of_life"]


@pytest.mark.unit
def test_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(config.ParameterError, match="no such parameter file"):
        config.load(tmp_path / "nope.yml")
    bad = tmp_path / "bad.yml"
    bad.write_text("edition: [unclosed")
    with pytest.raises(config.ParameterError, match="not valid YAML"):
        config.load(bad)


def _kpi(**extra) -> config.Kpi:
    return config.Kpi(id="k", name="K", source="activity", pods=["ae"], **{"unit": "attendances a month", **extra})


@pytest.mark.unit
def test_kpi_display_format_is_explicit_or_read_from_the_unit():
    assert _kpi().percent is False
    assert _kpi(unit="share of attendances").percent is True  # inferred: a share is a proportion
    assert _kpi(unit="Proportion of births").percent is True
    assert _kpi(unit="share of attendances", format="number").percent is False  # explicit wins
    assert _kpi(unit="per 1,000", format="percent").percent is True


@pytest.mark.unit
def test_unknown_kpi_format_is_named(tmp_path, default_raw):
    default_raw["pathways"]["urgent_care"]["kpis"][0]["format"] = "fraction"
    with pytest.raises(config.ParameterError, match=r"key 'pathways\.urgent_care\.kpis\[0\]\.format'"):
        config.load(write(tmp_path, default_raw))


@pytest.mark.unit
def test_default_edition_shows_its_shares_as_percentages():
    params = config.load("params/default.yml")
    kpis = {k.id: k for spec in params.pathways.values() for k in spec.kpis}
    assert kpis["four_hour_performance"].percent and kpis["rtt_18_weeks"].percent
    assert not kpis["ae_attendances"].percent and not kpis["follow_up_ratio"].percent


@pytest.mark.unit
def test_plan_and_content_may_be_left_out_but_a_named_one_must_exist(tmp_path, default_raw):
    del default_raw["plan"], default_raw["content"]
    params = config.load(write(tmp_path, default_raw))
    assert params.plan is None and params.content is None and not params.has_plan
    default_raw["plan"] = "data/default/no-such-plan.yml"
    with pytest.raises(config.ParameterError, match="key 'plan': .*no-such-plan.yml does not exist.*leave 'plan' out"):
        config.load(write(tmp_path, default_raw))


@pytest.mark.unit
def test_a_provider_kpi_names_a_known_measure(tmp_path, default_raw):
    default_raw["pathways"]["urgent_care"]["kpis"].append(
        {
            "id": "four_hour",
            "name": "Four hours",
            "source": "providers",
            "measure": "four_hours",
            "unit": "share of attendances",
        }
    )
    with pytest.raises(config.ParameterError, match="needs 'measure', one of four_hour_all"):
        config.load(write(tmp_path, default_raw))


@pytest.mark.unit
def test_a_synthetic_edition_cannot_take_its_population_from_practices(tmp_path, default_raw):
    default_raw["economy"]["commissioners"][0]["population"] = "practices"
    with pytest.raises(config.ParameterError, match="synthetic edition takes a number of residents"):
        config.load(write(tmp_path, default_raw))
    default_raw["economy"]["commissioners"][0]["population"] = -5
    with pytest.raises(config.ParameterError, match="greater than 0"):
        config.load(write(tmp_path, default_raw))


@pytest.mark.unit
def test_a_trajectory_needs_a_run_chart_and_months():
    from analysis.config import Kpi

    base = dict(id="members", name="Members", source="indicators", indicator="members", unit="members")
    assert Kpi(**base, chart="run", trajectory={"2012-03": 27000, "2009-03": 11000}).trajectory == {
        "2009-03": 11000.0,
        "2012-03": 27000.0,
    }
    with pytest.raises(ValueError, match="drawn only on a run chart"):
        Kpi(**base, trajectory={"2009-03": 11000})
    with pytest.raises(ValueError, match="not written YYYY-MM"):
        Kpi(**base, chart="run", trajectory={"March 2009": 11000})
