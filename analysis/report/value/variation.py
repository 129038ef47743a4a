"""The value chapter's unwarranted variation.

Practices against the best of their similar practices, commissioners against the best of their peer areas, and the
chapter's headline opportunity.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
from IPython.display import Markdown

from analysis.catalog import Catalog
from analysis.charts import table as tables
from analysis.charts import value as value_charts
from analysis.model import finance
from analysis.model.fiscal import fy_label
from analysis.report.common import (
    DISCLOSURE_NOTE,
    commissioner_names,
    disclose,
    patient_level,
    shown_count,
    sources,
)
from analysis.report.kpis import economy_codes, practice_counts, practice_years
from analysis.report.value.spend import _latest, _value_text, indicator_name
from analysis.report.wording import literal
from analysis.stats import benchmark

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


def headlines(book: Catalog) -> dict:
    """The value chapter's headline: the opportunity if every practice matched its best peers (for the summary)."""
    _, _, summary, year = practice_variation(book)
    if summary.empty:
        return {
            "opportunity_summary": "This edition has no activity by practice, so the opportunity from unwarranted "
            "variation is not estimated."
        }
    top = summary.sort_values("cost", ascending=False).head(3)
    items = [f"{r.line.lower()} (£{r.cost / 1e6:,.1f} million)" for r in top.itertuples()]
    parts = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    return {
        "opportunity_summary": (
            f"If every practice matched the best of its similar practices in {fy_label(year)}, the economy would use "
            "about "
            f"£{summary['cost'].sum() / 1e6:,.1f} million a year less hospital activity; the largest parts are {parts}."
        )
    }


def practice_activity(book: Catalog, year: int | None = None) -> pd.DataFrame:
    """Activity of each practice by point of delivery in a complete fiscal year, with list size and deprivation.

    Columns: practice, commissioner, pod, count, list_size, imd_score, rate (per 1,000 registered).
    """
    rows = practice_years(book)  # complete fiscal years; disclosed counts under disclosure control
    rows = rows[rows["commissioner"].isin(economy_codes(book)) & rows["pod"].isin(VARIATION_PODS)]
    empty = pd.DataFrame(columns=["practice", "commissioner", "pod", "count", "list_size", "imd_score", "rate"])
    if rows.empty:
        return empty
    year = int(rows["year"].max()) if year is None else year
    # A practice whose count of a pod is suppressed (1 to 7) is left out of that line.
    counts = practice_counts(rows[rows["year"] == year], ["practice", "commissioner", "pod"])
    left_out = int(counts["count"].isna().sum())
    counts = counts.dropna(subset=["count"])[["practice", "commissioner", "pod", "count"]]
    practices = book.table("practices")
    known = practices[practices["year"] <= year]
    if known.empty:
        return empty
    lists = known[known["year"] == known["year"].max()][["practice", "list_size", "imd_score"]]
    out = counts.merge(lists, on="practice", how="inner")
    out = out[out["list_size"] > 0].copy()
    out["rate"] = out["count"] / out["list_size"] * 1000
    out.attrs["year"] = year
    out.attrs["left_out"] = left_out  # practice lines whose count was suppressed
    return out.sort_values(["pod", "practice"]).reset_index(drop=True)


def similar_practices(frame: pd.DataFrame, n: int = SIMILAR_PRACTICES) -> dict[str, list[str]]:
    """Each practice's n most similar practices: same commissioner, closest deprivation score (ties by code)."""
    out: dict[str, list[str]] = {}
    lists = frame.drop_duplicates("practice")[["practice", "commissioner", "imd_score"]]
    for _commissioner, group in lists.groupby("commissioner"):
        group = group.dropna(subset=["imd_score"]).sort_values("practice")
        for row in group.itertuples(index=False):
            others = group[group["practice"] != row.practice]
            others = others.assign(distance=(others["imd_score"] - row.imd_score).abs())
            out[row.practice] = list(others.sort_values(["distance", "practice"], kind="stable")["practice"].head(n))
    return out


def practice_opportunity(
    frame: pd.DataFrame, unit_costs: dict[str, float], *, n: int = SIMILAR_PRACTICES, best_n: int = BEST_OF
) -> pd.DataFrame:
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
    return pd.DataFrame(
        rows, columns=["pod", "practice", "commissioner", "rate", "benchmark", "activity", "cost", "ratio"]
    )


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
        rows.append(
            {
                "pod": pod,
                "line": POD_LABELS[pod],
                "practices": len(opp),
                "economy_rate": group["count"].sum() / group["list_size"].sum() * 1000,
                "p10": p10,
                "p90": p90,
                "above": int((opp["activity"] > 0).sum()),
                "activity": opp["activity"].sum(),
                "cost": opp["cost"].sum(),
                "share": opp["activity"].sum() / group["count"].sum() if group["count"].sum() > 0 else np.nan,
            }
        )
    return pd.DataFrame(
        rows, columns=["pod", "line", "practices", "economy_rate", "p10", "p90", "above", "activity", "cost", "share"]
    )


def practice_variation(book: Catalog) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, int]:
    """Practice activity, each practice's opportunity and the summary by line (worked out once per catalog)."""
    return book.computed("value.practice_variation", _practice_variation)


def _practice_variation(book: Catalog) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, int]:
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


def variation_text(book: Catalog) -> Markdown:
    """The variation findings in words: the practice opportunity and the largest peer gaps."""
    _, opportunity, summary, year = practice_variation(book)
    parts = []
    if len(summary):
        top = summary.sort_values("cost", ascending=False).iloc[0]
        fewer = shown_count(book, "activity", top["activity"])  # disclosure control under patient-level activity
        gap = (
            f"{fewer} fewer a year ({top['share']:.0%} of all {top['line'].lower()}), worth £{top['cost'] / 1e6:,.1f} "
            "million"
            if fewer != "*"
            else "fewer than 8 a year (suppressed: the count is too small to show)"
        )
        parts.append(
            f"If every practice matched the best of its similar practices in {fy_label(year)}, the economy would use "
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
            "Against its peer areas, the largest priced gap is "
            f"{literal(biggest['name'][0].lower() + biggest['name'][1:])} in "
            f"{literal(names.get(biggest['area'], biggest['area']))}: matching the best {BEST_OF} peers would mean "
            f"{biggest['activity']:,.0f} "
            f"fewer a year, about £{biggest['cost'] / 1e6:,.2f} million."
        )
    return Markdown(
        "\n\n".join(parts) if parts else "*This edition has no activity by practice or peer areas to compare.*"
    )


def variation_chart(book: Catalog) -> alt.LayerChart | Markdown:
    """Practices' activity per registered patient against the economy's rate, with the opportunity in the title."""
    frame, opportunity, summary, year = practice_variation(book)
    if opportunity.empty:
        return Markdown("*This edition has no activity by practice to compare.*")
    note = VARIATION_NOTE.format(n=SIMILAR_PRACTICES, best=BEST_OF)
    patient = patient_level(book, "activity")
    if patient:
        # Disclosure control: the catalog disclosed each practice's counts before any rate was worked out;
        # a practice whose count of a line was suppressed (1 to 7) is left out of that line altogether.
        hidden = int(frame.attrs.get("left_out", 0))
        note += (
            f" {DISCLOSURE_NOTE}; a practice whose count on a line is suppressed is left out of it ({hidden} "
            f"{'point' if hidden == 1 else 'points'})."
        )
    return value_charts.variation_chart(
        opportunity.assign(line=opportunity["pod"].map(POD_LABELS)),
        summary,
        source=sources(book, "activity", "practices", "unit_costs"),
        synthetic=book.synthetic,
        year_label=fy_label(year),
        note=note,
        suppress_counts=patient,
    )


def variation_table(book: Catalog) -> tables.Table | Markdown:
    """The opportunity if every practice matched the best of its similar practices, with the spread."""
    frame, opportunity, summary, year = practice_variation(book)
    if summary.empty:
        return Markdown("*This edition has no activity by practice to compare.*")
    shown = pd.DataFrame(
        {
            "Activity": summary["line"],
            "Practices": summary["practices"],
            "Economy rate per 1,000": summary["economy_rate"],
            "Practices' spread (10th to 90th centile)": [
                f"{a:,.0f} to {b:,.0f}" for a, b in zip(summary["p10"], summary["p90"], strict=True)
            ],
            "Practices above their benchmark": summary["above"],
            "Fewer a year if all matched": summary["activity"],
            "Share of the activity": summary["share"],
            "Value a year": summary["cost"],
        }
    )
    total = summary["cost"].sum()
    # Disclosure control (patient-level activity): "fewer a year" is made from counts, so it is rounded
    # or suppressed, and its share and value go with it. The numbers of practices are not counts of
    # patients; the economy's rate and the practices' centiles are statistics of whole lines.
    table = tables.table(
        shown,
        caption=f"If every practice matched the best of its similar practices, {fy_label(year)}: about "
        f"£{total / 1e6:,.1f} million a year of hospital activity",
        source=f"{sources(book, 'activity', 'practices', 'unit_costs')}. "
        + VARIATION_NOTE.format(n=SIMILAR_PRACTICES, best=BEST_OF),
        synthetic=book.synthetic,
        formats={
            "Economy rate per 1,000": tables.number(0),
            "Fewer a year if all matched": tables.number(0),
            "Share of the activity": tables.percent(),
            "Value a year": tables.pounds(1, 1e6, "m"),
        },
        align_right=[
            "Practices",
            "Economy rate per 1,000",
            "Practices' spread (10th to 90th centile)",
            "Practices above their benchmark",
            "Fewer a year if all matched",
            "Share of the activity",
            "Value a year",
        ],
    )
    fewer = "Fewer a year if all matched"
    return disclose(
        book, "activity", table, counts=[fewer], rates={"Share of the activity": fewer, "Value a year": fewer}
    )


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
    for indicator in sorted(set(ind.loc[ind["area"].isin(peers), "indicator"])):
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
            rows.append(
                {
                    "indicator": indicator,
                    "name": name,
                    "percent": percent,
                    "area": area,
                    "period": latest["period"].iloc[0],
                    "value": result.value,
                    "benchmark": result.benchmark,
                    "peers_min": result.peers_min,
                    "peers_median": result.peers_median,
                    "peers_max": result.peers_max,
                    "activity": result.activity,
                    "cost": np.nan if result.cost is None else result.cost,
                    "polarity": polarity,
                    "peers": len(have),
                }
            )
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
    """Commissioners against their best peers: a row per indicator, the gap in its own count and, if priced, pounds."""
    # Built from published indicators (aggregate statistics), never from the activity table, so
    # disclosure control leaves it as it is even where the activity is patient-level.
    frame = peer_opportunities(book)
    if frame.empty:
        return Markdown("*This edition has no peer areas to compare with.*")
    names = commissioner_names(book)
    first = frame.drop_duplicates("indicator").set_index("indicator")
    best = f"Mean of the best {BEST_OF} peers"
    shown = pd.DataFrame(
        {
            "Indicator": first["name"],
            "Better when": first["polarity"].map({"low_is_good": "lower", "high_is_good": "higher"}),
            best: [_value_text(v, p) for v, p in zip(first["benchmark"], first["percent"], strict=True)],
            "Peers' range": [
                f"{_value_text(a, p)} to {_value_text(b, p)}"
                for a, b, p in zip(first["peers_min"], first["peers_max"], first["percent"], strict=True)
            ],
        }
    )
    for area in dict.fromkeys(frame["area"]):
        mine = frame[frame["area"] == area].set_index("indicator")
        shown[names.get(area, area)] = [_peer_cell(mine.loc[i]) if i in mine.index else "" for i in shown.index]
    period = frame["period"].iloc[0]
    return tables.table(
        shown.reset_index(drop=True),
        caption=f"Each commissioner against the best {BEST_OF} of its {frame['peers'].iloc[0]} peer areas, {period}: "
        "its value, and the change a year if it matched them",
        source=f"{sources(book, 'indicators', 'unit_costs')}. Counts are in the indicator's own terms; priced only "
        "where the indicator counts emergency admissions or A&E attendances.",
        synthetic=book.synthetic,
        align_right=[best, "Peers' range"],
    )
