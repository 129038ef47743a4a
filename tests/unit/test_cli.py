"""The command line: bad input is one message and status 2; a fault in the code is an internal error, status 3."""

import pytest

from analysis import __main__ as cli
from analysis import catalog
from analysis.contract import DataContractError

pytestmark = pytest.mark.unit


def test_bad_input_is_one_line_and_status_2(monkeypatch, capsys):
    def load(path):
        raise DataContractError("data.csv, row 7, column 'count': expected at least 0, found -5.0")

    monkeypatch.setattr(catalog, "load", load)
    assert cli.main(["check", "--params", "x.yml"]) == cli.BAD_INPUT == 2
    err = capsys.readouterr().err
    assert err == "error: data.csv, row 7, column 'count': expected at least 0, found -5.0\n"


def test_a_fault_in_the_code_is_reported_apart_from_bad_input(monkeypatch, capsys):
    def load(path):
        raise KeyError("pathway")

    monkeypatch.setattr(catalog, "load", load)
    assert cli.main(["check", "--params", "x.yml"]) == cli.INTERNAL_ERROR == 3
    err = capsys.readouterr().err
    assert "Traceback" in err and "internal error: KeyError: 'pathway'" in err and "not in your input" in err
