"""A pathway chapter's benchmarking against England and peers, and members against similar non-members."""

from __future__ import annotations

import altair as alt
import pandas as pd
from IPython.display import Markdown

from analysis.catalog import Catalog
from analysis.charts import spc as spc_charts
from analysis.charts import table as tables
from analysis.charts.spc import TOOLTIP_NUMBER  # figures as the tables show them, never 1.366e+4
from analysis.charts.theme import MEANING, WIDTH, finish
from analysis.report.common import source
from analysis.report.kpis import indicator_areas, indicator_info
from analysis.report.wording import literal, sentence_case, sentence_list
from analysis.stats import benchmark as bench

RAG_TEXT = {
    "better": "Better",
    "worse": "Worse",
    "similar": "Similar",
    "higher": "Higher",
    "lower": "Lower",
    "not_compared": "Not compared",
}


def benchmark_rows(book: Catalog, pathway: str) -> pd.DataFrame:
    """Each benchmark indicator's latest value per commissioner, with its interval and England's value."""
    spec = book.params.pathways.get(pathway)
    wanted = list(spec.benchmark) if spec else []
    ind = book.table("indicators")
    areas = list(indicator_areas(book))
    names = {o.code: o.name for o in book.params.economy.local_authorities} | {
        c.code: c.name for c in book.params.economy.commissioners
    }
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
            rows.append(
                {
                    "indicator": indicator,
                    "area": names.get(r["area"], r["area"]),
                    "period": r["period"],
                    "period_start": r["period_start"],
                    "value": r["value"],
                    "lower": r["lower_ci"],
                    "upper": r["upper_ci"],
                    "england": england.iloc[0] if len(england) else float("nan"),
                    "polarity": r["polarity"],
                }
            )
    return pd.DataFrame(rows)


def period_label(period: object, start: object = None) -> str:
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
        return Markdown(
            "*No data in this edition for: "
            + literal(", ".join(indicator_info(book, i)["name"] for i in absent))
            + ".*"
        )
    comparisons = [
        bench.compare(v, lo, hi, e, p)
        for v, lo, hi, e, p in rows[["value", "lower", "upper", "england", "polarity"]].itertuples(index=False)
    ]
    colours = [bench.rag(c, p) for c, p in zip(comparisons, rows["polarity"], strict=True)]
    percent = rows["indicator"].map(lambda i: indicator_info(book, i)["percent"])

    def show(v, pct):
        return spc_charts.kpi_value(v, pct)

    frame = pd.DataFrame(
        {
            "Indicator": rows["indicator"].map(lambda i: indicator_info(book, i)["name"]),
            "Area": rows["area"],
            "Period": [
                period_label(p, s)
                for p, s in zip(rows["period"], rows.get("period_start", [None] * len(rows)), strict=True)
            ],
            "Value": [show(v, p) for v, p in zip(rows["value"], percent, strict=True)],
            "95% interval": [
                ("" if pd.isna(lo) else f"{show(lo, p)} to {show(hi, p)}")
                for lo, hi, p in zip(rows["lower"], rows["upper"], percent, strict=True)
            ],
            "England": [show(v, p) for v, p in zip(rows["england"], percent, strict=True)],
            "Compared with England": [
                f'<span class="sb-rag sb-rag-{colour}" aria-label="{RAG_TEXT[c]}">{RAG_TEXT[c]}</span>'
                for c, colour in zip(comparisons, colours, strict=True)
            ],
        }
    )
    caption = "Compared with England: better or worse where the 95% interval excludes England's value"
    no_interval = rows.loc[rows["lower"].isna() | rows["upper"].isna(), "indicator"].unique().tolist()
    if no_interval and len(no_interval) == rows["indicator"].nunique():
        caption = (
            "Against England: the published files give no 95% intervals for these indicators, so none is judged "
            "better or worse"
        )
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
    return [
        n.removesuffix("_members")
        for n in dict.fromkeys(names)
        if n.endswith("_members") and not n.endswith("_non_members")
    ]


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
            pair = {
                g: ind[
                    (ind["indicator"] == f"{prefix}{measure}_{suffix}") & ind["area"].isin(areas) & ind["value"].notna()
                ]
                for g, suffix in zip(MEMBER_GROUPS, ("members", "non_members"), strict=True)
            }
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


def members_comparison(book: Catalog, pathway: str) -> alt.VConcatChart | Markdown | None:
    """Members of the pathway's scheme against similar non-members, one panel per measure with 95% intervals.

    Nothing in an edition without a plan and without such measures: it has no schemes.
    """
    rows = member_rows(book, pathway)
    if rows.empty and not book.has_plan:
        return None
    if rows.empty:
        return Markdown(
            "*No scheme in this pathway reports its members' use of care against similar non-members in this edition.*"
        )
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
        x = alt.X("value:Q", title=label, axis=alt.Axis(format=",~r"))
        y = alt.Y("group:N", title=None, sort=list(MEMBER_GROUPS))
        base = alt.Chart(frame).encode(y=y)
        bars = base.mark_bar(height=22).encode(
            x=x,
            color=alt.Color(
                "group:N",
                title=None,
                scale=alt.Scale(domain=list(MEMBER_GROUPS), range=[MEANING["plan"], MEANING["peer"]]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("group:N", title="Group"),
                alt.Tooltip("value:Q", title=short, format=TOOLTIP_NUMBER),
                alt.Tooltip("lower:Q", title="95% interval from", format=TOOLTIP_NUMBER),
                alt.Tooltip("upper:Q", title="to", format=TOOLTIP_NUMBER),
                alt.Tooltip("period:N", title="Period"),
            ],
        )
        whiskers = base.mark_rule(color=MEANING["england"], strokeWidth=1.5).encode(x="lower:Q", x2="upper:Q")
        panels.append(alt.layer(bars, whiskers).properties(width=WIDTH - 140, height=alt.Step(34)))
    period = rows["period"].iloc[0]
    return finish(
        alt.vconcat(*panels, spacing=18),
        title=f"{scheme_name} members had {sentence_list(phrases)} than similar non-members in {period}",
        subtitle="Bars: rates of members and of similar non-members; lines: 95% confidence intervals",
        source=source(book, "indicators"),
        synthetic=book.synthetic,
        description=(
            f"Bar charts comparing {scheme_name} members with similar non-members in {period}: "
            + "; ".join(
                f"{sentence_case(indicator_info(book, f'{scheme}_{m}_members')['short'])} "
                + " against ".join(
                    f"{spc_charts.kpi_value(v, False)} ({g.lower()})"
                    for g, v in zip(f["group"], f["value"], strict=True)
                )
                for m, f in rows.groupby("measure", sort=False)
            )
            + "."
        ),
    )


# --- the economy's providers against the other providers in the file -------------------------------------


def provider_rows(series: pd.DataFrame, months: int = 12) -> pd.DataFrame:
    """Each provider with type 1 attendances over the last `months` months of the series.

    Columns: four-hour performance (all types and type 1), twelve-hour waits from the decision to admit and
    attendances.

    Only providers with a type 1 (major) department are compared: a walk-in centre is not a peer of an
    acute trust. Providers with no four-hour figures reported (exempt trusts) show none.
    """
    from analysis.report.kpis import four_hour_counts, provider_measure

    if series.empty:
        return pd.DataFrame(
            columns=["provider", "name", "four_hour_all", "four_hour_type_1", "dta_over_12h", "attendances"]
        )
    last = series["month"].max()
    recent = series[series["month"] > pd.Timestamp(last) - pd.DateOffset(months=months)]
    type_1 = (
        recent[(recent["measure"] == "attendances") & (recent["department"] == "type_1")]
        .groupby("provider")["value"]
        .sum()
    )
    rows = []
    for provider in sorted(type_1[type_1 > 0].index):
        own = recent[recent["provider"] == provider]
        performance = {}
        for measure, chosen in (("four_hour_all", own), ("four_hour_type_1", own[own["department"] == "type_1"])):
            counts = four_hour_counts(chosen).sum()
            performance[measure] = (
                float(1 - counts["over_4h"] / counts["attendances"])
                if counts.get("attendances", 0) > 0
                else float("nan")
            )
        names = own["provider_name"].dropna() if "provider_name" in own.columns else pd.Series(dtype=str)
        rows.append({
            "provider": provider, "name": str(names.iloc[-1]).title() if len(names) else provider, **performance,
            "dta_over_12h": float(provider_measure(own, [provider], "dta_over_12h").sum()),
            "attendances": float(provider_measure(own, [provider], "attendances").sum()),
        })
    return pd.DataFrame(rows)


def provider_benchmark(book: Catalog, pathway: str) -> tables.Table | None:
    """The economy's providers against the other providers in the provider file (urgent care, where there is one)."""
    from analysis.report.kpis import PROVIDER_PATHWAY, provider_codes

    if pathway != PROVIDER_PATHWAY or not book.has("provider_series"):
        return None
    series = book.table("provider_series")
    rows = provider_rows(series)
    ours = rows[rows["provider"].isin(provider_codes(book))]
    peers = rows[~rows["provider"].isin(provider_codes(book))]
    if ours.empty or peers.empty:
        return tables.table(
            pd.DataFrame(
                {"Note": ["None of the economy's providers has a type 1 A&E department in the provider file."]}
            ),
            caption="A&E providers compared",
            source=source(book, "provider_series"),
        )
    rank = {m: peers[m].dropna() for m in ("four_hour_all", "four_hour_type_1")}
    named = {p.code: p.name for p in book.params.economy.providers}
    shown = pd.DataFrame(
        {
            "Provider": [named.get(code, name) for code, name in zip(ours["provider"], ours["name"], strict=True)]
            + [f"Median of the {len(peers)} other providers", "Other providers' best quarter (75th centile)"],
            "Four hours, all types": list(ours["four_hour_all"])
            + [rank["four_hour_all"].median(), rank["four_hour_all"].quantile(0.75)],
            "Four hours, type 1": list(ours["four_hour_type_1"])
            + [rank["four_hour_type_1"].median(), rank["four_hour_type_1"].quantile(0.75)],
            "12-hour waits from decision to admit": list(ours["dta_over_12h"])
            + [peers["dta_over_12h"].median(), float("nan")],
            "Attendances": list(ours["attendances"]) + [peers["attendances"].median(), float("nan")],
        }
    )
    last = pd.Timestamp(series["month"].max())
    first = last - pd.DateOffset(months=11)
    return tables.table(
        shown,
        caption=(
            f"A&E performance against the 95% four-hour standard, {first:%B %Y} to {last:%B %Y}: the economy's "
            "providers "
            "against the other providers with a type 1 department in the file"
        ),
        source=source(book, "provider_series"),
        synthetic=book.synthetic,
        formats={
            "Four hours, all types": tables.percent(),
            "Four hours, type 1": tables.percent(),
            "12-hour waits from decision to admit": tables.number(0),
            "Attendances": tables.number(0),
        },
        align_right=[
            "Four hours, all types",
            "Four hours, type 1",
            "12-hour waits from decision to admit",
            "Attendances",
        ],
    )
