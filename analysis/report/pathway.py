"""A clinical pathway chapter: the plan's content, KPIs as SPC charts, benchmarking, activity, plans."""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd
from IPython.display import Markdown

from analysis.catalog import Catalog
from analysis.charts import funnel as funnel_charts
from analysis.charts import render
from analysis.charts import spc as spc_charts
from analysis.charts import table as tables
from analysis.charts.theme import MEANING, NHS, WIDTH, finish
from analysis.config import Kpi
from analysis.contract import PODS
from analysis.stats import benchmark as bench
from analysis.stats import funnel, spc
from analysis.report.common import disclose, disclosure_note, fiscal_label, fiscal_year, patient_level, source
from analysis.report.kpis import activity_counts, economy_codes, indicator_areas, kpi_series

POD_LABELS = {
    "elective_ordinary": "Elective ordinary admissions",
    "day_case": "Day cases",
    "non_elective": "Emergency admissions",
    "outpatient_first": "First outpatient attendances",
    "outpatient_followup": "Follow-up outpatient attendances",
    "ae": "A&E attendances",
    "gp_referral": "GP referrals",
    "community": "Community contacts",
}
STATUS_RAG = {"planned": "grey", "on_track": "green", "at_risk": "amber", "off_track": "red", "complete": "blue"}
STATUS_TEXT = {"planned": "Planned", "on_track": "On track", "at_risk": "At risk", "off_track": "Off track", "complete": "Complete"}
PLAN_SOURCE = "Working Together for Health: BENS overarching vision and plans 2008-2013"


def content(book: Catalog, pathway: str) -> dict:
    """The pathway's content (key messages, plans, deliverables) from the content file."""
    return book.content.get("pathways", {}).get("pathways", {}).get(pathway, {})


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {i}" for i in items)


def sentence_case(name: str) -> str:
    """A name inside a sentence: the first letter lowered, unless the name starts with an acronym (A&E, GP)
    or a proper name of two capitalised words (Birmingham OwnHealth)."""
    words = name.split()
    if not words:
        return name
    acronym = sum(c.isupper() for c in words[0]) > 1
    proper = len(words) > 1 and words[1][:1].isupper()
    return name if acronym or proper else name[0].lower() + name[1:]


def key_messages(book: Catalog, pathway: str) -> Markdown:
    """The chapter's summary and the key messages of the plan, in our words."""
    c = content(book, pathway)
    text = [c.get("summary", "")]
    if c.get("key_messages"):
        text += ["", "**Key messages**", "", _bullets(c["key_messages"])]
    return Markdown("\n".join(text))


def aspiration_and_plans(book: Catalog, pathway: str) -> Markdown:
    """What the economy aspires to, its plans and who governs them."""
    c = content(book, pathway)
    parts = []
    if c.get("aspiration"):
        parts += ["**Aspiration.** " + c["aspiration"], ""]
    if c.get("plans"):
        parts += ["**Plans**", "", _bullets(c["plans"]), ""]
    if c.get("governance"):
        parts += ["**Governance.** " + c["governance"]]
    sub = c.get("dementia")
    if sub:
        parts += ["", "**Dementia**", "", sub.get("aspiration", ""), "", _bullets(sub.get("plans", [])) if sub.get("plans") else ""]
    section = c.get("plan_section")
    if section:
        parts += ["", f"*Source: {PLAN_SOURCE}, section {section}; summarised in our own words.*"]
    return Markdown("\n".join(parts))


def activity_by_pod(book: Catalog, pathway: str) -> alt.Chart | Markdown:
    """Yearly activity of the pathway by point of delivery, with the change since the first full year."""
    act = book.table("activity")
    act = act[act["commissioner"].isin(economy_codes(book)) & (act["pathway"] == pathway)]
    if act.empty:
        return Markdown("*This edition has no activity data for this pathway.*")
    act = act.assign(year=fiscal_year(act["month"]))
    months = act.groupby("year")["month"].nunique()
    full = months[months == 12].index
    yearly = act[act["year"].isin(full)].groupby(["year", "pod"], as_index=False)["count"].sum()
    yearly = yearly[yearly.groupby("pod")["count"].transform("sum") > 0]
    yearly["Year"] = yearly["year"].map(fiscal_label)
    yearly["Point of delivery"] = yearly["pod"].map(POD_LABELS)
    patient = patient_level(book, "activity")
    if patient:  # disclosure control: the tooltip shows each yearly count as text, suppressed or rounded
        yearly["Activity"] = disclose(book, "activity", yearly[["count"]], counts=["count"])["count"]
    first, last = int(full.min()), int(full.max())
    change = yearly.pivot(index="pod", columns="year", values="count")
    change = (change[last] / change[first] - 1).dropna()
    biggest = change.abs().idxmax()
    selection = alt.selection_point(fields=["Point of delivery"], bind="legend", name="pod_pick")
    order = [POD_LABELS[p] for p in PODS if p in set(yearly["pod"])]
    chart = (
        alt.Chart(yearly)
        .mark_line(point=True)
        .encode(
            x=alt.X("Year:O", title="Financial year", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("count:Q", title="Activity a year (count)", axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                "Point of delivery:N", sort=order,
                legend=alt.Legend(title="Point of delivery (click one to highlight it)", columns=2, titleLimit=WIDTH, labelLimit=WIDTH // 2),
            ),
            opacity=alt.condition(selection, alt.value(1.0), alt.value(0.15)),
            tooltip=[alt.Tooltip("Point of delivery:N"), alt.Tooltip("Year:O"),
                     alt.Tooltip("Activity:N") if patient else alt.Tooltip("count:Q", title="Activity", format=",.0f")],
        )
        .add_params(selection)
        # A few years on an ordinal axis would draw ~120 pixels wide; the full width less room for
        # six-figure axis labels keeps the chart inside the page's column.
        .properties(width=WIDTH - 20)
    )
    word = "rose" if change[biggest] > 0 else "fell"
    label = POD_LABELS[biggest]
    return finish(
        chart,
        title=f"{label} {word} {abs(change[biggest]):.0%} between {fiscal_label(first)} and {fiscal_label(last)}, the largest change",
        subtitle="Activity of this pathway by point of delivery, whole economy",
        source=source(book, "activity"),
        synthetic=book.synthetic,
        description=f"Line chart of yearly activity by point of delivery from {fiscal_label(first)} to {fiscal_label(last)}; {sentence_case(label)} {word} by {abs(change[biggest]):.0%}.",
    )


def practice_rates(book: Catalog, pathway: str, pod: str, year: int | None = None) -> pd.DataFrame:
    """Each practice's activity of one pod in a year against its registered list."""
    act = book.table("activity")
    act = act[act["commissioner"].isin(economy_codes(book)) & (act["pathway"] == pathway) & (act["pod"] == pod) & act["practice"].notna()]
    if act.empty:
        return pd.DataFrame(columns=["practice", "count", "list_size"])
    act = act.assign(year=fiscal_year(act["month"]))
    months = act.groupby("year")["month"].nunique()
    year = year or int(months[months == 12].index.max())
    counts = act[act["year"] == year].groupby("practice", as_index=False)["count"].sum()
    practices = book.table("practices")
    lists = practices[practices["year"] == practices.loc[practices["year"] <= year, "year"].max()][["practice", "list_size"]]
    out = counts.merge(lists, on="practice", how="inner")
    out.attrs["year"] = year
    return out[out["list_size"] > 0].reset_index(drop=True)


def deliverables(book: Catalog, pathway: str) -> tables.Table:
    """The deliverables register: owner, due date and status with a RAG colour."""
    items = content(book, pathway).get("deliverables", [])
    frame = pd.DataFrame(items, columns=["id", "text", "owner", "due", "status"]) if items else pd.DataFrame(columns=["id", "text", "owner", "due", "status"])
    frame["Status"] = frame["status"].map(
        lambda s: f'<span class="sb-rag sb-rag-{STATUS_RAG.get(s, "grey")}" aria-label="{STATUS_TEXT.get(s, s)}">{html.escape(STATUS_TEXT.get(s, str(s)))}</span>'
    )
    shown = frame.rename(columns={"text": "Deliverable", "owner": "Owner", "due": "Due"})[["Deliverable", "Owner", "Due", "Status"]]
    return tables.table(
        shown,
        caption="Deliverables register",
        source=f"{PLAN_SOURCE}; status as recorded in data/content/pathways.yml",
        html_columns=["Status"],
    )


def investments(book: Catalog, pathway: str) -> tables.Table | Markdown:
    """The plan's investments in this pathway (the commissioning intentions of appendix 2)."""
    items = [i for i in book.plan.get("investments", []) if i.get("pathway") == pathway]
    ours = {c.code for c in book.params.economy.commissioners} | {"all"}
    if items and not any(str(i.get("organisation")) in ours for i in items):
        return Markdown("*The plan file's investments in this pathway are other organisations' (it is another economy's plan), so none is shown.*")
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
        source=f"{PLAN_SOURCE}, appendix 2 (approximate figures, as the plan gives them)",
        formats={"Investment": tables.pounds()},
        align_right=["Investment"],
    )


def kpi_list(book: Catalog, pathway: str) -> list:
    """The KPI definitions of a pathway from the parameter file."""
    spec = book.params.pathways.get(pathway)
    return list(spec.kpis) if spec else []


def kpi_frame(book: Catalog, pathway: str) -> dict[str, pd.DataFrame]:
    """Each KPI's series (empty where the edition has no data)."""
    return {k.id: kpi_series(book, pathway, k) for k in kpi_list(book, pathway)}


# --- KPIs as SPC charts ----------------------------------------------------------------------------

VARIATION_TITLES = {
    "common_cause": "{name} varies within its usual range",
    "improvement_high": "{name} is improving: recent values are unusually high",
    "improvement_low": "{name} is improving: recent values are unusually low",
    "concern_high": "{name} needs attention: recent values are unusually high",
    "concern_low": "{name} needs attention: recent values are unusually low",
    "neutral_high": "{name} has risen beyond its usual range",
    "neutral_low": "{name} has fallen beyond its usual range",
}
ASSURANCE_PHRASES = {
    "consistent_fail": "will keep missing its target unless the process changes",
    "consistent_pass": "will keep meeting its target",
    "inconsistent": "will meet its target only some of the time",
}


@dataclass(frozen=True)
class KpiResult:
    """One KPI: its definition, its series and its SPC result (None when the edition has no data)."""

    kpi: Kpi
    series: pd.DataFrame
    spc: pd.DataFrame | None
    summary: dict | None


def kpi_results(book: Catalog, pathway: str) -> list[KpiResult]:
    """Each KPI of the pathway with its SPC analysis; KPIs with fewer than two points get none."""
    out = []
    for kpi in kpi_list(book, pathway):
        series = kpi_series(book, pathway, kpi)
        if len(series) < 2:
            out.append(KpiResult(kpi, series, None, None))
            continue
        result = spc.xmr(series["value"].to_numpy(), improvement=kpi.improvement, target=kpi.target)
        out.append(KpiResult(kpi, series, result, spc.summarise(result, improvement=kpi.improvement, target=kpi.target)))
    return out


def shown_latest(book: Catalog, pathway: str, results: list[KpiResult]) -> list:
    """Each KPI's latest value as the book may show it (NaN where the KPI has no data).

    Where the activity table is patient-level (disclosure control, analysis.report.common.disclose):
    an activity count shows as text, "*" for 1 to 7 and otherwise rounded to the nearest 5, and an
    activity ratio is "*" when either of its latest counts is 1 to 7. Indicators pass through.
    """
    values = [r.summary["latest_value"] if r.summary else np.nan for r in results]
    if not patient_level(book, "activity"):
        return values
    counted = np.array([r.kpi.source == "activity" and r.summary is not None for r in results], dtype=bool)
    ratio = np.array([bool(r.kpi.ratio_to) for r in results], dtype=bool)
    latest = [
        activity_counts(book, pathway, r.kpi).set_index("period_start").loc[r.series["period_start"].iloc[-1]] if c else None
        for r, c in zip(results, counted)
    ]
    frame = pd.DataFrame({
        "value": values,
        "count": [np.nan if at is None else at["count"] for at in latest],
        "denominator": [np.nan if at is None else at["denominator"] for at in latest],
    })
    frame = disclose(book, "activity", frame, counts=["value"], rows=counted & ~ratio)
    frame = disclose(book, "activity", frame, counts=["count", "denominator"], rates={"value": ["count", "denominator"]}, rows=counted & ratio)
    return list(frame["value"])


def kpi_anchor(kpi_id: str) -> str:
    """The HTML id of a KPI's chart, so other pages can link to it."""
    return f"kpi-{kpi_id}"


def _kpi_source(book: Catalog, kpi: Kpi) -> str:
    return source(book, kpi.source)


def kpi_summary(book: Catalog, pathway: str) -> tables.Table | Markdown:
    """The SPC summary table: one row per KPI with its latest value, limits and icons."""
    every = kpi_results(book, pathway)
    results = [r for r in every if r.summary]
    missing = [r.kpi.name for r in every if not r.summary]
    note = f"\n\n*No data in this edition for: {', '.join(missing)}.*" if missing else ""
    if not every:
        return Markdown("*This edition tracks no measure of this pathway over time.*")
    if not results:
        return Markdown("*This edition has no data for this pathway's measures over time.*" + note)
    rows = pd.DataFrame([
        {
            "kpi": f'{r.kpi.name}',
            "unit": r.kpi.unit,
            "percent": r.kpi.percent,
            "latest_period": r.series["period_start"].iloc[-1],
            **{k: r.summary[k] for k in ("latest_value", "mean", "lpl", "upl", "target")},
            "variation": r.summary["variation"],
            "assurance": r.summary["assurance"],
        }
        for r in results
    ])
    # Disclosure control: the latest value of an activity count is a count; the mean and the limits are
    # statistics of five years of months, not counts, and are shown as they are.
    rows["latest_value"] = pd.Series(shown_latest(book, pathway, results), dtype=object)
    sources = "; ".join(dict.fromkeys(_kpi_source(book, r.kpi) for r in results))
    if any(r.kpi.source == "activity" for r in results) and disclosure_note(book, "activity"):
        sources = f"{sources}. {disclosure_note(book, 'activity')}"
    table = spc_charts.summary_table(rows, source=sources, synthetic=book.synthetic)
    if missing:
        return _Both(table, Markdown(note.strip()))
    return table


@dataclass
class _Both:
    """Two outputs shown as one (a table and a note beneath it)."""

    first: object
    second: object

    def _repr_html_(self) -> str:
        return self.first._repr_html_() + f"<p><em>{html.escape(self.second.data.strip('* '))}</em></p>"

    def __repr__(self) -> str:
        return repr(self.first) + "\n" + self.second.data


def kpi_title(result: KpiResult) -> str:
    """A chart title that states the message of the SPC analysis."""
    title = VARIATION_TITLES[result.summary["variation"]].format(name=result.kpi.name)
    phrase = ASSURANCE_PHRASES.get(result.summary["assurance"] or "")
    return f"{title}, and {phrase}" if phrase else title


def kpi_charts(book: Catalog, pathway: str) -> render.Gallery | Markdown:
    """An SPC chart for each KPI with data, each with an anchor for links from the summary."""
    charts = []
    results = kpi_results(book, pathway)
    # Disclosure control leaves these charts' points and tooltips as they are: each point is a whole
    # economy's month of activity (normally hundreds or thousands of episodes, not a practice's
    # handful), and the process limits are computed from the exact series. Where patient-level months
    # do fall to 1 to 7, the chart is not drawn (a note takes its place). The description's latest
    # value is text, so it is shown as the summary table shows it.
    latest = dict(zip((r.kpi.id for r in results), shown_latest(book, pathway, results)))
    for r in results:
        if not r.summary:
            continue
        small = _small_months(book, pathway, r)
        if small:
            charts.append((kpi_anchor(r.kpi.id), _not_drawn(book, r, small)))
            continue
        s = r.summary
        pct = r.kpi.percent
        description = (
            f"Statistical process control chart of {sentence_case(r.kpi.name)} ({r.kpi.unit}), {len(r.series)} points; "
            f"latest {spc_charts.kpi_value(latest[r.kpi.id], pct)} against a mean of {spc_charts.kpi_value(s['mean'], pct)}."
        )
        chart = spc_charts.spc_chart(
            r.spc, dates=r.series["period_start"], title=kpi_title(r), source=_kpi_source(book, r.kpi),
            description=description, unit=r.kpi.unit, target=r.kpi.target, synthetic=book.synthetic, percent=pct,
        )
        charts.append((kpi_anchor(r.kpi.id), chart))
    if not charts:
        if not kpi_list(book, pathway):
            return Markdown("*No chart over time: this edition tracks no measure of this pathway.*")
        return Markdown("*No measure of this pathway has data in this edition.*")
    return render.gallery(charts)


def _small_months(book: Catalog, pathway: str, result: KpiResult) -> int:
    """Months in which a patient-level activity KPI counts 1 to 7 (either count, for a ratio); 0 for any other KPI."""
    if result.kpi.source != "activity" or not patient_level(book, "activity"):
        return 0
    counts = activity_counts(book, pathway, result.kpi)
    counts = counts[counts["period_start"].isin(result.series["period_start"])]
    return int(counts[["count", "denominator"]].apply(lambda c: c.between(1, 7)).any(axis=1).sum())


def _not_drawn(book: Catalog, result: KpiResult, months: int) -> alt.Chart:
    """What stands in for an SPC chart whose points would show counts of 1 to 7 from patient-level data."""
    text = (
        f"Not drawn: in {months} of {len(result.series)} months the count is 1 to 7, too few to show from patient-level data. "
        "The summary table gives the latest month, rounded, with the average and usual range."
    )
    chart = (
        alt.Chart(pd.DataFrame({"line": textwrap.wrap(text, 95), "row": range(len(textwrap.wrap(text, 95)))}))
        .mark_text(align="left", baseline="top", fontSize=13, color=NHS["dark_grey"])
        .encode(x=alt.value(0), y=alt.Y("row:O", axis=None), text="line:N")
        .properties(width=WIDTH, height=alt.Step(20))
        .configure_view(stroke=None)
    )
    return finish(chart, title=kpi_title(result), source=_kpi_source(book, result.kpi), synthetic=book.synthetic,
                  description=f"{result.kpi.name}: {text}")


def what_to_watch(book: Catalog, pathway: str) -> Markdown:
    """A short paragraph generated from the SPC results: special causes and targets at risk (never empty)."""
    every = kpi_results(book, pathway)
    results = [r for r in every if r.summary]
    if not every:
        return Markdown(
            "**What to watch.** With no measure over time there is no special cause variation to report; the practice "
            "comparison and the benchmarking against England below show where this pathway stands."
        )
    if not results:
        names = _join([r.kpi.name for r in every])
        subject = _pl(every, "This pathway's one measure", "None of this pathway's measures")
        return Markdown(
            f"**What to watch.** {subject} ({names}) {_pl(every, 'has no data', 'has data')} in this edition, "
            "so there is no special cause variation to report."
        )
    concern = [r.kpi.name for r in results if r.summary["variation"].startswith("concern")]
    better = [r.kpi.name for r in results if r.summary["variation"].startswith("improvement")]
    changed = [r.kpi.name for r in results if r.summary["variation"].startswith("neutral")]
    latest = dict(zip((r.kpi.id for r in results), shown_latest(book, pathway, results)))
    failing = [_against_target(r, latest[r.kpi.id]) for r in results if r.summary["assurance"] == "consistent_fail"]
    chancy = [_against_target(r, latest[r.kpi.id]) for r in results if r.summary["assurance"] == "inconsistent"]
    sentences = []
    if concern:
        sentences.append(f"{_join(concern)} {_verb(concern, 'shows', 'show')} special cause variation of concern at the latest point.")
    if failing:
        sentences.append(f"{_join(failing)} will consistently miss {_pl(failing, 'its target', 'their targets')} unless the way care is delivered changes.")
    if chancy:
        sentences.append(f"{_join(chancy)} will meet {_pl(chancy, 'its target', 'their targets')} only some of the time.")
    if better:
        sentences.append(f"{_join(better)} {_verb(better, 'shows', 'show')} special cause improvement.")
    if changed:
        sentences.append(f"{_join(changed)} {_verb(changed, 'has', 'have')} moved beyond the usual range, in a direction that is neither good nor bad.")
    if not sentences:
        sentences.append("No measure shows special cause variation at its latest point, and none is consistently missing a target.")
    return Markdown("**What to watch.** " + " ".join(sentences))


def _against_target(result: KpiResult, shown: object = None) -> str:
    """A KPI's name with its latest value and target, as the book shows them (29.9%, not 0.299).

    `shown` is the latest value as the book may show it (see shown_latest); by default the value itself.
    """
    pct = result.kpi.percent
    latest = spc_charts.kpi_value(result.summary["latest_value"] if shown is None else shown, pct)
    target = spc_charts.kpi_value(result.kpi.target, pct)
    when = spc_charts.period_text(result.series["period_start"].iloc[-1])
    return f"{result.kpi.name} ({latest} in {when} against a target of {target})"


def _join(names: list[str]) -> str:
    """Names as a list in a sentence: 'A, b and c' (names after the first in sentence case)."""
    names = names[:1] + [sentence_case(n) for n in names[1:]]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _verb(names: list[str], one: str, many: str) -> str:
    return one if len(names) == 1 else many


def _pl(names: list[str], one: str, many: str) -> str:
    return one if len(names) == 1 else many


# --- practice variation ----------------------------------------------------------------------------


def indicator_info(book: Catalog, indicator: str) -> dict:
    """An indicator's plain-English name and display settings from data/content/indicators.yml."""
    info = book.content.get("indicators", {}).get("indicators", {}).get(indicator, {})
    name = info.get("name", indicator.replace("_", " "))
    return {"name": name, "short": info.get("short", name), "percent": bool(info.get("percent", False))}


def practice_funnel(book: Catalog, pathway: str) -> alt.LayerChart | Markdown:
    """Practices compared on a funnel plot: the pathway's practice indicator, or its first activity KPI."""
    spec = book.params.pathways.get(pathway)
    if spec and spec.funnel:
        return _indicator_funnel(book, spec.funnel)
    first = next((k for k in kpi_list(book, pathway) if k.source == "activity" and not k.ratio_to), None)
    if first is None:
        return Markdown("*This pathway has no measure reported by practice.*")
    return _activity_funnel(book, pathway, first)


RATIO_LABEL = "Ratio to the economy's rate"


def _activity_funnel(book: Catalog, pathway: str, kpi: Kpi) -> alt.LayerChart | Markdown:
    frames = [practice_rates(book, p, pod) for p in (kpi.pathways or [pathway]) for pod in kpi.pods]
    frames = [f for f in frames if len(f)]
    if not frames:
        return Markdown("*This edition has no activity by practice for this pathway.*")
    year = frames[0].attrs["year"]
    rates = pd.concat(frames).groupby("practice", as_index=False).agg(count=("count", "sum"), list_size=("list_size", "first"))
    overall = rates["count"].sum() / rates["list_size"].sum()
    expected = rates["list_size"] * overall
    result = funnel.funnel(rates["count"], expected, group=rates["practice"], data_type="SR", overdispersion=True)
    outliers = result.table[result.table["outlier998"]]
    high = int((outliers["value"] > 1).sum())
    low = int((outliers["value"] < 1).sum())
    name = sentence_case(kpi.name)
    return funnel_charts.funnel_chart(
        result,
        title=outlier_title(high, low, "has", f"{name}, allowing for list size"),
        value_label=RATIO_LABEL,  # the title names the measure; a longer axis title is cut at the chart's height
        denominator_label=f"Expected {name} at the economy's rate, {fiscal_label(year)}",
        source=source(book, "activity"),
        synthetic=book.synthetic,
        suppress_counts=patient_level(book, "activity"),  # a practice's year of one pod can be a handful
        description=f"Funnel plot of {len(result.table)} practices' {name} in {fiscal_label(year)} against the number expected from their list size; {high + low} {'falls' if high + low == 1 else 'fall'} outside the 99.8% limits.",
    )


def outlier_title(high: int, low: int, verb: str, what: str) -> str:
    """A funnel title with the counts in words that agree: '1 practice has unusually high and 2 unusually low X'.

    `verb` is the singular verb ('has' or 'is'); `what` follows the adjective ('A&E attendances', 'on smoking').
    """
    plural = {"has": "have", "is": "are"}[verb]

    def practices(n: int) -> str:
        return f"{n} practice {verb}" if n == 1 else f"{n} practices {plural}"

    if high and low:
        return f"{practices(high)} unusually high and {low} unusually low {what}"
    if high:
        return f"{practices(high)} unusually high {what}; none {verb} unusually low"
    if low:
        return f"{practices(low)} unusually low {what}; none {verb} unusually high"
    return f"No practice {verb} unusually high or low {what}"


PRACTICE_AREA_TYPES = ("practice", "GPs")  # the book's own name, and Fingertips' name for GP practices


def economy_practices(book: Catalog, candidates: pd.Series) -> set[str]:
    """The practices among `candidates` that belong to the economy's commissioners (by the practices table).

    Where the practices table places none of them (an edition whose indicators are the economy's
    own practices only), every candidate is kept.
    """
    practices = book.table("practices")
    ours = set(practices.loc[practices["commissioner"].isin(economy_codes(book)), "practice"].astype(str))
    listed = set(map(str, candidates)) & set(practices["practice"].astype(str))
    return ours if listed else set(map(str, candidates))


def _indicator_funnel(book: Catalog, indicator: str) -> alt.LayerChart | Markdown:
    ind = book.table("indicators")
    rows = ind[(ind["indicator"] == indicator) & ind["area_type"].isin(PRACTICE_AREA_TYPES) & ind["count"].notna() & ind["denominator"].notna()]
    rows = rows[rows["area"].isin(economy_practices(book, rows["area"]))]
    if rows.empty:
        return Markdown(f"*No practice-level data for {sentence_case(indicator_info(book, indicator)['name'])} in this edition.*")
    rows = rows[rows["period_start"] == rows["period_start"].max()]
    info = indicator_info(book, indicator)
    if info["percent"]:
        result = funnel.funnel(rows["count"], rows["denominator"], group=rows["area"], data_type="PR")
        value_label, multiplier = info["name"] + " (%)", 100.0
        denominator_label = "Patients in the denominator"
    else:
        overall = rows["count"].sum() / rows["denominator"].sum()
        result = funnel.funnel(rows["count"], rows["denominator"] * overall, group=rows["area"], data_type="SR")
        value_label, multiplier = RATIO_LABEL, 1.0
        denominator_label = "Expected count at the economy's rate"
    t = result.table
    high, low = int((t["outlier998"] & (t["value"] > t["target"])).sum()), int((t["outlier998"] & (t["value"] < t["target"])).sum())
    period = rows["period"].iloc[0]
    return funnel_charts.funnel_chart(
        result,
        title=outlier_title(high, low, "is", f"on {sentence_case(info['name'])}"),
        value_label=value_label,
        denominator_label=denominator_label,
        multiplier=multiplier,
        source=source(book, "indicators"),
        synthetic=book.synthetic,
        description=f"Funnel plot of {len(t)} practices on {sentence_case(info['name'])} in {period}; {high + low} {'falls' if high + low == 1 else 'fall'} outside the 99.8% limits.",
    )


# --- benchmarking ------------------------------------------------------------------------------------

RAG_TEXT = {"better": "Better", "worse": "Worse", "similar": "Similar", "higher": "Higher", "lower": "Lower", "not_compared": "Not compared"}


def benchmark_rows(book: Catalog, pathway: str) -> pd.DataFrame:
    """Each benchmark indicator's latest value per commissioner, with its interval and England's value."""
    spec = book.params.pathways.get(pathway)
    wanted = list(spec.benchmark) if spec else []
    ind = book.table("indicators")
    areas = list(indicator_areas(book))
    names = {o.code: o.name for o in book.params.economy.local_authorities} | {c.code: c.name for c in book.params.economy.commissioners}
    rows = []
    for indicator in wanted:
        sel = ind[ind["indicator"] == indicator]
        local = sel[sel["area"].isin(areas) & sel["value"].notna()]
        if local.empty:
            rows.append({"indicator": indicator, "area": None})
            continue
        latest = local["period_start"].max()
        england = sel[(sel["area"] == book.params.economy.england) & (sel["period_start"] == latest)]["value"]
        for _, r in local[local["period_start"] == latest].iterrows():
            rows.append({
                "indicator": indicator, "area": names.get(r["area"], r["area"]), "period": r["period"], "period_start": r["period_start"], "value": r["value"],
                "lower": r["lower_ci"], "upper": r["upper_ci"], "england": england.iloc[0] if len(england) else float("nan"),
                "polarity": r["polarity"],
            })
    return pd.DataFrame(rows)


def _period_label(period: object, start: object = None) -> str:
    """A period as a reader says it: '2008-03' becomes 'Mar 2008'; '2007/08' stays."""
    text = str(period)
    if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit() and 1 <= int(text[5:]) <= 12:
        if start is None or pd.isna(start) or pd.Timestamp(start).month == int(text[5:]):
            return spc_charts.period_text(pd.Timestamp(f"{text}-01"))
    return text  # "2010-12" starting in January is Fingertips' three-year period 2010 to 2012, not a month


def benchmark(book: Catalog, pathway: str) -> tables.Table | Markdown:
    """Local values against England with 95% intervals, red/amber/green by polarity."""
    rows = benchmark_rows(book, pathway)
    if rows.empty:
        return Markdown("*This pathway has no indicators to compare with England in this edition.*")
    absent = rows[rows["area"].isna()]["indicator"].tolist()
    rows = rows[rows["area"].notna()].copy()
    if rows.empty:
        return Markdown("*No data in this edition for: " + ", ".join(indicator_info(book, i)["name"] for i in absent) + ".*")
    comparisons = [bench.compare(v, lo, hi, e, p) for v, lo, hi, e, p in rows[["value", "lower", "upper", "england", "polarity"]].itertuples(index=False)]
    colours = [bench.rag(c, p) for c, p in zip(comparisons, rows["polarity"])]
    percent = rows["indicator"].map(lambda i: indicator_info(book, i)["percent"])

    def show(v, pct):
        return spc_charts.kpi_value(v, pct)

    frame = pd.DataFrame({
        "Indicator": rows["indicator"].map(lambda i: indicator_info(book, i)["name"]),
        "Area": rows["area"],
        "Period": [_period_label(p, s) for p, s in zip(rows["period"], rows.get("period_start", [None] * len(rows)))],
        "Value": [show(v, p) for v, p in zip(rows["value"], percent)],
        "95% interval": [("" if pd.isna(lo) else f"{show(lo, p)} to {show(hi, p)}") for lo, hi, p in zip(rows["lower"], rows["upper"], percent)],
        "England": [show(v, p) for v, p in zip(rows["england"], percent)],
        "Compared with England": [
            f'<span class="sb-rag sb-rag-{colour}" aria-label="{RAG_TEXT[c]}">{RAG_TEXT[c]}</span>' for c, colour in zip(comparisons, colours)
        ],
    })
    caption = "Compared with England: better or worse where the 95% interval excludes England's value"
    no_interval = rows.loc[rows["lower"].isna() | rows["upper"].isna(), "indicator"].unique().tolist()
    if no_interval and len(no_interval) == rows["indicator"].nunique():
        caption = "Against England: the published files give no 95% intervals for these indicators, so none is judged better or worse"
    elif no_interval:
        caption += ("; not compared where the published file gives no interval ("
                    + ", ".join(indicator_info(book, i)["name"] for i in no_interval) + ")")
    if absent:
        caption += "; no data in this edition for " + ", ".join(indicator_info(book, i)["name"] for i in absent)
    return tables.table(frame, caption=caption, source=source(book, "indicators"), synthetic=book.synthetic,
                        html_columns=["Compared with England"], align_right=["Value", "England"])


# --- scheme members against similar non-members ------------------------------------------------------

MEMBER_GROUPS = ("Members", "Similar non-members")


def member_schemes(book: Catalog, pathway: str) -> list[str]:
    """Schemes of this pathway that count members (a KPI or benchmark indicator named '<scheme>_members')."""
    spec = book.params.pathways.get(pathway)
    if not spec:
        return []
    names = [k.indicator for k in spec.kpis if k.indicator] + list(spec.benchmark)
    return [n.removesuffix("_members") for n in dict.fromkeys(names) if n.endswith("_members") and not n.endswith("_non_members")]


def member_rows(book: Catalog, pathway: str) -> pd.DataFrame:
    """Each measure that a scheme reports for members and similar non-members: the latest period both share.

    Columns: scheme, measure (indicator id without the group), group, period, value, lower, upper,
    unit. Several areas are pooled from counts, with Byar's 95% interval; one area keeps its own interval.
    """
    ind = book.table("indicators")
    areas = list(indicator_areas(book))
    rows = []
    for scheme in member_schemes(book, pathway):
        prefix = f"{scheme}_"
        measures = sorted({
            i.removeprefix(prefix).removesuffix("_non_members")
            for i in ind["indicator"].unique() if i.startswith(prefix) and i.endswith("_non_members")
        })
        for measure in measures:
            pair = {g: ind[(ind["indicator"] == f"{prefix}{measure}_{suffix}") & ind["area"].isin(areas) & ind["value"].notna()]
                    for g, suffix in zip(MEMBER_GROUPS, ("members", "non_members"))}
            shared = set(pair[MEMBER_GROUPS[0]]["period_start"]) & set(pair[MEMBER_GROUPS[1]]["period_start"])
            if not shared:
                continue
            latest = max(shared)
            for group, frame in pair.items():
                at = frame[frame["period_start"] == latest]
                if len(at) == 1:
                    value, lower, upper = (float(at[c].iloc[0]) for c in ("value", "lower_ci", "upper_ci"))
                else:
                    crude = at["count"].sum() / at["denominator"].sum()
                    scale = float((at["value"] / (at["count"] / at["denominator"])).median())
                    value = crude * scale
                    lo, hi = bench.byar(at["count"].sum(), at["denominator"].sum(), multiplier=scale)
                    lower, upper = float(lo), float(hi)
                rows.append({
                    "scheme": scheme, "measure": measure, "group": group, "period": at["period"].iloc[0],
                    "value": value, "lower": lower, "upper": upper, "unit": at["unit"].iloc[0],
                })
    return pd.DataFrame(rows, columns=["scheme", "measure", "group", "period", "value", "lower", "upper", "unit"])


def members_comparison(book: Catalog, pathway: str) -> alt.VConcatChart | Markdown:
    """Members of the pathway's scheme against similar non-members, one panel per measure with 95% intervals."""
    rows = member_rows(book, pathway)
    if rows.empty:
        return Markdown("*No scheme in this pathway reports its members' use of care against similar non-members in this edition.*")
    scheme = rows["scheme"].iloc[0]
    rows = rows[rows["scheme"] == scheme]
    scheme_name = indicator_info(book, f"{scheme}_members")["name"].removesuffix(" members")
    phrases, panels = [], []
    for measure, frame in rows.groupby("measure", sort=False):
        short = indicator_info(book, f"{scheme}_{measure}_members")["short"]
        members, others = (float(frame.loc[frame["group"] == g, "value"].iloc[0]) for g in MEMBER_GROUPS)
        change = members / others - 1
        phrases.append(f"{abs(change):.0%} {'fewer' if change < 0 else 'more'} {sentence_case(short)}")
        unit = frame["unit"].iloc[0]
        label = unit[:1].upper() + unit[1:] if unit.lower().startswith(short.lower()) else f"{short} ({unit})"
        x = alt.X("value:Q", title=label, axis=alt.Axis(format=",.4~g"))
        y = alt.Y("group:N", title=None, sort=list(MEMBER_GROUPS))
        base = alt.Chart(frame).encode(y=y)
        bars = base.mark_bar(height=22).encode(
            x=x,
            color=alt.Color("group:N", title=None, scale=alt.Scale(domain=list(MEMBER_GROUPS), range=[MEANING["plan"], MEANING["peer"]]), legend=None),
            tooltip=[alt.Tooltip("group:N", title="Group"), alt.Tooltip("value:Q", title=short, format=",.4~g"),
                     alt.Tooltip("lower:Q", title="95% interval from", format=",.4~g"), alt.Tooltip("upper:Q", title="to", format=",.4~g"),
                     alt.Tooltip("period:N", title="Period")],
        )
        whiskers = base.mark_rule(color=MEANING["england"], strokeWidth=1.5).encode(x="lower:Q", x2="upper:Q")
        panels.append(alt.layer(bars, whiskers).properties(width=WIDTH - 140, height=alt.Step(34)))
    period = rows["period"].iloc[0]
    return finish(
        alt.vconcat(*panels, spacing=18),
        title=f"{scheme_name} members had {_join(phrases)} than similar non-members in {period}",
        subtitle="Bars: rates of members and of similar non-members; lines: 95% confidence intervals",
        source=source(book, "indicators"),
        synthetic=book.synthetic,
        description=(
            f"Bar charts comparing {scheme_name} members with similar non-members in {period}: "
            + "; ".join(
                f"{sentence_case(indicator_info(book, f'{scheme}_{m}_members')['short'])} "
                + " against ".join(f"{spc_charts.kpi_value(v, False)} ({g.lower()})" for g, v in zip(f["group"], f["value"]))
                for m, f in rows.groupby("measure", sort=False)
            )
            + "."
        ),
    )
