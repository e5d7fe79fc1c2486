"""Run one command and report its wall time and peak memory on stderr as one JSON line:
{"wall_s", "maxrss_kib", "tree_pss_kib", "samples", "returncode"}. With --no-pss, nothing is sampled
(tree_pss_kib is null): sampling costs about 1 ms of CPU every 5 ms, which slows a command that keeps
every core busy, so run.py times commands without it and samples memory in runs of their own.

- maxrss_kib: ru_maxrss from os.wait4 on the command. On Linux that is the peak resident set of the
  largest single process among the command and the descendants it waited for, never their sum.
  (getrusage(RUSAGE_CHILDREN) would not do: it covers every child this process ever had.)
- tree_pss_kib: the peak over time of the summed PSS ("Pss:" of /proc/PID/smaps_rollup) of the
  command and all its descendants, sampled every 5 ms by a thread while the command runs. PSS
  splits each shared page among the processes mapping it, so pages shared after a fork, and the
  Python and library code, count once in the sum. Descendants are found from each process's parent
  id in /proc/PID/stat (this kernel has no /proc/PID/task/TID/children). A process that ends or
  starts between two samples, or a peak that lasts less than 5 ms, can be missed; a process whose
  parent ended before it was first seen is not counted.

Usage: python benchmarks/_measure.py [--no-pss] COMMAND [ARG ...]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

INTERVAL_S = 0.005


def _parent(pid: int) -> int | None:
    """The parent id of `pid`, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return None
    # pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after its last ')'
    return int(stat.rpartition(b")")[2].split()[1])


def _pss_kib(pid: int) -> int:
    """The process's proportional set size in KiB; 0 if it is gone or a zombie (which has no memory)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except OSError:  # ended (ENOENT, ESRCH) or not ours to read
        pass
    return 0


class TreeSampler(threading.Thread):
    """Samples the summed PSS of process `root` and its descendants until stopped; keeps the peak."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peak_kib = 0
        self.samples = 0
        self._parents: dict[int, int] = {}  # every live pid seen so far -> its parent id
        self._stopped = threading.Event()

    def run(self) -> None:
        while True:
            self.peak_kib = max(self.peak_kib, sum(_pss_kib(pid) for pid in self._tree()))
            self.samples += 1
            if self._stopped.wait(INTERVAL_S):
                return

    def stop(self) -> None:
        self._stopped.set()
        self.join()

    def _tree(self) -> list[int]:
        """`root` and its descendants now. Only processes not seen before have their stat read."""
        live = {int(name) for name in os.listdir("/proc") if name.isdigit()}
        for gone in self._parents.keys() - live:
            del self._parents[gone]
        for pid in live - self._parents.keys():
            parent = _parent(pid)
            if parent is not None:
                self._parents[pid] = parent
        children: dict[int, list[int]] = {}
        for pid, parent in self._parents.items():
            children.setdefault(parent, []).append(pid)
        tree, todo = [], [self.root]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(children.get(pid, ()))
        return tree


def main(argv: list[str]) -> int:
    pss = argv[:1] != ["--no-pss"]
    argv = argv if pss else argv[1:]
    if not argv:
        sys.exit(__doc__.strip().splitlines()[-1])
    started = time.perf_counter()
    child = subprocess.Popen(argv)
    sampler = TreeSampler(child.pid)
    if pss:
        sampler.start()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    if pss:
        sampler.stop()
    child.returncode = code = os.waitstatus_to_exitcode(status)  # so Popen does not wait again
    sys.stderr.flush()
    peak = sampler.peak_kib if pss else None
    print(json.dumps({"wall_s": wall, "maxrss_kib": usage.ru_maxrss, "tree_pss_kib": peak,
                      "samples": sampler.samples, "returncode": code}), file=sys.stderr)
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
