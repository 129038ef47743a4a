"""Write the chapter templates (book/templates/*.ipynb) from the cell lists below.

The templates are the source of the chapters; this script keeps them consistent and output-free.
Run it after editing the cell lists: `.venv/bin/python tools/make_templates.py`.
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

TEMPLATES = Path(__file__).resolve().parents[1] / "book" / "templates"
KERNEL = {"display_name": "Python 3", "language": "python", "name": "python3"}


def md(text: str):
    return new_markdown_cell(text.strip())


def code(text: str, *tags: str):
    cell = new_code_cell(text.strip())
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def notebook(cells) -> nbformat.NotebookNode:
    nb = new_notebook(cells=cells, metadata={"kernelspec": KERNEL, "language_info": {"name": "python"}})
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:02d}"
    return nb


INTRODUCTION = [
    md("# {{ title }}"),
    code('params_file = "params/default.yml"', "parameters"),
    code("from analysis.report import common, introduction as chapter\n\nbook = common.load(params_file)"),
    code("common.synthetic_notice(book)"),
    code("chapter.about(book)"),
    md("""
## How to read this book

Each clinical pathway has a chapter with the same order: the key messages, the pathway's measures at a
glance, a chart for each measure, how the economy compares with others, what happens to activity, and
what the plan promised with its deliverables.

**Charts over time** use statistical process control (SPC), the method NHS England's *Making Data Count*
programme recommends. The grey band between the dashed lines is the range within which a stable process
varies by chance. A coloured point means something unusual: blue where it is good news, orange where
it is a concern. The icons summarise each chart:
"""),
    code("chapter.icon_legend()"),
    md("""
**Comparisons** use funnel plots: each dot is a practice or an area, and the funnel-shaped lines show how
far from the average a unit of that size can fall by chance. Dots outside the funnel are worth a closer
look. The [methods appendix](../appendix/methods.md) explains both in plain English.

**Numbers** in the text are computed from the data each time the book is built; none are typed by hand.
Hover over a chart to see its values; click a legend entry to highlight a series.
"""),
]

SUMMARY = [
    md("# {{ title }}"),
    code('params_file = "params/default.yml"', "parameters"),
    code("from analysis.report import common, summary as chapter\n\nbook = common.load(params_file)"),
    code("common.synthetic_notice(book)"),
    md("""
## The money

By {glue:text}`../outlook/finance.ipynb::horizon_year:s`, if nothing changes, the economy faces
{glue:text}`../outlook/finance.ipynb::gap_do_nothing_text:s` between the cost of care and its allocation
({glue:text}`../outlook/finance.ipynb::gap_share_text:s` of the allocation). The plan's interventions
{glue:text}`../outlook/finance.ipynb::plan_effect_text:s`, leaving
{glue:text}`../outlook/finance.ipynb::gap_plan_text:s`. The [finance chapter](../outlook/finance.ipynb) shows
how the gap moves with growth, efficiency and the interventions' effect.

## The people and the activity

The economy serves {glue:text}`economy.ipynb::population_text:s` residents (mid-{glue:text}`economy.ipynb::population_year:s`).
Without change, hospital and community activity grows by
{glue:text}`../outlook/activity.ipynb::activity_growth_do_nothing_text:s` by
{glue:text}`../outlook/activity.ipynb::activity_horizon_year:s`; with the plan it ends
{glue:text}`../outlook/activity.ipynb::activity_plan_vs_do_nothing_text:s` doing nothing
(see [activity over five years](../outlook/activity.ipynb)).

## Measures that need attention
"""),
    code("chapter.concerns(book)"),
    md("## Every measure at a glance"),
    code("chapter.kpi_matrix(book)"),
]

ECONOMY = [
    md("# {{ title }}"),
    code('params_file = "params/default.yml"', "parameters"),
    code("from analysis.report import common, economy as chapter\n\nbook = common.load(params_file)"),
    code("common.synthetic_notice(book)"),
    md("## Organisations"),
    code("common.glue_all(chapter.headlines(book))"),
    code("chapter.organisations(book)"),
    md("## Population"),
    code("chapter.population_text(book)"),
    code("chapter.population_summary(book)"),
    code("chapter.population_pyramid(book)"),
    md("## Deprivation and inequality"),
    code("chapter.deprivation_chart(book)"),
    code("chapter.inequality_chart(book)"),
    md("## Budgets"),
    code("chapter.budgets_chart(book)"),
]

PATHWAY = [
    md("# {{ title }}"),
    code('params_file = "params/default.yml"\npathway = "urgent_care"', "parameters"),
    code("from analysis.report import common, outlook, pathway as chapter\n\nbook = common.load(params_file)"),
    code("common.synthetic_notice(book)"),
    code("chapter.key_messages(book, pathway)"),
    md("## At a glance"),
    code("chapter.kpi_summary(book, pathway)"),
    code("chapter.what_to_watch(book, pathway)"),
    md("## Measures over time"),
    code("chapter.kpi_charts(book, pathway)"),
    md("## Activity"),
    code("chapter.activity_by_pod(book, pathway)"),
    md("## How practices compare"),
    code("chapter.practice_funnel(book, pathway)"),
    md("## Five-year outlook"),
    code("outlook.activity_trajectory(book, pathway)"),
    md("## Benchmarking against England and peers"),
    code("chapter.benchmark(book, pathway)"),
    md("## Aspiration and plans"),
    code("chapter.aspiration_and_plans(book, pathway)"),
    md("## Investment"),
    code("chapter.investments(book, pathway)"),
    md("## Deliverables"),
    code("chapter.deliverables(book, pathway)"),
]

OUTLOOK_HEAD = [
    md("# {{ title }}"),
    code('params_file = "params/default.yml"', "parameters"),
    code("from analysis.report import common, outlook as chapter\n\nbook = common.load(params_file)"),
    code("common.synthetic_notice(book)"),
]

ACTIVITY = OUTLOOK_HEAD + [
    md("""
The five-year model starts from the last complete year of activity, grows it with the projected
population by age and sex, adds the trend the history shows beyond demography, and then applies each
of the plan's interventions, drawn many times from its range of likely effects. The shaded band holds
eight in ten of those runs.
"""),
    code("common.glue_all(chapter.activity_headlines(book))"),
    code("chapter.activity_trajectory(book)"),
    md("## What drives the change"),
    code("chapter.activity_waterfall(book)"),
]

FINANCE = OUTLOOK_HEAD + [
    code("common.glue_all(chapter.finance_headlines(book))"),
    code("chapter.gap_text(book)"),
    md("## The gap between cost and allocation"),
    code("chapter.gap(book)"),
    md("## Which assumptions matter most"),
    code("chapter.tornado(book)"),
    md("## What each intervention costs and saves"),
    code("chapter.appraisal(book)"),
]

WORKFORCE = OUTLOOK_HEAD + [
    md("""
Staff follow activity: each point of delivery needs a number of whole-time equivalents per unit of
activity, and the plan's new services bring new roles of their own.
"""),
    code("chapter.staff(book)"),
]

ESTATES = OUTLOOK_HEAD + [
    md("""
Beds follow bed days: admissions times length of stay, divided by the days in a year and the target
occupancy. The plan moves care from hospital beds to the community.
"""),
    code("chapter.beds(book)"),
    md("## Sites and changes"),
    code("chapter.estate_changes(book)"),
]


def main() -> None:
    TEMPLATES.mkdir(parents=True, exist_ok=True)
    for name, cells in (
        ("summary", SUMMARY), ("introduction", INTRODUCTION), ("economy", ECONOMY), ("pathway", PATHWAY),
        ("activity", ACTIVITY), ("finance", FINANCE), ("workforce", WORKFORCE), ("estates", ESTATES),
    ):
        nbformat.write(notebook(cells), TEMPLATES / f"{name}.ipynb")


if __name__ == "__main__":
    main()
