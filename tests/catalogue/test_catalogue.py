"""Every bad input in the catalogue gets one clear message from `check` and exit status 2, never a traceback.

Each case copies the valid catalogue edition into tmp_path, breaks one thing (tests/catalogue/cases.py)
and runs the command line in-process: `main(["check", "--params", ...])`. The message must name the
file, the location (the row as numbered in the file, or the key path) and the rule.
"""

from __future__ import annotations

import re

import pytest

from analysis import catalog
from analysis.__main__ import BAD_INPUT, main
from tests.catalogue.cases import BEFORE, CASES, make_case

pytestmark = pytest.mark.unit


def run_check(params, capsys) -> tuple[int, str]:
    catalog.load.cache_clear()
    status = main(["check", "--params", str(params)])
    captured = capsys.readouterr()
    return status, captured.err


def test_catalogue_is_large_enough():
    assert len(CASES) >= 60
    assert len({c.id for c in CASES}) == len(CASES)
    assert {c.before for c in CASES} <= set(BEFORE)


@pytest.mark.parametrize("kind", ["mar", "episodes"])
def test_the_good_editions_pass_check(kind, good_editions, capsys):
    status, err = run_check(good_editions[kind] / "params.yml", capsys)
    assert status == 0, err


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_gets_one_clear_message(case, good_editions, tmp_path, capsys):
    edition = make_case(case, good_editions, tmp_path)
    status, err = run_check(edition.argv_params or edition.params_file, capsys)
    assert "Traceback" not in err and "internal error" not in err, err
    assert status == BAD_INPUT, err
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, err  # one message
    for what, pattern in (("file", case.file), ("location", case.where), ("rule", case.rule)):
        assert re.search(pattern, err), f"the message does not name the {what} ({pattern!r}):\n{err}"
