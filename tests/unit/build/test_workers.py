"""Killing the build leaves no worker or kernel running, whatever the signal."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest

from analysis.paths import ROOT


def kernel_like(folder: str, index: int) -> None:
    """What a chapter does: start a long-lived process in a session of its own (as Jupyter starts a kernel)."""
    child = subprocess.Popen(["sleep", "600"], start_new_session=True)
    Path(folder, f"task{index}.pids").write_text(f"{os.getpid()} {child.pid}")
    time.sleep(600)


BUILD_LIKE = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, sys.argv[2])
    from analysis.build.workers import interruptible, pool
    from tests.unit.build.test_workers import kernel_like
    with interruptible():
        with pool(2) as executor:
            futures = [executor.submit(kernel_like, sys.argv[1], i) for i in range(2)]
            print("started", flush=True)
            for f in futures:
                f.result()
    """
)


def started_pids(folder: Path, timeout: float = 60) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = sorted(folder.glob("task*.pids"))
        if len(files) == 2 and all(f.read_text().strip() for f in files):
            return [int(p) for f in files for p in f.read_text().split()]
        time.sleep(0.1)
    raise AssertionError("the workers never started their kernels")


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.mark.unit
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name)
def test_killing_the_build_stops_every_worker_and_kernel(tmp_path, sig):
    proc = subprocess.Popen(
        [sys.executable, "-c", BUILD_LIKE, str(tmp_path), str(ROOT)], stdout=subprocess.PIPE, text=True
    )
    pids = []
    try:
        pids = started_pids(tmp_path)
        assert all(alive(p) for p in pids)
        proc.send_signal(sig)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(alive(p) for p in pids) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [p for p in pids if alive(p)] == [], f"still running after {sig.name}"
    finally:
        for p in pids:  # never leave a stray process behind, even when the test fails
            if alive(p):
                os.kill(p, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
