"""The five-year outlook's workforce page (book/outlook/workforce).

Staff by group, the shift from hospital to community, new roles, care managers from caseload, midwives from births, and
the recorded staff baseline against the model.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
from IPython.display import Markdown

from analysis.catalog import Catalog
from analysis.charts import model as model_charts
from analysis.charts import table as tables
from analysis.model import workforce
from analysis.model.fiscal import fiscal_year, fy_label
from analysis.report.common import economy_organisations, latest_by_organisation, source
from analysis.report.pathway.plans import needs_plan
from analysis.report.projected import MODEL_NOTE, model_source, needs_projection, projection
from analysis.report.wording import POD_LABELS, literal, lower_first, name_list, period_words


@needs_projection
def staff(book: Catalog) -> alt.Chart:
    """Whole-time equivalents by staff group at the horizon, do nothing against the plan."""
    p = projection(book)
    return model_charts.workforce_chart(
        workforce.workforce_projection(p), source=model_source(book), synthetic=book.synthetic
    )


SHIFT_NOTE = (
    "The plan minus doing nothing, at assumed productivity ratios. Hospital staff time released is capacity, "
    "not posts removed: when dermatology moved to a new provider, the acute trust's staff did not fall (plan section "
    "11)."
)


@needs_plan
@needs_projection
def staff_shift(book: Catalog) -> alt.Chart | Markdown:
    """The staff consequence of moving activity from hospital to community: plan minus do nothing at the horizon."""
    p = projection(book)
    shift = workforce.workforce_shift(workforce.workforce_projection(p))
    at = shift[shift["year"] == p.horizon_year]
    if not (at["change"].abs() >= 0.05).any():
        return Markdown(
            "*The plan changes no staff group here: none of its interventions acts in this economy, so the plan needs "
            "the staff doing nothing needs.*"
        )
    return model_charts.staff_shift_chart(
        shift, source=model_source(book), synthetic=book.synthetic, year=p.horizon_year, subtitle=SHIFT_NOTE
    )


def roles_table(roles: pd.DataFrame, interventions, years) -> pd.DataFrame:
    """New posts by scheme and staff group: the posts at full effect, and the WTE in each year as the scheme grows.

    `roles` comes from `workforce.intervention_staff`. Columns: Scheme, Staff group, At full effect,
    then one column per year of `years` (its fiscal label).
    """
    rows = []
    by_id = {i.id: i for i in interventions}
    for (ident, group), part in roles.groupby(["intervention", "staff_group"], sort=False):
        item = by_id[ident]
        full = dict(item.staff).get(group, 0.0)
        per_year = part.set_index("year")["fte"]
        rows.append({
            "Scheme": item.name,
            "Staff group": group,
            "At full effect": full,
            **{fy_label(y): float(per_year.get(y, 0.0)) for y in years},
        })
    return pd.DataFrame(rows)


@needs_plan
@needs_projection
def new_roles(book: Catalog) -> tables.Table | Markdown:
    """The new posts the plan's schemes bring, by scheme and staff group, ramped in year by year."""
    p = projection(book)
    roles = workforce.intervention_staff(p.interventions, p.years)
    roles = roles[roles["fte"] > 0] if len(roles) else roles
    if roles.empty:
        return Markdown("*None of the plan's interventions in this economy lists new posts.*")
    shown = sorted(int(y) for y in roles.loc[roles["fte"] > 0, "year"].unique())  # from the first year with a post
    frame = roles_table(roles, p.interventions, shown)
    years = [fy_label(y) for y in shown]
    at = frame[fy_label(p.horizon_year)].sum()
    schemes = len({ident for ident in roles["intervention"]})
    return tables.table(
        frame,
        caption=(
            f"The plan's new roles: {at:,.0f} WTE by {fy_label(p.horizon_year)} from {schemes} "
            f"scheme{'s' if schemes > 1 else ''}, "
            "growing with each scheme (WTE a year)"
        ),
        source=f"{book.params.plan} (the interventions' staff lists); {MODEL_NOTE}",
        synthetic=book.synthetic,
        formats={c: tables.number(0) for c in ["At full effect", *years]},
        align_right=["At full effect", *years],
    )


# The plan's caseload rule: "up to 135 telephone care managers" for Birmingham OwnHealth's 27,000
# members (plan section 11), i.e. workforce.DEFAULT_CASELOAD_PER_WTE members each.
CASELOAD_ROLE = "Telephone care managers"
CASELOAD_UNIT = "members"
CASELOAD_INDICATOR = "ownhealth_members"


def caseload_rows(
    figures: list[tuple[str, float]], per_wte: float = workforce.DEFAULT_CASELOAD_PER_WTE
) -> pd.DataFrame:
    """Care managers (label, members) pairs need at `per_wte` members each (Caseload, Members, Care managers needed)."""
    return pd.DataFrame(
        [(label, float(members), workforce.caseload_wte(float(members), per_wte)) for label, members in figures],
        columns=["Caseload", "Members", "Care managers needed"],
    )


def caseload_figures(book: Catalog) -> list[tuple[str, float]]:
    """The plan's membership figures (content plan_figures in members) and the latest recorded membership."""
    out = []
    for spec in book.content.get("pathways", {}).get("pathways", {}).values():
        for figure in spec.get("plan_figures", []) or []:
            if figure.get("unit") == CASELOAD_UNIT:
                out.append((str(figure["text"]).rstrip("."), float(figure["value"])))
    ind = book.table("indicators")
    ours = [c.code for c in book.params.economy.commissioners]
    rec = ind[(ind["indicator"] == CASELOAD_INDICATOR) & ind["area"].isin(ours)].dropna(subset=["value"])
    if len(rec):
        last = rec["period_start"].max()
        out.append(
            (
                f"Members recorded in {pd.Timestamp(last):%B %Y}",
                float(rec.loc[rec["period_start"] == last, "value"].sum()),
            )
        )
    return out


@needs_plan
@needs_projection
def care_managers(book: Catalog) -> tables.Table | Markdown:
    """Telephone care managers from caseload: the plan's membership figures at the plan's members per care manager."""
    p = projection(book)
    if not any(group == CASELOAD_ROLE for item in p.interventions for group, _ in item.staff):
        return Markdown(f"*No scheme in this economy lists {CASELOAD_ROLE.lower()}, so no caseload is sized.*")
    figures = caseload_figures(book)
    if not figures:
        return Markdown("*The plan gives no membership figures to size the caseload from.*")
    frame = caseload_rows(figures)
    per = workforce.DEFAULT_CASELOAD_PER_WTE
    top = frame.loc[frame["Members"].idxmax()]
    return tables.table(
        frame,
        caption=(
            f"Telephone care managers from caseload at {per:,.0f} members each: {top['Members']:,.0f} members need "
            f"{top['Care managers needed']:,.0f} care managers"
        ),
        source=f"{book.plan.get('source', 'the plan')}, sections 6.0 and 11.0 and appendix two (members, and up to "
        "135 care managers for 27,000 members)"
        + (
            "; " + source(book, "indicators")
            if any(label.startswith("Members recorded") for label, _ in figures)
            else ""
        ),
        synthetic=book.synthetic and any(label.startswith("Members recorded") for label, _ in figures),
        formats={"Members": tables.number(0), "Care managers needed": tables.number(0)},
        align_right=["Members", "Care managers needed"],
    )


def birth_years(population: pd.DataFrame, areas, years) -> list[int]:
    """The fiscal years whose births the population can estimate: aged-0 rows for every area at mid-year y + 1."""
    infants = population[(population["age"] == 0) & population["area"].isin(list(areas))]
    have = infants.groupby("year")["area"].nunique()
    return [int(y) for y in years if have.get(y + 1, 0) == len(set(areas))]


def midwife_frame(book: Catalog) -> pd.DataFrame:
    """Births and the midwives they need per fiscal year of the projection the population covers (year, births, wte)."""
    p = projection(book)
    areas = sorted(p.series["area"].astype(str).unique())
    population = book.table("population")
    years = birth_years(population, areas, p.years)
    if not years:
        return pd.DataFrame(columns=["year", "births", "wte"])
    return workforce.midwife_projection(workforce.births_from_population(population, areas, years))[
        ["year", "births", "wte"]
    ]


@needs_projection
def midwives(book: Catalog) -> tables.Table | Markdown:
    """Midwives needed from projected births, year by year."""
    frame = midwife_frame(book)
    p = projection(book)
    if frame.empty:
        return Markdown(
            "*No births projected: the population table has no children under one for the years the model projects.*"
        )
    first, last = frame.iloc[0], frame.iloc[-1]
    change = last["wte"] - first["wte"]
    move = "as many as" if abs(change) < 0.5 else f"{abs(change):,.0f} {'more' if change > 0 else 'fewer'} than"
    short = (
        ""
        if int(last["year"]) >= p.horizon_year
        else f"; the population projection ends before {fy_label(p.horizon_year)}'s births"
    )
    shown = pd.DataFrame({
        "Year": frame["year"].map(lambda y: fy_label(int(y))),
        "Births (estimated)": frame["births"],
        "Midwives needed (WTE)": frame["wte"],
    })
    return tables.table(
        shown,
        caption=(
            f"Births in {fy_label(int(last['year']))} need {last['wte']:,.0f} midwives at "
            f"{workforce.DEFAULT_BIRTHS_PER_MIDWIFE:,.0f} births each, {move} in {fy_label(int(first['year']))}{short}"
        ),
        source=f"{source(book, 'population')}; {MODEL_NOTE}",
        synthetic=book.synthetic,
        formats={"Births (estimated)": tables.number(0), "Midwives needed (WTE)": tables.number(0)},
        align_right=["Births (estimated)", "Midwives needed (WTE)"],
    )


def staff_family(group: str) -> str | None:
    """The model's staff family of a recorded or modelled staff group: Doctors, Nurses, Midwives, or None.

    Support staff ("Support to doctors, nurses & midwives") belong to none of them.
    """
    text = str(group).lower()
    if text.startswith("support"):
        return None
    if "midwi" in text:
        return "Midwives"
    if "doctor" in text or "consultant" in text:
        return "Doctors"
    if "nurs" in text:
        return "Nurses"
    return None


def compare_staff(model: pd.DataFrame, recorded: pd.DataFrame) -> pd.DataFrame:
    """The model's WTE (staff_group, wte) against recorded FTE (staff_group, fte), by staff family.

    Columns: family, model, recorded, share (model / recorded); only families both have, in the order
    Doctors, Nurses, Midwives.
    """
    m = (
        model.assign(family=model["staff_group"].map(staff_family))
        .dropna(subset=["family"])
        .groupby("family")["wte"]
        .sum()
    )
    r = (
        recorded.assign(family=recorded["staff_group"].map(staff_family))
        .dropna(subset=["family"])
        .groupby("family")["fte"]
        .sum()
    )
    rows = [
        (f, float(m[f]), float(r[f]), float(m[f] / r[f]))
        for f in ("Doctors", "Nurses", "Midwives")
        if f in m.index and f in r.index and r[f] > 0
    ]
    return pd.DataFrame(rows, columns=["family", "model", "recorded", "share"])


def workforce_baseline(book: Catalog) -> tables.Table | Markdown:
    """Staff in post at the economy's organisations in their latest return, by staff group (WTE)."""
    orgs = economy_organisations(book)
    rows = latest_by_organisation(book.table("workforce"), orgs)
    if rows.empty:
        return Markdown("*No recorded staff: this edition's workforce table has none of the economy's organisations.*")
    periods = rows.groupby("organisation")["period"].max()
    one = len(periods) > 0 and bool((periods == periods.iloc[0]).all())  # one return date: say it once, in the caption
    columns = {
        code: orgs[code] if one else f"{orgs[code]} ({pd.Timestamp(periods[code]):%b %Y})"
        for code in orgs
        if code in periods.index
    }
    wide = rows.pivot_table(index="staff_group", columns="organisation", values="fte", aggfunc="sum", fill_value=0.0)
    wide = wide[[c for c in columns]].rename(columns=columns)
    wide["All organisations"] = wide.sum(axis=1)
    wide = wide.sort_values("All organisations", ascending=False)
    wide.loc["All staff groups"] = wide.sum(axis=0)
    frame = wide.reset_index().rename(columns={"staff_group": "Staff group"})
    numbers = [c for c in frame.columns if c != "Staff group"]
    return tables.table(
        frame,
        caption=(
            f"Staff in post at the economy's organisations, "
            f"{f'{pd.Timestamp(periods.iloc[0]):%B %Y}' if one else 'latest return of each'}: "
            f"{wide.loc['All staff groups', 'All organisations']:,.0f} WTE in all"
        ),
        source=source(book, "workforce"),
        synthetic=book.synthetic,
        formats={c: tables.number(0) for c in numbers},
        align_right=numbers,
    )


@needs_projection
def workforce_comparison(book: Catalog) -> Markdown:
    """The model's activity-driven WTE in the baseline year against the staff the organisations recorded."""
    orgs = economy_organisations(book)
    rows = latest_by_organisation(book.table("workforce"), orgs)
    p = projection(book)
    base = p.baseline_year
    model = workforce.workforce_projection(p)
    model = model[(model["year"] == base) & (model["scenario"] == "do_nothing")][["staff_group", "wte"]]
    births = midwife_frame(book)
    if len(births) and (births["year"] == base).any():
        model = pd.concat(
            [
                model,
                pd.DataFrame(
                    {"staff_group": ["Midwives"], "wte": [float(births.loc[births["year"] == base, "wte"].iloc[0])]}
                ),
            ]
        )
    missing = [name for code, name in orgs.items() if code not in set(rows["organisation"].astype(str))]
    gone = (
        f" {literal(name_list(missing))} {'has' if len(missing) == 1 else 'have'} no return in this edition's "
        "workforce table."
        if missing
        else ""
    )
    if rows.empty:
        return Markdown(f"*No recorded staff to compare the model with.{gone}*")
    both = compare_staff(model, rows)
    if both.empty:
        return Markdown(
            "*The recorded staff groups match none of the model's (doctors, nurses, midwives), so the two are not "
            f"compared.{gone}*"
        )
    community = bool((model.loc[model["staff_group"] == "Community nurses", "wte"] > 0).any())
    fam = {
        "Doctors": "doctors",
        "Nurses": "nurses (with community nurses)" if community else "nurses",
        "Midwives": "midwives",
    }
    have = set(p.series["pod"].astype(str))
    absent = [lower_first(POD_LABELS[pod]) for pod in workforce.DEFAULT_PRODUCTIVITY if pod not in have]
    lacks = (
        f" This edition's activity has no {name_list(absent)}, so the model leaves out the staff for them."
        if absent
        else ""
    )
    model_words = name_list([f"{r.model:,.0f} {fam[r.family]}" for r in both.itertuples()])
    recorded_words = name_list([f"{r.recorded:,.0f} {r.family.lower()}" for r in both.itertuples()])
    shares = name_list([f"{r.share:.0%} of recorded {r.family.lower()}" for r in both.itertuples()])
    years = sorted({pd.Timestamp(x).year for x in rows["period"]})
    # A return's period (a month) against the model's fiscal baseline year: how many years apart.
    apart = max(abs(fiscal_year(pd.Series([pd.Timestamp(x)])).iloc[0] - base) for x in rows["period"].unique())
    caution = (
        f" The returns are from {name_list([str(y) for y in years])}, {apart} years from the model's baseline, "
        "so this is a rough guide to scale, not a like-for-like check."
        if apart > 2 else ""
    )
    return Markdown(
        f"In {fy_label(base)} the model needs {model_words} for the economy's own residents, at the assumed "
        f"productivity ratios{' and births per midwife' if 'Midwives' in set(both['family']) else ''}. "
        f"The economy's organisations recorded {recorded_words} in {period_words(rows['period'].unique())}, "
        f"so the model accounts for {shares}. The model counts direct patient activity only; the organisations' staff "
        "also treat patients from other areas, teach, manage and cover nights, so read a large gap as a prompt to set "
        f"local ratios, not as a shortage or surplus of staff.{lacks}{caution}{gone}"
    )


def productivity_ratios(book: Catalog) -> tables.Table:
    """The assumed activity a year per WTE by point of delivery and staff group, the model's staffing rule."""
    ratios = workforce.productivity_table()
    frame = pd.DataFrame({
        "Point of delivery": ratios["pod"].map(POD_LABELS),
        "Sector": ratios["sector"].map(lambda s: model_charts.SECTOR_WORDS.get(s, s).capitalize()),
        "Staff group": ratios["staff_group"],
        "Activity a year per WTE": ratios["per_wte"],
    })
    return tables.table(
        frame,
        caption="Assumed productivity: activity a year that one whole-time equivalent handles (illustrative, to be "
        "replaced with local job plans)",
        source="the strategy book's five-year model (analysis/model/workforce.py, where each ratio's derivation is "
        "noted)",
        formats={"Activity a year per WTE": tables.number(0)},
        align_right=["Activity a year per WTE"],
    )
