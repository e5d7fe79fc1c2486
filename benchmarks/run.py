"""How far is `factpack build` from the least work its libraries need? Times the full build against floors.

Generates synthetic content (synthetic.py) into a temporary folder, then runs the full build and each
floor script as separate processes, each round in a rotated order (so no command always runs first,
on a cold cache, or after a heavy neighbour), after warm-up rounds that are not counted. Every command
runs pinned with `taskset -c 0` (one core) or `taskset -c 0,1` (two cores), under _measure.py. The timed
rounds do not sample memory (the sampling takes CPU time); then min(runs, 3) more rounds sample the
summed PSS of each command's whole process tree every 5 ms. Each build writes into an empty folder, so
that it is a full build and never a no-op rebuild.

The floor of the full build is D = handout + cards + anki - 2 x yaml: each of those three floors
starts Python and parses the YAML, which a single build does once, so two of those are subtracted.

Usage: python benchmarks/run.py [--facts N] [--runs R] [--warmup W] [--seed S] [--cores 1|2|both]
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import synthetic
from _harness import EPOCH, ROOT, build_command, byte_compile

COMPARED = ("handout", "patient", "cards", "anki")  # what D's floors do the work of

HERE = Path(__file__).resolve().parent
FLOORS = ("floor_yaml", "floor_handout", "floor_cards", "floor_anki")
BUILD = "full build"
PINS = {1: "0", 2: "0,1"}  # cores -> the CPU list given to taskset
MEMORY_ROUNDS = 3  # at most; memory peaks vary far less than times


@dataclass
class Samples:
    wall_s: list[float] = field(default_factory=list)
    tree_pss_kib: list[int] = field(default_factory=list)
    maxrss_kib: list[int] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(self.wall_s)

    @property
    def peak_mib(self) -> float:
        """The median peak PSS of the whole process tree: the figure of the table and the memory ratio."""
        return statistics.median(self.tree_pss_kib) / 1024

    @property
    def maxrss_mib(self) -> float:
        return statistics.median(self.maxrss_kib) / 1024


def commands(files: list[Path], out_dir: Path) -> dict[str, list[str]]:
    """Each measured command: the project's CLI writing the outputs the floors mirror (the web edition has no
    floor, so it is left out) and the four floors."""
    found = {BUILD: build_command(files, out_dir, "--only", ",".join(COMPARED))}
    found |= {name: [sys.executable, str(HERE / f"{name}.py"), *map(str, files)] for name in FLOORS}
    return found


def measure(command: list[str], cpus: str, pss: bool) -> dict[str, Any]:
    """_measure.py's report of one run of `command` on `cpus`; exits with its output if it fails."""
    flags = [] if pss else ["--no-pss"]
    wrapped = [sys.executable, str(HERE / "_measure.py"), *flags, "taskset", "-c", cpus, *command]
    env = os.environ | {"SOURCE_DATE_EPOCH": EPOCH}
    done = subprocess.run(wrapped, capture_output=True, text=True, cwd=ROOT, env=env)
    *lines, last = done.stderr.rstrip("\n").split("\n")
    try:
        report = json.loads(last)
    except json.JSONDecodeError:
        sys.exit(f"could not measure: {' '.join(wrapped)}\n{done.stderr}")
    if report["returncode"] != 0:
        sys.exit(f"failed ({report['returncode']}): {' '.join(command)}\n{done.stdout}" + "\n".join(lines))
    return report


def run(files: list[Path], out_dir: Path, cpus: str, runs: int, warmup: int) -> dict[str, Samples]:
    """Warm-up rounds, timed rounds, then memory rounds; each round runs every command once."""
    cmds = commands(files, out_dir)
    names = list(cmds)
    results = {name: Samples() for name in names}
    for round_ in range(warmup + runs + min(runs, MEMORY_ROUNDS)):
        timed = round_ < warmup + runs
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            if name == BUILD:
                shutil.rmtree(out_dir, ignore_errors=True)  # a full build each time, never a no-op rebuild
            report = measure(cmds[name], cpus, pss=not timed)
            if round_ < warmup:
                continue
            if timed:
                results[name].wall_s.append(report["wall_s"])
            else:
                results[name].tree_pss_kib.append(report["tree_pss_kib"])
                results[name].maxrss_kib.append(report["maxrss_kib"])
    return results


def outputs(out_dir: Path) -> str:
    """The kinds of file the build wrote (they change as the project grows), with the topic id as ID."""
    kinds = {re.sub(r"^synthetic(-part\d+)?", "ID", path.name) for path in out_dir.iterdir()}
    return ", ".join(sorted(kinds))


def reportlab_options() -> str:
    """What the PDFs of both the floors and the build are made with."""
    accel = "with" if importlib.util.find_spec("_rl_accel") else "WITHOUT"
    from reportlab import rl_config

    return (f"ReportLab {importlib.metadata.version('reportlab')} {accel} rl_accel; "
            f"rl_config.useA85 = {rl_config.useA85} (default); floors make PDFs with invariant=1")


def report(results: dict[str, Samples]) -> list[str]:
    """The table and the ratios; the last line is `full-build/floor ratio: X.XX`."""
    lines = [f"{'command':<15}{'wall (s)':>10}{'peak (MiB)':>12}"]
    lines += [f"{name:<15}{s.wall:>10.3f}{s.peak_mib:>12.1f}" for name, s in results.items()]
    wall = {name: s.wall for name, s in results.items()}
    floor = wall["floor_handout"] + wall["floor_cards"] + wall["floor_anki"] - 2 * wall["floor_yaml"]
    biggest = max(FLOORS, key=lambda name: results[name].peak_mib)
    memory = results[BUILD].peak_mib / results[biggest].peak_mib
    maxrss = ", ".join(f"{name} {s.maxrss_mib:.1f}" for name, s in results.items())
    lines += [
        "",
        f"largest single process (ru_maxrss, MiB): {maxrss}",
        f"floor D = handout + cards + anki - 2 x yaml: {floor:.3f} s",
        f"peak memory of the process tree, full build / largest floor ({biggest}): {memory:.2f}",
        f"full-build/floor ratio: {wall[BUILD] / floor:.2f}",
    ]
    return lines


def core_counts(choice: str, parser: argparse.ArgumentParser) -> list[int]:
    """The core counts to measure; with `both`, two cores only where this process may use CPUs 0 and 1."""
    if shutil.which("taskset") is None:
        parser.error("taskset (util-linux) is needed to pin the commands to cores")
    allowed = os.sched_getaffinity(0)
    wanted = [1, 2] if choice == "both" else [int(choice)]
    usable = [n for n in wanted if {int(cpu) for cpu in PINS[n].split(",")} <= allowed]
    if not usable:
        parser.error(f"--cores {choice} needs CPU(s) {PINS[wanted[0]]}; this process may use {sorted(allowed)}")
    if usable != wanted:
        print(f"two cores: skipped, this process may use only CPUs {sorted(allowed)}")
    return usable


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=1000, help="facts in the synthetic content (default 1000)")
    parser.add_argument("--runs", type=int, default=5, help="measured rounds (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="uncounted rounds first (default 1)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic content (default 1)")
    parser.add_argument("--cores", choices=("1", "2", "both"), default="both",
                        help="pin every command to CPU 0 (1), to CPUs 0,1 (2), or measure both (default)")
    args = parser.parse_args()
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be at least 1 and --warmup at least 0")
    cores = core_counts(args.cores, parser)
    byte_compile()
    with tempfile.TemporaryDirectory(prefix="factpack-bench-") as tmp:
        files = synthetic.write(args.facts, Path(tmp) / "synthetic.yaml", args.seed)
        size = sum(f.stat().st_size for f in files) / 1024
        print(f"{args.facts:,} facts in {len(files)} file{'s' * (len(files) > 1)} ({size:,.0f} KiB); "
              f"medians of {args.runs} timed run{'s' * (args.runs > 1)} after {args.warmup} warm-up, "
              f"memory of {min(args.runs, MEMORY_ROUNDS)} more")
        print(reportlab_options(), flush=True)
        out_dir = Path(tmp) / "out"
        for n in cores:
            results = run(files, out_dir, PINS[n], args.runs, args.warmup)
            print(f"\n{n} core{'s' * (n > 1)} (taskset -c {PINS[n]}); full build wrote: {outputs(out_dir)}")
            print("\n".join(report(results)), flush=True)


if __name__ == "__main__":
    main()
