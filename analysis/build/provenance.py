"""Provenance: what a build was made from (edition, parameters, input files, code, date).

Executed chapters are committed and nbval re-executes them comparing every output, so nothing that
changes with the clock or the commit may appear in a notebook. The stamp goes only into the HTML:
the page footer (a template in the staged _templates folder) and a run-information page that the build writes
into its staging folder (book/appendix/run-information.md, never committed).
"""

from __future__ import annotations

import hashlib
import html
import os
import platform
import re
import subprocess
from collections.abc import Mapping
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import pandas as pd
import yaml

from analysis.paths import ROOT, resolve
from analysis.report.wording import literal

RUN_INFORMATION = "appendix/run-information"  # toc path of the generated page, relative to book/
EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"  # the reproducible-builds convention for a fixed build date
PACKAGES = (
    "pandas", "numpy", "scipy", "statsmodels", "altair", "vl-convert-python",
    "ibis-framework", "duckdb", "pyarrow", "pydantic", "papermill", "jupyter-book",
)
GIT_TIMEOUT = 10  # seconds; a hung git must not hang the build
DISTRIBUTION = "strategy-book-analysis"  # the project's own name in pyproject.toml, whose version it reads


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, as hex (what `sha256sum` prints)."""
    digest = hashlib.sha256()
    with resolve(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build_date(environ: Mapping[str, str] | None = None) -> str:
    """The build date (UTC, YYYY-MM-DD): from SOURCE_DATE_EPOCH when set, else today."""
    env = os.environ if environ is None else environ
    raw = env.get(EPOCH_VARIABLE, "").strip()
    if not raw:
        return datetime.now(timezone.utc).date().isoformat()
    try:
        seconds = int(raw)
    except ValueError:
        raise ValueError(
            f"{EPOCH_VARIABLE}={raw!r} is not a whole number of seconds since 1970-01-01 UTC "
            "(for example `git log -1 --format=%ct`)"
        ) from None
    return datetime.fromtimestamp(seconds, timezone.utc).date().isoformat()


def _git(root: Path, *args: str) -> str | None:
    """A git command's output in `root`, or None when git is missing or fails."""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=GIT_TIMEOUT,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},  # `git status` must not write the index
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def code_version(root: Path = ROOT) -> str:
    """HEAD's short hash, '<hash>+modified' when the tree has changes, 'unknown' without a git checkout."""
    top = _git(root, "rev-parse", "--show-toplevel")
    # The project unpacked inside someone else's repository is not a checkout of the project.
    if top is None or Path(top).resolve() != Path(root).resolve():
        return "unknown"
    head = _git(root, "rev-parse", "--short", "HEAD")
    if not head:
        return "unknown"  # a repository with no commit yet
    status = _git(root, "status", "--porcelain")
    return head if status == "" else f"{head}+modified"


def book_version(distribution: str = DISTRIBUTION) -> str:
    """The project's release (pyproject.toml's version, as installed), or 'not installed' outside an install."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def package_versions(names: tuple[str, ...] = PACKAGES) -> dict[str, str]:
    """Installed versions of the packages that shape the numbers and the book ('not installed' if absent)."""
    versions = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def stamp(catalog, params_file: str | Path, *, root: Path = ROOT, environ: Mapping[str, str] | None = None) -> dict:
    """What this build is made from: edition, parameter and input hashes, code version, build date."""
    edition = catalog.params.edition
    return {
        "edition": edition.id,
        "title": edition.title,
        "synthetic": bool(edition.synthetic),
        "params_file": str(params_file),
        "params_sha256": file_sha256(params_file),
        "inputs": dict(sorted(catalog.inputs.items())),
        "code_version": code_version(root),
        "version": book_version(),
        "build_date": build_date(environ),
        "packages": package_versions(),
    }


def footer_html(stamp: dict) -> str:
    """One line for every HTML page's footer: edition, parameters hash, code version, build date."""
    e = html.escape
    data = " (synthetic data)" if stamp.get("synthetic") else ""
    return (
        '<p class="sb-provenance">'
        f"Edition <strong>{e(stamp['title'])}</strong> [{e(stamp['edition'])}]{data}"
        f" &middot; parameters <code>{e(stamp['params_file'])}</code> sha256 "
        f"<code>{e(stamp['params_sha256'][:12])}</code>"
        f" &middot; code <code>{e(stamp['code_version'])}</code>"
        f" &middot; built {e(stamp['build_date'])} (UTC)"
        "</p>"
    )


FOOTER_TEMPLATE = "_templates/extra-footer.html"  # overrides the book theme's footer component


def with_templates(config: dict) -> dict:
    """A copy of a Jupyter Book config that reads page templates from the staged `_templates` folder.

    The stamp lives in a template, not in the config: Sphinx reads every page again when its config
    changes, but only writes pages again when a template changes, so a new stamp costs an
    incremental build the writing of pages, not the reading of every notebook.
    """
    out = {**config}
    sphinx = {**(config.get("sphinx") or {})}
    sphinx_config = {**(sphinx.get("config") or {})}
    sphinx_config["templates_path"] = ["_templates"]
    sphinx["config"] = sphinx_config
    out["sphinx"] = sphinx
    return out


def footer_template(footer: str) -> str:
    """The footer component (what the theme's own one renders, with our stamp)."""
    return f'<div class="extra_footer">\n{footer}\n</div>\n'


def run_information(stamp: dict, params) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The appendix's tables: the build (item, value), the input files (file, sha256), the packages."""
    data = params.data
    if data.kind == "synthetic":
        source = f"synthetic, generated by the project's own code from seed {data.synthetic.seed}"
    else:
        source = "published files, read through the adapters (listed below)"
    build = pd.DataFrame(
        [
            ("Edition", f"{stamp['title']} ({stamp['edition']})"),
            ("Data", source),
            ("Parameter file", stamp["params_file"]),
            ("Parameter file SHA-256", stamp["params_sha256"]),
            ("Book version", stamp.get("version", "not recorded")),
            ("Code version (git)", stamp["code_version"]),
            ("Build date (UTC)", stamp["build_date"]),
        ],
        columns=["Item", "Value"],
    )
    rows = [(stamp["params_file"], stamp["params_sha256"])] + sorted(stamp["inputs"].items())
    inputs = pd.DataFrame(list(dict(rows).items()), columns=["File", "SHA-256"])
    packages = pd.DataFrame(sorted(stamp.get("packages", {}).items()), columns=["Package", "Version"])
    return build, inputs, packages


def _cell(value: object) -> str:
    """A value made safe for a markdown pipe table: shown as text, never read as markup (titles, file names)."""
    return literal(value)


def markdown_table(frame: pd.DataFrame, code: tuple[str, ...] = ()) -> str:
    """A markdown pipe table; columns in `code` are shown in a code font (as text: a file name may hold a backtick)."""
    lines = ["| " + " | ".join(_cell(c) for c in frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    for record in frame.itertuples(index=False, name=None):
        cells = [
            f"<code>{_cell(v)}</code>" if c in code else _cell(v) for c, v in zip(frame.columns, record, strict=True)
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def run_information_markdown(stamp: dict, params) -> str:
    """The run-information page as MyST markdown."""
    build, inputs, packages = run_information(stamp, params)
    parameters = yaml.safe_dump(params.model_dump(mode="json"), sort_keys=False, allow_unicode=True, width=100)
    lines = parameters.count("\n")
    # A code fence longer than any run of backticks in the parameters, so no value can close it.
    fence = "`" * max(4, 1 + max((len(run) for run in re.findall(r"`+", parameters)), default=0))
    modified = (
        "\n\nThe code version ends in `+modified`: the book was built from a working tree with changes "
        "not yet committed, so the commit alone does not reproduce it."
        if stamp["code_version"].endswith("+modified") else ""
    )
    return f"""# Run information

This page records what this copy of the book was built from, so that anyone can rebuild it and check
that they get the same numbers. It is written by the build and is not part of the committed chapters.

## The build

{markdown_table(build)}{modified}

## Input files

The SHA-256 of every file the book read; `sha256sum <file>` on an identical file prints the same hash.

{markdown_table(inputs, code=("File", "SHA-256"))}

## Software

{markdown_table(packages)}

## Parameters

The parameters every chapter ran with, as validated, with each default filled in.

::::{{container}} sb-print-only
The printed pack leaves out the {lines} lines of parameters: they are on this page of the HTML book
and in <code>{literal(stamp['params_file'])}</code> (SHA-256 above).
::::

::::{{container}} sb-run-parameters
{fence}yaml
{parameters.rstrip()}
{fence}
::::
"""


def write_run_information_page(staging: Path, stamp: dict, params) -> str:
    """Write the run-information page into a staged book; return its toc path."""
    target = Path(staging) / "book" / f"{RUN_INFORMATION}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(run_information_markdown(stamp, params), encoding="utf-8")
    return RUN_INFORMATION


def with_page(toc: dict, page: str, caption: str = "Appendices") -> dict:
    """A copy of a Jupyter Book toc with `page` (relative to the staging root) last in the part `caption`."""
    parts = [dict(p, chapters=list(p.get("chapters", []))) for p in toc.get("parts", [])]
    entry = {"file": page}
    target = next((p for p in parts if p.get("caption") == caption), None)
    if target is None:
        parts.append({"caption": caption, "chapters": [entry]})
    elif entry not in target["chapters"]:
        target["chapters"].append(entry)
    return {**toc, "parts": parts}


def stage(staging: Path, catalog, params_file: str | Path) -> str:
    """Stamp a staged book: the footer template, the run-information page, and its toc entry; return its toc path."""
    staging = Path(staging)
    info = stamp(catalog, params_file)
    config_file = staging / "_config.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    config_file.write_text(yaml.safe_dump(with_templates(config), sort_keys=False), encoding="utf-8")
    template = staging / FOOTER_TEMPLATE
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text(footer_template(footer_html(info)), encoding="utf-8")
    page = write_run_information_page(staging, info, catalog.params)
    toc_file = staging / "_toc.yml"
    if toc_file.exists():
        toc = yaml.safe_load(toc_file.read_text(encoding="utf-8"))
        toc_file.write_text(yaml.safe_dump(with_page(toc, f"book/{page}"), sort_keys=False), encoding="utf-8")
    return page
