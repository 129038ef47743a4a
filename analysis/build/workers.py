"""Worker processes that never outlive the build.

Chapters run in a process pool; each worker starts Jupyter kernels, and Jupyter starts every kernel
in a session of its own, so neither a terminal's Ctrl-C nor the death of the build reaches them by
itself. Three things make sure that killing the build (SIGINT, SIGTERM or SIGKILL of the main
process) leaves no worker or kernel running:

- each worker runs in its own session (so a terminal's Ctrl-C reaches only the main process, which
  then stops everything in order) and watches the main process: when it is gone (even by SIGKILL,
  which the main process cannot catch) the worker kills its own children (the kernel) and exits;
- on SIGINT or SIGTERM the main process kills every process it started, workers and kernels alike;
- other helpers the main process runs (Jupyter Book) get PR_SET_PDEATHSIG, so the kernel kills them
  the moment the main process dies.
"""

from __future__ import annotations

import ctypes
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

import psutil

WATCH_INTERVAL = 0.2  # seconds between a worker's checks that the build is still alive
PR_SET_PDEATHSIG = 1


class Interrupted(KeyboardInterrupt):
    """The build received SIGTERM (handled like Ctrl-C: stop everything, publish nothing)."""


def kill_tree(root: psutil.Process | int, include_root: bool = True, grace: float = 3.0) -> None:
    """Terminate a process and every descendant; SIGKILL whatever is left after `grace` seconds."""
    try:
        proc = root if isinstance(root, psutil.Process) else psutil.Process(root)
        procs = proc.children(recursive=True) + ([proc] if include_root else [])
    except psutil.NoSuchProcess:
        return
    for p in procs:
        try:
            p.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(procs, timeout=grace)
    for p in alive:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(alive, timeout=grace)


def _exit_with_children(*_args) -> None:
    kill_tree(os.getpid(), include_root=False, grace=1.0)
    os._exit(1)


def _watch(parent: int, created: float) -> None:
    while True:
        try:
            alive = psutil.Process(parent).create_time() == created
        except psutil.NoSuchProcess:
            alive = False
        if not alive:
            _exit_with_children()
        time.sleep(WATCH_INTERVAL)


def worker_init(parent: int, created: float, then: Callable[[], None] | None = None) -> None:
    """Initializer of every pool worker: own session, SIGTERM kills its kernel, watch the build."""
    os.setsid()
    signal.signal(signal.SIGTERM, _exit_with_children)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process decides what an interrupt stops
    threading.Thread(target=_watch, args=(parent, created), daemon=True, name="watch-build").start()
    if then is not None:
        then()


def die_with_parent() -> None:
    """preexec_fn for subprocesses of the build: the kernel sends SIGKILL when the build dies."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:
        pass  # not Linux: the main process's own handlers still stop its children


def _raise_interrupted(signum, _frame):
    raise Interrupted(f"the build received signal {signal.Signals(signum).name}")


@contextmanager
def interruptible() -> Iterator[None]:
    """SIGTERM stops the build like Ctrl-C; leaving the block by any exception kills every child process."""
    me = psutil.Process()
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _raise_interrupted) if in_main_thread else None
    try:
        yield
    except BaseException:
        # Workers' kernels are in sessions of their own: kill the whole tree of this process, then re-raise.
        kill_tree(me, include_root=False)
        raise
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)


@contextmanager
def pool(max_workers: int, initializer: Callable[[], None] | None = None) -> Iterator[ProcessPoolExecutor]:
    """A process pool whose workers and kernels are all gone when the block is left, however it is left."""
    me = psutil.Process()
    executor = ProcessPoolExecutor(
        max_workers=max_workers, initializer=worker_init, initargs=(me.pid, me.create_time(), initializer)
    )
    try:
        yield executor
    except BaseException:
        kill_tree(me, include_root=False)
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    else:
        executor.shutdown(wait=True)
