"""A real build killed while publishing, or while a kernel runs, leaves a whole book and no process behind.

Builds another edition than the committed one (everything under _build/), so it needs the real
published files and runs only with STRATEGY_BOOK_SLOW=1 (it builds a whole edition once).
"""

import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from analysis.build import publish
from analysis.build.chapters import chapters
from analysis.build.runner import edition_dirs
from analysis.config import load as load_params
from analysis.paths import BUILD, REAL_DATA, ROOT

SLOW = os.environ.get("STRATEGY_BOOK_SLOW") == "1"
EDITION_FILE = "params/black-country-real.yml"
ONE_CHAPTER = "introduction"

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not REAL_DATA.exists(), reason=f"the real published files are not here ({REAL_DATA})"),
    pytest.mark.skipif(not SLOW, reason="builds a whole edition (a few minutes); set STRATEGY_BOOK_SLOW=1"),
]


def build_command(*extra: str) -> list[str]:
    return [sys.executable, "-m", "analysis", "build", "--params", EDITION_FILE, "--workers", "2", *extra]


def assert_whole_book(params) -> None:
    _, html_dir = edition_dirs(params.edition.id)
    assert (html_dir / "index.html").exists()
    for c in chapters(params, EDITION_FILE, {}):
        page = html_dir / "book" / c.output.replace(".ipynb", ".html")
        assert page.exists() and page.stat().st_size > 1000, f"{page} missing or empty"
    book_dir, _ = edition_dirs(params.edition.id)
    for c in chapters(params, EDITION_FILE, {}):
        assert (book_dir / c.output).stat().st_size > 1000


@pytest.fixture(scope="module")
def params():
    params = load_params(EDITION_FILE)
    _, html_dir = edition_dirs(params.edition.id)
    if not (html_dir / "index.html").exists():
        done = subprocess.run(build_command(), cwd=ROOT, capture_output=True, text=True, timeout=1800)
        assert done.returncode == 0, done.stderr[-3000:]
    return params


def descendants(proc: subprocess.Popen) -> list[psutil.Process]:
    try:
        return psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def test_a_build_killed_while_publishing_leaves_a_whole_book(params):
    env = {**os.environ, publish.PAUSE_ENV: "file-moved"}
    # --fresh: the re-run chapter may come out byte-identical, and a build with nothing new to show
    # skips publishing; rendering afresh makes it publish, so there is a publish to interrupt.
    proc = subprocess.Popen(
        build_command("--only", ONE_CHAPTER, "--fresh"),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        for line in proc.stdout:
            if "publish paused at file-moved" in line:
                break
        else:
            pytest.fail(f"the build ended (status {proc.wait()}) without reaching the publish")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert_whole_book(params)
    staging = BUILD / ".staging"
    assert any((f / publish.JOURNAL).exists() for f in publish.staging_folders(staging, params.edition.id))
    _, html_dir = edition_dirs(params.edition.id)
    done = publish.repair(staging, params.edition.id, html_dir)  # what the next build does first
    assert any("finished the interrupted publish" in line for line in done)
    assert_whole_book(params)
    assert list(publish.staging_folders(staging, params.edition.id)) == []


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name)
def test_a_build_killed_while_a_kernel_runs_leaves_no_process(params, sig):
    proc = subprocess.Popen(
        build_command("--only", ONE_CHAPTER), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    seen: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not any("ipykernel" in " ".join(p.cmdline()) for p in seen):
            time.sleep(0.2)
            seen = descendants(proc)
        assert any("ipykernel" in " ".join(p.cmdline()) for p in seen), "no kernel ever started"
        proc.send_signal(sig)
        proc.wait(timeout=60)
        gone, alive = psutil.wait_procs(seen, timeout=15)
        assert alive == [], f"still running after {sig.name}: {[p.cmdline() for p in alive]}"
    finally:
        for p in descendants(proc) + seen:
            try:
                p.kill()
            except psutil.NoSuchProcess:
                pass
        if proc.poll() is None:
            proc.kill()
    assert_whole_book(params)
