"""How far is `factpack build` from the least work its libraries need? Times the full build against floors.

Generates synthetic content (synthetic.py) into a temporary folder, then runs the full build and each
floor script as separate processes, each round in a rotated order (so no command always runs first,
on a cold cache, or after a heavy neighbour), after warm-up rounds that are not counted. Each process
runs under _measure.py, which times it and reads its own peak memory from os.wait4.

The floor of the full build is D = handout + cards + anki - 2 x yaml: each of those three floors
starts Python and parses the YAML, which a single build does once, so two of those are subtracted.

Usage: python benchmarks/run.py [--facts N] [--runs R] [--warmup W] [--seed S]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import synthetic

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FLOORS = ("floor_yaml", "floor_handout", "floor_cards", "floor_anki")
BUILD = "full build"
EPOCH = "1767225600"  # a fixed SOURCE_DATE_EPOCH: the build then never looks at file times


@dataclass
class Samples:
    wall_s: list[float] = field(default_factory=list)
    maxrss_kib: list[int] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(self.wall_s)

    @property
    def peak_mib(self) -> float:
        return statistics.median(self.maxrss_kib) / 1024


def commands(files: list[Path], out_dir: Path) -> dict[str, list[str]]:
    """Each measured command: the project's CLI (whatever outputs it writes) and the four floors."""
    names = [str(f) for f in files]
    found = {BUILD: [sys.executable, "-m", "generator", "build", *names, "--out", str(out_dir)]}
    found |= {name: [sys.executable, str(HERE / f"{name}.py"), *names] for name in FLOORS}
    return found


def measure(command: list[str]) -> tuple[float, int]:
    """(wall seconds, peak RSS KiB) of one run of `command`; exits with its output if it fails."""
    wrapped = [sys.executable, str(HERE / "_measure.py"), *command]
    env = os.environ | {"SOURCE_DATE_EPOCH": EPOCH}
    done = subprocess.run(wrapped, capture_output=True, text=True, cwd=ROOT, env=env)
    *lines, last = done.stderr.rstrip("\n").split("\n")
    report = json.loads(last)
    if report["returncode"] != 0:
        sys.exit(f"failed ({report['returncode']}): {' '.join(command)}\n{done.stdout}" + "\n".join(lines))
    return report["wall_s"], report["maxrss_kib"]


def byte_compile() -> None:
    """Write the bytecode of the package the build imports, as `pip install` does for an installed copy.
    The floors import installed libraries, which have theirs; an editable install where
    PYTHONDONTWRITEBYTECODE is set (as on this machine) would otherwise compile every module of ours
    again on every run (about 12 ms), a cost no installed copy has."""
    compileall.compile_dir(ROOT / "generator", quiet=1)


def run(files: list[Path], out_dir: Path, runs: int, warmup: int) -> dict[str, Samples]:
    cmds = commands(files, out_dir)
    names = list(cmds)
    results = {name: Samples() for name in names}
    for round_ in range(warmup + runs):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            wall, rss = measure(cmds[name])
            if round_ >= warmup:
                results[name].wall_s.append(wall)
                results[name].maxrss_kib.append(rss)
    return results


def outputs(out_dir: Path) -> str:
    """The kinds of file the build wrote (they change as the project grows), with the topic id as ID."""
    kinds = {re.sub(r"^synthetic(-part\d+)?", "ID", path.name) for path in out_dir.iterdir()}
    return ", ".join(sorted(kinds))


def report(results: dict[str, Samples]) -> list[str]:
    """The table and the ratios; the last line is `full-build/floor ratio: X.XX`."""
    lines = [f"{'command':<15}{'wall (s)':>10}{'peak (MiB)':>12}"]
    lines += [f"{name:<15}{s.wall:>10.3f}{s.peak_mib:>12.1f}" for name, s in results.items()]
    wall = {name: s.wall for name, s in results.items()}
    floor = wall["floor_handout"] + wall["floor_cards"] + wall["floor_anki"] - 2 * wall["floor_yaml"]
    biggest = max(FLOORS, key=lambda name: results[name].peak_mib)
    memory = results[BUILD].peak_mib / results[biggest].peak_mib
    lines += [
        "",
        f"floor D = handout + cards + anki - 2 x yaml: {floor:.3f} s",
        f"peak memory, full build / largest floor ({biggest}): {memory:.2f}",
        f"full-build/floor ratio: {wall[BUILD] / floor:.2f}",
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=1000, help="facts in the synthetic content (default 1000)")
    parser.add_argument("--runs", type=int, default=5, help="measured rounds (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="uncounted rounds first (default 1)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic content (default 1)")
    args = parser.parse_args()
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be at least 1 and --warmup at least 0")
    byte_compile()
    with tempfile.TemporaryDirectory(prefix="factpack-bench-") as tmp:
        files = synthetic.write(args.facts, Path(tmp) / "synthetic.yaml", args.seed)
        size = sum(f.stat().st_size for f in files) / 1024
        print(f"{args.facts:,} facts in {len(files)} file{'s' * (len(files) > 1)} ({size:,.0f} KiB); "
              f"medians of {args.runs} run{'s' * (args.runs > 1)} after {args.warmup} warm-up", flush=True)
        results = run(files, Path(tmp) / "out", args.runs, args.warmup)
        print(f"full build wrote: {outputs(Path(tmp) / 'out')}")
    print("\n".join(report(results)))


if __name__ == "__main__":
    main()
