"""The value chapter's three elements of value and the propositions the region's NHS leaders agreed."""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from analysis.catalog import Catalog
from analysis.charts import table as tables
from analysis.report.value.content import VALUE_SOURCE, value_content
from analysis.report.wording import literal

# An edition without content of its own (no `content:` key) has no value texts: each section says so once.
NO_CONTENT = (
    "*This edition has no content of its own (no `content:` folder in its parameter file), so there is no text for "
    "this section.*"
)


def element_text(book: Catalog, element: str) -> Markdown:
    """What one element of value means, in our own words."""
    if not book.has_content:
        return Markdown(NO_CONTENT)
    item = value_content(book).get("elements", {}).get(element)
    if not item:
        return Markdown(f"*No content for the element {element!r} in {VALUE_SOURCE}.*")
    return Markdown(literal(item["explanation"]))


def element_table(book: Catalog, element: str) -> tables.Table | None:
    """The barriers and enablers of one element of value, side by side.

    Nothing without content: element_text says so.
    """
    if not book.has_content:
        return None
    item = value_content(book).get("elements", {}).get(element, {})
    barriers, enablers = list(item.get("barriers", [])), list(item.get("enablers", []))
    n = max(len(barriers), len(enablers))
    frame = pd.DataFrame({
        "What gets in the way": barriers + [""] * (n - len(barriers)),
        "What helps": enablers + [""] * (n - len(enablers)),
    })
    return tables.table(
        frame, caption=f"{item.get('title', element)}: barriers and enablers", source=item.get("source", VALUE_SOURCE)
    )


def propositions(book: Catalog) -> Markdown:
    """The propositions and commitments the West Midlands' NHS leaders agreed, as two lists."""
    if not book.has_content:
        return Markdown(NO_CONTENT)
    items = value_content(book).get("propositions", [])
    groups = {kind: [p for p in items if p.get("kind") == kind] for kind in ("proposition", "commitment")}
    sources = sorted({p["source"] for p in items if p.get("kind") in groups})
    lines = ["**What they hold to be true**", ""] + [f"- {literal(p['text'])}" for p in groups["proposition"]]
    lines += ["", "**What they committed to do**", ""] + [f"- {literal(p['text'])}" for p in groups["commitment"]]
    lines += ["", f"*Source: {literal('; '.join(sources))}, in our own words.*"]
    return Markdown("\n".join(lines))
