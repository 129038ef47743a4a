"""The introduction: what this edition is, what it covers, and how to read its charts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from IPython.display import Markdown

from analysis.catalog import Catalog
from analysis.charts import table as tables
from analysis.model.fiscal import fy_label
from analysis.report.wording import literal

VARIATION_MEANINGS = [
    ("common_cause", "Common cause: the measure varies only by chance."),
    ("improvement_high", "Special cause, improving: unusually high values, and high is good."),
    ("improvement_low", "Special cause, improving: unusually low values, and low is good."),
    ("concern_high", "Special cause, concerning: unusually high values, and high is bad."),
    ("concern_low", "Special cause, concerning: unusually low values, and low is bad."),
    ("neutral_high", "Special cause, unusually high, where neither direction is better."),
    ("neutral_low", "Special cause, unusually low, where neither direction is better."),
]
ASSURANCE_MEANINGS = [
    ("consistent_pass", "The target will be met consistently if nothing changes."),
    ("consistent_fail", "The target will be missed consistently unless the process changes."),
    ("inconsistent", "The target will sometimes be met and sometimes missed, by chance."),
]


def about(book: Catalog) -> Markdown:
    """What this edition covers: the economy, the period, the chapters and the data."""
    p = book.params
    commissioners = " and ".join(literal(c.name) for c in p.economy.commissioners)
    providers = ", ".join(literal(c.name) for c in p.economy.providers) or "no providers named"
    kind = (
        "It runs on **synthetic data** made by the project's own seeded generator, calibrated to the plan "
        "and to published national figures, so that anyone can rebuild it anywhere."
        if p.edition.synthetic
        else "It runs on **published statistics** read from the files its parameter file names."
        + published_statistics(book)
    )
    text = f"""
This book is the **{literal(p.edition.subtitle)}** for the health economy served by {commissioners},
with {providers}. {plan_words(book)}

{kind} Every chart and number is computed from the data and the parameter file
(<code>{literal(book.params_file)}</code>) each time the book is built, and the build is checked cell by cell
against the published chapters.
"""
    return Markdown(text)


NO_PLAN_WORDS = (
    "**No plan is loaded for this edition.** Its parameter file names no plan, so the five-year model shows "
    "what happens if nothing changes (\"do nothing\") only, and the sections that would show a plan's aims, "
    "schemes, investments, deliverables and estate changes say in one line that there is none."
)


def plan_words(book: Catalog) -> str:
    """What the book follows: the economy's plan, or (said once, here) that no plan is loaded."""
    p = book.params
    years = f"from {fy_label(p.period.baseline_year)} to {fy_label(p.period.horizon_year)}"
    if not book.has_plan:
        return (
            "It goes pathway by pathway: where each stands, how it compares with others, whether change is working, "
            f"and what doing nothing means for activity, money, staff and beds {years}.\n\n" + NO_PLAN_WORDS
        )
    return (
        "It follows the economy's five-year plan pathway by pathway: where each stands,\n"
        "how it compares with others, whether change is working, and what the plan means for activity,\n"
        f"money, staff and beds {years}."
    )


TABLE_WORDS = {
    "activity": "Activity", "indicators": "Indicators", "population": "Population", "practices": "GP practices",
    "beds": "Beds", "workforce": "Workforce", "finance": "Budgets", "unit_costs": "Unit costs",
    "provider_series": "Provider series (A&E by provider)",
}


def published_statistics(book: Catalog) -> str:
    """For a real-data edition: each table, who published it, its files, what was derived, and what is missing."""
    lines = ["", ""]
    for table, sources in book.params.data.files.items():
        paths = [s.path for s in sources] + [
            str(s.options["deprivation"]) for s in sources if "deprivation" in s.options
        ]
        files = ", ".join(f"<code>{literal(Path(p).name)}</code>" for p in paths)
        lines.append(f"- **{TABLE_WORDS.get(table, table)}**: {literal(book.sources.get(table, ''))} ({files}).")
        if table in book.derived:
            lines.append(f"  {literal(book.derived[table])}")
    missing = [TABLE_WORDS.get(t, t).lower() for t in TABLE_WORDS if t != "provider_series" and not book.has(t)]
    if missing:
        lines += [
            "",
            f"The published files have no {', '.join(missing[:-1])}{' or ' if len(missing) > 1 else ''}{missing[-1]} "
            "for this economy: the sections built on them say so in one line, and no figure is invented.",
        ]
    return "\n".join(lines) + "\n"


def icon_legend() -> tables.Table:
    """The variation and assurance icons with what each means."""
    from analysis.charts.icons import assurance_svg, variation_svg

    rows = [{"Icon": variation_svg(name), "Meaning": text} for name, text in VARIATION_MEANINGS]
    rows += [{"Icon": assurance_svg(name), "Meaning": text} for name, text in ASSURANCE_MEANINGS]
    return tables.table(
        pd.DataFrame(rows),
        caption="The icons used with the charts over time",
        source="NHS England, Making Data Count (icons redrawn for this book)",
        html_columns=["Icon"],
    )
