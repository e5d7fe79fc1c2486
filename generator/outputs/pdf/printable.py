"""Which characters the PDFs can print, checked without loading ReportLab or the fonts.

The fonts' shared coverage is stored as ranges in generator/fonts/coverage.txt (a test compares it
with the fonts themselves), so `check` and `build --only anki` stay free of ReportLab while every
content file is still held to what the PDFs can print.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Iterable

from generator.source.errors import Problem
from generator.source.model import TextField

COVERAGE_FILE = "coverage.txt"
_LAYOUT = frozenset("\n\r\t")  # layout, not glyphs: never needs to be in the font


def ranges_text(code_points: set[int]) -> str:
    """`code_points` as the coverage file holds them: one `FIRST-LAST` range (hex) a line."""
    lines, ordered = [], sorted(code_points)
    start = previous = ordered[0]
    for point in ordered[1:] + [-1]:
        if point != previous + 1:
            lines.append(f"{start:04X}-{previous:04X}")
            start = point
        previous = point
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=None)
def _covered() -> frozenset[str]:
    text = resources.files("generator").joinpath("fonts", COVERAGE_FILE).read_text(encoding="ascii")
    chars = set(_LAYOUT)
    for line in text.split():
        first, last = (int(part, 16) for part in line.split("-"))
        chars.update(map(chr, range(first, last + 1)))
    return frozenset(chars)


def unprintable(text: str) -> list[str]:
    """Characters of `text` that a font lacks (they would print as empty boxes), in order, once each."""
    missing = set(text) - _covered()
    return sorted(missing, key=text.index) if missing else []


def unprintable_fields(texts: Iterable[TextField], file: str) -> list[Problem]:
    """A problem for every text field holding a character the fonts cannot print."""
    problems = []
    for field in texts:
        missing = unprintable(field.value)
        if missing:
            shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing)
            problems.append(Problem(field.line, field.column, file, field.path,
                                    f"the font cannot print {shown}; replace or remove it"))
    return problems
