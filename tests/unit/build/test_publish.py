"""Crash-safe publishing: the published path always holds a whole book, and a killed publish is finished later."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from analysis.build import publish
from analysis.paths import ROOT

PAGES = ("index.html", "a.html", "b.html")


def make_book(folder: Path, label: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for page in PAGES:
        (folder / page).write_text(f"{label} {page}")
    return folder


def book_label(html_dir: Path) -> str:
    """'old' or 'new' when the folder holds a whole book of one build; fails on a mixed or partial book."""
    labels = {(html_dir / page).read_text().split()[0] for page in PAGES}
    assert len(labels) == 1, f"a mixed book at {html_dir}: {labels}"
    return labels.pop()


def notebook_label(book: Path) -> set[str]:
    return {(book / name).read_text() for name in ("one.ipynb", "two.ipynb")}


def prepare(tmp_path: Path, legacy: bool) -> tuple[Path, Path, Path, list]:
    """An old published book (a plain folder when `legacy`) and a finished new build in staging."""
    html_dir = tmp_path / "_build" / "html"
    staging = tmp_path / "_build" / ".staging" / "default-123"
    if legacy:
        make_book(html_dir, "old")
    else:
        release = make_book(publish.releases_dir(html_dir) / "oldrelease", "old")
        html_dir.symlink_to(os.path.relpath(release, html_dir.parent))
    book = tmp_path / "book"
    book.mkdir()
    moves = []
    for name in ("one.ipynb", "two.ipynb"):
        (book / name).write_text("old")
        (staging / "book").mkdir(parents=True, exist_ok=True)
        (staging / "book" / name).write_text("new")
        moves.append((staging / "book" / name, book / name))
    make_book(staging / "_out" / "html", "new")
    return html_dir, staging, book, moves


@pytest.mark.unit
@pytest.mark.parametrize("legacy", [True, False], ids=["published-folder", "published-link"])
def test_publish_swaps_in_the_new_book_and_keeps_one_release(tmp_path, legacy):
    html_dir, staging, book, moves = prepare(tmp_path, legacy)
    publish.publish(staging, staging / "_out" / "html", html_dir, moves)
    assert html_dir.is_symlink() and book_label(html_dir) == "new"
    assert notebook_label(book) == {"new"}
    assert [p.resolve() for p in publish.releases_dir(html_dir).iterdir()] == [html_dir.resolve()]
    assert not (staging / publish.JOURNAL).exists()


@pytest.mark.unit
def test_an_unchanged_notebook_is_not_rewritten(tmp_path):
    source, dest = tmp_path / "s.ipynb", tmp_path / "d.ipynb"
    source.write_text("same")
    dest.write_text("same")
    os.utime(dest, (1_000_000, 1_000_000))
    publish.move_file(source, dest)
    assert dest.stat().st_mtime == 1_000_000 and not source.exists()


@pytest.mark.unit
def test_a_journal_half_carried_out_is_finished_by_repair(tmp_path):
    html_dir, staging, book, moves = prepare(tmp_path, legacy=False)
    release = publish.releases_dir(html_dir) / "newrelease"
    (staging / "_out" / "html").rename(release)
    publish.write_journal(staging, release, html_dir, moves)
    publish.move_file(*moves[0])  # the build died after moving one notebook
    assert book_label(html_dir) == "old"
    done = publish.repair(staging.parent, "default", html_dir)
    assert any("finished the interrupted publish" in line for line in done)
    assert book_label(html_dir) == "new" and notebook_label(book) == {"new"}
    assert not staging.exists()


@pytest.mark.unit
def test_repair_removes_dead_staging_but_keeps_kept_and_other_editions(tmp_path):
    root = tmp_path / ".staging"
    dead, kept, other, pdf = (root / n for n in ("default-11", "default-12", "other-13", "pdf-default-x"))
    for folder in (dead, kept, other, pdf):
        folder.mkdir(parents=True)
    (kept / publish.KEEP_MARK).write_text("kept")
    publish.repair(root, "default", tmp_path / "html")
    assert not dead.exists() and kept.exists() and other.exists() and pdf.exists()


@pytest.mark.unit
def test_repair_restores_the_link_when_the_build_died_between_the_two_renames(tmp_path):
    html_dir = tmp_path / "html"
    release = make_book(publish.releases_dir(html_dir) / "r1", "new")
    (tmp_path / ".html.swap").symlink_to(os.path.relpath(release, tmp_path))
    publish.repair(tmp_path / ".staging", "default", html_dir)
    assert book_label(html_dir) == "new"


@pytest.mark.unit
def test_a_second_build_of_the_same_edition_is_refused(tmp_path):
    with publish.edition_lock(tmp_path, "default"):
        with pytest.raises(publish.PublishLocked, match="another build of edition 'default'"):
            with publish.edition_lock(tmp_path, "default"):
                pass
        with publish.edition_lock(tmp_path, "other"):
            pass


KILLED_PUBLISH = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[2])
    from tests.unit.build.test_publish import prepare
    from analysis.build import publish
    html_dir, staging, book, moves = prepare(Path(sys.argv[1]), legacy=sys.argv[3] == "legacy")
    publish.publish(staging, staging / "_out" / "html", html_dir, moves)
    """
)


def wait_for_line(proc: subprocess.Popen, text: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if text in line:
            return
        if not line and proc.poll() is not None:
            raise AssertionError(f"the publish ended before {text!r}: {proc.stderr.read()}")
    raise AssertionError(f"no {text!r} within {timeout} s")


@pytest.mark.unit
@pytest.mark.parametrize("legacy", ["legacy", "link"])
@pytest.mark.parametrize(
    ("step", "after_repair"),
    [("release-moved", "old"), ("journal-written", "new"), ("file-moved", "new"), ("link-prepared", "new")],
)
def test_killing_a_publish_at_any_step_leaves_a_whole_book(tmp_path, step, after_repair, legacy):
    env = {**os.environ, publish.PAUSE_ENV: step}
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_PUBLISH, str(tmp_path), str(ROOT), legacy],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        wait_for_line(proc, f"publish paused at {step}")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    html_dir, book = tmp_path / "_build" / "html", tmp_path / "book"
    assert book_label(html_dir) in {"old", "new"}  # the published path holds a whole book
    publish.repair(tmp_path / "_build" / ".staging", "default", html_dir)
    assert book_label(html_dir) == after_repair
    assert notebook_label(book) == {after_repair}
    assert not (tmp_path / "_build" / ".staging" / "default-123").exists()
    releases = publish.releases_dir(html_dir)
    left = [p.resolve() for p in releases.iterdir()] if releases.exists() else []
    assert left == ([html_dir.resolve()] if html_dir.is_symlink() else [])  # no orphan release
