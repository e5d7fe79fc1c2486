"""The vendored DejaVu Sans fonts, registered with ReportLab.

Only embedded TrueType fonts are used, so nothing silently falls back to a standard-14 font.
Which characters they can print is checked without loading them (see `printable`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"
FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", ITALIC: "DejaVuSans-Oblique.ttf",
         BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf"}


@lru_cache(maxsize=None)
def register() -> None:
    """Register the fonts once per process as one family, so <b> and <i> in paragraphs find their faces."""
    for name, filename in FILES.items():
        with resources.as_file(resources.files("generator").joinpath("fonts", filename)) as path:
            pdfmetrics.registerFont(TTFont(name, str(path)))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD_ITALIC)


def code_points() -> set[int]:
    """Every character that every one of our fonts has a glyph for, read from the fonts themselves."""
    register()
    return set.intersection(*(set(pdfmetrics.getFont(name).face.charToGlyph) for name in FILES))


# ReportLab tags every font's first subset AAAAAA+; PDF 32000 (9.6.4) wants different subsets of one file to
# have different tags. The first letter becomes the face's own; the length stays, so no offset moves.
_FACE_LETTERS = {b"DejaVuSans": b"A", b"DejaVuSans-Bold": b"B", b"DejaVuSans-Oblique": b"C",
                 b"DejaVuSans-BoldOblique": b"D"}
_SUBSET_NAME = re.compile(rb"/[A-Z]([A-Z]{5})\+(DejaVuSans(?:-BoldOblique|-Bold|-Oblique)?)(?=[\s/>\]])")


def distinct_subset_tags(pdf: bytes) -> bytes:
    """The PDF with each face's subsets tagged apart: AAAAAA+DejaVuSans, BAAAAA+DejaVuSans-Bold, ..."""
    return _SUBSET_NAME.sub(lambda found: b"/" + _FACE_LETTERS[found[2]] + found[1] + b"+" + found[2], pdf)
