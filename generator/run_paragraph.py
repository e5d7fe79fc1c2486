"""A paragraph of styled runs (font, colour, optional link) laid out by our own line breaker.

Facts are plain text plus a status label and linked citation numbers. ReportLab's Paragraph parses
markup and re-measures its fragments on every wrap, which was half of a large handout's build time;
this flowable measures each word once and draws each line as a few text runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

# Break opportunities: the whitespace ReportLab's Paragraph breaks at, less the no-break spaces
# (U+00A0, U+2007 figure space, U+202F narrow no-break space), which keep "10 mg" on one line.
_SPACES = re.compile("[\t\n\x0b\x0c\r\x1c-\x1f \x85\u1680\u2000-\u2006\u2008-\u200b\u2028\u2029\u205f\u3000]+")


@dataclass(frozen=True)
class Run:
    """A stretch of text in one font and colour; `link` names an internal destination to jump to, `url` a
    web address."""

    text: str
    font: str
    colour: Any
    link: str | None = None
    url: str | None = None


class Piece(NamedTuple):
    """Part of a word that lies in one run, with its width at the paragraph's size."""

    text: str
    run: int
    width: float


class Word(NamedTuple):
    """The pieces between two break opportunities, and the width of the space that follows them."""

    pieces: tuple[Piece, ...]
    width: float
    space: Piece


Line = list[Piece]


@lru_cache(maxsize=65536)
def _width(text: str, font: str, size: float) -> float:
    return stringWidth(text, font, size)


_tuple = tuple.__new__  # builds a Piece or Word without NamedTuple's Python-level constructor: hot path


def words(runs: tuple[Run, ...], size: float) -> list[Word]:
    """The runs split at whitespace into measured words; a space takes the font of the run it is in."""
    found: list[Word] = []
    current: list[Piece] = []
    used = 0.0
    for index, run in enumerate(runs):
        font = run.font
        for number, part in enumerate(_SPACES.split(run.text)):
            if number and current:  # whitespace lay before this part: the word so far is complete
                space = _tuple(Piece, (" ", index, _width(" ", font, size)))
                found.append(_tuple(Word, (tuple(current), used, space)))
                current, used = [], 0.0
            if part:
                width = _width(part, font, size)
                current.append(_tuple(Piece, (part, index, width)))
                used += width
    if current:
        last = len(runs) - 1
        found.append(_tuple(Word, (tuple(current), used, _tuple(Piece, (" ", last, _width(" ", runs[last].font, size))))))
    return found


_CUT_AFTER = frozenset("/-.?&=_")  # where a web address reads best when it has to be cut


def _broken(word: Word, runs: tuple[Run, ...], size: float, first: float, rest: float) -> list[Word]:
    """A word too wide for its line cut into pieces: the first fits `first`, each of the others `rest`.
    A piece ends after the last '/', '-', ... that fits, unless that leaves it less than half full;
    else after the last character that fits (each piece holds one character at least)."""
    chars = [_tuple(Piece, (char, piece.run, _width(char, runs[piece.run].font, size)))
             for piece in word.pieces for char in piece.text]
    parts: list[Word] = []
    start, limit = 0, first
    while True:
        end, used = start + 1, chars[start].width
        while end < len(chars) and used + chars[end].width <= limit:
            used += chars[end].width
            end += 1
        if end == len(chars):
            parts.append(_tuple(Word, (tuple(chars[start:]), used, word.space)))
            return parts
        widths = [0.0]
        for char in chars[start:end]:
            widths.append(widths[-1] + char.width)
        cut = max((i + 1 for i in range(start, end) if chars[i].text in _CUT_AFTER
                   and widths[i + 1 - start] >= limit / 2), default=end)
        parts.append(_tuple(Word, (tuple(chars[start:cut]), widths[cut - start], word.space)))
        start, limit = cut, rest


def break_lines(found: list[Word], runs: tuple[Run, ...], size: float, width: float,
                first_width: float) -> list[Line]:
    """Greedy line breaking: as many words on each line as fit `width` (`first_width` for the first).
    A word wider than a whole line (a long web address) is cut: it starts where the line has got to,
    as Paragraph does, and goes on over as many lines as it needs, with nothing put between its pieces."""
    lines: list[Line] = []
    line: Line = []
    used = 0.0
    space: Piece | None = None
    for word in found:
        limit = width if lines else first_width
        gap = space.width if line and space else 0.0
        if line and used + gap + word.width > limit and word.width <= width:  # it fits a line of its own
            lines.append(line)
            line, used, gap, limit = [], 0.0, 0.0, width
        room = limit - used - gap
        if word.width <= room:
            if gap and space:
                line.append(space)
            line.extend(word.pieces)
            used += gap + word.width
        else:
            first = word.pieces[0]
            if line and room < _width(first.text[0], runs[first.run].font, size):
                lines.append(line)
                line, gap, room = [], 0.0, width
            if gap and space:
                line.append(space)
            head, *tail = _broken(word, runs, size, room, width)
            line.extend(head.pieces)
            for part in tail:
                lines.append(line)
                line = list(part.pieces)
            used = tail[-1].width if tail else used + gap + head.width
        space = word.space
    if line or not lines:
        lines.append(line)
    return lines


class RunParagraph(Flowable):
    """Left-aligned text in `style`'s size, leading and indents, with an optional bullet.

    It splits between lines at a page end (never leaving a first line alone at the bottom), and breaks
    a word only when it is wider than the whole line."""

    def __init__(self, runs: list[Run], style: ParagraphStyle, bullet: str | None = None,
                 lines: list[Line] | None = None, continued: bool = False, anchor: str | None = None) -> None:
        super().__init__()
        self.anchor = anchor  # a destination at the first line, for links to this paragraph
        self.runs = tuple(runs)
        self.style = style
        self.bullet = bullet
        self.continued = continued  # the rest of a paragraph split at a page end: no first-line indent
        self._fixed = lines is not None  # a part of a split paragraph keeps the lines it was given
        self._lines: list[Line] = lines or []
        self._words: list[Word] | None = None
        self._for_width: float | None = None

    def _measured(self) -> list[Word]:
        if self._words is None:
            self._words = words(self.runs, self.style.fontSize)
        return self._words

    def minWidth(self) -> float:
        return max((word.width for word in self._measured()), default=0.0)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if not self._fixed and self._for_width != availWidth:
            style = self.style
            width = availWidth - style.leftIndent - style.rightIndent
            self._lines = break_lines(self._measured(), self.runs, style.fontSize, width,
                                      width - style.firstLineIndent)
            self._for_width = availWidth
        self.width, self.height = availWidth, len(self._lines) * self.style.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        fitting = int((availHeight + 1e-6) // self.style.leading)
        if fitting >= len(self._lines):
            return [self]
        if fitting < 2:  # one line alone at the bottom of a page (an orphan), or none: move it all
            return []
        first = RunParagraph(list(self.runs), self.style, self.bullet, self._lines[:fitting], self.continued,
                             self.anchor)
        rest = RunParagraph(list(self.runs), self.style, None, self._lines[fitting:], continued=True)
        first.spaceAfter = 0  # the paragraph goes on at the top of the next page
        rest.spaceBefore = 0
        return [first, rest]

    def draw(self) -> None:
        canvas, style, size = self.canv, self.style, self.style.fontSize
        baseline = self.height - size
        if self.bullet:
            canvas.setFont(style.bulletFontName, style.bulletFontSize)
            canvas.setFillColor(getattr(style, "bulletColor", style.textColor))
            canvas.drawString(style.bulletIndent, baseline, self.bullet)
        if self.anchor and not self.continued:
            first_x = style.leftIndent + style.firstLineIndent
            canvas.bookmarkHorizontal(self.anchor, first_x, baseline + style.leading)
        text = canvas.beginText()
        font = colour = None
        for number, line in enumerate(self._lines):
            y = baseline - number * style.leading
            x = style.leftIndent + (style.firstLineIndent if number == 0 and not self.continued else 0)
            text.setTextOrigin(x, y)
            for piece in _joined(line):
                run = self.runs[piece.run]
                if run.font != font:
                    font = run.font
                    text.setFont(font, size)
                if run.colour != colour:
                    colour = run.colour
                    text.setFillColor(colour)
                text.textOut(piece.text)
                if run.link or run.url:
                    bottom = y - size / 8
                    rect = (x, bottom, x + piece.width, bottom + style.leading)
                    if run.link:
                        canvas.linkRect("", run.link, rect, relative=1)
                    else:
                        canvas.linkURL(run.url, rect, relative=1)
                x += piece.width
        canvas.drawText(text)


def _joined(line: Line) -> Line:
    """Neighbouring pieces of one run joined, so that a line takes as few text operators as it can."""
    joined: Line = []
    texts: list[str] = []
    run, width = -1, 0.0
    for piece in line:
        if piece.run != run and texts:
            joined.append(_tuple(Piece, ("".join(texts), run, width)))
            texts, width = [], 0.0
        run = piece.run
        texts.append(piece.text)
        width += piece.width
    if texts:
        joined.append(_tuple(Piece, ("".join(texts), run, width)))
    return joined
