"""`check` fails whenever the build would fail.

Two halves:
- every bad input of the catalogue is refused by `build` with exactly the message `check` gives, before
  any chapter runs (the build validates through the same catalog.load), so no build gets further on
  it than `check` does;
- what `check` passes builds: for the valid catalogue edition every chapter is executed with
  papermill, as the build does, and must succeed; for its twin whose activity is counted from an
  episode extract, the chapters that read activity. (Chapters take a few seconds each on these small
  editions; the HTML rendering step reads only the executed notebooks.)
"""

from __future__ import annotations

import pytest

from analysis import catalog
from analysis.__main__ import BAD_INPUT, main
from analysis.build.chapters import chapters
from analysis.build.runner import execute_chapter
from tests.catalogue.cases import CASES, make_case


def _error_line(err: str) -> str:
    return next((line for line in err.splitlines() if line.startswith("error: ")), err)


@pytest.mark.unit
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_build_refuses_bad_input_with_the_message_check_gives(case, good_editions, tmp_path, capsys):
    edition = make_case(case, good_editions, tmp_path)
    params = str(edition.argv_params or edition.params_file)
    catalog.load.cache_clear()
    check_status = main(["check", "--params", params])
    check_err = capsys.readouterr().err
    catalog.load.cache_clear()
    build_status = main(["build", "--params", params, "--workers", "1"])
    build_err = capsys.readouterr().err
    assert check_status == build_status == BAD_INPUT, (check_err, build_err)
    assert _error_line(build_err) == _error_line(check_err)


# The episode edition differs from the MAR edition only in its activity: the chapters that read it.
EPISODE_CHAPTERS = ("summary", "pathway-urgent_care", "activity", "value", "data-quality")


@pytest.mark.integration
@pytest.mark.parametrize("kind", ["mar", "episodes"])
def test_what_check_passes_builds(kind, good_editions, tmp_path, capsys):
    params = str(good_editions[kind] / "params.yml")
    catalog.load.cache_clear()
    assert main(["check", "--params", params]) == 0, capsys.readouterr().err
    cat = catalog.load(params)
    failed = []
    wanted = chapters(cat.params, params, cat.content)
    if kind == "episodes":
        wanted = [c for c in wanted if c.name in EPISODE_CHAPTERS]
    for chapter in wanted:
        outcome = execute_chapter(chapter, tmp_path / "staging", 600, tmp_path)
        if not outcome.ok:
            failed.append(f"{chapter.name}: {outcome.error}")
    assert not failed, "check passed but chapters failed:\n" + "\n".join(failed)
