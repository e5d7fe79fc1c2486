"""Fit text into a box: wrap on spaces, break words too long for a line, shrink in steps to a floor.

Paper cannot scroll: text that still does not fit at the floor size is reported, never clipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.pdfbase.pdfmetrics import stringWidth

LEADING = 1.25  # line height as a multiple of the font size
BLOCK_GAP = 0.5  # space between blocks, in lines


@dataclass(frozen=True)
class Fitted:
    """Blocks of text wrapped at one common size: ((font, lines), ...)."""

    size: float
    blocks: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def height(self) -> float:
        lines = sum(len(lines) for _, lines in self.blocks) + BLOCK_GAP * (len(self.blocks) - 1)
        return lines * self.size * LEADING


@lru_cache(maxsize=65536)
def _unit_width(text: str, font: str) -> float:
    """The width of `text` at 1 pt: TrueType widths scale with the size, so each word is measured once
    for all the sizes a card tries."""
    return stringWidth(text, font, 1000) / 1000


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    """Split a word wider than the line into pieces that fit (at least one character each)."""
    pieces, current = [], ""
    for char in word:
        if current and stringWidth(current + char, font, size) > width:
            pieces.append(current)
            current = ""
        current += char
    return pieces + [current] if current else pieces


def shorten(text: str, font: str, size: float, width: float) -> str:
    """`text` cut with an ellipsis so that it fits `width` (binary search over its length)."""
    if stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if stringWidth(text[:middle].rstrip() + "…", font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap; explicit newlines start new lines; no line is wider than `width`.

    Line widths add up word widths (TrueType widths are additive, no kerning), so each word is measured once."""
    space = _unit_width(" ", font) * size
    room = width - 1e-6  # sums of word widths may differ from the width of the joined line in the last bits
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current, current_width = "", 0.0
        for word in paragraph.split():
            word_width = _unit_width(word, font) * size
            pieces = _break_word(word, font, size, width) if word_width > room else [word]
            for piece in pieces:
                piece_width = word_width if piece is word else stringWidth(piece, font, size)
                if not current:
                    current, current_width = piece, piece_width
                elif current_width + space + piece_width <= room:
                    current, current_width = f"{current} {piece}", current_width + space + piece_width
                else:
                    lines.append(current)
                    current, current_width = piece, piece_width
        lines.append(current)
    return lines


def fit(blocks: list[tuple[str, str]], width: float, height: float, start: float, floor: float) -> Fitted | None:
    """The largest size from `start` down to `floor` (1 pt steps) at which all (text, font) blocks fit
    one under the other; None if they do not fit even at the floor."""
    size = start
    while size >= floor:
        # a word wider than the line is broken only at the floor size: shrinking first keeps words whole
        whole_words = all(_unit_width(word, font) * size <= width for text, font in blocks for word in text.split())
        if whole_words or size - 1 < floor:
            wrapped = Fitted(size, tuple((font, tuple(wrap(text, font, size, width))) for text, font in blocks))
            if wrapped.height <= height:
                return wrapped
        size -= 1
    return None
