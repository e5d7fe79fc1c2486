"""Which process renders what: the build's jobs spread over the cores so that the busiest finishes early.

Each process loads the content files its jobs need. With one file, two processes both load it (the
second core would sit idle during the load anyway) and split its outputs. With several files, a job
goes to a process that has not loaded its file only when that still finishes sooner, load included:
equal files stay whole, while the outputs of one large file among small ones may be split.
"""

from __future__ import annotations

from pathlib import Path

Job = tuple[Path, str]  # (content file, output name)

MIB = 1024 * 1024
# Seconds of work per MiB of content, measured with benchmarks/ (only their proportions matter).
LOAD_COST = 0.3
OUTPUT_COST = {"handout": 0.62, "cards": 0.55, "anki": 0.2, "patient": 0.0}
FIXED_COST = {"patient": 0.01}  # the patient sheet prints a chosen few facts, whatever the file's size


def _cost(size: int, name: str) -> float:
    return OUTPUT_COST.get(name, 0.5) * size / MIB + FIXED_COST.get(name, 0.0)


def plan(sizes: dict[Path, int], outputs: tuple[str, ...], workers: int) -> list[list[Job]]:
    """The jobs of every (file, output), in at most `workers` shares: longest job first, each to the share
    that would finish it soonest, counting the load of a file that share has not loaded yet."""
    jobs = sorted(((path, name) for path in sizes for name in outputs),
                  key=lambda job: -_cost(sizes[job[0]], job[1]))  # stable: ties keep file and output order
    shares: list[list[Job]] = [[] for _ in range(max(workers, 1))]
    busy = [0.0] * len(shares)
    loaded: list[set[Path]] = [set() for _ in shares]
    for path, name in jobs:
        def finish(share: int) -> float:
            load = 0.0 if path in loaded[share] else LOAD_COST * sizes[path] / MIB
            return busy[share] + load + _cost(sizes[path], name)

        chosen = min(range(len(shares)), key=finish)
        busy[chosen] = finish(chosen)
        loaded[chosen].add(path)
        shares[chosen].append((path, name))
    return [share for share in shares if share]
