"""Benchmark: episodes -> monthly activity through the data layer (Ibis on DuckDB).

Timed against raw DuckDB SQL and a pandas groupby, on the same seeded Parquet extract, in one run; and the
whole path the book runs.

The extract (default 10M rows, dictionary-encoded, written to a temporary folder and removed after) has
one row per episode. Each method reads the file and computes the same month x commissioner x provider x
practice x pathway x pod cube (pathway by the shipped lookup: specialty, then diagnosis, then pod). Each
run is a fresh process, so its peak memory (ru_maxrss) is its own, and the methods take turns
(`--repeat` rounds, at least five) so that a busy spell on a shared machine does not favour one. The
report gives each method's median wall time with min and max (and its median CPU time), rows per
second, peak memory, the ratios (taken round by round, median and spread) against their targets, the
load average, and checks that the cubes agree.

"As the book runs it" is `analysis.store.activity.load_activity`, what the catalog calls for an episode
extract: the extract's checks (blank keys, unknown points of delivery), the aggregation, zero-count
rows for missing months, the contract's validation and a stable sort. The other three compute the
aggregation alone, so they compare like with like; the book's path shows what the checks cost.

    python -m benchmarks.bench_store            # 10M rows
    python -m benchmarks.bench_store --rows 1e6 # a quick run
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.contract import PODS

TARGET_VS_RAW = 0.8  # data layer rate / raw DuckDB SQL rate, at least
TARGET_VS_PANDAS = 3.0  # data layer rate / pandas rate, at least
KEYS = ["month", "commissioner", "provider", "practice", "pathway", "pod"]
POD_WEIGHTS = [0.04, 0.08, 0.06, 0.12, 0.30, 0.20, 0.10, 0.10]
SPECIALTIES = [
    "100",
    "101",
    "110",
    "120",
    "130",
    "180",
    "300",
    "301",
    "302",
    "320",
    "340",
    "361",
    "420",
    "430",
    "501",
    "502",
    "560",
    "710",
    "715",
    "315",
]
CHUNK = 2_000_000


def _dictionary(codes: np.ndarray, values: Sequence[str]) -> pa.DictionaryArray:
    """A dictionary-encoded string column from integer codes into values."""
    return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32)), pa.array(list(values)))


def generate(path: Path, rows: int, seed: int = 2008) -> None:
    """Write a seeded episode extract of `rows` rows to a dictionary-encoded Parquet file.

    Shaped like a local health economy's extract: 100 practices in three commissioners; most of a
    practice's acute activity goes to its local trust, mental health specialties to the mental health
    trust; each specialty sees its own few dozen diagnoses; most outpatient attendances are uncoded.
    """
    rng = np.random.default_rng(seed)
    practices = [f"M85{i:03d}" for i in range(100)]
    commissioners = ["5MX", "5PG", "TAM"]
    commissioner_of = np.repeat([1, 2, 0], [60, 30, 10])
    providers = ["RR1", "RRK", "RQ3", "RXT"]
    local_trust = rng.choice(3, size=100, p=[0.75, 0.15, 0.10])
    letters = "ACDEFGIJKLMNORS"
    diagnoses = sorted(
        {f"{rng.choice(list(letters))}{rng.integers(0, 100):02d}.{rng.integers(0, 10)}" for _ in range(600)}
    )
    case_mix = rng.integers(0, len(diagnoses), size=(len(SPECIALTIES), 30))  # each specialty's diagnoses
    mental = np.isin(SPECIALTIES, ["710", "715"])
    outpatient = np.isin(PODS, ["outpatient_first", "outpatient_followup", "gp_referral"])
    start = np.datetime64("2008-04-01")
    writer = None
    for offset in range(0, rows, CHUNK):
        n = min(CHUNK, rows - offset)
        practice = rng.integers(0, len(practices), n)
        pod = rng.choice(len(PODS), size=n, p=POD_WEIGHTS)
        specialty = rng.integers(0, len(SPECIALTIES), n)
        provider = np.where(rng.random(n) < 0.9, local_trust[practice], rng.integers(0, 3, n))
        provider = np.where(mental[specialty], 3, provider)
        diagnosis = case_mix[specialty, rng.integers(0, case_mix.shape[1], n)]
        coded = ~(outpatient[pod] & (rng.random(n) < 0.8))
        table = pa.table(
            {
                "date": pa.array(start + rng.integers(0, 5 * 365, n).astype("timedelta64[D]"), type=pa.date32()),
                "commissioner": _dictionary(commissioner_of[practice], commissioners),
                "provider": _dictionary(provider, providers),
                "practice": _dictionary(practice, practices),
                "pod": _dictionary(pod, PODS),
                "specialty": _dictionary(specialty, SPECIALTIES),
                "diagnosis": pa.DictionaryArray.from_arrays(
                    pa.array(diagnosis.astype(np.int32), mask=~coded), pa.array(diagnoses)
                ),
                "age_band": _dictionary(rng.integers(0, 19, n), [f"{a}-{a + 4}" for a in range(0, 90, 5)] + ["90+"]),
                "sex": _dictionary(rng.integers(0, 2, n), ["male", "female"]),
                "cost": pa.array(rng.gamma(2.0, 350.0, n).round(2)),
                "los": pa.array(rng.poisson(2.0, n).astype(np.int16)),
            }
        )
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema, use_dictionary=True, compression="snappy")
        writer.write_table(table, row_group_size=1_000_000)
    writer.close()


def lookup_frame():
    """The shipped pathway lookup, one row per code."""
    from analysis.store.lookup import read_pathway_lookup

    return read_pathway_lookup()


def run_ibis(path: str, threads: int):
    """The data layer: read_episodes + monthly_activity, executed by Ibis on DuckDB, to pandas."""
    import ibis

    from analysis.store.activity import monthly_activity
    from analysis.store.engine import connect
    from analysis.store.episodes import read_episodes

    con = connect(threads=threads)
    lookup = ibis.memtable(lookup_frame())

    def once():
        return con.execute(monthly_activity(read_episodes(con, path, check_values=False), lookup))

    return once


RAW_SQL = """
SELECT CAST(date_trunc('month', e.date) AS DATE) AS month, e.commissioner, e.provider, e.practice,
       coalesce(s.pathway, d.pathway, p.pathway) AS pathway, e.pod,
       count(*) AS count, sum(e.cost) AS cost
FROM read_parquet('{path}') AS e
LEFT JOIN (SELECT code, pathway FROM lookup WHERE kind = 'specialty') AS s ON s.code = CAST(e.specialty AS VARCHAR)
LEFT JOIN (SELECT code, pathway FROM lookup WHERE kind = 'diagnosis') AS d
       ON d.code = substr(upper(replace(e.diagnosis, '.', '')), 1, 3)
LEFT JOIN (SELECT code, pathway FROM lookup WHERE kind = 'pod') AS p ON p.code = e.pod
GROUP BY ALL
"""


def run_book(path: str, threads: int):
    """The path the book runs for an episode extract: load_activity (checks, aggregation, filled months, validation)."""
    from analysis.store.activity import load_activity
    from analysis.store.engine import connect

    con = connect(threads=threads)
    return lambda: load_activity(path, con=con)


def run_raw(path: str, threads: int):
    """The same aggregation written by hand in DuckDB SQL, to pandas through Arrow (faster than .df() here)."""
    import duckdb

    con = duckdb.connect(config={"threads": threads})
    con.register("lookup", lookup_frame())
    query = RAW_SQL.format(path=path)
    return lambda: con.sql(query).to_arrow_table().to_pandas()


def run_pandas(path: str, threads: int):
    """The same aggregation in pandas.

    Read the Parquet file (dictionary columns as categoricals), map the pathway, groupby.
    """
    lookup = lookup_frame()
    maps = {kind: dict(zip(rows["code"], rows["pathway"], strict=True)) for kind, rows in lookup.groupby("kind")}

    def once():
        df = pq.read_table(path).to_pandas(date_as_object=False)
        diagnosis = {c: maps["diagnosis"].get(c.replace(".", "").upper()[:3]) for c in df["diagnosis"].cat.categories}
        pathway = df["specialty"].map(maps["specialty"]).astype(object)
        pathway = pathway.fillna(df["diagnosis"].map(diagnosis).astype(object))
        df["pathway"] = pathway.fillna(df["pod"].map(maps["pod"]).astype(object))
        df["month"] = df["date"].to_numpy().astype("datetime64[M]")
        return (
            df.groupby(KEYS, observed=True, dropna=False)
            .agg(count=("cost", "size"), cost=("cost", "sum"))
            .reset_index()
        )

    return once


LAYER, BOOK = "data layer (Ibis on DuckDB)", "as the book runs it (checked, filled)"
METHODS = {LAYER: run_ibis, "raw DuckDB SQL": run_raw, "pandas groupby": run_pandas, BOOK: run_book}


def _worker(method: str, path: str, warm: str, threads: int, queue) -> None:
    """Time one run of one method in this (fresh) process; report wall and CPU time, memory and a summary.

    The method first runs once, untimed, on a small warm-up file, so one-off start-up costs (lazy imports,
    the engine's first query) are not timed.
    """
    import psutil

    METHODS[method](warm, threads)()
    once = METHODS[method](path, threads)
    baseline = psutil.Process().memory_info().rss
    cpu, start = time.process_time(), time.perf_counter()
    result = once()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    summary = (
        len(result),
        int(result["count"].sum()),
        round(float(result["cost"].fillna(0).sum()), 2),
        int((result["count"] > 0).sum()),
    )
    queue.put((wall, cpu, baseline, peak, summary))


def measure(method: str, path: Path, threads: int) -> tuple:
    """Run one method once in a fresh spawned process and return what it reported."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    warm = path.with_name("warm.parquet")
    process = ctx.Process(target=_worker, args=(method, str(path), str(warm), threads, queue))
    process.start()
    out = queue.get()
    process.join()
    return out


def main(argv: list[str] | None = None) -> None:
    """Generate the extract, time the three methods in interleaved rounds, print timings, ratios and memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, default=10_000_000, help="episodes in the extract (default 10M)")
    parser.add_argument("--threads", type=int, default=2, help="DuckDB threads (default 2)")
    parser.add_argument(
        "--repeat", type=int, default=5, help="rounds (at least 5); each method runs once per round, median reported"
    )
    args = parser.parse_args(argv)
    rows = int(args.rows)
    if args.repeat < 5:
        raise SystemExit("--repeat must be at least 5 (a median with its spread)")
    load = os.getloadavg()[0]
    folder = Path(tempfile.mkdtemp(prefix="bench_store_"))
    runs: dict[str, list[tuple]] = {m: [] for m in METHODS}
    try:
        path = folder / "episodes.parquet"
        start = time.perf_counter()
        generate(path, rows)
        generate(path.with_name("warm.parquet"), 10_000, seed=1)
        made = time.perf_counter() - start
        print(
            f"Episode extract: {rows:,} rows, {path.stat().st_size / 1e6:.0f} MB Parquet (dictionary-encoded), "
            f"written in {made:.1f} s"
        )
        for _ in range(args.repeat):  # interleaved, so a busy spell on a shared machine hits every method
            for method in METHODS:
                runs[method].append(measure(method, path, args.threads))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(
        f"Monthly activity cube, {args.repeat} interleaved rounds, median (min-max), {args.threads} DuckDB threads, "
        "each run in a "
        f"fresh process (load average {load:.1f} at start, {os.getloadavg()[0]:.1f} at end):"
    )
    print(
        f"  {'method':<40} {'wall s, median (min-max)':>26} {'cpu s':>6} {'M rows/s':>9} {'peak MB':>8} "
        f"{'cube rows':>10}"
    )
    wall = {m: [r[0] for r in results] for m, results in runs.items()}
    for method, results in runs.items():
        med = statistics.median(wall[method])
        cpu = statistics.median(r[1] for r in results)
        print(
            f"  {method:<40} {med:7.2f} ({min(wall[method]):.2f}-{max(wall[method]):.2f}){'':>8} {cpu:6.2f} "
            f"{rows / med / 1e6:9.2f} {max(r[3] for r in results) / 1e6:8.0f} {results[0][4][0]:>10,}"
        )

    def ratio(a: str, b: str) -> tuple[float, float, float]:
        values = [x / y for x, y in zip(wall[a], wall[b], strict=True)]
        return statistics.median(values), min(values), max(values)

    for label, (a, b), target in (
        ("data layer rate / raw DuckDB SQL rate", ("raw DuckDB SQL", LAYER), TARGET_VS_RAW),
        ("data layer rate / pandas rate", ("pandas groupby", LAYER), TARGET_VS_PANDAS),
        ("book's path rate / pandas aggregation rate", ("pandas groupby", BOOK), None),
    ):
        med, lo, hi = ratio(a, b)
        goal = (
            f"(target >= {target}x) {'ok' if med >= target else 'MISSES TARGET'}"
            if target
            else "(context: the book's path also checks and fills)"
        )
        print(f"  {label:<44} {med:5.2f}x ({lo:.2f}-{hi:.2f}) {goal}")
    busiest = max(load, os.getloadavg()[0])
    if busiest > os.cpu_count():
        print(
            f"  note: the machine was busy (load average up to {busiest:.1f} on {os.cpu_count()} cores); the ratios "
            "come from interleaved rounds"
        )
    aggregates = [r[4] for m, results in runs.items() if m != BOOK for r in results]
    costs = [s[2] for s in aggregates]
    agree = len({s[:2] for s in aggregates}) == 1 and max(costs) - min(costs) <= 1e-9 * max(costs) + 0.01
    book = runs[BOOK][0][4]
    same_cells = book[3] == aggregates[0][0] and book[1] == aggregates[0][1]
    print(
        "  the three aggregation cubes agree (cells, episodes, cost): "
        f"{'yes' if agree else 'NO: ' + str(set(aggregates))}"
    )
    print(
        f"  the book's table has the same non-empty cells and episodes plus {book[0] - book[3]:,} zero-count months: "
        f"{'yes' if same_cells else 'NO'}"
    )


if __name__ == "__main__":
    main()
