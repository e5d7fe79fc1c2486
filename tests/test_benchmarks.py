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


def test_floors_make_the_files_the_build_makes_with_as_many_pages_cards_and_notes(tmp_path: Path) -> None:
    """A floor is the raw libraries doing the same work: the same files, the same card pages, the same notes."""
    content = tmp_path / "synthetic.yaml"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synthetic.py"), "--facts", "60", "--out", str(content)],
                   check=True, capture_output=True, cwd=ROOT)
    built, floors = tmp_path / "built", tmp_path / "floors"
    subprocess.run([sys.executable, "-m", "generator", "build", str(content), "--out", str(built),
                    "--only", "handout,patient,cards,anki"], check=True, capture_output=True, cwd=ROOT)
    floors.mkdir()
    for floor in ("floor_handout", "floor_cards", "floor_anki"):
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / f"{floor}.py"), "--out", str(floors), str(content)],
                       check=True, capture_output=True, cwd=ROOT)
    assert sorted(p.name for p in floors.iterdir()) == sorted(p.name for p in built.iterdir() if not p.name.startswith("."))
    assert _pages(floors / "synthetic-cards.pdf") == _pages(built / "synthetic-cards.pdf")
    assert _notes(floors / "synthetic.apkg") == _notes(built / "synthetic.apkg")


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(pdf)).pages)


def _notes(apkg: Path) -> list[str]:
    """The CardId field of every note in a deck package (the last field in both note types)."""
    import sqlite3
    import zipfile

    with zipfile.ZipFile(apkg) as package:
        data = package.read("collection.anki2")
    scratch = apkg.with_suffix(".anki2")
    scratch.write_bytes(data)
    with sqlite3.connect(scratch) as db:
        ids = sorted(row[0].split("\x1f")[-1] for row in db.execute("select flds from notes"))
    return ids
