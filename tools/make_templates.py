"""Write the chapter templates (book/templates/*.ipynb) from the cell lists below.

The templates are the source of the chapters; this script keeps them consistent and output-free.
Run it after editing the cell lists: `.venv/bin/python tools/make_templates.py`.
"""

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

TEMPLATES = Path(__file__).resolve().parents[1] / "book" / "templates"
KERNEL = {"display_name": "Python 3", "language": "python", "name": "python3"}


def md(text: str):
    """A markdown cell."""
    return new_markdown_cell(text.strip())


def code(text: str, *tags: str):
    """A code cell, with cell tags (such as 'parameters') when given."""
    cell = new_code_cell(text.strip())
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def notebook(cells) -> nbformat.NotebookNode:
    """A template notebook from its cells, with stable cell ids."""
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
programme recommends. The thin line joins the values; the solid dark line is their average, and the two
dashed lines either side of it are the process limits, the range within which a stable process varies by chance. A coloured point means something
unusual: blue where it is good news, orange where it is a concern, purple where a change is neither. The
icons summarise each chart:
"""),
    code("chapter.icon_legend()"),
    md("""
A measure that only grows, such as the running total of a scheme's members, cannot be a stable process,
so it has no limits: a **run chart** shows it as a line against the plan's trajectory (dashed).

**Comparisons** use funnel plots: each dot is a practice or an area, and the funnel-shaped lines show how
far from the average a unit of that size can fall by chance. Dots outside the funnel are worth a closer
look. The [methods appendix](../appendix/methods.md) explains both in plain English.

**Numbers** in the text are computed from the data each time the book is built; none are typed by hand.

<p class="sb-screen-only">Hover over a chart to see its values. Charts with sliders under them let you
change an assumption and see the result redrawn; the text beside them states the plan's own assumptions.</p>
<p class="sb-print-only">On paper every chart is drawn at the plan's own assumptions. The web version of
this book shows each chart's values and lets a reader change the main assumptions.</p>
"""),
]

SUMMARY = [
    md("# {{ title }}"),
    code('params_file = "params/default.yml"', "parameters"),
    code("from analysis.report import common, summary as chapter\n\nbook = common.load(params_file)"),
    code("common.synthetic_notice(book)"),
    md("""
## The money

{glue:text}`../outlook/finance.ipynb::money_summary:s` See the [finance chapter](../outlook/finance.ipynb).

## The people and the activity

The economy serves {glue:text}`economy.ipynb::population_text:s` residents (mid-{glue:text}`economy.ipynb::population_year:s`).
{glue:text}`../outlook/activity.ipynb::activity_summary:s`
See [activity over five years](../outlook/activity.ipynb).

## The top opportunities

{glue:text}`../value/value.ipynb::opportunity_summary:s`
{glue:text}`../value/priorities.ipynb::priorities_summary:s` See [value](../value/value.ipynb) and
[priorities](../value/priorities.ipynb).

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
    code(
        "from analysis.report import common\n"
        "from analysis.report.outlook import activity as outlook_activity\n"
        "from analysis.report.pathway import benchmarks, measures, money_and_staff, plans, practices\n\n"
        "book = common.load(params_file)"
    ),
    code("common.synthetic_notice(book)"),
    code("plans.key_messages(book, pathway)"),
    md("## At a glance"),
    code("measures.kpi_summary(book, pathway)"),
    code("measures.what_to_watch(book, pathway)"),
    md("## Measures over time"),
    code("measures.kpi_charts(book, pathway)"),
    md("## Activity"),
    code("practices.activity_by_pod(book, pathway)"),
    md("## How practices compare"),
    code("practices.practice_funnel(book, pathway)"),
    md("## Five-year outlook"),
    code("outlook_activity.activity_trajectory(book, pathway)"),
    md("""
### Money

What this pathway's activity costs each year if nothing changes and with the plan, priced as in the
[finance chapter](../outlook/finance.ipynb), and what the pathway's own schemes save and cost.
"""),
    code("money_and_staff.pathway_money(book, pathway)"),
    md("""
### Staff

The whole-time equivalents this pathway's activity needs at the horizon, doing nothing and with the plan,
and the new roles its own schemes bring. The [workforce chapter](../outlook/workforce.ipynb) gives the
assumed productivity ratios and the whole economy's picture.
"""),
    code("money_and_staff.pathway_staff(book, pathway)"),
    md("### The plan against what happened"),
    code("outlook_activity.plan_against_outturn(book, pathway)"),
    md("## Benchmarking against England and peers"),
    code("benchmarks.benchmark(book, pathway)"),
    code("benchmarks.provider_benchmark(book, pathway)"),
    code("benchmarks.members_comparison(book, pathway)"),
    md("## Aspiration and plans"),
    code("plans.aspiration_and_plans(book, pathway)"),
    md("## Investment"),
    code("plans.investments(book, pathway)"),
    md("## Deliverables"),
    code("plans.deliverables(book, pathway)"),
]

STRATEGY = [
    md("# {{ title }}"),
    code('params_file = "params/default.yml"', "parameters"),
    code("from analysis.report import common, strategy as chapter\n\nbook = common.load(params_file)"),
    code("common.synthetic_notice(book)"),
    code("chapter.about(book)"),
    md("## The core strategy in this book"),
    code("chapter.strands(book)"),
    md("## The challenged services"),
    code("chapter.challenged_services(book)"),
]

def outlook_head(page: str) -> list:
    """The first cells of a five-year outlook page, whose code is analysis/report/outlook/<page>.py."""
    return [
        md("# {{ title }}"),
        code('params_file = "params/default.yml"', "parameters"),
        code(
            f"from analysis.report import common\nfrom analysis.report.outlook import {page} as chapter\n\nbook = "
            "common.load(params_file)"
        ),
        code("common.synthetic_notice(book)"),
    ]

ACTIVITY = outlook_head("activity") + [
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
    md("## The plan against what happened"),
    code("chapter.plan_against_outturn(book)"),
]

FINANCE = outlook_head("finance") + [
    code("common.glue_all(chapter.finance_headlines(book))"),
    code("chapter.gap_text(book)"),
    md("## Where the money goes"),
    code("chapter.money_by_year(book)"),
    code("chapter.why_text(book)"),
    md("## The gap between cost and allocation"),
    code("chapter.gap(book)"),
    md("## What the plan does to the gap"),
    code("chapter.plan_text(book)"),
    md("## Which assumptions matter most"),
    code("chapter.tornado(book)"),
    md("## What each scheme costs and saves"),
    code("chapter.appraisal(book)"),
    code("chapter.appraisal_note(book)"),
]

WORKFORCE = outlook_head("workforce") + [
    md("""
Staff follow activity: each point of delivery needs a number of whole-time equivalents per unit of
activity, and the plan's new services bring new roles of their own.
"""),
    code("chapter.staff(book)"),
    md("""
## What moving care out of hospital does to staff

The plan moves activity from hospital to the community. Set against doing nothing, that releases
hospital staff time and needs more community staff and new roles. The plan itself warns that released
hospital time does not simply become fewer posts: the acute trust may fill it with other work.
"""),
    code("chapter.staff_shift(book)"),
    md("""
## New roles

Some schemes need posts that do not exist today. Each comes in as its scheme grows, reaching its full
number when the scheme reaches full effect.
"""),
    code("chapter.new_roles(book)"),
    md("""
### Telephone care managers from caseload

Telephone care management is sized by its caseload: the number of members each care manager supports,
taken from the plan's own figures, turns membership into posts.
"""),
    code("chapter.care_managers(book)"),
    md("""
## Midwives from births

Births are estimated from the projected number of children under one, and each midwife is assumed to
support a fixed number of births a year.
"""),
    code("chapter.midwives(book)"),
    md("""
## The recorded baseline

The staff in post the economy's organisations report, by staff group as NHS Digital's workforce
statistics count them, set beside what the model needs for the same groups.
"""),
    code("chapter.workforce_baseline(book)"),
    code("chapter.workforce_comparison(book)"),
    md("## The assumptions"),
    code("chapter.productivity_ratios(book)"),
]

ESTATES = outlook_head("estates") + [
    md("""
Beds follow bed days: admissions times length of stay, divided by the days in a year and the target
occupancy. The plan moves care from hospital beds to the community.
"""),
    code("chapter.beds(book)"),
    md("""
## The recorded baseline

The beds the economy's organisations report each quarter, by sector as NHS England's KH03 return counts
them, with how full they were, set beside the beds the model needs in its baseline year.
"""),
    code("chapter.beds_baseline(book)"),
    md("""
The organisations' beds also take patients from other areas, and the model's lengths of stay and target
occupancies are assumptions, so set side by side the two show scale, not a shortfall or a surplus.
Recorded occupancy well above the target says the beds run fuller than is comfortable.
"""),
    code("chapter.beds_comparison(book)"),
    md("## Sites and changes"),
    code("chapter.estate_changes(book)"),
]

VALUE = [
    md("# {{ title }}"),
    code('params_file = "params/default.yml"', "parameters"),
    code(
        "from analysis.report import common\nfrom analysis.report.value import elements, productivity, spend, "
        "variation\n\nbook = common.load(params_file)"
    ),
    code("common.synthetic_notice(book)"),
    code("common.glue_all(variation.headlines(book))"),
    code("spend.definition(book)"),
    md("""
## Quality and finance side by side

Each programme of care is set beside one headline outcome: the first measure of its pathway chapter
that has a better and a worse direction and a value for England. Spend is per resident, so a larger
population does not look like higher spending; it is not adjusted for age or need.
"""),
    code("spend.side_by_side(book)"),
    md("""
## Spend against outcome

The chart follows the spend and outcome quadrants that NHS commissioners know from the RightCare
packs. A point to the right spends more per resident on that programme; a point higher up has a
better outcome. The finance table of this edition holds spend by programme only for the economy's own
commissioners, not for England or for peer areas, so spend is compared with the economy's average
for the programme, while outcome is compared with England. Read the chart as a prompt for questions:
a programme in the lower right (more spend, worse outcome) is where to look first.
"""),
    code("spend.spend_outcome_chart(book)"),
    md("""
## Unwarranted variation

Variation is unwarranted when it cannot be explained by the needs or choices of patients. Here each
practice is compared with the practices most like it (the same commissioner and the closest
deprivation score), and its benchmark is the average of the best of them, the method RightCare uses
for areas; the chart says how many. The opportunity is the activity, and its cost at the economy's
unit costs, that would go if every practice above its benchmark came down to it.
"""),
    code("variation.variation_text(book)"),
    code("variation.variation_chart(book)"),
    code("variation.variation_table(book)"),
    md("""
### Against peer areas

The same comparison for the commissioners themselves, against the best of the peer areas most like
the economy. The count is in the indicator's own terms (admissions, deaths, people), and
it is priced only where the indicator counts hospital activity.
"""),
    code("variation.peer_table(book)"),
    md("## The productivity challenge"),
    code("productivity.productivity_text(book)"),
    code("productivity.productivity_chart(book)"),
    code("productivity.challenge_facts(book)"),
    md("""
## Three elements of value

Value has to be won in three places at once: inside each organisation, across the local health
system, and across public services as a whole. What gets in the way and what helps differ in each.
"""),
    md("### Within an organisation"),
    code('elements.element_text(book, "within_organisation")'),
    code('elements.element_table(book, "within_organisation")'),
    md("### Across the health system"),
    code('elements.element_text(book, "across_health_system")'),
    code('elements.element_table(book, "across_health_system")'),
    md("### Across public services"),
    code('elements.element_text(book, "across_public_services")'),
    code('elements.element_table(book, "across_public_services")'),
    md("## What the region's NHS leaders agreed"),
    code("elements.propositions(book)"),
]

PRIORITIES = [
    md("# {{ title }}"),
    code('params_file = "params/default.yml"', "parameters"),
    code("from analysis.report import common, priorities as chapter\n\nbook = common.load(params_file)"),
    code("common.synthetic_notice(book)"),
    code("common.glue_all(chapter.headlines(book))"),
    md("""
This chapter ranks the plan's schemes by what they return for each pound, and says which to scale up
and which to stop. Two measures, both from the five-year model:

- **Savings per pound**: the present value of the hospital activity a scheme avoids, net of any extra
  community activity it buys, divided by the present value of what it costs. Above £1 the scheme pays
  for itself by the horizon.
- **Health gain**: the emergency admissions a scheme avoids for each £1,000 it costs. Each avoided
  emergency admission is a crisis a patient did not have. Outpatient and A&E attendances avoided count
  as savings, not as health gain, because the model cannot tell whether they were needed.

A scheme that moves care out of hospital appears in the model as two parts, the community service
that carries the cost and the hospital activity it avoids; here the two are judged together. The
model runs many times with each scheme's effect drawn from its range of likely values, so every figure
comes with the spread of those runs.
"""),
    md("## How a scheme is judged"),
    code("chapter.rule_text(book)"),
    md("## The ranking"),
    code("chapter.ranking(book)"),
    md("## Savings per pound, with the model's uncertainty"),
    code("chapter.savings_chart(book)"),
    md("## Health gain against savings"),
    code("chapter.matrix_chart(book)"),
    md("## Which to scale, which to stop"),
    code("chapter.verdict(book)"),
    md("""
## The commissioning intentions

The plan's commissioning intentions for its first year, each with the modelled scheme it pays for.
An intention is linked to a scheme when both name the same commissioner and pathway, the scheme cites
the plan's list of intentions, and their yearly sums are close. Intentions the plan gives no effect on
activity for cannot be judged by savings; they stand or fall on the quality they buy.
"""),
    code("chapter.intentions(book)"),
]

DATA_QUALITY = [
    md("# {{ title }}"),
    code('params_file = "params/default.yml"', "parameters"),
    code("from analysis.report import common, quality as chapter\n\nbook = common.load(params_file)"),
    code("common.synthetic_notice(book)"),
    md("""
Every table the book uses is checked against the data contract when it is loaded: types, ranges,
duplicate rows and gaps in monthly series. A file that breaks a rule stops the build with the file,
row, column and rule named. This page lists what was loaded, the rows the adapters set aside or
repaired by a documented rule, and sudden changes worth checking before they are read as real.

## What was loaded
"""),
    code("chapter.overview(book)"),
    md("## Rows set aside or repaired"),
    code("chapter.row_reports(book)"),
    md("## Sudden changes in activity"),
    code("chapter.jumps(book)"),
]


def main(target: Path = TEMPLATES) -> None:
    """Write every template into `target` (book/templates unless a folder is given on the command line)."""
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    for name, cells in (
        ("data_quality", DATA_QUALITY),
        ("summary", SUMMARY),
        ("introduction", INTRODUCTION),
        ("economy", ECONOMY),
        ("pathway", PATHWAY),
        ("activity", ACTIVITY),
        ("finance", FINANCE),
        ("workforce", WORKFORCE),
        ("estates", ESTATES),
        ("value", VALUE),
        ("priorities", PRIORITIES),
        ("strategy", STRATEGY),
    ):
        nbformat.write(notebook(cells), target / f"{name}.ipynb")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATES)
