"""Which chapters a book has: each is a template executed with its parameters into the book."""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.config import Params

PUBLISHED_EDITION = "default"  # the edition whose executed notebooks are committed in book/


@dataclass(frozen=True)
class Chapter:
    """One executed notebook: its template, where it goes in the book, and what is injected."""

    name: str
    template: str  # relative to book/templates
    output: str  # relative to book/
    parameters: dict = field(default_factory=dict)
    title: str = ""


def chapters(params: Params, params_file: str, content: dict) -> list[Chapter]:
    """Every chapter of an edition, in the order the book shows them."""
    base = {"params_file": params_file}
    fixed = [
        Chapter("summary", "summary.ipynb", "chapters/summary.ipynb", base, "Executive summary"),
        Chapter("introduction", "introduction.ipynb", "chapters/introduction.ipynb", base, "About this book"),
        Chapter("economy", "economy.ipynb", "chapters/economy.ipynb", base, "The local health economy"),
        Chapter(
            "strategy", "strategy.ipynb", "chapters/strategy.ipynb", base, "The plan's strategy and challenged services"
        ),
    ]
    titles = {pid: spec.get("title", pid) for pid, spec in content.get("pathways", {}).get("pathways", {}).items()}
    pathway_chapters = [
        Chapter(
            f"pathway-{pid}",
            "pathway.ipynb",
            f"pathways/{pid}.ipynb",
            {**base, "pathway": pid},
            titles.get(pid, pid.replace("_", " ").capitalize()),
        )
        for pid in params.pathways
    ]
    outlook = [
        Chapter(name, f"{name}.ipynb", f"outlook/{name}.ipynb", base, title)
        for name, title in (
            ("activity", "Activity over five years"),
            ("finance", "Finance: the gap between cost and allocation"),
            ("workforce", "Workforce"),
            ("estates", "Beds and estates"),
        )
    ]
    value = [
        Chapter(name, f"{name}.ipynb", f"value/{name}.ipynb", base, title)
        for name, title in (
            ("value", "Value: quality and finance together"),
            ("priorities", "Priorities: what to scale up and what to stop"),
        )
    ]
    appendix = [
        Chapter(
            "data-quality", "data_quality.ipynb", "appendix/data-quality.ipynb", base, "Data sources and data quality"
        )
    ]
    return fixed + pathway_chapters + outlook + value + appendix
