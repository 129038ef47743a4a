"""Build an edition: validate, execute each chapter with papermill, render with Jupyter Book, publish.

Everything is built in a staging folder; the published book (and, for the default edition, the
committed notebooks in book/) is replaced only when every chapter and the HTML build succeeded.
A failing chapter is named with its error and the last good book stays where it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml
from tqdm import tqdm

from analysis import catalog
from analysis.build import provenance
from analysis.build.chapters import PUBLISHED_EDITION, Chapter, chapters
from analysis.build.notebook import tidy
from analysis.charts.render import write_bundle
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


class BuildError(RuntimeError):
    """A chapter or the HTML build failed; the message names which and why."""


@dataclass(frozen=True)
class Outcome:
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
        pm.execute_notebook(
            str(TEMPLATES / chapter.template),
            str(target),
            parameters=chapter.parameters,
            kernel_name="python3",
            cwd=str(target.parent),
            execution_timeout=timeout,
            progress_bar=False,
            log_output=True,
            report_mode=False,
        )
        nb = nbformat.read(target, as_version=4)
        nbformat.write(tidy(nb, {"title": chapter.title}), target)
    except Exception as exc:  # noqa: BLE001 - every failure is reported with the chapter's name
        message = getattr(exc, "evalue", None) or str(exc)
        ename = getattr(exc, "ename", type(exc).__name__)
        return Outcome(chapter.name, False, time.perf_counter() - started, f"{ename}: {message}".strip(), str(log_file))
    finally:
        pm_log.removeHandler(handler)
        handler.close()
    return Outcome(chapter.name, True, time.perf_counter() - started, "", str(log_file))


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
    return sorted(p.relative_to(BOOK).with_suffix("").as_posix() for p in folder.glob("*.md")) if folder.exists() else []


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


def jupyter_book(staging: Path, log_dir: Path) -> Path:
    """Render the staged book to HTML with warnings as errors; return the HTML folder."""
    out = staging / "_out"
    cmd = [
        str(Path(sys.executable).parent / "jupyter-book"), "build", str(staging),
        "--path-output", str(out), "--warningiserror", "--nitpick", "--keep-going",
    ]
    result = subprocess.run(cmd, capture_output=True, text=True)
    (log_dir / "jupyter-book.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-25:])
        raise BuildError(f"Jupyter Book could not build the HTML (full log: {log_dir / 'jupyter-book.log'}):\n{tail}")
    return out / "_build" / "html"


def _replace_dir(new: Path, old: Path) -> None:
    """Swap a freshly built folder into place, keeping the old one until the swap is done."""
    old.parent.mkdir(parents=True, exist_ok=True)
    backup = old.with_name(old.name + ".previous")
    shutil.rmtree(backup, ignore_errors=True)
    if old.exists():
        old.rename(backup)
    shutil.move(str(new), str(old))
    shutil.rmtree(backup, ignore_errors=True)


def publish(staging: Path, html: Path, edition: str, chapter_list: list[Chapter]) -> Path:
    """Move the executed notebooks and the HTML of a successful build into place."""
    book_dir, html_dir = edition_dirs(edition)
    for chapter in chapter_list:
        source = staging / "book" / chapter.output
        dest = book_dir / chapter.output
        dest.parent.mkdir(parents=True, exist_ok=True)
        if not dest.exists() or dest.read_bytes() != source.read_bytes():
            shutil.copy2(source, dest)
    if edition == PUBLISHED_EDITION:
        toc_text = (staging / "_toc.yml").read_text(encoding="utf-8")
        current = ROOT / "_toc.yml"
        if not current.exists() or current.read_text(encoding="utf-8") != toc_text:
            (ROOT / "_toc.yml").write_text(toc_text, encoding="utf-8")
    _replace_dir(html, html_dir)
    return html_dir


def build(params_file: str, *, workers: int | None = None, only: list[str] | None = None) -> Path:
    """Build an edition's book end to end; return the folder of the published HTML."""
    params_file = relative(params_file)
    cat = catalog.load(params_file)  # validates parameters and data before any chapter runs
    params = cat.params
    edition = params.edition.id
    chapter_list = chapters(params, params_file, cat.content)
    run = [c for c in chapter_list if not only or c.name in only]
    if only and not run:
        raise BuildError(f"--only {only}: no such chapter; chapters are {', '.join(c.name for c in chapter_list)}")
    staging = BUILD / ".staging" / f"{edition}-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    log_dir = BUILD / "logs" / edition
    shutil.rmtree(log_dir, ignore_errors=True)
    log_dir.mkdir(parents=True, exist_ok=True)
    stage_source(staging, params, chapter_list)
    provenance.stage(staging, cat, params_file)
    book_dir, _ = edition_dirs(edition)
    for c in chapter_list:  # chapters not re-run this time keep their last good executed copy
        if c not in run and (book_dir / c.output).exists():
            (staging / "book" / c.output).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(book_dir / c.output, staging / "book" / c.output)
    workers = workers or params.build.workers
    failures: list[Outcome] = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(execute_chapter, c, staging, params.build.timeout, log_dir) for c in run]
        with tqdm(total=len(futures), desc=f"Chapters of '{edition}'", unit="chapter", file=sys.stderr) as bar:
            for future in as_completed(futures):
                outcome = future.result()
                bar.set_postfix_str(f"{outcome.chapter} {'ok' if outcome.ok else 'FAILED'} ({outcome.seconds:.0f}s)")
                bar.update()
                if not outcome.ok:
                    failures.append(outcome)
    if failures:
        lines = [f"  - {f.chapter}: {f.error}\n    log: {f.log_file}" for f in sorted(failures, key=lambda f: f.chapter)]
        raise BuildError(
            f"{len(failures)} chapter(s) failed; the last good book was left in place:\n" + "\n".join(lines)
        )
    missing = [c.output for c in chapter_list if not (staging / "book" / c.output).exists()]
    if missing:
        raise BuildError(f"chapters never built for this edition (run without --only first): {', '.join(missing)}")
    print("Rendering HTML with Jupyter Book...", file=sys.stderr)
    html = jupyter_book(staging, log_dir)
    published = publish(staging, html, edition, chapter_list)
    shutil.rmtree(staging, ignore_errors=True)
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
