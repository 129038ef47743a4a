"""Statistical disclosure control for tables built from patient-level data (NHS Digital's rule).

Counts of 1 to 7 are suppressed ("*"), zero is shown as "0", and every other count is rounded to
the nearest 5 (halves cannot occur for whole numbers, so the rule is unambiguous). A rate whose
count was suppressed is suppressed too. Aggregate published statistics are not passed through here.

`disclosed_counts` applies the rule to a whole column of counts at the data boundary (the catalog
does this to every table counted from patient-level data, before any statistic is derived);
`suppress`, `shown` and `suppress_table` write single counts and tables as text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from numbers import Integral, Real

import numpy as np
import pandas as pd

SUPPRESSED = "*"
LOWEST_SHOWN = 8
MAXIMUM = 100_000_000


def _whole(value: object) -> int:
    """The count as an int; negative, fractional, too large or non-numeric values are errors."""
    if isinstance(value, bool) or not isinstance(value, Real) or isinstance(value, complex):
        raise ValueError(f"suppress: expected a whole-number count, found {value!r}")
    if isinstance(value, Integral):
        count = int(value)
    else:
        number = float(value)
        if not np.isfinite(number) or not number.is_integer():
            raise ValueError(f"suppress: expected a whole-number count, found {value!r}")
        count = int(number)
    if count < 0 or count > MAXIMUM:
        raise ValueError(f"suppress: expected a count from 0 to {MAXIMUM:,}, found {value!r}")
    return count


def suppress(value: object) -> str:
    """A count as it may be published: "0", "*" for 1-7, otherwise rounded to the nearest 5."""
    count = _whole(value)
    if count == 0:
        return "0"
    if count < LOWEST_SHOWN:
        return SUPPRESSED
    return str(5 * ((count + 2) // 5))


def shown(value: object) -> str:
    """A count as a book page shows it: suppress() with thousands separators (12347 -> "12,345", 3 -> "*")."""
    text = suppress(value)
    return text if text == SUPPRESSED else f"{int(text):,}"


def suppress_table(
    frame: pd.DataFrame,
    count_columns: Sequence[str],
    rate_columns: Sequence[str] | Mapping[str, str | Sequence[str]] = (),
    *,
    rate_decimals: int = 1,
) -> pd.DataFrame:
    """A publishable copy of a table: counts suppressed/rounded, rates from suppressed counts suppressed.

    `rate_columns` maps each rate column to the count column(s) it was computed from; a plain list
    means every rate depends on every count column. Counts and rates come back as display strings
    (rates with `rate_decimals` decimals); missing values stay blank.
    """
    missing = [c for c in [*count_columns, *rate_columns] if c not in frame.columns]
    if missing:
        raise ValueError(
            f"suppress_table: no column(s) {', '.join(missing)}; found {', '.join(map(str, frame.columns))}"
        )
    out = frame.copy()
    hidden = {}
    for column in count_columns:
        values = frame[column]
        try:
            shown = [("" if pd.isna(v) else suppress(v)) for v in values]
        except ValueError as error:
            bad = next(i for i, v in enumerate(values) if not pd.isna(v) and not _is_count(v))
            raise ValueError(f"suppress_table: column '{column}', row {bad}: {error}") from None
        hidden[column] = np.array([s == SUPPRESSED for s in shown], dtype=bool)  # bool even with no rows
        out[column] = pd.Series(shown, index=frame.index, dtype=object)
    sources = rate_columns if isinstance(rate_columns, Mapping) else {r: list(count_columns) for r in rate_columns}
    for rate, counts in sources.items():
        counts = [counts] if isinstance(counts, str) else list(counts)
        unknown = [c for c in counts if c not in hidden]
        if unknown:
            raise ValueError(
                f"suppress_table: rate '{rate}' depends on '{unknown[0]}', which is not among the count columns"
            )
        masked = np.zeros(len(frame), dtype=bool)
        for c in counts:
            masked |= hidden[c]
        out[rate] = pd.Series(
            [
                SUPPRESSED if m else ("" if pd.isna(v) else f"{float(v):,.{rate_decimals}f}")
                for m, v in zip(masked, frame[rate], strict=True)
            ],
            index=frame.index,
            dtype=object,
        )
    return out


def disclosed_counts(counts) -> tuple[np.ndarray, np.ndarray]:
    """Whole-number counts as they may be disclosed: (values, suppressed).

    `values` holds 0 for 0, NaN for 1 to 7 (suppressed) and every other count rounded to the nearest 5,
    as floats; `suppressed` is True where a count was 1 to 7. Missing counts stay missing (not
    suppressed); a negative, fractional or non-finite count is an error naming its position.
    """
    series = pd.Series(counts)
    raw = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
    given = ~series.isna().to_numpy()
    bad = given & (np.isnan(raw) | ~np.isfinite(raw) | (raw < 0) | (raw != np.round(raw)) | (raw > MAXIMUM))
    if bad.any():
        at = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"disclosed_counts: expected whole-number counts from 0 to {MAXIMUM:,}; position {at} holds "
            f"{series.iloc[at]!r}"
        )
    suppressed = given & (raw >= 1) & (raw < LOWEST_SHOWN)
    values = np.where(raw >= LOWEST_SHOWN, 5 * np.floor((raw + 2) / 5), raw)
    values = np.where(suppressed, np.nan, values)
    return values, suppressed


def _is_count(value: object) -> bool:
    """Whether suppress() accepts the value."""
    try:
        _whole(value)
    except ValueError:
        return False
    return True
