"""The standard library's process pool, with workers that never outlive the build.

A worker ignores Ctrl-C (the build process handles it and stops handing out work) and ends itself
as soon as the build process is gone, even when that was killed outright and could not stop it.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from importlib import import_module
from multiprocessing.connection import wait


def cores() -> int:
    """How many processes can run at once here (the CPUs this process may use)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def pool(workers: int, preload: tuple[str, ...] = ()) -> ProcessPoolExecutor:
    """A pool of `workers` processes, each of which imports the `preload` modules as it starts."""
    return ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(preload,))


def _start_worker(preload: tuple[str, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent.sentinel,), daemon=True).start()
    for module in preload:
        import_module(module)


def _end_with(parent_sentinel: int) -> None:
    """Wait until the build process has ended, then end this worker, whatever it is doing."""
    wait([parent_sentinel])
    os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))  # Windows has no SIGKILL; SIGTERM ends it there
