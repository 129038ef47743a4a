"""The local health economy chapter: organisations, population, deprivation, inequality, budgets."""

from __future__ import annotations

import altair as alt
import pandas as pd
from IPython.display import Markdown

from analysis.catalog import Catalog
from analysis.charts import table as tables
from analysis.charts.theme import MEANING, NHS, WIDTH
from analysis.model.fiscal import fy_label
from analysis.report.common import commissioner_names, finish_from, source
from analysis.report.kpis import economy_codes
from analysis.report.wording import literal, percent_text, words_number
from analysis.stats.inequality import slope_index

NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}
AGE_BANDS = list(range(0, 90, 5)) + [90]


def _band(age: pd.Series) -> pd.Series:
    low = (age.clip(upper=90) // 5 * 5).astype(int)
    return low.map(lambda a: "90+" if a >= 90 else f"{a}-{a + 4}")


def organisations(book: Catalog) -> tables.Table:
    """The organisations of the economy, with their roles."""
    econ = book.params.economy
    described = {
        o.get("code"): o for o in book.content.get("economy", {}).get("organisations", []) if isinstance(o, dict)
    }
    rows = []
    for role, orgs in (
        ("Commissioner", econ.commissioners),
        ("Provider", econ.providers),
        ("Local authority", econ.local_authorities),
    ):
        for o in orgs:
            about = described.get(o.code, {}).get("description", "") or organisation_about(book, role, o)
            rows.append({"Code": o.code, "Organisation": o.name, "Role": role, "About": about})
    content_source = book.content.get("economy", {}).get("source")
    return tables.table(
        pd.DataFrame(rows),
        caption="The organisations of the local health economy",
        source=f"{book.params_file} and {book.params.content}/economy.yml ({content_source})"
        if described and content_source
        else f"{book.params_file}; {source(book, 'population')}",
    )


def provider_about(book: Catalog, code: str) -> str:
    """A provider in words from its own series: its A&E attendances in the latest month, where the edition has them."""
    series = book.table("provider_series")
    own = series[(series["provider"] == code) & (series["measure"] == "attendances")]
    if own.empty:
        return (
            "One of the economy's providers, as the parameter file names them; this edition has no series of its own "
            "for it."
        )
    last = own["month"].max()
    count = own.loc[own["month"] == last, "value"].sum()
    return (
        f"One of the economy's providers: {count:,.0f} A&E attendances in {pd.Timestamp(last):%B %Y} "
        f"({source(book, 'provider_series')})."
    )


def organisation_about(book: Catalog, role: str, org) -> str:
    """What an organisation does in the economy, in words made from the parameter file and the data alone."""
    econ = book.params.economy
    authorities = {a.code: a.name for a in econ.local_authorities}
    pop = latest_population(book)
    if role == "Commissioner":
        residents = pop.loc[pop["area"] == org.code, "population"].sum() if len(pop) else 0
        where = f" in {authorities.get(org.area, org.area)}" if org.area else ""
        count = (
            f" {words_number(residents)} residents (mid-{int(pop['year'].max())})" if residents else " its residents"
        )
        return f"Commissions health care for{count}{where}."
    if role == "Provider":
        return provider_about(book, org.code)
    inside = [c.name for c in econ.commissioners if c.area == org.code]
    n = len(econ.local_authorities)
    what = (
        "The local authority the economy lies in"
        if n == 1
        else f"One of the {NUMBER_WORDS.get(n, str(n))} local authorities the economy spans"
    )
    return what + (f"; {' and '.join(inside)} {'lies' if len(inside) == 1 else 'lie'} within it." if inside else ".")


def latest_population(book: Catalog) -> pd.DataFrame:
    """The latest estimated population of the economy's commissioner areas, single years of age."""
    pop = book.table("population")
    pop = pop[(pop["variant"] == "estimate") & pop["area"].isin(economy_codes(book))]
    return pop[pop["year"] == pop["year"].max()] if len(pop) else pop


def population_summary(book: Catalog) -> tables.Table:
    """Population by area: total, share under 20, share aged 65 and over."""
    pop = latest_population(book)
    if pop.empty:
        return tables.table(
            pd.DataFrame({"Note": ["No population data in this edition."]}),
            caption="Population",
            source=source(book, "population"),
        )
    names = commissioner_names(book)
    g = pop.groupby("area")
    summary = pd.DataFrame({
        "total": g["population"].sum(),
        "under_20": pop[pop["age"] < 20].groupby("area")["population"].sum() / g["population"].sum(),
        "over_65": pop[pop["age"] >= 65].groupby("area")["population"].sum() / g["population"].sum(),
    }).reset_index()
    summary.insert(0, "Area", summary.pop("area").map(names))
    total = pd.DataFrame([{"Area": "Whole economy", "total": summary["total"].sum(),
                           "under_20": pop[pop["age"] < 20]["population"].sum() / pop["population"].sum(),
                           "over_65": pop[pop["age"] >= 65]["population"].sum() / pop["population"].sum()}])
    frame = pd.concat([summary, total], ignore_index=True)
    frame.columns = ["Area", "Residents", "Aged under 20", "Aged 65 and over"]
    year = int(pop["year"].max())
    return tables.table(
        frame,
        caption=f"Residents by area, mid-{year}",
        source=source(book, "population"),
        synthetic=book.synthetic,
        formats={"Residents": tables.number(), "Aged under 20": tables.percent(), "Aged 65 and over": tables.percent()},
        align_right=["Residents", "Aged under 20", "Aged 65 and over"],
    )


def headlines(book: Catalog) -> dict:
    """The economy chapter's headline figures (glued for the executive summary)."""
    pop = latest_population(book)
    return {
        "population_text": words_number(pop["population"].sum()) if len(pop) else "not known",
        "population_year": str(int(pop["year"].max())) if len(pop) else "not known",
    }


def population_text(book: Catalog) -> Markdown:
    """One sentence on the size and age of the economy's population."""
    pop = latest_population(book)
    if pop.empty:
        return Markdown("This edition has no population data.")
    names = commissioner_names(book)
    old = pop[pop["age"] >= 65].groupby("area")["population"].sum() / pop.groupby("area")["population"].sum()
    oldest, youngest = old.idxmax(), old.idxmin()
    if len(old) == 1:
        ages = f"{percent_text(old[oldest])} of them are 65 or over."
    else:
        ages = (
            f"{literal(names.get(oldest, oldest))} is the older area: {percent_text(old[oldest])} of its residents "
            "are 65 or over, "
            f"against {percent_text(old[youngest])} in {literal(names.get(youngest, youngest))}."
        )
    return Markdown(
        f"The economy serves {words_number(pop['population'].sum())} residents. {ages}{structure_note(book)}"
    )


def structure_note(book: Catalog) -> str:
    """Where a commissioner's age and sex structure is its local authority's, scaled to its own population: say so."""
    authorities = {a.code: a.name for a in book.params.economy.local_authorities}
    scaled = [c for c in book.params.economy.commissioners if c.area and c.population is not None]
    if not scaled or book.synthetic:
        return ""
    parts = [
        f"{literal(c.name)}'s age and sex structure is {literal(authorities.get(c.area, c.area))}'s, scaled to "
        + (
            "the registered lists of its practices"
            if c.population == "practices"
            else "the population its parameter file gives"
        )
        for c in scaled
    ]
    return " The published estimates are by local authority: " + "; ".join(parts) + "."


def pyramid_frame(book: Catalog) -> pd.DataFrame:
    """Residents by area, sex, five-year age band and year: estimates, then the principal projection."""
    pop = book.table("population")
    pop = pop[pop["area"].isin(economy_codes(book))]
    estimates = pop[pop["variant"] == "estimate"]
    projected = pop[(pop["variant"] == "principal") & (pop["year"] > estimates["year"].max())]
    both = pd.concat([estimates, projected])
    frame = (
        both.assign(band=_band(both["age"]))
        .groupby(["area", "year", "variant", "sex", "band"], as_index=False)["population"]
        .sum()
    )
    frame["share"] = frame["population"] / frame.groupby(["area", "year"])["population"].transform("sum")
    frame["signed"] = frame["share"].where(frame["sex"] == "female", -frame["share"])
    frame["Area"] = frame["area"].map(commissioner_names(book))
    frame["Sex"] = frame["sex"].str.capitalize()
    frame["year"] = frame["year"].astype(int)
    return frame


def population_pyramid(book: Catalog) -> alt.Chart:
    """Population pyramids of each commissioner area, as shares, with a slider over the years."""
    frame = pyramid_frame(book)
    pop = latest_population(book)
    names = commissioner_names(book)
    year = int(pop["year"].max())
    order = ["90+"] + [f"{a}-{a + 4}" for a in range(85, -1, -5)]
    old = pop[pop["age"] >= 65].groupby("area")["population"].sum() / pop.groupby("area")["population"].sum()
    young_area = names.get(old.idxmin(), old.idxmin())
    reach = float(frame["share"].max()) * 1.05  # a fixed axis, so bars move and the axis does not
    pick = alt.param(
        name="pyramid_year",
        value=year,
        bind=alt.binding_range(
            min=int(frame["year"].min()),
            max=int(frame["year"].max()),
            step=1,
            name="Year (projection after the last estimate) ",
        ),
    )
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("band:N", sort=order, title="Age (years)"),
            x=alt.X(
                "signed:Q",
                title="Share of residents",
                axis=alt.Axis(format="%", labelExpr="replace(datum.label, '-', '')"),
                scale=alt.Scale(domain=[-reach, reach]),
            ),
            color=alt.Color(
                "Sex:N",
                scale=alt.Scale(domain=["Male", "Female"], range=[MEANING["local"], NHS["aqua_green"]]),
                legend=alt.Legend(title=None),
            ),
            column=alt.Column("Area:N", title=None),
            tooltip=[
                alt.Tooltip("Area:N"),
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("variant:N", title="Estimate or projection"),
                alt.Tooltip("Sex:N"),
                alt.Tooltip("band:N", title="Age"),
                alt.Tooltip("population:Q", title="Residents", format=",.0f"),
                alt.Tooltip("share:Q", title="Share", format=".1%"),
            ],
        )
        .add_params(pick)
        .transform_filter(alt.datum.year == pick)
        .properties(width=280, height=300)
    )
    return finish_from(
        book,
        "population",
        chart,
        title=f"{young_area} has the younger population",
        subtitle="Residents by age and sex as a share of each area, men to the left and women to the right; "
        f"mid-{year}",
        interaction="Move the year slider under the chart to see the population in other years, projections after the "
        "last estimate.",
        description=f"Population pyramids of each commissioner area; in mid-{year} {young_area} has the larger share "
        "of children and young adults.",
    )


def deprivation_chart(book: Catalog) -> alt.Chart:
    """Deprivation score of each GP practice, by commissioner."""
    practices = book.table("practices")
    practices = practices[practices["commissioner"].isin(economy_codes(book)) & practices["imd_score"].notna()]
    practices = practices[practices["year"] == practices["year"].max()]
    names = commissioner_names(book)
    frame = practices.assign(Area=practices["commissioner"].map(names))[["practice", "Area", "imd_score", "list_size"]]
    medians = frame.groupby("Area")["imd_score"].median().sort_values()
    chart = (
        alt.Chart(frame)
        .mark_tick(thickness=2, size=22)
        .encode(
            x=alt.X("imd_score:Q", title="Deprivation score of the practice's patients (IMD; higher is more deprived)"),
            y=alt.Y("Area:N", title=None, sort=list(medians.index[::-1])),
            color=alt.Color("Area:N", legend=None),
            tooltip=[
                alt.Tooltip("practice:N", title="Practice"),
                alt.Tooltip("imd_score:Q", title="IMD score", format=".1f"),
                alt.Tooltip("list_size:Q", title="Registered patients", format=",.0f"),
            ],
        )
        .properties(width=WIDTH - 160, height=120)  # the area names take about 160 pixels
    )
    most, least = medians.index[-1], medians.index[0]
    return finish_from(
        book,
        "practices",
        chart,
        title=f"Practices in {most} serve more deprived populations than those in {least}",
        subtitle=f"Each mark is one GP practice; median score {medians[most]:.1f} against {medians[least]:.1f}",
        description=f"Deprivation scores of GP practices by commissioner; the median practice in {most} scores "
        f"{medians[most]:.1f} and in {least} {medians[least]:.1f}.",
    )


def budgets_chart(book: Catalog) -> alt.Chart | Markdown:
    """Commissioning spend by programme in the latest year, by organisation."""
    fin = book.table("finance")
    fin = fin[fin["organisation"].isin(economy_codes(book))]
    if fin.empty or fin["spend"].isna().all():
        return Markdown("*No budgets in this edition: its published files have no spend by programme.*")
    year = int(fin["year"].max())
    latest = fin[fin["year"] == year]
    names = commissioner_names(book)
    titles = {k: v.get("title", k) for k, v in book.content.get("pathways", {}).get("pathways", {}).items()}
    frame = latest.assign(
        Organisation=latest["organisation"].map(names),
        Programme=latest["programme"].map(lambda p: titles.get(p, p.replace("_", " ").capitalize())),
        spend_m=latest["spend"] / 1e6,
    )
    total = frame["spend"].sum()
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("Programme:N", sort="-x", title=None),
            x=alt.X("sum(spend_m):Q", title="Spend (£ million)"),
            color=alt.Color("Organisation:N", legend=alt.Legend(title=None)),
            tooltip=[
                alt.Tooltip("Organisation:N"),
                alt.Tooltip("Programme:N"),
                alt.Tooltip("spend_m:Q", title="Spend (£m)", format=",.1f"),
            ],
        )
        .properties(height=260)
    )
    return finish_from(
        book,
        "finance",
        chart,
        title=f"The commissioners spent £{total / 1e6:,.0f} million on these programmes in {fy_label(year)}",
        subtitle="Spend by care programme and commissioner",
        description=f"Bar chart of commissioning spend by programme in {fy_label(year)}, £{total / 1e6:,.0f} million "
        "in all.",
    )


def inequality_chart(book: Catalog) -> alt.Chart | Markdown:
    """Life expectancy by deprivation decile in each area, with the slope index of inequality."""
    ind = book.table("indicators")
    rows = ind[(ind["indicator"] == "life_expectancy_by_decile") & ind["value"].notna()]
    if rows.empty:
        return Markdown(
            "*This edition has no life expectancy by deprivation decile, so the inequality gap cannot be shown.*"
        )
    rows = rows[rows["period_start"] == rows["period_start"].max()].copy()
    rows["parent"] = rows["area"].str.split("-D").str[0]
    rows["decile"] = rows["area"].str.split("-D").str[1].astype(int)
    names = commissioner_names(book)
    results = {}
    for parent, group in rows.groupby("parent"):
        results[parent] = slope_index(group["value"], group["decile"], group["denominator"].fillna(1.0))
    rows["Area"] = rows["parent"].map(lambda p: names.get(p, p))
    rows["label"] = rows.apply(
        lambda r: f"{names.get(r['parent'], r['parent'])} (gap {results[r['parent']].sii:.1f} years)", axis=1
    )
    widest = max(results, key=lambda k: results[k].sii)
    w = results[widest]
    chart = (
        alt.Chart(rows)
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "decile:O",
                title="Deprivation decile (1 = most deprived tenth of the area)",
                axis=alt.Axis(labelAngle=0),
            ),
            y=alt.Y("value:Q", title="Life expectancy at birth (years)", scale=alt.Scale(zero=False)),
            color=alt.Color("label:N", legend=alt.Legend(title="Slope index of inequality")),
            tooltip=[
                alt.Tooltip("Area:N"),
                alt.Tooltip("decile:O", title="Decile"),
                alt.Tooltip("value:Q", title="Years", format=".1f"),
            ],
        )
        .properties(width=WIDTH - 80)  # ten deciles on an ordinal axis would otherwise draw about 200 pixels wide
    )
    period = rows["period"].iloc[0]
    return finish_from(
        book,
        "indicators",
        chart,
        title=f"In {names.get(widest, widest)} the least deprived live {w.sii:.1f} years longer than the most deprived",
        subtitle=f"Life expectancy by deprivation decile, {period}; the gap is the slope index of inequality (95% "
        f"interval {w.lower:.1f} to {w.upper:.1f} years)",
        description="Life expectancy rises from the most to the least deprived decile in each area; the slope index "
        f"of inequality in {names.get(widest, widest)} is {w.sii:.1f} years.",
    )
