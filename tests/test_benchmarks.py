"""The benchmark runner works end to end on a tiny synthetic file (it is the only check the scripts get in CI)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_runner_prints_table_and_ratio() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--facts", "20", "--runs", "1", "--warmup", "0", "--cores", "1"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert re.search(r"^command\s+wall \(s\)\s+peak \(MiB\)$", done.stdout, re.MULTILINE)
    for name in ("full build", "floor_yaml", "floor_handout", "floor_cards", "floor_anki"):
        assert re.search(rf"^{name}\s+\d+\.\d{{3}}\s+\d+\.\d$", done.stdout, re.MULTILINE), name
    assert re.fullmatch(r"full-build/floor ratio: \d+\.\d\d", lines[-1]), lines[-1]
