"""Shared wording: numbers, money and periods in words, labels in mid-sentence, and lists of names.

Every chapter writes its sentences with these, so the same figure reads the same way on every page.
Fiscal-year labels ('2007/08') come from `analysis.model.fiscal.fy_label`, the one place they are defined.
"""

from __future__ import annotations

import re

import pandas as pd

# --- untrusted text ---------------------------------------------------------------------------------
# Names, titles and descriptions come from parameter, content, plan and data files: none of them may
# be read as markup. Every one that goes into a page's markdown (or HTML inside it) goes through
# `literal`. Tables (analysis.charts.table) escape their cells themselves, chart text is drawn as
# text by Vega, and glued values are pasted as text: those take the plain name, never `literal`.

# Characters that start markup anywhere in a line: HTML (< > &), MyST/CommonMark inline syntax
# (emphasis, code and fences, links, roles and substitutions {..}, tables |, maths $, strikethrough ~,
# headings #, escapes \) and the attribute quote.
_MARKUP = frozenset('\\`*_{}[]<>&#|$~^"')
# Characters that start a block only at the beginning of a line: list items (- + and "1." / "1)"),
# setext underlines (=), MyST comments (%), colon fences (:::), targets ("(name)="), block breaks (+++).
_LINE_START = frozenset("-+=%:(!")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _reference(char: str) -> str:
    return f"&#{ord(char)};"


def literal(text: object) -> str:
    """Untrusted text as markdown (or HTML) that shows exactly that text and is never read as markup.

    Whitespace runs (line breaks included) become one space, so the text cannot start a block of its
    own; every character that could start HTML or MyST syntax becomes a numeric character reference,
    which MyST and browsers both show as the character itself and never parse. Not for HTML attribute
    values written in single quotes, nor for code spans (use neither for untrusted text).
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    flat = " ".join(_CONTROL.sub("", str(text)).split())
    out = "".join(_reference(c) if c in _MARKUP else c for c in flat)
    if out[:1] in _LINE_START:
        out = _reference(out[0]) + out[1:]
    ordered = re.match(r"\d{1,9}([.)])(?= |$)", out)  # "1. " or "1) " would start an ordered list
    if ordered:
        out = out[: ordered.start(1)] + _reference(ordered.group(1)) + out[ordered.end(1):]
    return out


def literal_list(names) -> list[str]:
    """`literal` of each name, for the list helpers below."""
    return [literal(n) for n in names]


def words_number(value: float) -> str:
    """A count in words a board member reads easily: 4,512 -> 'about 4,500'; 1,234,567 -> 'about 1.2 million'."""
    if pd.isna(value):
        return "not known"
    v = float(value)
    if abs(v) >= 1e6:
        return f"about {v / 1e6:,.1f} million"
    if abs(v) >= 1000:
        return f"about {round(v, -2):,.0f}"
    return f"{v:,.0f}"


def percent_text(value: float, decimals: int = 1) -> str:
    """0.123 -> '12.3%'."""
    return "not known" if pd.isna(value) else f"{100 * value:.{decimals}f}%"


def money_words(value: float) -> str:
    """A gap in words: positive is a shortfall, negative a surplus."""
    kind = "a shortfall" if value > 0 else "a surplus"
    return f"{kind} of £{abs(value) / 1e6:,.1f} million"


MINUS = "\u2212\u2060"  # a minus sign and a word joiner: browsers would otherwise break a line after the minus


def pounds_each(value: float) -> str:
    """Savings per pound as money: 1.5 -> '£1.50', -0.4 -> '−£0.40' (a minus sign, so a line never breaks after it)."""
    if pd.isna(value):
        return ""
    text = f"{abs(value):,.2f}"
    return f"{MINUS if value < 0 and text != '0.00' else ''}£{text}"


def signed(value: float) -> str:
    """A number with two decimals and a minus sign that keeps to its number."""
    text = f"{value:,.2f}"
    return "0.00" if text == "-0.00" else text.replace("-", MINUS)


def lower_first(text: str) -> str:
    """A label in mid-sentence: 'Community contacts' -> 'community contacts'; 'A&E attendances' keeps its capitals."""
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def sentence_case(name: str) -> str:
    """A name inside a sentence.

    The first letter lowered, unless the name starts with an acronym (A&E, GP) or a proper name of two capitalised words
    (Birmingham OwnHealth).
    """
    words = name.split()
    if not words:
        return name
    acronym = sum(c.isupper() for c in words[0]) > 1
    proper = len(words) > 1 and words[1][:1].isupper()
    return name if acronym or proper else name[0].lower() + name[1:]


def name_list(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def sentence_list(names: list[str]) -> str:
    """Names as a list in a sentence: 'A, b and c' (names after the first in sentence case)."""
    names = names[:1] + [sentence_case(n) for n in names[1:]]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def semicolon_list(items: pd.Series) -> str:
    """'none', 'a and b', 'a; b; and c': for names that may hold commas themselves (the plan's schemes)."""
    names = list(items)
    if not names:
        return "none"
    if len(names) <= 2:
        return " and ".join(names)
    return "; ".join(names[:-1]) + "; and " + names[-1]  # semicolons: some names hold commas


def one_or_many(names: list[str], one: str, many: str) -> str:
    """The word that agrees with a list: `one` for a single name, else `many` ('is'/'are', 'measure'/'measures')."""
    return one if len(names) == 1 else many


def period_words(periods) -> str:
    """Recorded periods as month and year, each once, in order ('September 2007')."""
    return " and ".join(dict.fromkeys(f"{pd.Timestamp(x):%B %Y}" for x in sorted(periods)))


def quarter_words(start) -> str:
    """A KH03 quarter from its first day: 2010-04-01 -> 'Apr-Jun 2010'."""
    s = pd.Timestamp(start)
    end = s + pd.DateOffset(months=2)
    return f"{s:%b}–{end:%b %Y}" if s.year == end.year else f"{s:%b %Y}–{end:%b %Y}"


# Each point of delivery's name as a label (the value chapter's variation pods have labels of their own).
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
