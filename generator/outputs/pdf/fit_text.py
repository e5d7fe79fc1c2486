"""Fit text into a box: wrap on spaces, break words too long for a line, shrink in steps to a floor.

Paper cannot scroll: text that still does not fit at the floor size is reported, never clipped.
Formatted text (generator.source.inline) is laid out as spans, each in its own face and size: a word
may hold several (H~2~O), and every width is the sum of the widths of the spans drawn.
"""

from __future__ import annotations

import re

from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth

from generator.outputs.pdf import fonts
from generator.outputs.typography import keep_units
from generator.source import inline

LEADING = 1.25  # line height as a multiple of the font size
BLOCK_GAP = 0.5  # space between blocks, in lines
SCRIPT_SCALE = 0.7  # sub- and superscripts at 70 % of the size,
RISE = {"sub": -0.2, "sup": 0.4}  # moved down or up by this much of the size: inside the line's leading
_FACES = {(False, False): fonts.REGULAR, (True, False): fonts.BOLD, (False, True): fonts.ITALIC,
          (True, True): fonts.BOLD_ITALIC}


@dataclass(frozen=True)
class Span:
    """Text drawn in one face, at the line's size or as a sub- or superscript."""

    text: str
    font: str
    script: str = ""  # "", "sub" or "sup"

    def width(self, size: float) -> float:
        return _unit_width(self.text, self.font) * size * (SCRIPT_SCALE if self.script else 1)


Line = tuple[Span, ...]
Word = tuple[Span, ...]


@dataclass(frozen=True)
class Fitted:
    """Blocks of text wrapped at one common size: ((base font, lines), ...)."""

    size: float
    blocks: tuple[tuple[str, tuple[Line, ...]], ...]

    @property
    def height(self) -> float:
        lines = sum(len(lines) for _, lines in self.blocks) + BLOCK_GAP * (len(self.blocks) - 1)
        return lines * self.size * LEADING


@lru_cache(maxsize=65536)
def _unit_width(text: str, font: str) -> float:
    """The width of `text` at 1 pt: TrueType widths scale with the size, so each word is measured once
    for all the sizes a card tries."""
    return stringWidth(text, font, 1000) / 1000


def line_text(line: Line) -> str:
    return "".join(span.text for span in line)


def line_width(line: Line, size: float) -> float:
    """The width of a line as drawn (each span measured at the size it is drawn at)."""
    return sum(stringWidth(span.text, span.font, size * SCRIPT_SCALE if span.script else size) for span in line)


def _joined(pieces: list[Span]) -> Line:
    """A line with neighbouring spans of one face and script joined (drawn as one string)."""
    line: list[Span] = []
    for span in pieces:
        if line and (line[-1].font, line[-1].script) == (span.font, span.script):
            line[-1] = Span(line[-1].text + span.text, span.font, span.script)
        else:
            line.append(span)
    return tuple(line)


def spans(text: str | Sequence[inline.Run], base: str) -> list[Span]:
    """Formatted text (a content text field, or its runs) as spans on a block in `base` (regular or bold), a
    number kept on the line of its unit."""
    runs = inline.parse(text) if isinstance(text, str) else text
    return [Span(keep_units(run.text), _FACES[(run.bold or base == fonts.BOLD, run.italic)],
                 "sub" if run.sub else "sup" if run.sup else "") for run in runs]


def _paragraphs(pieces: list[Span]) -> list[list[Word]]:
    """The words of each paragraph (explicit newlines start paragraphs); a word may span several spans."""
    paragraphs: list[list[Word]] = [[]]
    word: list[Span] = []
    for span in pieces:
        for token in _TOKENS.findall(span.text):  # runs of non-space, newlines, other white space
            if not token.isspace():
                word.append(Span(token, span.font, span.script))
                continue
            if word:
                paragraphs[-1].append(tuple(word))
                word = []
            paragraphs += [[] for _ in range(token.count("\n"))]
    if word:
        paragraphs[-1].append(tuple(word))
    return paragraphs


_TOKENS = re.compile(r"(?:\S|\u00a0)+|\n|[^\S\n\u00a0]+")  # words (a no-break space joins), newlines, spaces


def _break_word(word: Word, size: float, width: float) -> list[Word]:
    """Split a word wider than the line into pieces that fit (at least one character each)."""
    pieces: list[Word] = []
    current: list[Span] = []
    current_width = 0.0
    for span in word:
        for char in span.text:
            char_width = Span(char, span.font, span.script).width(size)
            if current and current_width + char_width > width:
                pieces.append(tuple(current))
                current, current_width = [], 0.0
            if current and (current[-1].font, current[-1].script) == (span.font, span.script):
                current[-1] = Span(current[-1].text + char, span.font, span.script)
            else:
                current.append(Span(char, span.font, span.script))
            current_width += char_width
    return pieces + [tuple(current)] if current else pieces


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


def _wrap_words(paragraphs: list[list[Word]], font: str, size: float, width: float) -> list[Line]:
    space = Span(" ", font)
    space_width = space.width(size)
    room = width - 1e-6  # sums of span widths may differ from the width of the joined line in the last bits
    lines: list[Line] = []
    for paragraph in paragraphs:
        current: list[Span] = []
        current_width = 0.0
        for word in paragraph:
            word_width = sum(span.width(size) for span in word)
            pieces = _break_word(word, size, width) if word_width > room else [word]
            for piece in pieces:
                piece_width = word_width if piece is word else sum(span.width(size) for span in piece)
                if not current:
                    current, current_width = list(piece), piece_width
                elif current_width + space_width + piece_width <= room:
                    current += [space, *piece]
                    current_width += space_width + piece_width
                else:
                    lines.append(_joined(current))
                    current, current_width = list(piece), piece_width
        lines.append(_joined(current))
    return lines


def wrap(text: str | Sequence[inline.Run], font: str, size: float, width: float) -> list[Line]:
    """Greedy word wrap; explicit newlines start new lines; no line is wider than `width`.

    Line widths add up span widths (TrueType widths are additive, no kerning), so each word is measured once."""
    return _wrap_words(_paragraphs(spans(text, font)), font, size, width)


def fit(blocks: list[tuple[str | Sequence[inline.Run], str]], width: float, height: float, start: float,
        floor: float) -> Fitted | None:
    """The largest size from `start` down to `floor` (1 pt steps) at which all (text, font) blocks fit
    one under the other; None if they do not fit even at the floor. A text is a formatted content text
    or its runs; the font is the block's (regular or bold), which formatting turns italic or bold."""
    words = [(font, _paragraphs(spans(text, font))) for text, font in blocks]
    widest = max((sum(span.width(1) for span in word) for _, paragraphs in words for paragraph in paragraphs
                  for word in paragraph), default=0.0)
    size = start
    while size >= floor:
        # a word wider than the line is broken only at the floor size: shrinking first keeps words whole
        if widest * size <= width or size - 1 < floor:
            wrapped = Fitted(size, tuple((font, tuple(_wrap_words(paragraphs, font, size, width)))
                                         for font, paragraphs in words))
            if wrapped.height <= height:
                return wrapped
        size -= 1
    return None
