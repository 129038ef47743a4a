"""Tidying an executed notebook so that the committed copy is stable and reads as a chapter."""

from __future__ import annotations

import re

import nbformat

from analysis.report.wording import literal

# Metadata that changes on every run (clock times, durations) and would make `make book` dirty the tree.
VOLATILE_NOTEBOOK_KEYS = ("papermill",)
VOLATILE_CELL_KEYS = ("papermill", "execution")
# Raster fallbacks depend on the machine's fonts; a chart's HTML is what the book and the PDF show.
MACHINE_DEPENDENT_MIME = "image/png"
PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def tidy(nb: nbformat.NotebookNode, values: dict[str, str]) -> nbformat.NotebookNode:
    """Strip volatile metadata and raster chart fallbacks, hide parameter cells, fill {{ placeholders }}."""
    for key in VOLATILE_NOTEBOOK_KEYS:
        nb.metadata.pop(key, None)
    for cell in nb.cells:
        for key in VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
        tags = list(cell.metadata.get("tags", []))
        if "injected-parameters" in tags:
            cell["id"] = "injected-parameters"  # papermill gives it a random id on every run
        if "parameters" in tags or "injected-parameters" in tags:
            # A reader needs the parameters on the run-information page, not at the top of a chapter.
            if "remove-cell" not in tags:
                tags.append("remove-cell")
            cell.metadata["tags"] = tags
        if cell.cell_type == "markdown":
            cell.source = PLACEHOLDER.sub(lambda m: _fill(m, values), cell.source)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data and MACHINE_DEPENDENT_MIME in data:
                del data[MACHINE_DEPENDENT_MIME]  # only where the HTML carries the same chart
                output.get("metadata", {}).pop(MACHINE_DEPENDENT_MIME, None)
    return nb


def _fill(match: re.Match, values: dict[str, str]) -> str:
    key = match.group(1)
    if key not in values:
        raise KeyError(f"the template uses {{{{ {key} }}}} but the build has no value for it")
    # Values come from the edition's files (a pathway's title from its content file): shown, never read as markup.
    return literal(values[key])


def placeholders(nb: nbformat.NotebookNode) -> set[str]:
    """The {{ names }} a template's markdown cells expect."""
    return {m.group(1) for c in nb.cells if c.cell_type == "markdown" for m in PLACEHOLDER.finditer(c.source)}
