"""`python -m analysis new-edition`: a starting parameter file for the organisation codes an analyst gives.

It looks the codes up in the national files it can see (../shared/data/real, read with pandas only for
the few columns it needs), fills in names, local authorities, the period and the data files, and writes
comments on every value it guessed. It never writes a plan: the edition starts plan-free.

The pure functions (names, authorities, period, YAML text) take plain tables so they are tested on
small frames; `gather` reads the files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.paths import REAL_DATA, ROOT

# The national files the command looks in, by what they give; paths as a parameter file writes them.
REAL = "../shared/data/real"
MAR = "nhse_mar_monthly_activity_commissioner_2008-04_2013-03.csv"
LISTS = "nhsd_gp_payments_practice_list_sizes_2014-15_2022-23.csv"
MYE = "ons_mye2011_lad_by_sex_single_year_age.csv"
AE_FOLDER = "nhse_ae_monthly"
# Organisation-type words that are not part of a place name ("Heart of Birmingham Teaching PCT" -> Birmingham).
NOT_PLACES = re.compile(
    r"\b(nhs|pct|ccg|icb|care|trust|teaching|primary|clinical|commissioning|group|city|and|of|the|heart)\b", re.I
)


@dataclass
class Organisation:
    """A commissioner or provider found in the data files, as the draft parameters list it."""

    code: str
    name: str
    area: str | None = None
    note: str = ""  # what the analyst should check, written as a comment beside it
    in_practices: bool = False  # its code is in the practice file, so `population: practices` can work


@dataclass
class Draft:
    """What the command found: the organisations, authorities, period and which files cover them."""

    edition_id: str
    commissioners: list[Organisation]
    providers: list[Organisation]
    authorities: dict[str, str]  # code -> name
    history_start: str
    data_end: str
    activity: bool  # the commissioners are in the Monthly Activity Return
    providers_in_ae: bool  # the providers are in the monthly A&E files
    notes: list[str] = field(default_factory=list)
    code_map: dict = field(default_factory=dict)  # suggested from the practice file's commissioner names
    ccg_names: dict = field(default_factory=dict)  # code -> name, for the comments
    provider_period: tuple[str, str] | None = None  # the months the provider files cover


def names_of(frame: pd.DataFrame, code_column: str, name_column: str, codes: list[str]) -> dict[str, str]:
    """Each code's latest name in a table (the last row that gives one), for the codes asked for."""
    rows = frame[frame[code_column].astype(str).str.strip().isin(codes)]
    return {
        str(c).strip(): str(n).strip()
        for c, n in zip(rows[code_column], rows[name_column], strict=True)
        if isinstance(n, str) and n.strip()
    }


ACRONYMS = {"Nhs": "NHS", "Pct": "PCT", "Ccg": "CCG", "Wic": "WIC", "Icb": "ICB"}


def display_name(name: str) -> str:
    """A name the files write in capitals, as a reader writes it: 'SOUTH BIRMINGHAM PCT' -> 'South Birmingham PCT'."""
    if not name.isupper():
        return name
    small = {"And", "Of", "The", "For"}

    def word(w: str, first: bool) -> str:
        if any(ch.isdigit() for ch in w):
            return w  # a code such as 15E stays as written
        w = w[:1].upper() + w[1:].lower()
        return ACRONYMS.get(w, w.lower() if not first and w in small else w)

    return " ".join(word(w, i == 0) for i, w in enumerate(name.split(" ")))


def place_words(name: str) -> str:
    """The place in an organisation's name: 'Heart of Birmingham Teaching PCT' -> 'Birmingham'."""
    name = re.sub(r"\s+-\s+\w+$", "", name)  # "NHS Birmingham and Solihull ICB - 15E": the code is not a place
    return re.sub(r"\s+", " ", NOT_PLACES.sub(" ", name)).strip()


def named_authorities(name: str, authorities: dict[str, str]) -> list[str]:
    """Every local authority whose name is in the organisation's name ('Birmingham and Solihull' names two)."""
    place = place_words(name).lower()
    return [
        code
        for code, la in authorities.items()
        if isinstance(la, str) and re.search(rf"\b{re.escape(la.lower())}\b", place)
    ]


def match_authority(name: str, authorities: dict[str, str], sizes: dict[str, float] | None = None) -> str | None:
    """The local authority named in the organisation's name: of several, the most populous (else the longest name)."""
    found = named_authorities(name, authorities)
    if not found:
        return None
    return max(found, key=lambda c: ((sizes or {}).get(c, 0), len(authorities[c])))


def month_range(months: pd.Series) -> tuple[str, str]:
    """The first and last month ('YYYY-MM') of a series of dates."""
    dates = pd.to_datetime(months)
    return f"{dates.min():%Y-%m}", f"{dates.max():%Y-%m}"


def code_map_candidates(
    lists: pd.DataFrame,
    commissioners: list[Organisation],
    authorities: dict[str, str],
    all_authorities: dict[str, str] | None = None,
) -> dict[str, str | list[str]]:
    """Practice-file commissioner codes (CCGs) whose name names a commissioner's authority, mapped to it.

    A CCG named after an authority that several of the commissioners share maps to all of them (a list):
    its practices are then left out and listed, because the files cannot say which went where.
    """
    # An integrated care board spans several authorities whatever its name says ("Greater Manchester"):
    # never a candidate, nor any code that was ever named as one.
    boards = set(
        lists.loc[lists["ccg_name"].astype(str).str.contains(r"\bICB\b", case=False), "ccg_code"]
        .astype(str)
        .str.strip()
    )
    ccgs = lists.drop_duplicates("ccg_code")
    ccgs = ccgs[~ccgs["ccg_code"].astype(str).str.strip().isin(boards)]
    by_area: dict[str, list[str]] = {}
    for c in commissioners:
        if c.area:
            by_area.setdefault(c.area, []).append(c.code)
    for c in commissioners:  # a commissioner named after several authorities covers each of them
        for area in named_authorities(c.name, authorities):
            if c.code not in by_area.setdefault(area, []):
                by_area[area].append(c.code)
    own = {c.code for c in commissioners}
    out: dict[str, str | list[str]] = {}
    for code, name in zip(ccgs["ccg_code"].astype(str).str.strip(), ccgs["ccg_name"], strict=True):
        if code in own or not isinstance(name, str):
            continue
        named = named_authorities(name, all_authorities or authorities)
        if not named or any(a not in by_area for a in named):
            # named after none of the economy's authorities, or after one outside it too (Sandwell and West Birmingham)
            continue
        targets = list(dict.fromkeys(t for a in named for t in by_area[a]))
        out[code] = targets[0] if len(targets) == 1 else targets
    return out


def shared_areas(commissioners: list[Organisation]) -> set[str]:
    """Authorities that more than one of the commissioners maps to (each then needs a population of its own)."""
    seen = [c.area for c in commissioners if c.area]
    return {a for a in seen if seen.count(a) > 1}


def gather(commissioners: list[str], providers: list[str], edition_id: str, folder: Path = REAL_DATA) -> Draft:
    """Look the codes up in the national files."""
    notes = []
    mar = (
        pd.read_csv(folder / MAR, usecols=["period", "org_code", "org_name", "level"], dtype=str)
        if (folder / MAR).exists()
        else None
    )
    lists = (
        pd.read_csv(folder / LISTS, usecols=["financial_year", "ccg_code", "ccg_name"], dtype=str)
        if (folder / LISTS).exists()
        else None
    )
    mye = pd.read_csv(folder / MYE, usecols=["lad_code", "lad_name", "population"]) if (folder / MYE).exists() else None
    authorities_all = (
        {c: n for c, n in zip(mye["lad_code"], mye["lad_name"], strict=True) if isinstance(n, str)}
        if mye is not None
        else {}
    )
    sizes = mye.groupby("lad_code")["population"].sum().to_dict() if mye is not None else {}
    names: dict[str, str] = {}
    if lists is not None:
        names |= names_of(lists, "ccg_code", "ccg_name", commissioners)
    if mar is not None:
        names |= names_of(mar, "org_code", "org_name", commissioners)
    listed = set(lists["ccg_code"].astype(str).str.strip()) if lists is not None else set()
    in_mar = mar[mar["org_code"].astype(str).str.strip().isin(commissioners)] if mar is not None else pd.DataFrame()
    orgs = []
    for code in commissioners:
        name = names.get(code)
        if name is None:
            notes.append(f"commissioner {code} is in none of the files looked at: check the code, and fill in its name")
            name = f"CHECK: name of {code}"
        area = match_authority(name, authorities_all, sizes)
        named = named_authorities(name, authorities_all)
        note = (
            "area guessed from its name: check it"
            if area
            else "no local authority found from its name: set `area` (an ONS code)"
        )
        if len(named) > 1:
            note = (
                f"its name names {len(named)} authorities; `area` takes one, the most populous, whose indicators and "
                "age "
                "structure stand for it: check it"
            )
        orgs.append(Organisation(code, display_name(name), area, note, in_practices=code in listed))
    provider_names: dict[str, str] = {}
    ae_months = pd.Series(dtype="datetime64[ns]")
    ae_files = sorted((folder / AE_FOLDER).glob("*.csv")) if (folder / AE_FOLDER).exists() else []
    for file in ae_files:
        frame = pd.read_csv(file, dtype=str, encoding="utf-8-sig")
        frame.columns = [c.strip() for c in frame.columns]
        provider_names |= names_of(frame, "Org Code", "Org name", providers)
    if ae_files and provider_names:
        months = [re.search(r"(\d{4})-(\d{2})", f.name) for f in ae_files]
        ae_months = pd.Series([f"{m.group(1)}-{m.group(2)}-01" for m in months if m])
    prov = []
    for code in providers:
        name = provider_names.get(code)
        if name is None:
            notes.append(f"provider {code} is not in the monthly A&E files: check the code, and fill in its name")
        missing = (
            "not in the monthly A&E files (a trust without an A&E department has no series there): fill in its name"
        )
        prov.append(Organisation(code, display_name(name or f"CHECK: name of {code}"), None, "" if name else missing))
    if len(in_mar):
        start, end = month_range(in_mar["period"])
    elif len(ae_months):
        start, end = month_range(ae_months)
    else:
        start, end = "CHECK-01", "CHECK-12"
        notes.append(
            "no activity or provider series found for these codes: set period.history_start and period.data_end"
        )
    used = {o.area for o in orgs if o.area} | {a for o in orgs for a in named_authorities(o.name, authorities_all)}
    authorities = {code: authorities_all[code] for code in sorted(used)}
    code_map = code_map_candidates(lists, orgs, authorities, authorities_all) if lists is not None else {}
    ccg_names = names_of(lists, "ccg_code", "ccg_name", list(code_map)) if lists is not None else {}
    provider_period = month_range(ae_months) if len(ae_months) else None
    return Draft(edition_id, orgs, prov, authorities, start, end, bool(len(in_mar)), bool(provider_names), notes,
                 code_map, ccg_names, provider_period)


INDICATORS = """    indicators:
      - adapter: fingertips_long
        path: {real}/fingertips_la_indicators_via_trafford_dashboard.csv
        options:
          indicator_ids:
            admissions_falls: falls_admissions_65_per_100k
            admissions_self_harm: self_harm_admissions_per_100k
            alcohol_related_admissions: alcohol_admissions_per_100k
            excess_weight_reception: excess_weight_reception_pct
            excess_weight_year6: excess_weight_year6_pct
            smoking_adults: smoking_prevalence_pct
            physically_inactive: physical_inactivity_pct
      - adapter: fingertips_long
        path: {real}/fingertips_92727_deaths_usual_residence_65plus_la.csv
        options: {{indicator_ids: {{"92727": deaths_usual_residence_pct}}, polarity: {{"92727": high_is_good}}}}
"""

PATHWAYS_ACTIVITY = (
    """  urgent_care:
    kpis:
      - {id: emergency_admissions, name: Emergency admissions, source: activity, pods: [non_elective], """
    """unit: admissions a month, improvement: decrease, polarity: low_is_good}
  planned_care:
    kpis:
      - {id: gp_referrals, name: GP referrals, source: activity, pods: [gp_referral], unit: referrals a month, """
    """improvement: decrease, polarity: low_is_good}
      - {id: elective_admissions, name: Elective admissions (ordinary and day case), source: activity, """
    """pods: [elective_ordinary, day_case], unit: admissions a month, improvement: neutral, polarity: no_judgement}
"""
)

PATHWAYS_COMMON = (
    """  staying_healthy:
    kpis:
      - {id: smoking_prevalence, name: Smoking prevalence (adults), source: indicators, """
    """indicator: smoking_prevalence_pct, unit: share of adults, improvement: decrease, polarity: low_is_good}
    benchmark: [smoking_prevalence_pct, physical_inactivity_pct, alcohol_admissions_per_100k]
  children:
    kpis:
      - {id: excess_weight_reception, name: Excess weight in reception-year children, source: indicators, """
    """indicator: excess_weight_reception_pct, unit: share of children, improvement: decrease, polarity: low_is_good}
    benchmark: [excess_weight_reception_pct, excess_weight_year6_pct]
  long_term_conditions:
    kpis:
      - {id: falls_admissions, name: Emergency admissions for falls (65 and over), source: indicators, """
    """indicator: falls_admissions_65_per_100k, unit: "admissions per 100,000 a year", improvement: decrease, """
    """polarity: low_is_good}
  mental_health:
    kpis:
      - {id: self_harm_admissions, name: Emergency admissions for self-harm, source: indicators, """
    """indicator: self_harm_admissions_per_100k, unit: "admissions per 100,000 a year", improvement: decrease, """
    """polarity: low_is_good}
  end_of_life:
    kpis:
      - {id: deaths_usual_residence, name: Deaths in the usual place of residence (65 and over), """
    """source: indicators, indicator: deaths_usual_residence_pct, unit: share of deaths, improvement: increase, """
    """polarity: high_is_good}
"""
)


def _quote(text: str) -> str:
    return '"' + text.replace('"', "'") + '"'


def render(draft: Draft, real: str = REAL) -> str:
    """The parameter file's text, with a comment on each value to check."""
    shared = shared_areas(draft.commissioners)
    lines = [
        "# A starting parameter file written by `python -m analysis new-edition` for "
        f"{', '.join(c.code for c in draft.commissioners)}"
        + (f" with providers {', '.join(p.code for p in draft.providers)}" if draft.providers else "")
        + ".",
        "# Check every line marked CHECK or commented, then run `make check PARAMS=<this file>` and",
        "# `make book PARAMS=<this file>`. See README.md, 'Your own economy'. No plan is loaded (no `plan:` or",
        "# `content:` key): add them when the economy has a plan written in the project's plan format.",
        *[f"# CHECK: {n}" for n in draft.notes],
        "",
        "edition:",
        f"  id: {draft.edition_id}",
        f"  title: {_quote(' and '.join(place_words(c.name) or c.name for c in draft.commissioners))}  # the book's "
        "title: check it",
        f"  subtitle: Local health economy book, {draft.history_start[:4]} to {draft.data_end[:4]}, on published "
        "statistics",
        "  author: CHECK (who publishes this edition)",
        "  synthetic: false",
        "  description: >-",
        "    An edition built from published statistics read unchanged from the national files. No plan is",
        "    loaded, so the model shows doing nothing only.",
        "",
        "economy:",
        "  commissioners:",
    ]
    for c in draft.commissioners:
        fields = [f"code: {c.code}", f"name: {_quote(c.name)}"]
        if c.area:
            fields.append(f"area: {c.area}")
        comment = c.note
        if c.area in shared and c.in_practices:
            fields.append("population: practices")
            comment = (
                f"{c.note}; {c.area} is shared with another commissioner, so its population is the registered lists "
                "of its "
                "practices (or write a number of residents you can source)"
            )
        elif c.area in shared:
            comment = (
                f"{c.note}; CHECK: {c.area} is shared with another commissioner and {c.code} is not in the practice "
                "file, so add "
                "`population: <residents>` from a source you can cite (or map the practice file's codes to it with "
                "code_map "
                "and write `population: practices`); `make check` refuses the file until you do"
            )
        lines.append(f"    - {{{', '.join(fields)}}}  # {comment}")
    lines.append("  providers:" + ("" if draft.providers else " []"))
    for p in draft.providers:
        lines.append(f"    - {{code: {p.code}, name: {_quote(p.name)}}}" + (f"  # {p.note}" if p.note else ""))
    lines.append(
        "  local_authorities:" + ("" if draft.authorities else " []  # CHECK: add the authorities the economy spans")
    )
    for code, name in draft.authorities.items():
        lines.append(f"    - {{code: {code}, name: {_quote(name)}}}")
    lines += [
        "  england: E92000001",
        "  peers: []  # empty: every other commissioner (and every other provider in the provider files) is a peer",
        "  # code_map: {old: new}: codes in the files that mean one of the commissioners above (a successor",
        "  # CCG whose practices all came from it). A CCG that took practices from several commissioners is",
        "  # written as a list, {13P: [5PG, 5MX]}: its practices are then left out and listed, never guessed.",
    ]
    if draft.code_map:
        lines.append(
            "  # Suggested from the practice file: the CCGs named after the commissioners' authorities. CHECK each."
        )
        lines.append("  code_map:")
        for old, new in sorted(draft.code_map.items()):
            target = f"[{', '.join(new)}]" if isinstance(new, list) else new
            lines.append(f"    {old}: {target}  # {draft.ccg_names.get(old, old)}")
    else:
        lines.append("  code_map: {}")
    lines += [
        "",
        "period:",
        f'  history_start: "{draft.history_start}"  # the first month of data found for these codes',
        f'  data_end: "{draft.data_end}"  # the last month',
        "  baseline_year: "
        f"{int(draft.data_end[:4]) - (int(draft.data_end[5:7]) < 4) if draft.data_end[:4].isdigit() else 'CHECK'}  # "
        "the last complete fiscal year (from April)",
        f"  horizon_year: {int(draft.data_end[:4]) + 4 if draft.data_end[:4].isdigit() else 'CHECK'}",
        "",
        "data:",
        "  kind: files",
        "  files:",
    ]
    if draft.activity:
        lines.append(f"    activity:\n      - {{adapter: mar, path: {real}/{MAR}}}")
    if draft.providers_in_ae:
        entry = f"    provider_series:\n      - {{adapter: nhse_ae_monthly, path: {real}/{AE_FOLDER}}}"
        covered = draft.provider_period
        if covered and draft.activity and (covered[0] > draft.data_end or covered[1] < draft.history_start):
            lines.append(
                f"    # The monthly A&E files cover {covered[0]} to {covered[1]}, outside this edition's period: "
                "write a"
            )
            lines.append(
                "    # separate current-era edition for them (new-edition with the providers and today's CCG or ICB "
                "codes)."
            )
            entry = "\n".join(
                "    # " + line.strip() if i == 0 else "    #   " + line.strip()
                for i, line in enumerate(entry.splitlines())
            )
        lines.append(entry)
    lines += [
        "    population:",
        f"      - {{adapter: ons_mye, path: {real}/{MYE}}}",
        f"      - {{adapter: ons_npp, path: {real}/ons_npp2018_uk_countries_by_sex_age_2018_2035.csv, options: "
        f"{{areas: [E92000001]}}}}",
        INDICATORS.format(real=real).rstrip("\n"),
        "    practices:",
        "      - adapter: gp_list_sizes",
        f"        path: {real}/{LISTS}",
        f"        options: {{deprivation: {real}/fingertips_93553_imd_score_by_gp_practice_2010_2015_2019.csv}}",
        "",
        "# Each pathway's measures. The urgent care chapter adds the A&E KPIs itself when provider_series is listed.",
        "pathways:",
        "  maternity: {}",
        PATHWAYS_COMMON.rstrip("\n"),
        PATHWAYS_ACTIVITY.rstrip("\n") if draft.activity else "  urgent_care: {}\n  planned_care: {}",
        "",
    ]
    return "\n".join(lines)


def write(
    commissioners: list[str],
    providers: list[str],
    out: str | Path,
    edition_id: str | None = None,
    folder: Path = REAL_DATA,
) -> Path:
    """Write the starting parameter file; refuses to overwrite one."""
    target = Path(out) if Path(out).is_absolute() else ROOT / out
    if target.exists():
        raise FileExistsError(f"{out} exists: give another --out (the command never overwrites a parameter file)")
    ident = edition_id or re.sub(r"[^a-z0-9-]+", "-", target.stem.lower()).strip("-")
    target.write_text(render(gather(commissioners, providers, ident, folder)), encoding="utf-8")
    return target
