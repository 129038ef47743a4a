"""The value chapter's written content (data/content/value.yml) and the pathways' titles."""

from __future__ import annotations

from analysis.catalog import Catalog

VALUE_SOURCE = "data/content/value.yml"


def value_content(book: Catalog) -> dict:
    """The value chapter's written content (data/content/value.yml), empty when the edition has none."""
    return book.content.get("value", {}) or {}


def pathway_titles(book: Catalog) -> dict[str, str]:
    """Pathway id -> the chapter title from the content file."""
    specs = book.content.get("pathways", {}).get("pathways", {})
    return {pid: specs.get(pid, {}).get("title", pid.replace("_", " ").capitalize()) for pid in book.params.pathways}
