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
@pytest.mark.parametrize("keep", [False, True], ids=["staging-removed", "keep-staging"])
def test_a_failing_chapter_is_named_and_the_last_good_book_stays(tmp_path, monkeypatch, keep):
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
    monkeypatch.setattr(runner, "pool", _SerialPool)
    with pytest.raises(
        runner.BuildError, match=r"(?s)1 chapter\(s\) failed.*economy: ValueError: population has no rows"
    ):
        runner.build("params/default.yml", workers=1, keep_staging=keep)
    assert (good / "index.html").read_text() == "last good book"
    staged = list((build_dir / ".staging").iterdir())
    assert len(staged) == (1 if keep else 0)  # the failed build's staging folder is gone unless kept
    assert (build_dir / "logs" / "default").is_dir()  # the logs stay


class _SerialPool:
    """Runs submitted work at once in this process (the real pool would pickle the monkeypatch away)."""

    def __init__(self, max_workers, initializer=None):
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
