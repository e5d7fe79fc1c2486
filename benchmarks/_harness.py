"""What the measuring scripts (run, noop, imports, profile) share. The floors never import this."""

from __future__ import annotations

import compileall
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "content" / "ketamine.yaml"
EPOCH = "1767225600"  # a fixed SOURCE_DATE_EPOCH: the build then never looks at file times


def build_command(files: list[Path], out_dir: Path, *options: str) -> list[str]:
    """The project's CLI, as a user runs it; run it with cwd=ROOT so that this checkout is imported."""
    return [sys.executable, "-m", "generator", "build", *map(str, files), "--out", str(out_dir), *options]


def byte_compile() -> None:
    """Write the bytecode of the package the build imports, as `pip install` does for an installed copy.
    The floors import installed libraries, which have theirs; an editable install where
    PYTHONDONTWRITEBYTECODE is set (as on our machine) would otherwise compile every module of ours
    again on every run (about 12 ms), a cost no installed copy has."""
    compileall.compile_dir(ROOT / "generator", quiet=1)
