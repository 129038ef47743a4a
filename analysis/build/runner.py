"""Build an edition: validate, execute each chapter with papermill, render with Jupyter Book, publish.

Everything is built in a staging folder; the published book (and, for the default edition, the
committed notebooks in book/) is replaced only when every chapter and the HTML build succeeded, and
then crash-safely (analysis.build.publish). A failing chapter is named with its error and the last
good book stays where it was. Killing the build stops its workers and kernels (analysis.build.workers).
The staging folder is removed when the build ends (kept with --keep-staging); the logs stay.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import as_completed
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml
from tqdm import tqdm

from analysis import catalog
from analysis.build import kernels, provenance
from analysis.build import publish as publish_mod
from analysis.build.cache import ChapterCache, chapter_key, code_fingerprint, file_sha256
from analysis.build.chapters import PUBLISHED_EDITION, Chapter, chapters
from analysis.build.notebook import tidy
from analysis.build.workers import die_with_parent, interruptible, pool
from analysis.charts.render import PNG_ENV, write_bundle
from analysis.config import relative
from analysis.paths import BOOK, BUILD, ROOT, TEMPLATES

log = logging.getLogger("analysis.build")

SOURCE_FILES = ("_config.yml",)
SOURCE_DIRS = ("_static",)
TOC_PARTS = (
    ("Overview", ("chapters/introduction", "chapters/economy", "chapters/strategy")),
    ("Clinical pathways", ("pathways/",)),
    ("Five-year outlook", ("outlook/",)),
    ("Value and priorities", ("value/",)),
    ("Appendices", ("appendix/",)),
)


# "0" runs every chapter in a fresh kernel (slower; for comparison and as a fallback).
WARM_ENV = "STRATEGY_BOOK_WARM_KERNELS"


class BuildError(RuntimeError):
    """A chapter or the HTML build failed; the message names which and why."""


@dataclass(frozen=True)
class Outcome:
    """How one chapter's run went: whether it succeeded, how long it took, and its error and log."""

    chapter: str
    ok: bool
    seconds: float
    error: str = ""
    log_file: str = ""


def edition_dirs(edition: str) -> tuple[Path, Path]:
    """Where an edition's executed notebooks and HTML are published."""
    if edition == PUBLISHED_EDITION:
        return BOOK, BUILD / "html"
    return BUILD / edition / "book", BUILD / edition / "html"


def execute_chapter(chapter: Chapter, staging: Path, timeout: int, log_dir: Path) -> Outcome:
    """Run one template with papermill into the staging book (in a worker process)."""
    import papermill as pm

    started = time.perf_counter()
    target = staging / "book" / chapter.output
    target.parent.mkdir(parents=True, exist_ok=True)
    log_file = log_dir / f"{chapter.name}.log"
    handler = logging.FileHandler(log_file, mode="w", encoding="utf-8")
    pm_log = logging.getLogger("papermill")
    pm_log.addHandler(handler)
    pm_log.setLevel(logging.INFO)
    try:
        warm = os.environ.get(WARM_ENV, "1") == "1"
        pm.execute_notebook(
            str(TEMPLATES / chapter.template),
            str(target),
            parameters=chapter.parameters,
            kernel_name=kernels.KERNEL_NAME,
            cwd=str(target.parent),
            execution_timeout=timeout,
            progress_bar=False,
            log_output=True,
            report_mode=False,
            **({"km": kernels.warm_kernel(target.parent)} if warm else {}),
        )
        nb = nbformat.read(target, as_version=4)
        nbformat.write(tidy(nb, {"title": chapter.title}), target)
    except Exception as exc:  # noqa: BLE001 - every failure is reported with the chapter's name
        kernels.discard()  # the next chapter gets a fresh kernel, never one left in a failed state
        message = getattr(exc, "evalue", None) or str(exc)
        ename = getattr(exc, "ename", type(exc).__name__)
        return Outcome(chapter.name, False, time.perf_counter() - started, f"{ename}: {message}".strip(), str(log_file))
    finally:
        pm_log.removeHandler(handler)
        handler.close()
    return Outcome(chapter.name, True, time.perf_counter() - started, "", str(log_file))


def chapter_worker_setup() -> None:
    """Every chapter worker's environment: no raster chart fallbacks (the build would drop them anyway)."""
    os.environ[PNG_ENV] = "0"


def toc(chapter_list: list[Chapter], appendix: list[str]) -> dict:
    """The table of contents for an edition's chapters (pathways only where the edition has them)."""
    outputs = [f"book/{c.output.removesuffix('.ipynb')}" for c in chapter_list] + [f"book/{a}" for a in appendix]
    root, rest = outputs[0], outputs[1:]
    parts = []
    for caption, prefixes in TOC_PARTS:
        files = [o for o in rest if any(o.removeprefix("book/").startswith(p) for p in prefixes)]
        if files:
            parts.append({"caption": caption, "chapters": [{"file": f} for f in files]})
    return {"format": "jb-book", "root": root, "parts": parts}


def appendix_pages() -> list[str]:
    """Static appendix pages (markdown), in name order."""
    folder = BOOK / "appendix"
    return (
        sorted(p.relative_to(BOOK).with_suffix("").as_posix() for p in folder.glob("*.md")) if folder.exists() else []
    )


def stage_source(staging: Path, params, chapter_list: list[Chapter]) -> None:
    """Copy the book's static sources into the staging folder, with the edition's title and toc."""
    for name in SOURCE_DIRS:
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, staging / name, dirs_exist_ok=True)
    write_bundle(staging / "_static")
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["title"] = params.edition.title
    config["author"] = params.edition.author
    (staging / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    pages = appendix_pages()
    for page in pages:
        dest = staging / "book" / f"{page}.md"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(BOOK / f"{page}.md", dest)
    (staging / "_toc.yml").write_text(yaml.safe_dump(toc(chapter_list, pages), sort_keys=False), encoding="utf-8")


def jupyter_book(staging: Path, log_dir: Path, out: Path | None = None) -> Path:
    """Render the staged book to HTML with warnings as errors; return the HTML folder."""
    out = out or staging / "_out"
    cmd = [
        str(Path(sys.executable).parent / "jupyter-book"), "build", str(staging),
        "--path-output", str(out), "--warningiserror", "--nitpick", "--keep-going",
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, preexec_fn=die_with_parent)
    (log_dir / "jupyter-book.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-25:])
        raise BuildError(f"Jupyter Book could not build the HTML (full log: {log_dir / 'jupyter-book.log'}):\n{tail}")
    return out / "_build" / "html"


HTML_SOURCES = ("book", "_static", "_templates", "_config.yml", "_toc.yml")
PASTES_FROM_OTHER_PAGES = ".ipynb::"  # a glue role or directive naming another page's notebook


def sync_tree(staging: Path, source: Path) -> list[Path]:
    """Make `source` hold exactly the staged book; copy only files whose bytes changed. Return those.

    Sphinx decides what to read again from each file's modification time, so an unchanged file must
    keep the time it had: it is left alone, not copied again.
    """
    wanted: dict[Path, Path] = {}
    for name in HTML_SOURCES:
        top = staging / name
        files = [top] if top.is_file() else [p for p in top.rglob("*") if p.is_file()] if top.is_dir() else []
        for f in files:
            wanted[f.relative_to(staging)] = f
    changed = []
    for rel, staged in sorted(wanted.items()):
        target = source / rel
        if target.is_file() and target.read_bytes() == staged.read_bytes():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(staged, target)
        changed.append(target)
    for existing in sorted(source.rglob("*"), reverse=True):
        rel = existing.relative_to(source)
        if existing.is_file() and rel not in wanted:
            existing.unlink()
            changed.append(existing)
    return changed


def sphinx_folder(edition: str) -> Path:
    """The persistent folder of an edition's incremental HTML build (source, output, markers)."""
    return BUILD / ".sphinx" / edition


def incremental_html(
    staging: Path, edition: str, log_dir: Path, fresh: bool = False, published: Path | None = None
) -> Path | None:
    """Render the staged book with Sphinx's own incremental build in a persistent folder.

    Only pages whose source changed are read and written again. A page that pastes values from other
    pages (glue with a notebook name) is read again whenever any page changed, since Sphinx does not
    know it depends on them. A marker written after a successful render tells the next build that
    the folder is whole; without it (a failed or killed render) the folder is rebuilt from scratch.
    Returns a copy of the HTML inside the staging folder, which publishing moves into place; or None
    when no source changed and `published` (the release now published) is the one this folder made.
    """
    work = sphinx_folder(edition)
    source, out, whole, made = work / "source", work / "out", work / "complete", work / "published-release"
    if fresh or not whole.exists():
        shutil.rmtree(work, ignore_errors=True)
    source.mkdir(parents=True, exist_ok=True)
    changed = sync_tree(staging, source)
    if (
        not changed
        and whole.exists()
        and published is not None
        and made.exists()
        and made.read_text(encoding="utf-8") == published.name
    ):
        return None
    if changed:
        now = time.time()
        for page in source.rglob("*.ipynb"):
            if PASTES_FROM_OTHER_PAGES in page.read_text(encoding="utf-8"):
                os.utime(page, (now, now))
    whole.unlink(missing_ok=True)
    made.unlink(missing_ok=True)
    built = jupyter_book(source, log_dir, out)
    whole.write_text("the last render finished\n", encoding="utf-8")
    copy = staging / "_html"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(built, copy)
    return copy


def publish_moves(staging: Path, edition: str, chapter_list: list[Chapter]) -> list[tuple[Path, Path]]:
    """Every executed notebook (and, for the committed edition, the toc) a publish puts in place."""
    book_dir, _ = edition_dirs(edition)
    moves = [(staging / "book" / c.output, book_dir / c.output) for c in chapter_list]
    if edition == PUBLISHED_EDITION:
        moves.append((staging / "_toc.yml", ROOT / "_toc.yml"))
    return moves


def publish(staging: Path, html: Path, edition: str, chapter_list: list[Chapter]) -> Path:
    """Move the executed notebooks and the HTML of a successful build into place, crash-safely."""
    _, html_dir = edition_dirs(edition)
    moves = publish_moves(staging, edition, chapter_list)
    return publish_mod.publish(staging, html, html_dir, moves)


def build(
    params_file: str,
    *,
    workers: int | None = None,
    only: list[str] | None = None,
    keep_staging: bool = False,
    fresh: bool = False,
) -> Path:
    """Build an edition's book end to end; return the folder of the published HTML."""
    params_file = relative(params_file)
    cat = catalog.load(params_file)  # validates parameters and data before any chapter runs
    edition = cat.params.edition.id
    try:
        with publish_mod.edition_lock(BUILD / ".locks", edition), interruptible():
            _, html_dir = edition_dirs(edition)
            for line in publish_mod.repair(BUILD / ".staging", edition, html_dir):
                log.warning("%s", line)
                print(f"Before building: {line}", file=sys.stderr)
            staging = BUILD / ".staging" / f"{edition}-{os.getpid()}"
            shutil.rmtree(staging, ignore_errors=True)
            try:
                return _build_in(staging, cat, params_file, workers, only, fresh)
            finally:
                if (staging / publish_mod.JOURNAL).exists():
                    # Interrupted while publishing, past the commit point: finish, so the book is whole.
                    publish_mod.apply_journal(staging / publish_mod.JOURNAL)
                if keep_staging:
                    if staging.exists():
                        (staging / publish_mod.KEEP_MARK).write_text("kept with --keep-staging\n", encoding="utf-8")
                        print(f"Staging folder kept: {staging}", file=sys.stderr)
                else:
                    shutil.rmtree(staging, ignore_errors=True)
    except publish_mod.PublishLocked as exc:
        raise BuildError(str(exc)) from None


def _build_in(
    staging: Path, cat, params_file: str, workers: int | None, only: list[str] | None, fresh: bool
) -> Path:
    params = cat.params
    edition = params.edition.id
    chapter_list = chapters(params, params_file, cat.content)
    book_dir, _ = edition_dirs(edition)
    chapter_cache = ChapterCache(BUILD / ".cache", edition)
    code, dump = code_fingerprint(), params.model_dump(mode="json")
    keys = {c.name: chapter_key(c, dump, cat.inputs, code) for c in chapter_list}
    if only:
        run = [c for c in chapter_list if c.name in only]
        if not run:
            raise BuildError(f"--only {only}: no such chapter; chapters are {', '.join(c.name for c in chapter_list)}")
    elif fresh:
        run = list(chapter_list)
    else:
        run = [c for c in chapter_list if not chapter_cache.reusable(c, keys[c.name], book_dir / c.output)]
    if len(run) < len(chapter_list):
        print(
            f"Reusing {len(chapter_list) - len(run)} of {len(chapter_list)} chapters (nothing they read changed)",
            file=sys.stderr,
        )
    log_dir = BUILD / "logs" / edition
    shutil.rmtree(log_dir, ignore_errors=True)
    log_dir.mkdir(parents=True, exist_ok=True)
    stage_source(staging, params, chapter_list)
    provenance.stage(staging, cat, params_file)
    for c in chapter_list:  # chapters not re-run this time keep their last good executed copy
        if c not in run and (book_dir / c.output).exists():
            (staging / "book" / c.output).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(book_dir / c.output, staging / "book" / c.output)
    workers = workers or params.build.workers
    failures: list[Outcome] = []
    with pool(workers, chapter_worker_setup) as executor:
        futures = [executor.submit(execute_chapter, c, staging, params.build.timeout, log_dir) for c in run]
        with tqdm(total=len(futures), desc=f"Chapters of '{edition}'", unit="chapter", file=sys.stderr) as bar:
            for future in as_completed(futures):
                outcome = future.result()
                bar.set_postfix_str(f"{outcome.chapter} {'ok' if outcome.ok else 'FAILED'} ({outcome.seconds:.0f}s)")
                bar.update()
                if not outcome.ok:
                    failures.append(outcome)
    if failures:
        lines = [
            f"  - {f.chapter}: {f.error}\n    log: {f.log_file}" for f in sorted(failures, key=lambda f: f.chapter)
        ]
        raise BuildError(
            f"{len(failures)} chapter(s) failed; the last good book was left in place:\n" + "\n".join(lines)
        )
    missing = [c.output for c in chapter_list if not (staging / "book" / c.output).exists()]
    if missing:
        raise BuildError(f"chapters never built for this edition (run without --only first): {', '.join(missing)}")
    _, html_dir = edition_dirs(edition)
    in_place = all(
        d.is_file() and d.read_bytes() == s.read_bytes() for s, d in publish_moves(staging, edition, chapter_list)
    )
    current = publish_mod.current_release(html_dir) if in_place else None
    print("Rendering HTML with Jupyter Book...", file=sys.stderr)
    started = time.perf_counter()
    html = incremental_html(staging, edition, log_dir, fresh=fresh, published=current)
    if html is None:
        print("Nothing changed: the published book is up to date", file=sys.stderr)
        return html_dir
    print(f"Rendered the HTML in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    published = publish(staging, html, edition, chapter_list)
    release = publish_mod.current_release(published)
    if release is not None:  # the release this persistent folder made: a later no-op build can skip the render
        (sphinx_folder(edition) / "published-release").write_text(release.name, encoding="utf-8")
    ran = {c.name for c in run}
    records = {
        c.name: {"key": keys[c.name], "sha256": file_sha256(book_dir / c.output)} if c.name in ran
        else chapter_cache.records.get(c.name)
        for c in chapter_list
    }
    chapter_cache.save({name: record for name, record in records.items() if record})
    return published


def render_published(params_file: str, out: Path) -> Path:
    """Render an edition's already executed notebooks to HTML in `out`, executing nothing."""
    params_file = relative(params_file)
    cat = catalog.load(params_file)
    chapter_list = chapters(cat.params, params_file, cat.content)
    book_dir, _ = edition_dirs(cat.params.edition.id)
    staging = out / "source"
    stage_source(staging, cat.params, chapter_list)
    provenance.stage(staging, cat, params_file)
    for c in chapter_list:
        (staging / "book" / c.output).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(book_dir / c.output, staging / "book" / c.output)
    log_dir = out / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    return jupyter_book(staging, log_dir)
