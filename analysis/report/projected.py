"""The edition's five-year projection, shared by the outlook, pathway, value and priorities pages.

The projection is computed from the catalog and kept with it (`Catalog.computed`), so it is worked
out once per edition and no module holds a cache keyed by file path. Also here: the plan's
finance assumptions, whether the edition can price activity, and the model's source line.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import pandas as pd
from IPython.display import Markdown

from analysis.catalog import Catalog
from analysis.model import projection as pj
from analysis.report.common import source

MODEL_NOTE = "the strategy book's five-year model (analysis/model)"


def plain_values(node):
    """An assumptions mapping with each {value, basis, source, note} record replaced by its value."""
    if isinstance(node, dict):
        if "value" in node:
            return plain_values(node["value"])
        return {k: plain_values(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain_values(v) for v in node]
    return node


def projection(book: Catalog) -> pj.Projection:
    """The edition's projection, worked out once per catalog and kept with it (seeded, so always the same)."""
    return book.computed("projection", _project)


def _project(book: Catalog) -> pj.Projection:
    p = book.params
    activity = book.table("activity")
    ours = [c.code for c in p.economy.commissioners]
    return pj.project(
        activity[activity["commissioner"].isin(ours)],  # the economy's own, not its peers'
        book.table("population"),
        economy_interventions(book),
        baseline_year=p.period.baseline_year,
        horizon_year=p.period.horizon_year,
        runs=p.model.runs,
        seed=p.model.seed,
    )


def economy_interventions(book: Catalog) -> list[dict]:
    """The plan's interventions that act in this economy: economy-wide ones, and those of its commissioners.

    A plan written for other organisations (another economy's parameter file pointing at this
    plan) has none: its economy-wide schemes belong to that plan too.
    """
    items = book.plan.get("interventions", [])
    ours = {c.code for c in book.params.economy.commissioners}
    named = {str(i.get("organisation")) for i in items} - {"all"}
    if named and not named & ours:
        return []
    return [i for i in items if str(i.get("organisation")) in ours | {"all"}]


def has_economy_activity(book: Catalog) -> bool:
    """Whether the edition has activity of its own commissioners to project (a provider-only edition has none)."""
    return bool(book.table("activity")["commissioner"].isin([c.code for c in book.params.economy.commissioners]).any())


def needs_projection(page: Callable) -> Callable:
    """A page function that shows the projection: one line instead, where the edition has no activity to project."""

    @functools.wraps(page)
    def shown(book: Catalog, *args, **kwargs):
        if not has_economy_activity(book):
            return no_projection()
        return page(book, *args, **kwargs)

    return shown


def has_pathway_activity(book: Catalog, pathway: str) -> bool:
    """Whether the projection has any of the pathway's activity (none when the edition has no activity of its own)."""
    if not has_economy_activity(book):
        return False
    return bool(pj.select(projection(book), pathway=pathway).any())


def no_projection(pathway: str | None = None) -> Markdown:
    """The one line shown where the edition has no activity to project."""
    what = "this pathway's activity" if pathway else "activity"
    return Markdown(f"*No projection: this edition has no data on {what} by commissioner.*")


def assumptions(book: Catalog) -> dict:
    """The finance assumptions of the plan file, as plain values."""
    return plain_values(book.plan.get("allocation", {}))


def model_source(book: Catalog) -> str:
    """The source line of a modelled chart: the activity data, the model and where its assumptions are."""
    assumptions_in = f"; assumptions in {book.params.plan}" if book.has_plan else "; no plan loaded"
    return f"{source(book, 'activity')}; {MODEL_NOTE}{assumptions_in}"


def has_costs(book: Catalog) -> bool:
    """Whether the edition can put a price on activity: unit costs, or costs in the activity table."""
    activity = book.table("activity")
    return book.has("unit_costs") or bool(
        len(activity) and pd.to_numeric(activity["cost"], errors="coerce").notna().any()
    )
