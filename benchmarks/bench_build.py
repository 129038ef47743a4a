"""Benchmark: the book's build.

A full build against naive sequential execution, a no-op rebuild, and a rebuild after one pathway's KPI
target changed, in interleaved rounds.

The edition is the default one (synthetic data, every chapter) under another edition id, so that its
executed notebooks and HTML go to _build/bench-default/ and the committed chapters are never touched.
Each round runs, one after another, in fresh processes (`python -m analysis build`):

- naive: every chapter executed by papermill in a fresh kernel, one after another (one worker), and
  the whole HTML rendered from scratch: what running the templates one by one, then Jupyter Book on
  the result, costs;
- full: the project's build from scratch (--fresh): two workers, each with a warm kernel;
- no-op: the build again with nothing changed;
- one KPI: the build after the target of one planned-care KPI changed in the parameter file.

Ratios are taken within each round (its contenders ran side by side) and summarised by their
median with the spread, since the machine is shared and whole-run timings drift with its load.

    python benchmarks/bench_build.py              # 5 rounds
    python benchmarks/bench_build.py --rounds 7
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import MIN_ROUNDS, fmt, load_note, ratios, spread, verdict  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EDITION = "bench-default"
WORK = ROOT / "_build" / "bench"
PARAMS = WORK / "edition.yml"
TARGET_FULL_VS_NAIVE = 0.5  # full build / naive sequential, at most
TARGET_NOOP = 0.10  # no-op rebuild / full build, at most
TARGET_ONE_KPI = 0.30  # one-KPI rebuild / full build, at most
# The KPI whose target the one-KPI rebuild changes (planned care: admitted patients within 18 weeks).
KPI_LINE = re.compile(r"(\{id: rtt_18_weeks,.*?target: )([0-9.]+)")


def write_params() -> None:
    text = (ROOT / "params" / "default.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(\s*id: )default\s*$", rf"\g<1>{EDITION}", text, count=1)
    WORK.mkdir(parents=True, exist_ok=True)
    PARAMS.write_text(text, encoding="utf-8")


def change_one_target() -> None:
    """Move the KPI's target by a point (alternating, so every round changes it)."""
    text = PARAMS.read_text(encoding="utf-8")
    match = KPI_LINE.search(text)
    if not match:
        raise SystemExit(f"{PARAMS}: the benchmark's KPI (rtt_18_weeks with a target) is not in the default edition")
    new = "0.91" if match.group(2) != "0.91" else "0.90"
    PARAMS.write_text(KPI_LINE.sub(lambda m: m.group(1) + new, text, count=1), encoding="utf-8")


CPU: dict[str, list[float]] = {}


def build(*args: str, env: dict | None = None, label: str | None = None) -> float:
    """Wall seconds of one build; its CPU seconds (the build, its workers and kernels) go to CPU[label]."""
    cmd = [sys.executable, "-m", "analysis", "build", "--params", str(PARAMS.relative_to(ROOT)), *args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})})
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-3000:]}")
    if label:
        CPU.setdefault(label, []).append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return seconds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=MIN_ROUNDS)
    args = parser.parse_args(argv)
    if args.rounds < MIN_ROUNDS:
        raise SystemExit(f"--rounds must be at least {MIN_ROUNDS}")
    write_params()
    start_load = load_note()
    times: dict[str, list[float]] = {"naive": [], "full": [], "noop": [], "kpi": []}
    try:
        for _ in range(args.rounds):
            times["naive"].append(
                build("--workers", "1", "--fresh", env={"STRATEGY_BOOK_WARM_KERNELS": "0"}, label="naive")
            )
            times["full"].append(build("--workers", "2", "--fresh", label="full"))
            times["noop"].append(build("--workers", "2", label="noop"))
            change_one_target()
            times["kpi"].append(build("--workers", "2", label="kpi"))
            # Each round as it ends (a round takes minutes): what a cut-short run still shows.
            print(
                f"  round {len(times['kpi'])}: naive {times['naive'][-1]:.1f} s, full {times['full'][-1]:.1f} s, "
                f"no-op {times['noop'][-1]:.1f} s, one KPI {times['kpi'][-1]:.1f} s; CPU s "
                + ", ".join(f"{k} {CPU[k][-1]:.1f}" for k in ("naive", "full", "noop", "kpi"))
                + f"; {load_note()}",
                flush=True,
            )
    finally:
        shutil.rmtree(ROOT / "_build" / EDITION, ignore_errors=True)
        shutil.rmtree(ROOT / "_build" / ".sphinx" / EDITION, ignore_errors=True)
        (ROOT / "_build" / ".cache" / f"{EDITION}.json").unlink(missing_ok=True)
    print(
        f"Build of the default edition (18 chapters), {args.rounds} interleaved rounds; median (min-max); "
        f"{start_load} at start, {load_note()} at end"
    )
    print(f"  {'build':<62} {'wall time':>24} {'CPU time (all processes)':>26}")
    for key, label in (
        ("naive", "naive: fresh kernel per chapter, one after another, full HTML"),
        ("full", "full: 2 workers, warm kernels (--fresh)"),
        ("noop", "no-op rebuild"),
        ("kpi", "one pathway KPI target changed"),
    ):
        print(f"  {label:<62} {fmt(times[key], digits=1):>24} {fmt(CPU[key], digits=1):>26}")
    print(f"  {'ratio (median of the rounds, min-max)':<46} {'value':>20} {'target':>8}")
    for label, values, target in (
        ("full build / naive sequential", ratios(times["full"], times["naive"]), TARGET_FULL_VS_NAIVE),
        ("no-op rebuild / full build", ratios(times["noop"], times["full"]), TARGET_NOOP),
        ("one-KPI rebuild / full build", ratios(times["kpi"], times["full"]), TARGET_ONE_KPI),
    ):
        med = spread(values)[0]
        print(
            f"  {label:<46} {fmt(values, unit='x', digits=2):>20} {'<= ' + str(target):>8} "
            f"{verdict(med, target, at_most=True)}"
        )
    print("  targets apply to wall time; CPU-time ratios, which other jobs on the machine do not inflate:")
    for label, a, b in (
        ("full / naive", "full", "naive"),
        ("no-op / full", "noop", "full"),
        ("one-KPI / full", "kpi", "full"),
    ):
        print(f"    {label} {fmt(ratios(CPU[a], CPU[b]), unit='x', digits=2)}")


if __name__ == "__main__":
    main()
