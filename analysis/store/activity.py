"""Episodes into the monthly activity contract table, written once as Ibis expressions.

The expressions run unchanged on DuckDB (the default) and on Spark through Ibis's PySpark backend.
Months are handled as whole-number ordinals (year * 12 + month - 1) so that filling gaps needs only
integer ranges, which every backend has.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import ibis
import pandas as pd
from ibis.backends import BaseBackend

from analysis.contract import DataContractError, validate
from analysis.store.engine import connect
from analysis.store.episodes import engine_message, first_row_outside, is_engine_error, read_episodes
from analysis.store.lookup import DEFAULT_LOOKUP, read_pathway_lookup

SERIES = ("commissioner", "provider", "practice", "pathway", "pod")
ACTIVITY_COLUMNS = ("month", *SERIES, "count", "cost")


def monthly_activity(episodes: ibis.Table, lookup: ibis.Table | pd.DataFrame) -> ibis.Table:
    """Count episodes and sum their cost by month, commissioner, provider, practice, pathway and pod.

    The pathway comes from the lookup (kind, code, pathway): the specialty code first, then the first
    three characters of the ICD-10 diagnosis, then the point of delivery's default.
    """
    if isinstance(lookup, pd.DataFrame):
        lookup = ibis.memtable(lookup)
    by_kind = {
        kind: lookup.filter(lookup.kind == kind).select(
            **{f"{kind}_code": lookup.code, f"{kind}_pathway": lookup.pathway}
        )
        for kind in ("specialty", "diagnosis", "pod")
    }
    e = episodes.mutate(
        month=episodes.date.truncate("M").cast("date"),
        specialty_key=episodes.specialty.cast("string"),
        diagnosis_key=episodes.diagnosis.replace(".", "").upper().substr(0, 3),
    )
    joined = (
        e.left_join(by_kind["specialty"], e.specialty_key == by_kind["specialty"].specialty_code)
        .left_join(by_kind["diagnosis"], e.diagnosis_key == by_kind["diagnosis"].diagnosis_code)
        .left_join(by_kind["pod"], e.pod == by_kind["pod"].pod_code)
    )
    labelled = joined.mutate(
        pathway=ibis.coalesce(joined.specialty_pathway, joined.diagnosis_pathway, joined.pod_pathway)
    )
    return labelled.group_by(["month", *SERIES]).aggregate(count=labelled.count(), cost=labelled.cost.sum())


def fill_months(
    activity: ibis.Table, *, start: str | dt.date | None = None, end: str | dt.date | None = None
) -> ibis.Table:
    """Add a zero-count row for every missing month of each series (and before `start` / after `end`).

    A series runs from its first to its last month, widened to `start` and `end` when given. A filled
    month costs 0 when the series has costs, and has no cost when the series has none.
    """
    a = activity.mutate(month_index=_month_index(activity.month))
    spans = a.group_by(list(SERIES)).aggregate(
        first=a.month_index.min(), last=a.month_index.max(), costed=a.cost.notnull().any()  # noqa: PD004 (an Ibis column: no notna)
    )
    if start is not None:
        spans = spans.mutate(first=ibis.least(spans.first, _ordinal(start)))
    if end is not None:
        spans = spans.mutate(last=ibis.greatest(spans.last, _ordinal(end)))
    grid = spans.mutate(month_index=ibis.range(spans.first, spans.last + 1).unnest())
    joined = grid.left_join(
        a, [grid[k].identical_to(a[k]) for k in SERIES] + [grid.month_index == a.month_index]
    )
    found = a.month_index.notnull()  # noqa: PD004 (an Ibis column: no notna)
    return joined.select(
        month=ibis.date(grid.month_index // 12, grid.month_index % 12 + 1, 1),
        **{k: grid[k] for k in SERIES},
        count=ibis.ifelse(found, a["count"], 0),
        cost=ibis.cases((found, a.cost), (grid.costed, 0.0), else_=ibis.null("float64")),
    )


def activity_frame(expr: ibis.Table, source: str, con: BaseBackend | None = None) -> pd.DataFrame:
    """Run an activity expression and return the validated contract table in a stable order."""
    frame = (con.execute(expr) if con is not None else expr.execute())[list(ACTIVITY_COLUMNS)]
    frame = frame.sort_values(["commissioner", "provider", "practice", "pathway", "pod", "month"], na_position="first")
    return validate(frame, "activity", source, row_offset=1)


def load_activity(
    path: str | Path,
    *,
    lookup: str | Path = DEFAULT_LOOKUP,
    con: BaseBackend | None = None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
    period: tuple[str, str] | None = None,
) -> pd.DataFrame:
    """Read an episode extract, aggregate it to monthly activity with no missing months, validate it.

    With `period` ('YYYY-MM' first and last months), an episode dated outside it is an error naming
    its row in the extract: it must not silently widen the series.
    """
    con = con or connect()
    episodes = read_episodes(con, path)
    if period is not None:
        check_episode_period(con, episodes, path, period)
    table = ibis.memtable(read_pathway_lookup(lookup))
    filled = fill_months(monthly_activity(episodes, table), start=start, end=end)
    try:
        return activity_frame(filled, f"{path} (aggregated to monthly activity)", con)
    except DataContractError:
        raise
    except Exception as exc:  # noqa: BLE001 - the engine's own error on values it cannot convert
        if not is_engine_error(exc):
            raise
        raise DataContractError(
            f"{path}: the engine could not aggregate this episode extract: {engine_message(exc)}"
        ) from None


def check_episode_period(con: BaseBackend, episodes: ibis.Table, path: str | Path, period: tuple[str, str]) -> None:
    """Every episode within the period's months; the first one outside names its row and the period."""
    start = pd.Timestamp(f"{period[0]}-01")
    end = pd.Timestamp(f"{period[1]}-01") + pd.offsets.MonthBegin(1)
    date = episodes.date.cast("date")
    span = episodes.aggregate(
        outside=(date < start.date()).ifelse(1, 0).sum() + (date >= end.date()).ifelse(1, 0).sum(),
        first=date.min(), last=date.max(),
    )
    counts = con.execute(span)
    outside = int(counts["outside"].iloc[0] or 0)
    if outside:
        row = first_row_outside(path, start, end)
        first, last = counts["first"].iloc[0], counts["last"].iloc[0]
        raise DataContractError(
            f"{path}{row}, column 'date': {outside} episode(s) fall outside the period {period[0]} to {period[1]} "
            f"(the extract runs from {pd.Timestamp(first):%Y-%m-%d} to {pd.Timestamp(last):%Y-%m-%d}); "
            "an episode outside the period would silently widen the series: narrow the extract or change period"
        )


def _month_index(month: ibis.Value) -> ibis.Value:
    """A date's month as a whole number: year * 12 + month - 1."""
    return month.year() * 12 + month.month() - 1


def _ordinal(value: str | dt.date) -> int:
    """The month index of a date or of a 'YYYY-MM' / 'YYYY-MM-DD' string."""
    stamp = pd.Timestamp(value)
    return stamp.year * 12 + stamp.month - 1
