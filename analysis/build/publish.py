"""Crash-safe publishing: at every instant the published path holds a complete book, old or new.

The published HTML folder (`_build/html`, or `_build/<edition>/html`) is a symbolic link to one
complete release folder beside it. A new release is published by pointing a fresh link at it and
renaming that link over the old one: `rename` is atomic, so a reader (or a crash) sees either the
old book or the new one, never a half-copied folder.

A publish also replaces executed notebooks (the committed chapters of the default edition). Before
the first file moves, the build writes a journal into its staging folder listing every move; the
journal is the commit point. A build that dies after writing it leaves the journal behind, and the
next build of that edition finishes the moves (roll forward) before it starts. A build that dies
before writing it published nothing; its staging folder is simply removed.

One build per edition at a time: a lock file makes a second concurrent build fail with a message
rather than race the first one's publish.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

JOURNAL = "publish-journal.json"
KEEP_MARK = "KEPT"  # a staging folder kept with --keep-staging is not swept by later builds
# A fault-injection point for the crash-safety test: when set to a step name, the publish stops
# (sleeps) there so that the test can kill the build at that exact moment. Never set in normal use.
PAUSE_ENV = "STRATEGY_BOOK_TEST_PUBLISH_PAUSE"


class PublishLocked(RuntimeError):
    """Another build of the same edition holds the lock."""


def _pause(step: str) -> None:
    if os.environ.get(PAUSE_ENV) == step:
        import time

        print(f"publish paused at {step}", flush=True)
        time.sleep(3600)


def releases_dir(html_dir: Path) -> Path:
    """Where an edition's HTML releases live (beside the published link, hidden)."""
    return html_dir.parent / f".{html_dir.name}-releases"


def current_release(html_dir: Path) -> Path | None:
    """The release folder the published link points at (None when nothing is published as a link)."""
    if html_dir.is_symlink():
        return (html_dir.parent / os.readlink(html_dir)).resolve()
    return None


def _fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (a power cut after publishing keeps the new book)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def swap_link(html_dir: Path, release: Path) -> None:
    """Point the published link at `release` in one atomic rename.

    A published path that is still a plain folder (from a build before releases existed) is first
    moved into the releases folder; should the build die in that instant, `repair` finds the
    prepared link and completes the swap.
    """
    html_dir.parent.mkdir(parents=True, exist_ok=True)
    link = html_dir.with_name(f".{html_dir.name}.swap")
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(os.path.relpath(release, html_dir.parent))
    _pause("link-prepared")
    if html_dir.exists() and not html_dir.is_symlink():
        legacy = releases_dir(html_dir) / f"legacy-{uuid.uuid4().hex[:8]}"
        legacy.parent.mkdir(parents=True, exist_ok=True)
        html_dir.rename(legacy)
    os.replace(link, html_dir)
    _fsync_dir(html_dir.parent)


def move_file(source: Path, dest: Path) -> None:
    """Replace `dest` by `source` atomically (rename; copy then rename across file systems)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists() and dest.read_bytes() == source.read_bytes():
        source.unlink()  # unchanged: keep the file's timestamp so editors and make see no change
        return
    try:
        os.replace(source, dest)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
        shutil.copy2(source, tmp)
        os.replace(tmp, dest)
        source.unlink()


def write_journal(staging: Path, release: Path, html_dir: Path, moves: list[tuple[Path, Path]]) -> Path:
    """Record the publish (the commit point): after this, the new book will be published."""
    journal = staging / JOURNAL
    tmp = journal.with_suffix(".tmp")
    record = {
        "release": str(release),
        "html_dir": str(html_dir),
        "moves": [[str(s), str(d)] for s, d in moves],
    }
    with tmp.open("w", encoding="utf-8") as handle:
        json.dump(record, handle, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, journal)
    _fsync_dir(staging)
    return journal


def apply_journal(journal: Path) -> Path:
    """Carry out (or finish) the moves a journal lists; safe to run again after a crash. Returns the HTML link."""
    record = json.loads(journal.read_text(encoding="utf-8"))
    for source, dest in record["moves"]:
        src = Path(source)
        if src.exists():  # a missing source was moved by the interrupted run
            move_file(src, Path(dest))
            _pause("file-moved")
    html_dir, release = Path(record["html_dir"]), Path(record["release"])
    if release.is_dir() and current_release(html_dir) != release.resolve():
        swap_link(html_dir, release)
    prune_releases(html_dir)
    journal.unlink()
    return html_dir


def publish(staging: Path, built_html: Path, html_dir: Path, moves: list[tuple[Path, Path]]) -> Path:
    """Publish a finished build: the new HTML release and the executed notebooks, atomically."""
    release = releases_dir(html_dir) / uuid.uuid4().hex[:12]
    release.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(built_html), str(release))  # a rename when both are on one file system
    _pause("release-moved")
    journal = write_journal(staging, release, html_dir, moves)
    _pause("journal-written")
    return apply_journal(journal)


def prune_releases(html_dir: Path) -> None:
    """Remove every release folder the published link does not point at."""
    folder = releases_dir(html_dir)
    if not folder.is_dir():
        return
    keep = current_release(html_dir)
    for release in folder.iterdir():
        if keep is None or release.resolve() != keep:
            shutil.rmtree(release, ignore_errors=True)


def staging_folders(staging_root: Path, edition: str) -> Iterator[Path]:
    """Staging folders of earlier builds of `edition` (named <edition>-<pid>)."""
    pattern = re.compile(rf"{re.escape(edition)}-\d+")
    if staging_root.is_dir():
        for folder in sorted(staging_root.iterdir()):
            if folder.is_dir() and pattern.fullmatch(folder.name):
                yield folder


def repair(staging_root: Path, edition: str, html_dir: Path) -> list[str]:
    """Before a build: finish any interrupted publish of `edition` and sweep dead builds' staging.

    Called with the edition's lock held, so no other build of the edition is running and every
    staging folder found belongs to a build that has ended. Returns what was done, for the log.
    """
    done = []
    swap = html_dir.with_name(f".{html_dir.name}.swap")
    for folder in staging_folders(staging_root, edition):
        journal = folder / JOURNAL
        if journal.exists():
            apply_journal(journal)
            done.append(f"finished the interrupted publish of {folder.name}")
        if (folder / KEEP_MARK).exists():
            continue
        shutil.rmtree(folder, ignore_errors=True)
        done.append(f"removed the staging folder {folder.name}")
    if swap.is_symlink():
        if not html_dir.exists() and not html_dir.is_symlink() and swap.resolve().is_dir():
            os.replace(swap, html_dir)  # died between moving the old folder away and the swap
            done.append(f"restored {html_dir} from the prepared link")
        else:
            swap.unlink()
    if html_dir.is_symlink() or html_dir.exists():
        prune_releases(html_dir)
    return done


@contextmanager
def edition_lock(lock_dir: Path, edition: str) -> Iterator[None]:
    """Hold an exclusive lock for one edition's build (released when the process ends, even by SIGKILL)."""
    lock_dir.mkdir(parents=True, exist_ok=True)
    path = lock_dir / f"{edition}.lock"
    handle = path.open("a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PublishLocked(
                f"another build of edition '{edition}' is running (lock {path}); wait for it to finish"
            ) from None
        yield
    finally:
        handle.close()
