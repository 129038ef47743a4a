"""The build runner: the table of contents, and a failing chapter never replaces the last good book."""

from pathlib import Path

import pytest

from analysis.build import runner
from analysis.build.chapters import Chapter


@pytest.mark.unit
def test_toc_puts_chapters_in_parts_with_the_first_as_root():
    chapter_list = [
        Chapter("introduction", "introduction.ipynb", "chapters/introduction.ipynb"),
        Chapter("economy", "economy.ipynb", "chapters/economy.ipynb"),
        Chapter("pathway-urgent_care", "pathway.ipynb", "pathways/urgent_care.ipynb"),
    ]
    toc = runner.toc(chapter_list, ["appendix/methods"])
    assert toc["root"] == "book/chapters/introduction"
    assert [p["caption"] for p in toc["parts"]] == ["Overview", "Clinical pathways", "Appendices"]
    assert toc["parts"][0]["chapters"] == [{"file": "book/chapters/economy"}]
    assert toc["parts"][1]["chapters"] == [{"file": "book/pathways/urgent_care"}]


@pytest.mark.unit
def test_replace_dir_swaps_in_the_new_folder(tmp_path):
    old, new = tmp_path / "html", tmp_path / "new"
    old.mkdir(), new.mkdir()
    (old / "index.html").write_text("old")
    (new / "index.html").write_text("new")
    runner._replace_dir(new, old)
    assert (old / "index.html").read_text() == "new"
    assert not (tmp_path / "html.previous").exists()


@pytest.mark.unit
def test_a_failing_chapter_is_named_and_the_last_good_book_stays(tmp_path, monkeypatch):
    build_dir = tmp_path / "_build"
    good = build_dir / "other" / "html"
    good.mkdir(parents=True)
    (good / "index.html").write_text("last good book")
    monkeypatch.setattr(runner, "BUILD", build_dir)
    monkeypatch.setattr(runner, "edition_dirs", lambda edition: (build_dir / "other" / "book", good))

    def failing(chapter, staging, timeout, log_dir):
        if chapter.name == "economy":
            return runner.Outcome(
                chapter.name, False, 0.1, "ValueError: population has no rows", str(log_dir / "economy.log")
            )
        target = Path(staging) / "book" / chapter.output
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("{}")
        return runner.Outcome(chapter.name, True, 0.1)

    monkeypatch.setattr(runner, "execute_chapter", failing)
    monkeypatch.setattr(runner, "ProcessPoolExecutor", _SerialPool)
    with pytest.raises(
        runner.BuildError, match=r"(?s)1 chapter\(s\) failed.*economy: ValueError: population has no rows"
    ):
        runner.build("params/default.yml", workers=1)
    assert (good / "index.html").read_text() == "last good book"


class _SerialPool:
    """Runs submitted work at once in this process (the real pool would pickle the monkeypatch away)."""

    def __init__(self, max_workers):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def submit(self, fn, *args):
        from concurrent.futures import Future

        future = Future()
        future.set_result(fn(*args))
        return future
