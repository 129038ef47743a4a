"""Prioritisation: the plan's schemes and commissioning intentions ranked by health gain and savings per pound.

Definitions (all to the horizon year, as in the finance chapter's appraisal):

- a scheme is one of the plan's interventions together with its hospital side: the model splits a
  scheme that moves care out of hospital into "<id>" (the community side, which carries the cost)
  and "<id>_hospital" (the activity it avoids); judged apart, one half has no cost and the other no
  saving, so they are judged together;
- savings per pound = the present value of the scheme's net savings (hospital activity avoided
  minus any extra community activity, at uprated unit costs) over the present value of its costs,
  discounted at the plan's rate from each entry's start year;
- health gain = the emergency admissions the scheme avoids, per £1,000 of its cost: each one is a
  crisis a patient did not have. Outpatient and A&E attendances avoided count as savings, not as
  health gain, because the model cannot tell whether they were needed;
- uncertainty: every run of the model's seeded Monte Carlo draws each intervention's effect from its
  80% interval and the trend from its band; a scheme's savings per pound and health gain are
  computed in every run, and the table shows the 10th to 90th centile and the share of runs in
  which savings exceed costs;
- the rule (`decide`) turns those into "Scale up", "Keep and evaluate", "Review or stop" or "Cost
  it first"; its thresholds are the constants below and the chapter prints them from here.
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
from analysis.model import montecarlo as mc
from analysis.model.fiscal import fy_label
from analysis.model.interventions import HOSPITAL_SUFFIX, scheme_of  # noqa: F401  (HOSPITAL_SUFFIX: for callers of this module)
from analysis.model.projection import Projection, simulate
from analysis.report.common import commissioner_names, source
from analysis.report.pathway.plans import NO_PLAN
from analysis.report.projected import MODEL_NOTE, assumptions, has_costs, has_economy_activity, projection
from analysis.report.wording import literal, lower_first, pounds_each, semicolon_list, signed

MOST = 0.5  # "in most runs": in more than this share of the model's runs
BREAK_EVEN = 1.0  # savings per pound at which a scheme pays for itself
HEALTH_GAIN_POD = "non_elective"
DECISIONS = ("Scale up", "Keep and evaluate", "Review or stop", "Cost it first")
LINK_TOLERANCE = 0.25  # an intention and a scheme are linked when their yearly sums differ by at most 25%
APPENDIX = "appendix two"
NOT_MODELLED = "Judge on quality"
NOT_VALUED = "Not valued (no unit costs)"


scheme_ids = scheme_of  # the one grouping of entries into schemes, shared with the finance chapter


def discount_matrix(p: Projection, rate: float) -> np.ndarray:
    """K x Y discount factors: (1 + rate)^-(year - start) from each intervention's start year, 0 before it."""
    years = np.array(p.years)
    starts = np.array([i.start_year for i in p.interventions])[:, None]
    factor = (1 + rate) ** -(years[None, :] - starts).astype(float)
    return np.where(years[None, :] >= starts, factor, 0.0)


def cost_matrix(p: Projection) -> np.ndarray:
    """K x Y cash costs (investment in the start year, recurrent cost from it), as in `finance`."""
    years = np.array(p.years)
    out = np.zeros((len(p.interventions), len(years)))
    for k, item in enumerate(p.interventions):
        out[k] = np.where(years == item.start_year, item.investment, 0.0) + np.where(
            years >= item.start_year, item.recurrent_cost, 0.0
        )
    return out


def run_draws(p: Projection, unit_costs: pd.DataFrame, assumption: finance.Assumptions | dict) -> pd.DataFrame:
    """Per model run and intervention: present value of savings and of costs, and emergency admissions avoided.

    Each run uses that run's do-nothing activity (trend drawn) and intervention effects (drawn from
    their 80% intervals), split between interventions by the log-mean Divisia method as in `finance.savings`.
    Columns: run, intervention, pv_savings, pv_costs, emergency_avoided (to the horizon), cost_total (cash).
    """
    a = finance.as_assumptions(assumption)
    basis = finance.cost_basis(p, unit_costs, a)
    dn, _ = simulate(p)
    effects = np.maximum(p.effect_draws, mc.EFFECT_FLOOR)
    window = discount_matrix(p, a.discount_rate)
    in_window = (window > 0).astype(float)
    costs = cost_matrix(p)
    pv_costs = (costs * window).sum(axis=1)
    cost_total = (costs * in_window).sum(axis=1)
    emergency = (p.series["pod"] == HEALTH_GAIN_POD).to_numpy()
    ids = [i.id for i in p.interventions]
    frames = []
    for r in range(effects.shape[0]):
        change = finance.attributed_changes(p, dn[r], effects[r])  # K x Y x S, negative = fewer
        saving = -finance.money(change, basis).sum(axis=2)  # K x Y
        avoided = -(change[:, :, emergency].sum(axis=2) * in_window).sum(axis=1)
        frames.append(pd.DataFrame({
            "run": r, "intervention": ids, "pv_savings": (saving * window).sum(axis=1), "pv_costs": pv_costs,
            "emergency_avoided": avoided, "cost_total": cost_total,
        }))
    return pd.concat(frames, ignore_index=True)


def scheme_draws(draws: pd.DataFrame) -> pd.DataFrame:
    """Interventions summed into schemes per run, with savings per pound and health gain per £1,000."""
    ids = list(dict.fromkeys(draws["intervention"]))
    mapping = dict(zip(ids, scheme_ids(ids), strict=True))
    out = (
        draws.assign(scheme=draws["intervention"].map(mapping))
        .groupby(["scheme", "run"], as_index=False, sort=False)[
            ["pv_savings", "pv_costs", "emergency_avoided", "cost_total"]
        ]
        .sum()
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        out["savings_per_pound"] = np.where(out["pv_costs"] > 0, out["pv_savings"] / out["pv_costs"], np.nan)
        out["gain_per_1000"] = np.where(
            out["cost_total"] > 0, out["emergency_avoided"] / out["cost_total"] * 1000, np.nan
        )
    return out


def decide(cost: float, share_paying: float, share_gain: float) -> str:
    """The rule: no cost -> cost it first; pays in most runs -> scale up.

    Else health gain in most runs -> keep and evaluate; else review or stop.
    """
    if not cost > 0:
        return "Cost it first"
    if share_paying > MOST:
        return "Scale up"
    if share_gain > MOST:
        return "Keep and evaluate"
    return "Review or stop"


def summarise(draws: pd.DataFrame, central: pd.DataFrame, names: dict[str, dict]) -> pd.DataFrame:
    """One row per scheme: central and 10th-90th centile savings per pound and health gain, shares of runs, decision.

    `central` has per-intervention pv_savings and pv_costs from the principal run (`finance.appraise`);
    `names` maps a scheme id to its name, pathway and organisation.
    """
    sd = scheme_draws(draws)
    ids = list(dict.fromkeys(central["intervention"]))
    mapping = dict(zip(ids, scheme_ids(ids), strict=True))
    cen = (
        central.assign(scheme=central["intervention"].map(mapping))
        .groupby("scheme", sort=False)[["pv_savings", "pv_costs"]]
        .sum()
    )
    rows = []
    for scheme, group in sd.groupby("scheme", sort=False):
        cost = float(group["pv_costs"].iloc[0])
        ratio = group["savings_per_pound"].to_numpy()
        gain = group["gain_per_1000"].to_numpy()
        share_paying = float(np.mean(ratio > BREAK_EVEN)) if cost > 0 else np.nan
        share_gain = float(np.mean(group["emergency_avoided"].to_numpy() > 0))
        q = np.nanquantile(ratio, [0.1, 0.5, 0.9]) + 0.0 if cost > 0 else [np.nan] * 3  # + 0.0 turns -0.0 into 0.0
        g = np.nanquantile(gain, [0.1, 0.5, 0.9]) + 0.0 if cost > 0 else [np.nan] * 3
        c = cen.loc[scheme] if scheme in cen.index else pd.Series({"pv_savings": np.nan, "pv_costs": np.nan})
        info = names.get(scheme, {})
        rows.append({
            "scheme": scheme, "name": info.get("name", scheme), "pathway": info.get("pathway", ""),
            "organisation": info.get("organisation", ""), "yearly_cost": info.get("yearly_cost", np.nan),
            "pv_costs": cost, "pv_savings": float(c["pv_savings"]),
            "savings_per_pound": float(c["pv_savings"] / c["pv_costs"]) if c["pv_costs"] > 0 else np.nan,
            "spp_p10": q[0], "spp_p50": q[1], "spp_p90": q[2], "share_paying": share_paying,
            "emergency_avoided": float(group["emergency_avoided"].median()),
            "gain_p10": g[0], "gain_p50": g[1], "gain_p90": g[2], "share_gain": share_gain,
            "decision": decide(cost, share_paying if cost > 0 else 0.0, share_gain),
        })
    out = pd.DataFrame(rows)
    out["rank_savings"] = out["savings_per_pound"].rank(ascending=False, method="min", na_option="bottom").astype(int)
    out["rank_gain"] = out["gain_p50"].rank(ascending=False, method="min", na_option="bottom").astype(int)
    return out.sort_values(["rank_savings", "rank_gain", "scheme"], ignore_index=True)


def scheme_info(p: Projection) -> dict[str, dict]:
    """Scheme id -> name, pathway, organisation and yearly cost, from its main (community or only) entry."""
    ids = [i.id for i in p.interventions]
    out: dict[str, dict] = {}
    for item, scheme in zip(p.interventions, scheme_ids(ids), strict=True):
        entry = out.setdefault(scheme, {"yearly_cost": 0.0})
        entry["yearly_cost"] += item.recurrent_cost
        if item.id == scheme:
            entry.update(
                {
                    "name": item.name,
                    "pathway": item.pathway,
                    "organisation": "All" if item.economy_wide else item.organisation,
                }
            )
    return out


def schemes(book: Catalog) -> pd.DataFrame:
    """The ranked schemes of this edition, worked out once per catalog and kept with it (seeded, so always the same)."""
    return book.computed("priorities.schemes", _rank_schemes)


def _rank_schemes(book: Catalog) -> pd.DataFrame:
    if not book.has_plan or not has_economy_activity(book):
        return pd.DataFrame()
    p = projection(book)
    if not p.interventions or not has_costs(book):
        return pd.DataFrame()
    unit_costs, a = book.table("unit_costs"), assumptions(book)
    # The central figures are the finance chapter's own scheme appraisal, so both pages show one return per scheme.
    central = finance.appraise_schemes(p, unit_costs, a).rename(columns={"scheme": "intervention"})
    return summarise(run_draws(p, unit_costs, a), central, scheme_info(p))


def empty_note(book: Catalog) -> Markdown:
    """Why there is nothing to rank: no plan, no interventions, or no costs to value them with."""
    if not book.has_plan:
        return Markdown(NO_PLAN)
    if not has_costs(book):
        return Markdown("*Not computed: this edition has no unit costs, so the schemes' savings cannot be valued.*")
    return Markdown("*This edition's plan has no interventions to rank.*")


def _source(book: Catalog) -> str:
    return f"{source(book, 'activity')}; {MODEL_NOTE}; the plan's interventions in {book.params.plan}"


def _titles(book: Catalog) -> dict[str, str]:
    specs = book.content.get("pathways", {}).get("pathways", {})
    return {pid: specs.get(pid, {}).get("title", pid.replace("_", " ").capitalize()) for pid in book.params.pathways}


def rule_text(book: Catalog) -> Markdown:
    """The decision rule in words, from the thresholds the code applies."""
    if not book.has_plan:
        return Markdown(NO_PLAN)
    p = projection(book)
    runs = p.effect_draws.shape[0]
    rate = finance.as_assumptions(assumptions(book)).discount_rate
    most = f"more than {MOST:.0%} of the model's {runs:,} runs"
    return Markdown(
        f"Every scheme is appraised from its start to {fy_label(p.horizon_year)}, at a {rate:.1%} discount rate, "
        f"in each of the model's {runs:,} runs. The rule, applied in that order:\n\n"
        f"1. **Cost it first** when the plan gives the scheme no cost: savings per pound cannot be judged.\n"
        f"2. **Scale up** when savings exceed £{BREAK_EVEN:,.0f} for each £1 spent in {most}.\n"
        f"3. **Keep and evaluate** when it does not pay for itself but avoids emergency admissions in {most}: "
        "the health gain may justify the cost, and measuring it is the next step.\n"
        f"4. **Review or stop** when it neither pays for itself nor avoids emergency admissions in {most}."
    )


def ranking(book: Catalog) -> tables.Table | Markdown:
    """The schemes ranked by savings per pound, with health gain, the model's uncertainty and the decision."""
    frame = schemes(book)
    if frame.empty:
        return empty_note(book)

    def with_range(central: float, low: float, high: float, fmt) -> str:
        if pd.isna(central):
            return "not costed"
        if low == 0 and high == 0 and central == 0:
            return "none"
        return f"{fmt(central)} ({fmt(low)} to {fmt(high)})"

    shown = pd.DataFrame(
        {
            "Rank": frame["rank_savings"],
            "Scheme": frame["name"],
            "Cost a year": frame["yearly_cost"],
            "Savings per £1 (10th to 90th centile)": [
                with_range(c, a, b, pounds_each)
                for c, a, b in zip(frame["savings_per_pound"], frame["spp_p10"], frame["spp_p90"], strict=True)
            ],
            "Runs paying back": frame["share_paying"],
            "Emergency admissions avoided per £1,000 (10th to 90th)": [
                with_range(c, a, b, signed)
                for c, a, b in zip(frame["gain_p50"], frame["gain_p10"], frame["gain_p90"], strict=True)
            ],
            "Decision": frame["decision"],
        }
    )
    p = projection(book)
    return tables.table(
        shown,
        caption=f"The plan's schemes ranked by savings per pound to {fy_label(p.horizon_year)}, with health gain and "
        "the model's uncertainty",
        source=_source(book),
        synthetic=book.synthetic,
        formats={
            "Cost a year": lambda v: "not costed" if not v > 0 else tables.pounds(2, 1e6, "m")(v),
            "Runs paying back": lambda v: "" if pd.isna(v) else f"{v:.0%}",
        },
        align_right=[
            "Rank",
            "Cost a year",
            "Savings per £1 (10th to 90th centile)",
            "Runs paying back",
            "Emergency admissions avoided per £1,000 (10th to 90th)",
        ],
    )


def savings_chart(book: Catalog) -> alt.LayerChart | Markdown:
    """Savings per pound of each costed scheme, central with its 10th-90th centile, against break-even."""
    frame = schemes(book)
    costed = frame[frame["pv_costs"] > 0] if len(frame) else frame
    if costed.empty:
        return empty_note(book)
    runs = projection(book).effect_draws.shape[0]
    return value_charts.savings_range_chart(
        costed, source=_source(book), synthetic=book.synthetic, break_even=BREAK_EVEN, runs=runs
    )


def matrix_chart(book: Catalog) -> alt.LayerChart | Markdown:
    """Health gain against savings per pound: the prioritisation matrix."""
    frame = schemes(book)
    costed = frame[frame["pv_costs"] > 0] if len(frame) else frame
    if costed.empty:
        return empty_note(book)
    return value_charts.priority_matrix_chart(
        costed.assign(pathway_title=costed["pathway"].map(_titles(book))),
        source=_source(book),
        synthetic=book.synthetic,
        break_even=BREAK_EVEN,
    )


def verdict(book: Catalog) -> Markdown:
    """Which schemes to scale, which to keep and evaluate, which to review or stop, and how robust that is."""
    frame = schemes(book)
    if frame.empty:
        return empty_note(book)
    lines = []
    for decision in DECISIONS:
        chosen = frame[frame["decision"] == decision]
        if len(chosen):
            lines.append(f"- **{decision}** ({len(chosen)}): {literal(semicolon_list(chosen['name']))}.")
    text = "\n".join(lines)
    release = book.plan.get("savings_release", {})
    release = release.get("value") if isinstance(release, dict) else release
    if isinstance(release, (int, float)) and 0 < release < 1:
        scaled = frame[(frame["decision"] == "Scale up") & (frame["spp_p50"] * release > BREAK_EVEN)]
        n_scale = int((frame["decision"] == "Scale up").sum())
        text += (
            "\n\nThese savings are gross: they become cash only when hospital capacity is taken out. The plan file "
            "assumes "
            f"{release:.0%} of the gross saving is released as cash; at that rate {len(scaled)} of the {n_scale} "
            f"{'scheme' if n_scale == 1 else 'schemes'} to scale up would still pay for "
            f"{'itself' if len(scaled) == 1 else 'themselves'} in the median run"
            + (f": {literal(semicolon_list(scaled['name']))}." if len(scaled) else ".")
        )
    return Markdown(text)


# --- commissioning intentions ----------------------------------------------------------------------


def link_intentions(investments: list[dict], p: Projection) -> dict[int, str]:
    """Intention index -> scheme id, where one modelled scheme funds it.

    A scheme funds an intention when both name the same organisation and pathway, the scheme's
    source cites appendix two (where the intentions are listed), and its yearly cost is within
    LINK_TOLERANCE of the intention's sum; each is used once, closest sums first.
    """
    ids = [i.id for i in p.interventions]
    candidates = []
    for item, scheme in zip(p.interventions, scheme_ids(ids), strict=True):
        if item.id != scheme or APPENDIX not in (item.source or "").lower() or item.recurrent_cost <= 0:
            continue
        for n, inv in enumerate(investments):
            if (
                inv.get("organisation") == item.organisation
                and inv.get("pathway") == item.pathway
                and inv.get("investment", 0) > 0
            ):
                gap = abs(item.recurrent_cost - inv["investment"]) / inv["investment"]
                if gap <= LINK_TOLERANCE:
                    candidates.append((gap, n, scheme))
    links: dict[int, str] = {}
    used: set[str] = set()
    for _gap, n, scheme in sorted(candidates):
        if n not in links and scheme not in used:
            links[n] = scheme
            used.add(scheme)
    return links


def intentions(book: Catalog) -> tables.Table | Markdown:
    """The commissioning intentions of the plan, each with the modelled scheme that funds it and its decision."""
    ours = {c.code for c in book.params.economy.commissioners}
    investments = [i for i in book.plan.get("investments", []) if i.get("organisation") in ours]
    if not book.has_plan:
        return Markdown(NO_PLAN)
    if not investments:
        return Markdown("*This edition's plan lists no commissioning intentions for its commissioners.*")
    p = projection(book)
    links = link_intentions(investments, p)
    ranked = schemes(book)
    frame = ranked.set_index("scheme") if len(ranked) else pd.DataFrame()
    titles = _titles(book)
    info = scheme_info(p) if p.interventions else {}
    # Short names (BEN PCT) where the content file gives them: the full names would push the table off the page.
    short = {
        o.get("code"): o.get("short_name")
        for o in book.content.get("economy", {}).get("organisations", [])
        if o.get("short_name")
    }
    names = {code: short.get(code, name) for code, name in commissioner_names(book).items()}
    rows = []
    for n, inv in enumerate(investments):
        scheme = links.get(n)
        row = frame.loc[scheme] if scheme is not None and scheme in frame.index else None
        if row is not None:
            modelled_as, ratio, decision = row["name"], row["savings_per_pound"], row["decision"]
        elif scheme is not None:
            modelled_as, ratio, decision = info.get(scheme, {}).get("name", scheme), np.nan, NOT_VALUED
        else:
            modelled_as, ratio, decision = "Not modelled", np.nan, NOT_MODELLED
        rows.append(
            {
                "Commissioner": names.get(inv.get("organisation"), inv.get("organisation", "")),
                # The pathway goes with the intention, not in a column of its own: seven columns of one-word
                # headings would not fit the page's width.
                "Intention": f"{inv.get('intention', '')} "
                f"({lower_first(titles.get(inv.get('pathway'), inv.get('pathway', '')))})",
                "Investment a year": inv.get("investment"),
                "Modelled as": modelled_as,
                "Savings per £1": ratio,
                "Decision": decision,
            }
        )
    shown = pd.DataFrame(rows)
    order = {d: i for i, d in enumerate((*DECISIONS, NOT_VALUED, NOT_MODELLED))}
    shown = shown.sort_values(
        ["Decision", "Investment a year"], key=lambda s: s.map(order) if s.name == "Decision" else -s, kind="stable"
    )
    modelled = shown["Decision"] != NOT_MODELLED
    total = shown["Investment a year"].sum()
    return tables.table(
        shown,
        caption=(
            f"The commissioning intentions: £{shown.loc[modelled, 'Investment a year'].sum() / 1e6:,.1f} million of "
            f"£{total / 1e6:,.1f} million a year funds a modelled scheme"
        ),
        source=f"{book.params.plan} ({book.plan.get('source', 'the plan')}, appendix two); {MODEL_NOTE}",
        synthetic=book.synthetic,
        formats={"Investment a year": tables.pounds(2, 1e6, "m"), "Savings per £1": pounds_each},
        align_right=["Investment a year", "Savings per £1"],
    )


def headlines(book: Catalog) -> dict:
    """The prioritisation chapter's headline: which schemes to scale up and which to review (glued for the summary)."""
    if not book.has_plan:
        return {"priorities_summary": "No plan is loaded for this edition, so there are no schemes to rank."}
    frame = schemes(book)
    if frame.empty:
        return {
            "priorities_summary": "This edition cannot rank the plan's schemes: it has no interventions or no costs "
            "to value them with."
        }

    def named(decision: str) -> str:
        chosen = frame.loc[frame["decision"] == decision, "name"].tolist()
        if not chosen:
            return "none"
        return chosen[0] if len(chosen) == 1 else ", ".join(chosen[:-1]) + " and " + chosen[-1]

    scale = int((frame["decision"] == "Scale up").sum())
    stop = int((frame["decision"] == "Review or stop").sum())
    return {
        "priorities_summary": (
            f"Of {len(frame)} schemes, {scale} return more than £1 for each £1 in most model runs and should be "
            "scaled up "
            f"({named('Scale up')}); {stop} should be reviewed or stopped ({named('Review or stop')})."
        )
    }
