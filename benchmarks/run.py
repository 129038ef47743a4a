"""`make bench`: run every benchmark, print its table, and write them all to docs/benchmarks.md.

The tables carry the date and the machine: the results of a shared machine mean little without both.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REPORT = ROOT / "docs" / "benchmarks.md"
ORDER = ("bench_build.py", "bench_model.py", "bench_spc.py", "bench_store.py")


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
        gib = int(memory.split()[1]) / 1024 / 1024
    except (OSError, StopIteration, ValueError):
        gib = float("nan")
    return (
        f"{cpu}, {os.cpu_count()} cores, {gib:.1f} GiB, {platform.system()} {platform.release()}, Python "
        f"{platform.python_version()}"
    )


def main() -> int:
    started = datetime.now(timezone.utc)
    sections, failed = [], []
    for name in ORDER:
        print(f"== {name}", flush=True)
        done = subprocess.run([sys.executable, str(HERE / name)], cwd=ROOT, capture_output=True, text=True)
        print(done.stdout, end="", flush=True)
        if done.returncode != 0:
            print(done.stderr[-2000:], file=sys.stderr)
            failed.append(name)
        sections.append((name, done.stdout.rstrip() or done.stderr[-2000:].rstrip()))
    ended = datetime.now(timezone.utc)
    body = "\n\n".join(f"## {name}\n\n```text\n{text}\n```" for name, text in sections)
    REPORT.write_text(
        f"""# Benchmark results

Written by `make bench` (benchmarks/run.py); rerun it to replace this page.

- Date: {started:%Y-%m-%d %H:%M} to {ended:%H:%M} UTC
- Machine: {machine()}
- Note: this machine is shared with other jobs (see each table's load average), so single wall
  times are noisy. Every figure is the median of at least five interleaved rounds with its min and
  max, and ratios are taken round by round, which a busy spell affects far less than the times.

{body}
""",
        encoding="utf-8",
    )
    print(f"Wrote {REPORT.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
