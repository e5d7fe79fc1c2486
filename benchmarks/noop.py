"""How long does a no-op rebuild take, and does it leave the outputs untouched?

Builds the content (default: the shipped content/ketamine.yaml) once into a new temporary folder, then
runs the same build into the same folder --runs times, timing each from start to exit. Afterwards
every file in the folder must be as the first build left it: same names, inode, modification time
(ns) and bytes. The environment is passed on as it is (set SOURCE_DATE_EPOCH yourself if you want).

Usage: python benchmarks/noop.py [--runs N] [CONTENT.yaml ...]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _harness import ROOT, SHIPPED, build_command, byte_compile

Snapshot = dict[str, tuple[int, int, bytes]]  # relative path -> (inode, mtime in ns, bytes)


def snapshot(folder: Path) -> Snapshot:
    """Every file below `folder`, hidden ones too (a build's record of what it built is an output too)."""
    found: Snapshot = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            stat = path.stat()
            found[str(path.relative_to(folder))] = (stat.st_ino, stat.st_mtime_ns, path.read_bytes())
    return found


def build(command: list[str]) -> float:
    """Wall seconds of one build; exits with its output if it fails."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stdout}{done.stderr}")
    return wall


def changes(before: Snapshot, after: Snapshot) -> list[str]:
    """What differs, file by file: `untouched` needs an empty list."""
    found = [f"{name}: removed" for name in before.keys() - after.keys()]
    found += [f"{name}: added" for name in after.keys() - before.keys()]
    for name in sorted(before.keys() & after.keys()):
        what = [label for label, old, new in zip(("inode", "mtime", "bytes"), before[name], after[name]) if old != new]
        if what:
            found.append(f"{name}: {', '.join(what)}")
    return sorted(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", nargs="*", type=Path, default=[SHIPPED], help="content files (default: shipped)")
    parser.add_argument("--runs", type=int, default=15, help="no-op rebuilds timed (default 15)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    files = [path.resolve() for path in args.content]
    byte_compile()
    with tempfile.TemporaryDirectory(prefix="factpack-noop-") as tmp:
        out_dir = Path(tmp) / "out"
        command = build_command(files, out_dir)
        first = build(command)
        before = snapshot(out_dir)
        walls = [build(command) for _ in range(args.runs)]
        changed = changes(before, snapshot(out_dir))
    names = ", ".join(str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path) for path in files)
    print(f"content: {names}; first build {first:.3f} s, then {args.runs} identical rebuilds into the same folder")
    print(f"no-op rebuild: median {statistics.median(walls):.3f} s (min {min(walls):.3f}, max {max(walls):.3f})")
    print(f"outputs: {'rewritten' if changed else 'untouched'} ({len(before)} files)")
    for line in changed:
        print(f"  {line}")


if __name__ == "__main__":
    main()
