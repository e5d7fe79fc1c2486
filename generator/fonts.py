"""The vendored DejaVu Sans fonts: registration with ReportLab and a glyph coverage check.

Only embedded TrueType fonts are used, so nothing silently falls back to a standard-14 font.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable
from importlib import resources

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from generator.errors import Problem
from generator.model import TextField

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
# Characters that are layout, not glyphs: they never need to be in the font.
_IGNORED = frozenset("\n\r\t")


@lru_cache(maxsize=None)
def register() -> None:
    """Register the fonts once per process, with bold mapped for <b> in paragraphs."""
    for name, filename in _FILES.items():
        path = resources.files("generator").joinpath("fonts", filename)
        with resources.as_file(path) as real_path:
            pdfmetrics.registerFont(TTFont(name, str(real_path)))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)


@lru_cache(maxsize=None)
def _covered() -> frozenset[str]:
    """Every character both fonts have a glyph for, plus the layout characters that need none."""
    register()
    maps = [set(pdfmetrics.getFont(name).face.charToGlyph) for name in _FILES]
    return frozenset(map(chr, set.intersection(*maps))) | _IGNORED


def unprintable(text: str) -> list[str]:
    """Characters of `text` that a font lacks (they would print as empty boxes), in order, once each."""
    missing = set(text) - _covered()  # a set difference in C: this runs over every text of every file
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
