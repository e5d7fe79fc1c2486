"""Where does a full build spend its time? Profiles one build in this process with cProfile.

Writes N synthetic facts (synthetic.py) and runs `generator.cli.main(["build", ...])` under cProfile,
then prints the top functions by cumulative and by own ("total") time. The profile starts at
`import generator.cli`; Python's start-up is not in it. To keep the work in this process, the script
first pins itself to one CPU (the build sizes its process pool by the CPUs it may use). If the build
still starts worker processes, their CPU time is missing from the profile, and the last line says how
much that was. Set any switch the build offers for that (an environment variable) before running.

Usage: python benchmarks/profile_build.py [--facts N] [--seed S] [--top K]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import resource
import sys
import tempfile
from pathlib import Path

import cProfile
import pstats

import synthetic
from _harness import EPOCH, byte_compile


def children_cpu_s() -> float:
    """CPU seconds of every child process this process has waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build(argv: list[str]) -> int:
    """What `python -m generator` does, short of starting Python and its final os._exit."""
    from generator import cli

    return cli.main(argv)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=1000, help="facts in the synthetic content (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic content (default 1)")
    parser.add_argument("--top", type=int, default=25, help="functions listed in each table (default 25)")
    args = parser.parse_args()
    byte_compile()
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    with tempfile.TemporaryDirectory(prefix="factpack-profile-") as tmp:
        files = synthetic.write(args.facts, Path(tmp) / "synthetic.yaml", args.seed)
        argv = ["build", *map(str, files), "--out", str(Path(tmp) / "out")]
        children_before, said = children_cpu_s(), io.StringIO()
        profiler = cProfile.Profile()
        with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
            code = profiler.runcall(build, argv)
        in_children = children_cpu_s() - children_before
    if code != 0:
        sys.exit(f"build failed ({code}):\n{said.getvalue()}")
    print(f"{args.facts:,} facts in {len(files)} file{'s' * (len(files) > 1)}, one build on CPU "
          f"{min(os.sched_getaffinity(0))}, profiled in this process from `import generator.cli` on; PyYAML was "
          f"imported before (by synthetic.py); cProfile slows Python calls down")
    stats = pstats.Stats(profiler).strip_dirs()
    for key, title in (("cumulative", "cumulative time"), ("tottime", "own time (tottime)")):
        print(f"\n=== top {args.top} by {title}")
        stats.sort_stats(key).print_stats(args.top)
    if in_children > 0:
        print(f"NOT IN THIS PROFILE: {in_children:.3f} s of CPU time in child processes of the build")
    else:
        print("all of the build ran in this process")


if __name__ == "__main__":
    main()
