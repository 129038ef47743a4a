"""The value chapter: outcomes and quality per pound, spend against outcome, unwarranted variation,
the productivity challenge and the three elements of value.

What each comparison is, because the synthetic (and most real) finance tables hold spend by
programme only for the economy's own commissioners, not for England or peers:

- spend against outcome: each commissioner's spend per resident on a programme, against the
  economy's average for that programme (population-weighted, so the two commissioners sit either
  side of it), and the programme's headline outcome against England;
- unwarranted variation: each practice's activity per registered patient against the mean of the
  best five of its ten most similar practices (same commissioner, closest deprivation score), and
  each commissioner's indicators against the best five of its ten peer areas (RightCare style).
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import altair as alt
import numpy as np
import pandas as pd
from IPython.display import Markdown

from analysis import catalog
from analysis.catalog import Catalog
from analysis.charts import table as tables
from analysis.charts import value as value_charts
from analysis.model import finance
from analysis.model.projection import do_nothing
from analysis.report.common import (
    DISCLOSURE_NOTE, commissioner_names, disclose, fiscal_label, fiscal_year, patient_level, shown_count, source,
)
from analysis.report.kpis import economy_codes
from analysis.report.outlook import MODEL_NOTE, assumptions, has_costs, projection
from analysis.stats import benchmark

VALUE_SOURCE = "data/content/value.yml"
# Points of delivery where less activity per registered patient is the better-value direction
# (community care is left out: the plan wants more of it).
VARIATION_PODS = ("non_elective", "ae", "outpatient_first", "outpatient_followup", "elective_ordinary", "day_case")
POD_LABELS = {
    "non_elective": "Emergency admissions",
    "ae": "A&E attendances",
    "outpatient_first": "First outpatient attendances",
    "outpatient_followup": "Follow-up outpatient attendances",
    "elective_ordinary": "Elective inpatient admissions",
    "day_case": "Day cases",
}
# Indicators that count hospital activity, and the point of delivery whose unit cost prices them.
# (These are emergency admission and A&E counts by definition; other indicators are not priced.)
COSTED_INDICATORS = {
    "alcohol_admissions_per_100k": "non_elective",
    "falls_admissions_65_per_100k": "non_elective",
    "self_harm_admissions_per_100k": "non_elective",
    "ae_0_4_per_1000": "ae",
}
SIMILAR_PRACTICES = 10
BEST_OF = 5


# --- what value means --------------------------------------------------------------------------------


def sources(book: Catalog, *tables_used: str) -> str:
    """The source line of several tables, each publisher once."""
    return "; ".join(dict.fromkeys(source(book, t) for t in tables_used))


def _value_content(book: Catalog) -> dict:
    return book.content.get("value", {}) or {}


def pathway_titles(book: Catalog) -> dict[str, str]:
    """Pathway id -> the chapter title from the content file."""
    specs = book.content.get("pathways", {}).get("pathways", {})
    return {pid: specs.get(pid, {}).get("title", pid.replace("_", " ").capitalize()) for pid in book.params.pathways}


def population_by_area(book: Catalog, year: int) -> pd.Series:
    """Residents of each area in a year (estimates), summed over age and sex."""
    pop = book.table("population")
    pop = pop[(pop["variant"] == "estimate") & (pop["year"] == year)]
    return pop.groupby("area")["population"].sum()


def spend_per_head(book: Catalog, year: int | None = None) -> pd.DataFrame:
    """Spend and spend per resident by commissioner and programme in a year (the latest with both).

    Columns: organisation, programme, year, spend, population, per_head, economy_per_head (the
    population-weighted average of the economy's commissioners) and index (per_head relative to it).
    """
    fin = book.table("finance")
    fin = fin[fin["organisation"].isin(economy_codes(book))]
    pop = book.table("population")
    years = sorted(set(fin["year"]) & set(pop.loc[pop["variant"] == "estimate", "year"]))
    if not years:
        return pd.DataFrame(columns=["organisation", "programme", "year", "spend", "population", "per_head", "economy_per_head", "index"])
    year = years[-1] if year is None else year
    frame = fin[fin["year"] == year].groupby(["organisation", "programme"], as_index=False)["spend"].sum()
    frame["year"] = year
    frame["population"] = frame["organisation"].map(population_by_area(book, year))
    frame = frame[frame["population"] > 0].copy()
    frame["per_head"] = frame["spend"] / frame["population"]
    totals = frame.groupby("programme")[["spend", "population"]].sum()
    frame["economy_per_head"] = frame["programme"].map(totals["spend"] / totals["population"])
    frame["index"] = frame["per_head"] / frame["economy_per_head"] - 1
    return frame.reset_index(drop=True)


def definition(book: Catalog) -> Markdown:
    """What value means (the West Midlands definition), and what the economy spends, in numbers."""
    items = {p.get("id"): p for p in _value_content(book).get("propositions", [])}
    meaning = items.get("definition", {})
    spend = spend_per_head(book)
    lines = []
    if meaning:
        lines.append(f"> {meaning['text']}\n>\n> — {meaning['source']}")
    if len(spend):
        year = int(spend["year"].iloc[0])
        total = spend["spend"].sum()
        heads = spend.drop_duplicates("organisation")["population"].sum()
        biggest = spend.groupby("programme")["spend"].sum().sort_values(ascending=False)
        titles = pathway_titles(book)
        lines.append(
            f"In {fiscal_label(year)} the economy's commissioners spent £{total / 1e6:,.0f} million on the "
            f"{spend['programme'].nunique()} programmes of care, about £{total / heads:,.0f} for each resident. "
            f"The largest programme was {titles.get(biggest.index[0], biggest.index[0]).lower()} "
            f"(£{biggest.iloc[0] / 1e6:,.0f} million, {biggest.iloc[0] / total:.0%} of the total). "
            "This chapter sets that money beside what it buys: outcomes, the variation between practices, "
            "and the growth in demand and cost the economy must meet."
        )
    return Markdown("\n\n".join(lines))


# --- spend against outcome -------------------------------------------------------------------------------


def _latest(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["period_start"] == rows["period_start"].max()]


def outcome_indicator(book: Catalog, pathway: str) -> str | None:
    """The pathway's headline outcome: its first benchmark or KPI indicator that carries a judgement
    (high or low is good) and has both the economy's commissioners and England in its latest period."""
    spec = book.params.pathways.get(pathway)
    if spec is None:
        return None
    candidates = list(spec.benchmark) + [k.indicator for k in spec.kpis if k.source == "indicators" and k.indicator]
    ind = book.table("indicators")
    for indicator in candidates:
        rows = ind[ind["indicator"] == indicator]
        if rows.empty or rows["polarity"].iloc[0] == "no_judgement":
            continue
        latest = _latest(rows)
        if book.params.economy.england in set(latest["area"]) and set(economy_codes(book)) <= set(latest["area"]):
            return indicator
    return None


def indicator_name(book: Catalog, indicator: str) -> tuple[str, bool]:
    """An indicator's plain-English name and whether it is shown as a percentage."""
    info = book.content.get("indicators", {}).get("indicators", {}).get(indicator, {})
    return info.get("name", indicator.replace("_", " ")), bool(info.get("percent", False))


def outcome_frame(book: Catalog) -> pd.DataFrame:
    """Each pathway's headline outcome for each commissioner, against England.

    Columns: pathway, indicator, name, percent, area, period, value, lower, upper, england, polarity,
    comparison (better/similar/worse than England at 95%), relative (the value's difference from
    England as a share of England's value, signed so that above zero is better).
    """
    ind = book.table("indicators")
    england = book.params.economy.england
    rows = []
    for pathway in book.params.pathways:
        indicator = outcome_indicator(book, pathway)
        if indicator is None:
            continue
        latest = _latest(ind[ind["indicator"] == indicator])
        eng = float(latest.loc[latest["area"] == england, "value"].iloc[0])
        name, percent = indicator_name(book, indicator)
        for r in latest[latest["area"].isin(economy_codes(book))].itertuples(index=False):
            sign = 1.0 if r.polarity == "high_is_good" else -1.0
            rows.append({
                "pathway": pathway, "indicator": indicator, "name": name, "percent": percent, "area": r.area,
                "period": r.period, "value": r.value, "lower": r.lower_ci, "upper": r.upper_ci, "england": eng,
                "polarity": r.polarity,
                "comparison": benchmark.compare(r.value, r.lower_ci, r.upper_ci, eng, r.polarity),
                "relative": sign * (r.value / eng - 1) if eng else np.nan,
            })
    return pd.DataFrame(rows, columns=["pathway", "indicator", "name", "percent", "area", "period", "value", "lower", "upper", "england", "polarity", "comparison", "relative"])


def quadrant_frame(book: Catalog) -> pd.DataFrame:
    """Spend per head against the economy's average and outcome against England, per commissioner and programme."""
    spend = spend_per_head(book).rename(columns={"organisation": "area", "programme": "pathway"})
    outcome = outcome_frame(book)
    frame = spend.merge(outcome, on=["area", "pathway"], how="inner")
    names, titles = commissioner_names(book), pathway_titles(book)
    frame["area_name"] = frame["area"].map(names)
    frame["pathway_title"] = frame["pathway"].map(titles)
    frame["value_text"] = [_value_text(v, p) for v, p in zip(frame["value"], frame["percent"])]
    frame["england_text"] = [_value_text(v, p) for v, p in zip(frame["england"], frame["percent"])]
    order = {p: i for i, p in enumerate(book.params.pathways)}
    return frame.sort_values(["area", "pathway"], key=lambda s: s.map(order) if s.name == "pathway" else s).reset_index(drop=True)


def _value_text(value: float, percent: bool) -> str:
    if pd.isna(value):
        return ""
    return f"{100 * value:.1f}%" if percent else f"{value:,.1f}"


COMPARISON_TEXT = {"better": "Better", "similar": "Similar", "worse": "Worse", "not_compared": "Not compared", "higher": "Higher", "lower": "Lower"}


def side_by_side(book: Catalog) -> tables.Table | Markdown:
    """Quality and finance side by side: one row per programme, each commissioner's spend per resident and outcome."""
    frame = quadrant_frame(book)
    if frame.empty:
        return Markdown("*This edition has no spend by programme, or no outcomes to set beside it.*")
    shown = frame.drop_duplicates("pathway")[["pathway", "pathway_title", "name", "period", "england_text"]].reset_index(drop=True)
    shown.columns = ["pathway", "Programme", "Headline outcome", "Period", "England"]
    names = commissioner_names(book)
    for area in dict.fromkeys(frame["area"]):
        mine = frame[frame["area"] == area].set_index("pathway")
        label = names.get(area, area)
        shown[f"{label}: spend per resident"] = shown["pathway"].map(mine["per_head"])
        shown[f"{label}: outcome"] = shown["pathway"].map(
            {pid: f"{r.value_text} ({COMPARISON_TEXT.get(r.comparison, r.comparison).lower()})" for pid, r in mine.iterrows()}
        )
    shown = shown.drop(columns="pathway")
    year = int(frame["year"].iloc[0])
    money = [c for c in shown.columns if c.endswith("spend per resident")]
    return tables.table(
        shown,
        caption=f"Spend per resident in {fiscal_label(year)} beside each programme's headline outcome (in brackets: against England at 95%)",
        source=sources(book, "finance", "population", "indicators"),
        synthetic=book.synthetic,
        formats={c: tables.pounds(0) for c in money},
        align_right=["England", *money, *[c for c in shown.columns if c.endswith(": outcome")]],
    )


def spend_outcome_chart(book: Catalog) -> alt.LayerChart | Markdown:
    """The spend and outcome quadrant: spend per head against the economy's average, outcome against England."""
    frame = quadrant_frame(book)
    if frame.empty:
        return Markdown("*This edition has no spend by programme or no outcomes to set beside it.*")
    return value_charts.quadrant_chart(
        frame,
        source=sources(book, "finance", "population", "indicators"),
        synthetic=book.synthetic,
        year_label=fiscal_label(int(frame["year"].iloc[0])),
    )


# --- unwarranted variation ------------------------------------------------------------------------------


def practice_activity(book: Catalog, year: int | None = None) -> pd.DataFrame:
    """Activity of each practice by point of delivery in a complete fiscal year, with list size and deprivation.

    Columns: practice, commissioner, pod, count, list_size, imd_score, rate (per 1,000 registered).
    """
    act = book.table("activity")
    act = act[act["commissioner"].isin(economy_codes(book)) & act["practice"].notna() & act["pod"].isin(VARIATION_PODS)]
    empty = pd.DataFrame(columns=["practice", "commissioner", "pod", "count", "list_size", "imd_score", "rate"])
    if act.empty:
        return empty
    act = act.assign(year=fiscal_year(act["month"]))
    months = act.groupby("year")["month"].nunique()
    full = months[months == 12]
    if full.empty:
        return empty
    year = int(full.index.max()) if year is None else year
    counts = act[act["year"] == year].groupby(["practice", "commissioner", "pod"], as_index=False)["count"].sum()
    practices = book.table("practices")
    known = practices[practices["year"] <= year]
    if known.empty:
        return empty
    lists = known[known["year"] == known["year"].max()][["practice", "list_size", "imd_score"]]
    out = counts.merge(lists, on="practice", how="inner")
    out = out[out["list_size"] > 0].copy()
    out["rate"] = out["count"] / out["list_size"] * 1000
    out.attrs["year"] = year
    return out.sort_values(["pod", "practice"]).reset_index(drop=True)


def similar_practices(frame: pd.DataFrame, n: int = SIMILAR_PRACTICES) -> dict[str, list[str]]:
    """Each practice's n most similar practices: same commissioner, closest deprivation score (ties by code)."""
    out: dict[str, list[str]] = {}
    lists = frame.drop_duplicates("practice")[["practice", "commissioner", "imd_score"]]
    for commissioner, group in lists.groupby("commissioner"):
        group = group.dropna(subset=["imd_score"]).sort_values("practice")
        for row in group.itertuples(index=False):
            others = group[group["practice"] != row.practice].assign(distance=lambda g: (g["imd_score"] - row.imd_score).abs())
            out[row.practice] = list(others.sort_values(["distance", "practice"], kind="stable")["practice"].head(n))
    return out


def practice_opportunity(frame: pd.DataFrame, unit_costs: dict[str, float], *, n: int = SIMILAR_PRACTICES, best_n: int = BEST_OF) -> pd.DataFrame:
    """Each practice's gap to the best of its similar practices, per point of delivery (RightCare style).

    Columns: pod, practice, commissioner, rate, benchmark, activity (a year, 0 where the practice
    already matches), cost (activity x the pod's unit cost), ratio (rate / the economy's rate).
    """
    similar = similar_practices(frame, n)
    rows = []
    for pod, group in frame.groupby("pod", sort=True):
        economy_rate = group["count"].sum() / group["list_size"].sum() * 1000
        for practice in group["practice"]:
            peers = [p for p in similar.get(practice, []) if p in set(group["practice"])]
            if len(peers) < best_n:
                continue
            result = benchmark.peer_opportunity(
                group, area=practice, similar=peers, polarity="low_is_good", value="rate",
                denominator="list_size", area_column="practice", best_n=best_n, multiplier=1000,
                unit_cost=unit_costs.get(pod, 0.0),
            )
            own = group[group["practice"] == practice].iloc[0]
            rows.append({
                "pod": pod, "practice": practice, "commissioner": own["commissioner"], "rate": result.value,
                "benchmark": result.benchmark, "activity": result.activity, "cost": result.cost or 0.0,
                "ratio": result.value / economy_rate if economy_rate > 0 else np.nan,
            })
    return pd.DataFrame(rows, columns=["pod", "practice", "commissioner", "rate", "benchmark", "activity", "cost", "ratio"])


def pod_unit_costs(book: Catalog, year: int) -> dict[str, float]:
    """Unit cost of each point of delivery in a year (the latest at or before it)."""
    costs = book.table("unit_costs")
    if costs.empty:
        return {}
    return finance.unit_cost_by_pod(costs, year, [p for p in VARIATION_PODS if p in set(costs["pod"])])


def variation_summary(frame: pd.DataFrame, opportunity: pd.DataFrame) -> pd.DataFrame:
    """Per point of delivery: the economy's rate, the practices' spread, and the opportunity in activity and money."""
    rows = []
    for pod in [p for p in VARIATION_PODS if p in set(opportunity["pod"])]:
        group = frame[frame["pod"] == pod]
        opp = opportunity[opportunity["pod"] == pod]
        p10, p90 = np.quantile(group["rate"], [0.1, 0.9])
        rows.append({
            "pod": pod, "line": POD_LABELS[pod], "practices": len(opp), "economy_rate": group["count"].sum() / group["list_size"].sum() * 1000,
            "p10": p10, "p90": p90, "above": int((opp["activity"] > 0).sum()), "activity": opp["activity"].sum(),
            "cost": opp["cost"].sum(), "share": opp["activity"].sum() / group["count"].sum() if group["count"].sum() > 0 else np.nan,
        })
    return pd.DataFrame(rows, columns=["pod", "line", "practices", "economy_rate", "p10", "p90", "above", "activity", "cost", "share"])


def _variation(book: Catalog) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, int]:
    return _variation_for(book.params_file)


@lru_cache(maxsize=4)
def _variation_for(params_file: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, int]:
    """Practice activity, each practice's opportunity and the summary by line (computed once per process)."""
    book = catalog.load(params_file)
    frame = practice_activity(book)
    if frame.empty:
        return frame, pd.DataFrame(), pd.DataFrame(), 0
    year = frame.attrs["year"]
    opportunity = practice_opportunity(frame, pod_unit_costs(book, year))
    return frame, opportunity, variation_summary(frame, opportunity), year


VARIATION_NOTE = (
    "Rates are per 1,000 registered patients and are not adjusted for age or sex; similar practices "
    "are the {n} in the same commissioner with the closest deprivation score, and the benchmark is the "
    "mean of the best {best} of them."
)


def variation_chart(book: Catalog) -> alt.LayerChart | Markdown:
    """Practices' activity per registered patient against the economy's rate, with the opportunity in the title."""
    frame, opportunity, summary, year = _variation(book)
    if opportunity.empty:
        return Markdown("*This edition has no activity by practice to compare.*")
    note = VARIATION_NOTE.format(n=SIMILAR_PRACTICES, best=BEST_OF)
    patient = patient_level(book, "activity")
    if patient:
        # Disclosure control: a practice's rate gives its count away (its list size is published), so a
        # practice whose count of a line is 1 to 7 is left off that line; it still counts in the benchmarks.
        counts = disclose(book, "activity", frame[["practice", "pod", "count"]], counts=["count"])
        small = set(map(tuple, counts.loc[counts["count"].eq("*"), ["practice", "pod"]].to_numpy()))
        hidden = [(p, pod) in small for p, pod in zip(opportunity["practice"], opportunity["pod"])]
        opportunity = opportunity[~pd.Series(hidden, index=opportunity.index, dtype=bool)]
        note += f" {DISCLOSURE_NOTE}; a practice whose count on a line is suppressed is not drawn on it ({sum(hidden)} {'point' if sum(hidden) == 1 else 'points'})."
    return value_charts.variation_chart(
        opportunity.assign(line=opportunity["pod"].map(POD_LABELS)),
        summary,
        source=sources(book, "activity", "practices", "unit_costs"),
        synthetic=book.synthetic,
        year_label=fiscal_label(year),
        note=note,
        suppress_counts=patient,
    )


def variation_table(book: Catalog) -> tables.Table | Markdown:
    """The opportunity if every practice matched the best of its similar practices, with the spread."""
    frame, opportunity, summary, year = _variation(book)
    if summary.empty:
        return Markdown("*This edition has no activity by practice to compare.*")
    shown = pd.DataFrame({
        "Activity": summary["line"],
        "Practices": summary["practices"],
        "Economy rate per 1,000": summary["economy_rate"],
        "Practices' spread (10th to 90th centile)": [f"{a:,.0f} to {b:,.0f}" for a, b in zip(summary["p10"], summary["p90"])],
        "Practices above their benchmark": summary["above"],
        "Fewer a year if all matched": summary["activity"],
        "Share of the activity": summary["share"],
        "Value a year": summary["cost"],
    })
    total = summary["cost"].sum()
    # Disclosure control (patient-level activity): "fewer a year" is made from counts, so it is rounded
    # or suppressed, and its share and value go with it. The numbers of practices are not counts of
    # patients; the economy's rate and the practices' centiles are statistics of whole lines.
    table = tables.table(
        shown,
        caption=f"If every practice matched the best of its similar practices, {fiscal_label(year)}: about £{total / 1e6:,.1f} million a year of hospital activity",
        source=f"{sources(book, 'activity', 'practices', 'unit_costs')}. " + VARIATION_NOTE.format(n=SIMILAR_PRACTICES, best=BEST_OF),
        synthetic=book.synthetic,
        formats={
            "Economy rate per 1,000": tables.number(0), "Fewer a year if all matched": tables.number(0),
            "Share of the activity": tables.percent(), "Value a year": tables.pounds(1, 1e6, "m"),
        },
        align_right=["Practices", "Economy rate per 1,000", "Practices' spread (10th to 90th centile)", "Practices above their benchmark", "Fewer a year if all matched", "Share of the activity", "Value a year"],
    )
    fewer = "Fewer a year if all matched"
    return disclose(book, "activity", table, counts=[fewer], rates={"Share of the activity": fewer, "Value a year": fewer})


def _scale(rows: pd.DataFrame) -> float:
    """The multiplier of an indicator's value over count / denominator (1, 100, 1,000, 100,000)."""
    crude = rows["count"] / rows["denominator"]
    ok = (crude > 0) & rows["value"].notna()
    if not ok.any():
        return 1.0
    ratio = float(np.median(rows.loc[ok, "value"] / crude[ok]))
    return float(10 ** round(np.log10(ratio))) if ratio > 0 else 1.0


def peer_opportunities(book: Catalog) -> pd.DataFrame:
    """Each commissioner against the best five of its ten peer areas, on every judged indicator with counts.

    Columns: indicator, name, percent, area, period, value, benchmark, peers_min, peers_median,
    peers_max, activity (count that would change a year if the area matched), cost (activity x unit
    cost where the indicator counts hospital activity, else NaN), polarity.
    """
    ind = book.table("indicators")
    peers_rows = ind[ind["area_type"] == "peer"]
    if peers_rows.empty:
        return pd.DataFrame()
    peers = list(book.params.economy.peers) or sorted(peers_rows["area"].unique())
    unit = pod_unit_costs(book, book.params.period.baseline_year)
    rows = []
    for indicator, sel in ind[ind["area"].isin(peers)].groupby("indicator", sort=True):
        all_rows = ind[ind["indicator"] == indicator]
        polarity = all_rows["polarity"].iloc[0]
        if polarity == "no_judgement" or all_rows["count"].isna().all() or all_rows["denominator"].isna().all():
            continue
        latest = _latest(all_rows)
        have = latest[latest["area"].isin(peers)]
        if len(have) < BEST_OF:
            continue
        name, percent = indicator_name(book, indicator)
        scale = _scale(latest.dropna(subset=["count", "denominator"]))
        pod = COSTED_INDICATORS.get(indicator)
        for area in economy_codes(book):
            if area not in set(latest["area"]):
                continue
            frame = latest[latest["area"].isin([area, *have["area"]])]
            result = benchmark.peer_opportunity(
                frame, area=area, similar=list(have["area"]), polarity=polarity, best_n=BEST_OF, multiplier=scale,
                unit_cost=unit.get(pod) if pod else None,
            )
            rows.append({
                "indicator": indicator, "name": name, "percent": percent, "area": area, "period": latest["period"].iloc[0],
                "value": result.value, "benchmark": result.benchmark, "peers_min": result.peers_min,
                "peers_median": result.peers_median, "peers_max": result.peers_max, "activity": result.activity,
                "cost": np.nan if result.cost is None else result.cost, "polarity": polarity, "peers": len(have),
            })
    return pd.DataFrame(rows)


def _peer_cell(row: pd.Series) -> str:
    """One commissioner's value and what matching the best peers would change, in words."""
    value = _value_text(row["value"], row["percent"])
    if not row["activity"] > 0:
        return f"{value}: already matches"
    change = f"{row['activity']:,.0f} {'fewer' if row['polarity'] == 'low_is_good' else 'more'} a year"
    money = "" if pd.isna(row["cost"]) else f", £{row['cost'] / 1e6:,.2f}m"
    return f"{value}: {change}{money}"


def peer_table(book: Catalog) -> tables.Table | Markdown:
    """Commissioners against the best of their peers: one row per indicator, the gap in its own count and, where priced, in pounds."""
    # Built from published indicators (aggregate statistics), never from the activity table, so
    # disclosure control leaves it as it is even where the activity is patient-level.
    frame = peer_opportunities(book)
    if frame.empty:
        return Markdown("*This edition has no peer areas to compare with.*")
    names = commissioner_names(book)
    first = frame.drop_duplicates("indicator").set_index("indicator")
    best = f"Mean of the best {BEST_OF} peers"
    shown = pd.DataFrame({
        "Indicator": first["name"],
        "Better when": first["polarity"].map({"low_is_good": "lower", "high_is_good": "higher"}),
        best: [_value_text(v, p) for v, p in zip(first["benchmark"], first["percent"])],
        "Peers' range": [f"{_value_text(a, p)} to {_value_text(b, p)}" for a, b, p in zip(first["peers_min"], first["peers_max"], first["percent"])],
    })
    for area in dict.fromkeys(frame["area"]):
        mine = frame[frame["area"] == area].set_index("indicator")
        shown[names.get(area, area)] = [_peer_cell(mine.loc[i]) if i in mine.index else "" for i in shown.index]
    period = frame["period"].iloc[0]
    return tables.table(
        shown.reset_index(drop=True),
        caption=f"Each commissioner against the best {BEST_OF} of its {frame['peers'].iloc[0]} peer areas, {period}: its value, and the change a year if it matched them",
        source=f"{sources(book, 'indicators', 'unit_costs')}. Counts are in the indicator's own terms; priced only where the indicator counts emergency admissions or A&E attendances.",
        synthetic=book.synthetic,
        align_right=[best, "Peers' range"],
    )


def variation_text(book: Catalog) -> Markdown:
    """The variation findings in words: the practice opportunity and the largest peer gaps."""
    _, opportunity, summary, year = _variation(book)
    parts = []
    if len(summary):
        top = summary.sort_values("cost", ascending=False).iloc[0]
        fewer = shown_count(book, "activity", top["activity"])  # disclosure control under patient-level activity
        gap = (
            f"{fewer} fewer a year ({top['share']:.0%} of all {top['line'].lower()}), worth £{top['cost'] / 1e6:,.1f} million"
            if fewer != "*" else "fewer than 8 a year (suppressed: the count is too small to show)"
        )
        parts.append(
            f"If every practice matched the best of its similar practices in {fiscal_label(year)}, the economy would use "
            f"about £{summary['cost'].sum() / 1e6:,.1f} million a year less hospital activity. The largest part is "
            f"{top['line'].lower()}: {gap}. This is the most that could be gained, not a target: some of the "
            "difference between practices reflects age and need that list size and deprivation do not capture."
        )
    peers = peer_opportunities(book)
    priced = peers.dropna(subset=["cost"]) if len(peers) else peers
    if len(priced):
        names = commissioner_names(book)
        biggest = priced.sort_values("cost", ascending=False).iloc[0]
        parts.append(
            f"Against its peer areas, the largest priced gap is {biggest['name'][0].lower() + biggest['name'][1:]} in "
            f"{names.get(biggest['area'], biggest['area'])}: matching the best {BEST_OF} peers would mean {biggest['activity']:,.0f} "
            f"fewer a year, about £{biggest['cost'] / 1e6:,.2f} million."
        )
    return Markdown("\n\n".join(parts) if parts else "*This edition has no activity by practice or peer areas to compare.*")


# --- the productivity challenge -----------------------------------------------------------------------


def productivity(book: Catalog) -> pd.DataFrame:
    """Growth from the baseline year to the horizon in demand, prices, the cost of care and funding.

    Demand is the do-nothing activity at baseline unit costs (demography and trend); prices are the
    plan's cost-pressure index; the cost of care is both together plus other spending at rising
    prices; funding is the allocation. No efficiency is assumed (it is what the gap asks for).
    Columns: component, growth (proportion, baseline to horizon), yearly (the same as a yearly rate),
    plus attrs: baseline_year, horizon_year, gap (horizon cost - allocation), efficiency_needed (a year).
    """
    p = projection(book.params_file)
    a = replace(finance.as_assumptions(assumptions(book)), efficiency={})
    basis = finance.cost_basis(p, book.table("unit_costs"), a)
    dn = do_nothing(p)
    base_value = float((p.baseline * basis.unit_cost).sum())
    demand = float((dn[-1] * basis.unit_cost).sum()) / base_value - 1 if base_value > 0 else np.nan
    prices = float(basis.price[-1]) - 1
    frame = finance.economy_total(finance.gap(p, book.table("unit_costs"), a))
    first, last = frame.iloc[0], frame.iloc[-1]
    cost = float(last["cost_do_nothing"] / first["cost_do_nothing"]) - 1
    funding = float(last["allocation"] / first["allocation"]) - 1
    n = p.horizon_year - p.baseline_year
    out = pd.DataFrame({
        "component": ["Demand (activity)", "Prices (pay, drugs, technology)", "Cost of care, doing nothing", "Funding (allocation)"],
        "kind": ["cost", "cost", "cost", "funding"],
        "growth": [demand, prices, cost, funding],
    })
    out["yearly"] = (1 + out["growth"]) ** (1 / n) - 1 if n > 0 else np.nan
    out.attrs.update({
        "baseline_year": p.baseline_year, "horizon_year": p.horizon_year, "gap": float(last["gap_do_nothing"]),
        "allocation": float(last["allocation"]),
        "efficiency_needed": float(1 - (last["allocation"] / last["cost_do_nothing"]) ** (1 / n)) if n > 0 and last["cost_do_nothing"] > 0 else np.nan,
    })
    return out


NO_COSTS = "*Not computed: this edition has no unit costs, so the growth in the cost of care cannot be priced.*"


def productivity_chart(book: Catalog) -> alt.LayerChart | Markdown:
    """Demand and cost growth against funding growth, baseline to horizon, with the yearly productivity needed."""
    if not has_costs(book):
        return Markdown(NO_COSTS)
    frame = productivity(book)
    return value_charts.productivity_chart(
        frame,
        source=f"{sources(book, 'activity', 'population', 'unit_costs')}; {MODEL_NOTE}; assumptions in {book.params.plan}",
        synthetic=book.synthetic,
        baseline_label=fiscal_label(frame.attrs["baseline_year"]),
        horizon_label=fiscal_label(frame.attrs["horizon_year"]),
        efficiency_needed=frame.attrs["efficiency_needed"],
    )


def _fact(facts: dict, key: str) -> dict:
    return facts.get(key, {})


def national_share(book: Catalog) -> dict:
    """The economy's share of England's population and of a national challenge shared by population."""
    pop = book.table("population")
    est = pop[pop["variant"] == "estimate"]
    if est.empty:
        return {}
    year = int(est["year"].max())
    by_area = population_by_area(book, year)
    england = float(by_area.get(book.params.economy.england, np.nan))
    local = float(by_area.reindex(economy_codes(book)).sum())
    facts = {f.get("id"): f for f in _value_content(book).get("productivity_challenge", [])}
    national = _fact(facts, "kings_fund_22bn")
    share = local / england if england > 0 else np.nan
    return {"year": year, "local": local, "england": england, "share": share,
            "national": national, "local_challenge": share * float(national["value"]) if national and not np.isnan(share) else np.nan}


def productivity_text(book: Catalog) -> Markdown:
    """The productivity challenge in words: growth in demand and cost against funding, and the local share."""
    if not has_costs(book):
        return Markdown(NO_COSTS)
    frame = productivity(book).set_index("component")
    a = frame.attrs
    base, horizon = fiscal_label(a["baseline_year"]), fiscal_label(a["horizon_year"])
    demand, prices = frame.loc["Demand (activity)", "growth"], frame.loc["Prices (pay, drugs, technology)", "growth"]
    cost, funding = frame.loc["Cost of care, doing nothing", "growth"], frame.loc["Funding (allocation)", "growth"]
    gap = a["gap"]
    gap_words = f"£{gap / 1e6:,.0f} million short" if gap > 0 else f"£{-gap / 1e6:,.0f} million in surplus"
    parts = [
        f"From {base} to {horizon} the activity the economy's population needs grows by {demand:.1%} and the price "
        f"of the same care by {prices:.1%}. Together with other spending, doing nothing makes care cost {cost:.1%} more, "
        f"while funding grows by {funding:.1%}. By {horizon} the economy would be {gap_words} "
        f"({abs(gap) / a['allocation']:.1%} of its allocation). Closing that with productivity alone means "
        f"delivering the same care for about {a['efficiency_needed']:.2%} less each year, every year."
    ]
    share = national_share(book)
    if share and share.get("national"):
        n = share["national"]
        parts.append(
            f"For scale: the economy's {share['local']:,.0f} residents are {share['share']:.2%} of England's population "
            f"(mid-{share['year']}). Nationally, the challenge is £{n['value'] / 1e9:,.0f} billion: "
            f"{n['text'][0].lower()}{n['text'][1:].rstrip('.')}, {n['period']}. Shared by population, this economy's part would be "
            f"about £{share['local_challenge'] / 1e6:,.0f} million. That figure belongs to a later period than this plan, "
            f"so it shows the size of the task, not a target.\n\n*Source of the national figure: {n['source']}.*"
        )
    return Markdown("\n\n".join(parts))


def _format_fact(value: float, unit: str) -> str:
    """A challenge figure in its unit: 5.5 'percent a year' -> '5.5% a year', 2.2e10 'GBP' -> '£22 billion'."""
    if unit == "GBP":
        if abs(value) >= 1e9:
            return f"£{value / 1e9:,.0f} billion"
        if abs(value) >= 1e6:
            return f"£{value / 1e6:,.0f} million"
        return f"£{value:,.0f}"
    if unit.startswith("percent"):
        rest = unit.removeprefix("percent").strip()
        return f"{value:g}%" + (f" {rest}" if rest else "")
    return f"{value:,.0f} {unit}"


def challenge_facts(book: Catalog) -> tables.Table:
    """The scale of the challenge as the source documents state it, in their own units and periods."""
    facts = _value_content(book).get("productivity_challenge", [])
    frame = pd.DataFrame({
        "What": [f["text"] for f in facts],
        "Figure": [_format_fact(float(f["value"]), f["unit"]) for f in facts],
        "Period": [f["period"] for f in facts],
        "Source": [f["source"] for f in facts],
    })
    return tables.table(frame, caption="The productivity challenge as the source documents put it", source=f"{VALUE_SOURCE} (the sources' figures in our own words)", align_right=["Figure"])


# --- the three elements of value ----------------------------------------------------------------------


def element_text(book: Catalog, element: str) -> Markdown:
    """What one element of value means, in our own words."""
    item = _value_content(book).get("elements", {}).get(element)
    if not item:
        return Markdown(f"*No content for the element {element!r} in {VALUE_SOURCE}.*")
    return Markdown(item["explanation"])


def element_table(book: Catalog, element: str) -> tables.Table:
    """The barriers and enablers of one element of value, side by side."""
    item = _value_content(book).get("elements", {}).get(element, {})
    barriers, enablers = list(item.get("barriers", [])), list(item.get("enablers", []))
    n = max(len(barriers), len(enablers))
    frame = pd.DataFrame({
        "What gets in the way": barriers + [""] * (n - len(barriers)),
        "What helps": enablers + [""] * (n - len(enablers)),
    })
    return tables.table(frame, caption=f"{item.get('title', element)}: barriers and enablers", source=item.get("source", VALUE_SOURCE))


def propositions(book: Catalog) -> Markdown:
    """The propositions and commitments the West Midlands' NHS leaders agreed, as two lists."""
    items = _value_content(book).get("propositions", [])
    groups = {kind: [p for p in items if p.get("kind") == kind] for kind in ("proposition", "commitment")}
    sources = sorted({p["source"] for p in items if p.get("kind") in groups})
    lines = ["**What they hold to be true**", ""] + [f"- {p['text']}" for p in groups["proposition"]]
    lines += ["", "**What they committed to do**", ""] + [f"- {p['text']}" for p in groups["commitment"]]
    lines += ["", f"*Source: {'; '.join(sources)}, in our own words.*"]
    return Markdown("\n".join(lines))


def headlines(book: Catalog) -> dict:
    """The value chapter's headline: the opportunity if every practice matched its best peers (glued for the summary)."""
    _, _, summary, year = _variation(book)
    if summary.empty:
        return {"opportunity_summary": "This edition has no activity by practice, so the opportunity from unwarranted variation is not estimated."}
    top = summary.sort_values("cost", ascending=False).head(3)
    items = [f"{r.line.lower()} (£{r.cost / 1e6:,.1f} million)" for r in top.itertuples()]
    parts = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    return {
        "opportunity_summary": (
            f"If every practice matched the best of its similar practices in {fiscal_label(year)}, the economy would use about "
            f"£{summary['cost'].sum() / 1e6:,.1f} million a year less hospital activity; the largest parts are {parts}."
        )
    }
