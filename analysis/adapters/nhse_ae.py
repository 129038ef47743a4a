"""NHS England "A&E Attendances and Emergency Admissions", the monthly CSV by provider -> provider_series.

One file a month, one row a provider (trusts, independent providers, walk-in centres and minor injury
units), one column a count. The columns change over the series: January-March 2020 say "Number of A&E
attendances Type 1", April 2020 on say "A&E attendances Type 1"; from August 2020 booked appointments
have columns of their own; some months start with a byte-order mark. So columns are read by meaning,
not by name: each header is normalised (case, "A&E", "hrs"/"hours", "4-12", "12+" ...) and matched
against the patterns of `meaning`. A header that matches nothing stops the read with the file, the
header and the meanings expected (a new column could be a new split of a count the book adds up, so it
is never skipped silently); if it is a column the book does not need, name it in the entry's
`ignore` option. Totals and percentages the file derives from its counts are recognised and skipped.

What it yields (the provider_series table, long: one row per month, provider, measure, department
and booking):

- attendances and over_4h (attendances that spent more than four hours in A&E) by department type
  (type_1, type_2, other: types 3 and 4), booked appointments as booking "booked", the rest "unbooked";
  in files without booked columns the booking is blank (the file does not split them);
- emergency_admissions via A&E by department type;
- dta_4_12h and dta_over_12h (waits from the decision to admit), department "all";
- other_emergency_admissions (not via A&E), department "all", where the file has it.

Four-hour performance = 1 - sum(over_4h) / sum(attendances), over all departments and bookings for
"all types", over department type_1 for type 1. Peers are the other providers in the table.

Rules:
- The month comes from the 'Period' column (like "MSitAE-JANUARY-2020") and from the file name (a
  month name and year, or YYYY-MM); when both give one they must agree, every row must give the same
  month, and two files may not give the same month.
- The file's total row (organisation "TOTAL", or a blank code named "Total") is not a provider: it is
  set aside and listed in `frame.attrs["rejected"]`, saying whether it equals the sum of the providers.
- A provider listed twice with the same figures is kept once (listed as rejected); twice with
  different figures is an error.
- Counts must be whole numbers of at least 0; a blank count is held as not reported (blank).
- Trusts that field-tested new standards from May 2019 were exempt from the four-hour measure and
  report 0 breaches at every department while seeing thousands of type 1 patients. Their 0 is not a
  performance of 100%: a provider-month with type 1 attendances and no four-hour breaches anywhere has
  its over_4h held as not reported (blank), and is listed in `frame.attrs["repaired"]`.
- A provider absent from a month's file has no rows for that month (a walk-in centre closed in the
  pandemic, say): nothing is filled in.

`frame.attrs["files"]` lists the files read, in month order.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.adapters.source import SourceFormatError, collapse_duplicates, finish, numbers, read_published_csv
from analysis.contract import DataContractError

WHAT = "NHS England's monthly A&E file by provider (A&E Attendances and Emergency Admissions)"
PATTERN = "*.csv"


@dataclass(frozen=True)
class Meaning:
    """What one count column holds."""

    measure: str
    department: str = "all"
    booked: bool = False

    def label(self) -> str:
        """The meaning in words: measure, then department and 'booked' where they apply."""
        parts = [self.measure]
        if self.department != "all":
            parts.append(self.department)
        if self.booked:
            parts.append("booked")
        return " ".join(parts)


# The identifying columns, by their normalised header text.
IDENTITY = {
    "period": ("period", "month", "reporting period"),
    "provider": ("org code", "organisation code", "provider code", "code"),
    "provider_name": ("org name", "organisation name", "provider name", "name"),
    "region": (
        "parent org",
        "parent organisation",
        "parent name",
        "region",
        "nhs england region",
        "commissioning region",
    ),
}
# The counts every file of the series has, each with a header it has been published under.
REQUIRED: dict[Meaning, str] = {
    Meaning("attendances", "type_1"): "A&E attendances Type 1",
    Meaning("attendances", "type_2"): "A&E attendances Type 2",
    Meaning("attendances", "other"): "A&E attendances Other A&E Department",
    Meaning("over_4h", "type_1"): "Attendances over 4hrs Type 1",
    Meaning("over_4h", "type_2"): "Attendances over 4hrs Type 2",
    Meaning("over_4h", "other"): "Attendances over 4hrs Other Department",
    Meaning("emergency_admissions", "type_1"): "Emergency admissions via A&E - Type 1",
    Meaning("emergency_admissions", "type_2"): "Emergency admissions via A&E - Type 2",
    Meaning("emergency_admissions", "other"): "Emergency admissions via A&E - Other A&E department",
    Meaning("dta_4_12h"): "Patients who have waited 4-12 hs from DTA to admission",
    Meaning("dta_over_12h"): "Patients who have waited 12+ hrs from DTA to admission",
}
IGNORED = "ignored"  # a column the file derives from its counts (a total, a percentage)
# Other identifying columns some publications carry: codes and names the table does not keep. They are
# not counts, so skipping them cannot lose part of a total.
OTHER_IDENTITY = ("parent org code", "parent code", "region code", "stp code", "stp name", "icb code", "icb name",
                  "system code", "system name", "org type", "organisation type")

_UNITS = {"hrs": "h", "hr": "h", "hs": "h", "hours": "h", "hour": "h", "attendance": "attendances",
          "departments": "department", "dept": "department", "depts": "department", "admission": "admissions",
          "appointment": "appointments", "organization": "organisation", "speciality": "specialty"}
_DERIVED = re.compile(r"\b(total|percent|percentage|performance|proportion|rate|within)\b")


def normalise(header: str) -> str:
    """A header reduced to lower-case words: 'Number of A&E attendances Type 1' -> 'number of ae attendances type 1'."""
    text = header.replace("\ufeff", "").lower()
    text = re.sub(r"\ba\s*(?:&|and)\s*e\b", " ae ", text)
    text = re.sub(r"(\d)\s*-\s*(\d)", r"\1 to \2", text)  # "4-12" -> "4 to 12"
    text = text.replace("+", " plus ").replace(">", " over ").replace("%", " percent ").replace("&", " and ")
    text = re.sub(r"(\d)([a-z])", r"\1 \2", text)  # "4hrs" -> "4 hrs"
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(_UNITS.get(w, w) for w in words)


def _department(text: str) -> str | None:
    if re.search(r"\btype 1\b|\bmajor\b", text):
        return "type_1"
    if re.search(r"\btype 2\b|\bsingle specialty\b", text):
        return "type_2"
    if re.search(r"\btype 3\b|\btype 4\b|\bother\b|\bminor injur|\bwalk in\b|\burgent treatment\b", text):
        return "other"
    return None


def meaning(header: str) -> Meaning | str | None:
    """What a column holds: an identity field name, a Meaning, IGNORED, or None when not understood."""
    text = normalise(header)
    for field, names in IDENTITY.items():
        if text in names:
            return field
    if text in OTHER_IDENTITY or _DERIVED.search(text):
        return IGNORED
    if re.search(r"\bdta\b|\bdecision to admit\b", text):
        if re.search(r"\b4 (?:h )?(?:to|and) 12\b", text):
            return Meaning("dta_4_12h")
        if re.search(r"\b12 (?:h )?(?:plus|or more|and over)\b|\b(?:over|more than) 12\b", text):
            return Meaning("dta_over_12h")
        return None
    if re.search(r"\bemergency admissions\b", text):
        if text.startswith("other emergency"):
            return Meaning("other_emergency_admissions")
        department = _department(text.replace("emergency admissions", ""))
        return (
            Meaning("emergency_admissions", department) if department and re.search(r"\bae\b|\btype\b", text) else None
        )
    if re.search(r"\battendances\b|\bdepartment\b", text):
        department = _department(text)
        if department is None:
            return None
        over = re.search(r"\b(?:over|more than) 4\b|\b4 (?:h )?(?:plus|or more|and over)\b|\bbreach", text)
        return Meaning("over_4h" if over else "attendances", department, "booked" in text.split())
    return None


# ---- the month ------------------------------------------------------------------------------------

_MONTH_NAMES = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTH_NAMES.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTH_NAMES["sept"] = 9
_NAMED = re.compile(
    r"(?<![a-z])(" + "|".join(sorted(_MONTH_NAMES, key=len, reverse=True)) + r")[^a-z0-9]{0,3}((?:19|20)\d{2})(?!\d)"
)
_NUMBERED = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_ ]?(0[1-9]|1[0-2])(?!\d)")


def month_in(text: str) -> pd.Timestamp | None:
    """The month a text names ('MSitAE-JANUARY-2020', 'msitae_2020-01', 'Monthly-AE-March-2021'), or None."""
    lower = text.lower()
    named = _NAMED.search(lower)
    if named:
        return pd.Timestamp(int(named.group(2)), _MONTH_NAMES[named.group(1)], 1)
    numbered = _NUMBERED.search(lower)
    if numbered:
        return pd.Timestamp(int(numbered.group(1)), int(numbered.group(2)), 1)
    return None


def _file_month(frame: pd.DataFrame, period: str | None, path: Path) -> pd.Timestamp:
    """The file's month from its Period column and its name, which must agree."""
    from_name = month_in(path.stem)
    if period is None:
        if from_name is None:
            raise SourceFormatError(
                f"{path}: no 'Period' column and no month in the file name, so the month is unknown"
            )
        return from_name
    months = frame[period].map(lambda v: month_in(str(v)))
    unknown = months.isna()
    if unknown.any():
        first = int(np.flatnonzero(unknown.to_numpy())[0])
        raise DataContractError(
            f"{path}, row {frame['_row'].iloc[first]}, column '{period}': expected a month such as "
            f"'MSitAE-JANUARY-2020', found {frame[period].iloc[first]!r}"
        )
    first_month = months.iloc[0]
    other = months != first_month
    if other.any():
        at = int(np.flatnonzero(other.to_numpy())[0])
        raise DataContractError(
            f"{path}, row {frame['_row'].iloc[at]}, column '{period}': {frame[period].iloc[at]!r} is not the month of "
            f"row {frame['_row'].iloc[0]} ({frame[period].iloc[0]!r}); one file holds one month"
        )
    if from_name is not None and from_name != first_month:
        raise SourceFormatError(
            f"{path}: the file name says {from_name:%Y-%m} but column '{period}' says {frame[period].iloc[0]!r} "
            f"({first_month:%Y-%m}); rename the file or check it is the month you meant"
        )
    return first_month


# ---- one file -------------------------------------------------------------------------------------


def _understand(header: Sequence[str], path: Path, ignore: Iterable[str]) -> tuple[dict[str, str], dict[str, Meaning]]:
    """Map the file's headers to identity fields and counts; anything not understood stops with what was expected."""
    ignore = {normalise(h) for h in ignore}
    identity: dict[str, str] = {}
    counts: dict[str, Meaning] = {}
    unknown = []
    for column in header:
        if normalise(column) in ignore:
            continue
        what = meaning(column)
        if what is None:
            unknown.append(column)
        elif what == IGNORED:
            continue
        else:
            taken: dict[str, str] | dict[str, Meaning] = identity if isinstance(what, str) else counts
            clash = next((c for c, m in taken.items() if m == what), None)
            if clash is not None:
                label = what if isinstance(what, str) else what.label()
                raise SourceFormatError(
                    f"{path}: columns '{clash}' and '{column}' both read as {label}; expected one of each"
                )
            if isinstance(what, str):
                identity[column] = what
            else:
                counts[column] = what
    found = ", ".join(f"'{c}'" for c in header)
    expected = "; ".join(f"{m.label()} (such as '{h}')" for m, h in REQUIRED.items())
    if unknown:
        raise SourceFormatError(
            f"{path} does not look like {WHAT}: column(s) {', '.join(repr(c) for c in unknown)} not understood. "
            f"Expected the counts {expected}, an organisation code and name, and 'Period'. Found {found}. "
            "If a column is one the book does not need, list it under the entry's options as ignore: [...]"
        )
    missing = [m for m in REQUIRED if m not in counts.values()]
    if "provider" not in identity.values():
        raise SourceFormatError(
            f"{path} does not look like {WHAT}: no organisation code column (such as 'Org Code'); found {found}"
        )
    if missing:
        wanted = "; ".join(f"{m.label()} (such as '{REQUIRED[m]}')" for m in missing)
        raise SourceFormatError(f"{path} does not look like {WHAT}: no column for {wanted}. Found {found}")
    return {field: column for column, field in identity.items()}, counts


def _counts(frame: pd.DataFrame, column: str, path: Path) -> pd.Series:
    """A count column as numbers; blank is not reported, anything else must be a whole number of at least 0."""
    values = numbers(frame, column, path, blank=True)
    bad = values.notna() & ((values < 0) | (values != np.floor(values)))
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataContractError(
            f"{path}, row {frame['_row'].iloc[first]}, column '{column}': expected a count (a whole number, at least "
            "0), "
            f"found {frame[column].iloc[first]!r}"
        )
    return values


def _is_total(frame: pd.DataFrame, code: str, name: str | None) -> pd.Series:
    codes = frame[code].str.strip().str.upper()
    names = frame[name].str.strip().str.upper() if name else pd.Series("", index=frame.index)
    return (codes == "TOTAL") | ((codes == "") & (names == "TOTAL"))


def read_ae_file(path: str | Path, *, ignore: Iterable[str] = ()) -> tuple[pd.DataFrame, list, list]:
    """One monthly file as provider_series rows (not yet validated), with its rejected and repaired rows."""
    path = Path(path)
    try:
        frame, rejected = read_published_csv(path, what=WHAT, required=[])
    except UnicodeDecodeError as exc:
        raise SourceFormatError(
            f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8 CSV"
        ) from None
    # Trailing commas give columns with no header and no values: nothing to read there.
    empty = [i for i, c in enumerate(frame.columns) if c == "" and (frame.iloc[:, i].str.strip() == "").all()]
    frame = frame.iloc[:, [i for i in range(frame.shape[1]) if i not in empty]]
    fields, counts = _understand([c for c in frame.columns if c != "_row"], path, ignore)
    code, name, region = fields["provider"], fields.get("provider_name"), fields.get("region")
    total = _is_total(frame, code, name)
    blank = frame.drop(columns="_row").apply(lambda col: col.str.strip() == "").all(axis=1)
    rejected = [(r, f"{path.name}: {why}") for r, why in rejected]
    rejected += [(int(r), f"{path.name}: a blank row") for r in frame.loc[blank, "_row"]]
    totals, frame = frame[total & ~blank], frame[~total & ~blank].copy()
    no_code = frame[code].str.strip() == ""
    if no_code.any():
        raise DataContractError(
            f"{path}, row {frame.loc[no_code, '_row'].iloc[0]}, column '{code}': expected an organisation code, found "
            "a blank"
        )
    if frame.empty:
        raise DataContractError(f"{path}: no provider rows (expected {WHAT})")
    month = _file_month(frame, fields.get("period"), path)
    values = {column: _counts(frame, column, path) for column in counts}
    for _, row in totals.iterrows():
        rejected.append((int(row["_row"]), f"{path.name}: {_total_note(row, frame, values, path)}"))
    frame["_provider"] = frame[code].str.strip()
    frame, repeats = collapse_duplicates(frame, ["_provider"], list(counts) + ([name] if name else []), path)
    rejected += [(r, f"{path.name}: {why}") for r, why in repeats]
    values = {column: v.loc[frame.index] for column, v in values.items()}
    values, repaired = _exempt_from_four_hours(frame, counts, values, path)
    booked = any(m.booked for m in counts.values())
    base = pd.DataFrame(
        {
            "month": month,
            "provider": frame["_provider"],
            "provider_name": frame[name].str.strip() if name else pd.NA,
            "region": frame[region].str.strip() if region else pd.NA,
        }
    )
    # pandas-stubs leave pd.NA out of assign's scalars (pandas takes it: a column of missing values), and
    # then match the list to concat's Iterable[None]: both ignores below are for that stub gap.
    long: pd.DataFrame = pd.concat(
        [
            base.assign(  # type: ignore[misc]
                measure=m.measure,
                department=m.department,
                booking=("booked" if m.booked else "unbooked")  # type: ignore[arg-type]
                if booked and m.measure in ("attendances", "over_4h")
                else pd.NA,
                value=values[column],
            )
            for column, m in counts.items()
        ],
        ignore_index=True,
    )
    return long, rejected, repaired


def _total_note(row: pd.Series, frame: pd.DataFrame, values: dict[str, pd.Series], path: Path) -> str:
    """The total row, set aside; whether it equals the sum of the providers (a check that nothing was lost)."""
    differ = []
    for column, v in values.items():
        text = str(row[column]).strip()
        try:
            stated = float(text)
        except ValueError:
            continue
        if abs(stated - v.sum()) > 0.5:
            differ.append(f"'{column}' {stated:,.0f} against {v.sum():,.0f}")
    if differ:
        return "the file's total row, not a provider; it differs from the sum of the providers in " + "; ".join(differ)
    return "the file's total row, not a provider (it equals the sum of the providers)"


def _exempt_from_four_hours(frame: pd.DataFrame, counts: dict[str, Meaning], values: dict[str, pd.Series], path: Path):
    """Blank the four-hour breaches of a provider-month with type 1 attendances but no breaches (see the module)."""
    none = pd.Series(0, index=frame.index)  # the sums start from a Series (every value is on frame's index)
    type_1 = sum(
        (values[c].fillna(0) for c, m in counts.items() if m.measure == "attendances" and m.department == "type_1"),
        none,
    )
    over = [c for c, m in counts.items() if m.measure == "over_4h"]
    breaches = sum((values[c].fillna(0) for c in over), none)
    exempt = (type_1 > 0) & (breaches == 0)
    repaired = [
        (
            int(r),
            f"{path.name}: {p} reports {int(t):,} type 1 attendances and no four-hour breaches at all (a trust exempt "
            "from the four-hour measure): its breaches are held as not reported, not as 0",
        )
        for r, p, t in zip(frame.loc[exempt, "_row"], frame.loc[exempt, "_provider"], type_1[exempt], strict=True)
    ]
    out = dict(values)
    for c in over:
        out[c] = values[c].mask(exempt)
    return out, repaired


# ---- a folder, a file, or a list of files -----------------------------------------------------------


def files_of(path: str | Path | Sequence[str | Path], pattern: str = PATTERN) -> list[Path]:
    """The monthly files: a folder's files matching `pattern`, a single file, or a list of files."""
    if isinstance(path, (str, Path)):
        path = Path(path)
        if path.is_dir():
            found = sorted(path.glob(pattern))
            if not found:
                raise FileNotFoundError(f"{path}: no files matching {pattern!r} (expected {WHAT}, one CSV a month)")
            return found
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such file or folder (expected {WHAT})")
        return [path]
    return [Path(p) for p in path]


def read_ae_monthly(
    path: str | Path | Sequence[str | Path], *, pattern: str = PATTERN, ignore: Iterable[str] = ()
) -> pd.DataFrame:
    """Read NHS England's monthly A&E files (a folder, one file or a list) as the provider_series table."""
    ignore = [ignore] if isinstance(ignore, str) else list(ignore)
    frames, rejected, repaired = [], [], []
    month_of: dict[pd.Timestamp, Path] = {}
    for file in files_of(path, pattern):
        long, rejects, repairs = read_ae_file(file, ignore=ignore)
        if not long.empty:
            month = long["month"].iloc[0]
            if month in month_of:
                raise DataContractError(f"{file} and {month_of[month]} both hold {month:%B %Y}; read one file a month")
            month_of[month] = file
            frames.append(long)
        rejected += rejects
        repaired += repairs
    if not frames:
        raise DataContractError(f"{path}: no provider rows in {WHAT}")
    table = pd.concat(frames, ignore_index=True).sort_values(
        ["month", "provider", "measure", "department"], kind="stable"
    )
    out = finish(table, "provider_series", path, rejected=rejected, repaired=repaired)
    out.attrs["files"] = [str(month_of[m]) for m in sorted(month_of)]
    return out
