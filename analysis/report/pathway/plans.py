"""A pathway chapter's plan sections: key messages, aspiration and plans, investment and deliverables."""

from __future__ import annotations

import functools
import html
from collections.abc import Callable

import pandas as pd
from IPython.display import Markdown

from analysis.catalog import Catalog
from analysis.charts import table as tables
from analysis.report.wording import literal

# Said where a plan section would be, in an edition without a plan (the introduction says it in full).
NO_PLAN = "*No plan is loaded for this edition (see the introduction), so there is nothing to show here.*"


STATUS_RAG = {"planned": "grey", "on_track": "green", "at_risk": "amber", "off_track": "red", "complete": "blue"}
STATUS_TEXT = {
    "planned": "Planned",
    "on_track": "On track",
    "at_risk": "At risk",
    "off_track": "Off track",
    "complete": "Complete",
}


def content(book: Catalog, pathway: str) -> dict:
    """The pathway's content (key messages, plans, deliverables) from the content file."""
    return book.content.get("pathways", {}).get("pathways", {}).get(pathway, {})


def needs_plan(page: Callable) -> Callable:
    """A page function that shows the plan's schemes or their effect.

    In an edition without a plan it shows the one NO_PLAN line instead.
    """

    @functools.wraps(page)
    def shown(book: Catalog, *args, **kwargs):
        if not book.has_plan:
            return Markdown(NO_PLAN)
        return page(book, *args, **kwargs)

    return shown


def plan_source(book: Catalog) -> str:
    """The document the edition's content summarises, as its content file names it (`source:` in pathways.yml)."""
    return str(book.content.get("pathways", {}).get("source", "") or book.params.content or "")


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {literal(i)}" for i in items)


def key_messages(book: Catalog, pathway: str) -> Markdown:
    """The chapter's summary and the key messages of the plan, in our words."""
    c = content(book, pathway)
    text = [literal(c.get("summary", ""))]
    if c.get("key_messages"):
        text += ["", "**Key messages**", "", _bullets(c["key_messages"])]
    return Markdown("\n".join(text))


def aspiration_and_plans(book: Catalog, pathway: str) -> Markdown:
    """What the economy aspires to, its plans and who governs them."""
    c = content(book, pathway)
    if not book.has_plan and not (c.get("aspiration") or c.get("plans")):
        return Markdown(NO_PLAN)
    parts = []
    if c.get("aspiration"):
        parts += ["**Aspiration.** " + literal(c["aspiration"]), ""]
    if c.get("plans"):
        parts += ["**Plans**", "", _bullets(c["plans"]), ""]
    if c.get("governance"):
        parts += ["**Governance.** " + literal(c["governance"])]
    sub = c.get("dementia")
    if sub:
        parts += [
            "",
            "**Dementia**",
            "",
            literal(sub.get("aspiration", "")),
            "",
            _bullets(sub.get("plans", [])) if sub.get("plans") else "",
        ]
    section = c.get("plan_section")
    if section:
        parts += [
            "",
            f"*Source: {literal(plan_source(book))}, section {literal(section)}; summarised in our own words.*",
        ]
    return Markdown("\n".join(parts))


def deliverables(book: Catalog, pathway: str) -> tables.Table | Markdown:
    """The deliverables register: owner, due date and status with a RAG colour."""
    items = content(book, pathway).get("deliverables", [])
    if not items and not book.has_plan:
        return Markdown(NO_PLAN)
    frame = (
        pd.DataFrame(items, columns=["id", "text", "owner", "due", "status"])
        if items
        else pd.DataFrame(columns=["id", "text", "owner", "due", "status"])
    )
    frame["Status"] = frame["status"].map(
        lambda s: (
            f'<span class="sb-rag sb-rag-{STATUS_RAG.get(s, "grey")}" '
            f'aria-label="{html.escape(STATUS_TEXT.get(s, str(s)), quote=True)}">'
            f"{html.escape(STATUS_TEXT.get(s, str(s)))}</span>"
        )
    )
    shown = frame.rename(columns={"text": "Deliverable", "owner": "Owner", "due": "Due"})[
        ["Deliverable", "Owner", "Due", "Status"]
    ]
    return tables.table(
        shown,
        caption="Deliverables register",
        source=f"{plan_source(book)}; status as recorded in {book.params.content}/pathways.yml",
        html_columns=["Status"],
    )


def investments(book: Catalog, pathway: str) -> tables.Table | Markdown:
    """The plan's investments in this pathway (the commissioning intentions of appendix 2)."""
    if not book.has_plan:
        return Markdown(NO_PLAN)
    items = [i for i in book.plan.get("investments", []) if i.get("pathway") == pathway]
    ours = {c.code for c in book.params.economy.commissioners} | {"all"}
    if items and not any(str(i.get("organisation")) in ours for i in items):
        return Markdown(
            "*The plan file's investments in this pathway are other organisations' (it is another economy's plan), so "
            "none is shown.*"
        )
    if not items:
        return Markdown("*The plan's investment tables name no investment for this pathway.*")
    names = {c.code: c.name for c in book.params.economy.commissioners}
    frame = pd.DataFrame(items)
    frame["Organisation"] = frame["organisation"].map(lambda o: names.get(o, o))
    shown = frame.rename(columns={"intention": "Intention", "description": "What it buys", "investment": "Investment"})
    shown = shown[["Organisation", "Intention", "What it buys", "Investment"]]
    return tables.table(
        shown,
        caption=f"Planned investment in this pathway: £{frame['investment'].sum() / 1e6:,.2f} million",
        source=f"{plan_source(book)}, appendix 2 (approximate figures, as the plan gives them)",
        formats={"Investment": tables.pounds()},
        align_right=["Investment"],
    )
