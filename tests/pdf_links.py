"""Reading a PDF's internal links and bookmarks back, with the text a reader sees where they land.

pypdf's text extraction glues neighbouring runs together (a citation number comes out as part of
"for anesthesia. [1, 2]"), so it cannot say which characters lie under one link's rectangle. This
module places every character itself: it follows the content stream's text operators with the
widths the PDF declares for its fonts and decodes characters through each font's /ToUnicode map.
That is enough to read a link's visible text, to read a page without the text of its own links (so
a contents line does not count as the heading it points to), and to find the line of text just
below a destination's top edge.

Generic PDF reading only: nothing here knows what factpack prints.
"""

from __future__ import annotations

import functools
import io
import re
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, ByteStringObject, ContentStream, DictionaryObject, IndirectObject, NameObject, NumberObject

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
SAME_LINE = 1.0  # glyphs whose baselines differ by less than this (points) are on one line


def fold(text: str) -> str:
    """White space folded to single spaces, as a reader sees wrapped text."""
    return re.sub(r"\s+", " ", text).strip()


def squash(text: str) -> str:
    """Text with all white space removed and case folded: for comparing text that may wrap
    anywhere (a line break reads as a space, or as nothing where a long word was cut)."""
    return re.sub(r"\s+", "", text).casefold()


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _translate(tx: float, ty: float) -> Matrix:
    return (1.0, 0.0, 0.0, 1.0, tx, ty)


@dataclass(frozen=True)
class Rect:
    left: float
    bottom: float
    right: float
    top: float

    @classmethod
    def of(cls, values: Any) -> Rect:
        x1, y1, x2, y2 = (float(v) for v in values)
        return cls(min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))

    def holds(self, x: float, y: float, slack: float = 0.5) -> bool:
        return self.left - slack <= x <= self.right + slack and self.bottom - slack <= y <= self.top + slack


@dataclass(frozen=True)
class Glyph:
    """One character as drawn: its origin on the baseline, advance width and size, in page points."""

    char: str
    x: float
    y: float
    width: float
    size: float

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.width / 2, self.y + self.size * 0.3


@dataclass(frozen=True)
class Line:
    y: float  # baseline
    glyphs: tuple[Glyph, ...]  # left to right

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)


def lines_of(glyphs: list[Glyph]) -> list[Line]:
    """Glyphs grouped by baseline, top line first, each line read left to right."""
    result: list[Line] = []
    current: list[Glyph] = []
    for glyph in sorted(glyphs, key=lambda g: -g.y):
        if current and abs(current[0].y - glyph.y) >= SAME_LINE:
            result.append(Line(current[0].y, tuple(sorted(current, key=lambda g: g.x))))
            current = []
        current.append(glyph)
    if current:
        result.append(Line(current[0].y, tuple(sorted(current, key=lambda g: g.x))))
    return result


# --- fonts -----------------------------------------------------------------------------------------

def _to_unicode(data: bytes) -> dict[int, str]:
    """The bfchar and bfrange entries of a ToUnicode CMap."""
    text = data.decode("latin-1")
    mapping: dict[int, str] = {}

    def utf16(hexdigits: str) -> str:
        return bytes.fromhex(hexdigits).decode("utf-16-be", errors="replace") if hexdigits else ""

    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for source, target in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            mapping[int(source, 16)] = utf16(target)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, rest in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])", block):
            first, last = int(low, 16), int(high, 16)
            if rest.startswith("["):
                for offset, target in enumerate(re.findall(r"<([0-9A-Fa-f]*)>", rest)):
                    mapping[first + offset] = utf16(target)
            else:
                start = bytes.fromhex(rest[1:-1])
                for offset in range(last - first + 1):
                    code = int.from_bytes(start, "big") + offset
                    mapping[first + offset] = code.to_bytes(len(start), "big").decode("utf-16-be", errors="replace")
    return mapping


class _Font:
    """What placing characters needs from a font resource: code width (1/1000 em) and Unicode text.
    Simple fonts (one byte a code) are read fully; for a standard font without /Widths the metrics
    come from ReportLab's copy of the AFM files; anything else falls back to half an em a character."""

    def __init__(self, font: DictionaryObject) -> None:
        self.two_byte = font.get("/Subtype") == "/Type0"
        self.base = str(font.get("/BaseFont", "")).lstrip("/").split("+")[-1]
        first = int(font.get("/FirstChar", 0))
        self.widths = {first + i: float(w) for i, w in enumerate(font.get("/Widths") or [])}
        to_unicode = font.get("/ToUnicode")
        self.unicode = _to_unicode(to_unicode.get_object().get_data()) if to_unicode else {}

    def codes(self, data: bytes) -> list[int]:
        if self.two_byte:
            return [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data) - 1, 2)]
        return list(data)

    def char(self, code: int) -> str:
        if code in self.unicode:
            return self.unicode[code]
        return bytes([code]).decode("cp1252", errors="replace") if code < 256 else "\ufffd"

    def width(self, code: int) -> float:
        if code in self.widths:
            return self.widths[code]
        try:
            from reportlab.pdfbase.pdfmetrics import stringWidth

            return stringWidth(self.char(code), self.base, 1000)
        except Exception:  # not a font ReportLab knows: an estimate is enough to keep going
            return 500.0


# --- placing characters -----------------------------------------------------------------------------

@dataclass
class _TextState:
    font: _Font | None = None
    size: float = 0.0
    char_space: float = 0.0
    word_space: float = 0.0
    scale: float = 1.0
    leading: float = 0.0
    rise: float = 0.0


def _string_bytes(operand: Any) -> bytes:
    if hasattr(operand, "get_original_bytes"):
        return operand.get_original_bytes()
    return bytes(operand)


def page_glyphs(reader: PdfReader, page: Any) -> list[Glyph]:
    """Every character drawn on the page (forms included), in drawing order."""
    glyphs: list[Glyph] = []
    fonts: dict[int, _Font] = {}

    def font_of(resources: Any, name: str) -> _Font:
        font = resources["/Font"][name]
        key = font.idnum if isinstance(font, IndirectObject) else id(font)
        if key not in fonts:
            fonts[key] = _Font(font.get_object())
        return fonts[key]

    def run(stream: Any, resources: Any, ctm: Matrix) -> None:
        stack: list[tuple[Matrix, _TextState]] = []
        state = _TextState()
        tm = tlm = IDENTITY

        def next_line(tx: float, ty: float) -> None:
            nonlocal tm, tlm
            tlm = _multiply(_translate(tx, ty), tlm)
            tm = tlm

        def show(data: bytes) -> None:
            nonlocal tm
            font = state.font
            if font is None:
                return
            for code in font.codes(data):
                to_page = _multiply(tm, ctm)
                origin = _multiply((1.0, 0.0, 0.0, 1.0, 0.0, state.rise), to_page)
                advance = (font.width(code) / 1000 * state.size + state.char_space
                           + (state.word_space if code == 32 and not font.two_byte else 0.0)) * state.scale
                glyphs.append(Glyph(font.char(code), origin[4], origin[5], abs(advance * to_page[0]),
                                    abs(state.size * to_page[3])))
                tm = _multiply(_translate(advance, 0.0), tm)

        for operands, operator in ContentStream(stream, reader).operations:
            op = operator.decode("latin-1") if isinstance(operator, bytes) else str(operator)
            if op == "q":
                stack.append((ctm, _TextState(**vars(state))))
            elif op == "Q" and stack:
                ctm, state = stack.pop()
            elif op == "cm":
                ctm = _multiply(tuple(float(v) for v in operands), ctm)  # type: ignore[arg-type]
            elif op == "BT":
                tm = tlm = IDENTITY
            elif op == "Tf":
                state.font, state.size = font_of(resources, operands[0]), float(operands[1])
            elif op == "Tc":
                state.char_space = float(operands[0])
            elif op == "Tw":
                state.word_space = float(operands[0])
            elif op == "Tz":
                state.scale = float(operands[0]) / 100
            elif op == "TL":
                state.leading = float(operands[0])
            elif op == "Ts":
                state.rise = float(operands[0])
            elif op == "Td":
                next_line(float(operands[0]), float(operands[1]))
            elif op == "TD":
                state.leading = -float(operands[1])
                next_line(float(operands[0]), float(operands[1]))
            elif op == "Tm":
                tm = tlm = tuple(float(v) for v in operands)  # type: ignore[assignment]
            elif op == "T*":
                next_line(0.0, -state.leading)
            elif op == "Tj":
                show(_string_bytes(operands[0]))
            elif op == "'":
                next_line(0.0, -state.leading)
                show(_string_bytes(operands[0]))
            elif op == '"':
                state.word_space, state.char_space = float(operands[0]), float(operands[1])
                next_line(0.0, -state.leading)
                show(_string_bytes(operands[2]))
            elif op == "TJ":
                for item in operands[0]:
                    if isinstance(item, (int, float)):  # pypdf's number objects are ints and floats
                        tm = _multiply(_translate(-float(item) / 1000 * state.size * state.scale, 0.0), tm)
                    else:
                        show(_string_bytes(item))
            elif op == "Do":
                xobject = (resources.get("/XObject") or {}).get(operands[0])
                xobject = xobject.get_object() if xobject is not None else None
                if xobject is not None and xobject.get("/Subtype") == "/Form":
                    matrix: Any = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
                    run(xobject, xobject.get("/Resources") or resources, _multiply(matrix, ctm))

    contents = page.get_contents()
    if contents is not None:
        run(contents, page.get("/Resources") or {}, IDENTITY)
    return glyphs


# --- destinations, links and bookmarks ---------------------------------------------------------------

@dataclass(frozen=True)
class Location:
    """Where a destination takes the reader: a page (from 0), the fit type, and its top edge if it has one."""

    page: int
    fit: str
    top: float | None

    def __str__(self) -> str:
        where = f"page {self.page + 1} ({self.fit}"
        return where + (f" top {self.top:.1f})" if self.top is not None else ")")


@dataclass(frozen=True)
class Link:
    """An internal link annotation: where it is, its destination name if it has one, where it goes."""

    page: int
    rect: Rect
    name: str | None  # a named destination; None for an explicit [page /XYZ ...] array
    to: Location | None  # None: the name is not defined in the document, or the page is not in it
    text: str  # the visible text under the link's rectangle

    def __str__(self) -> str:
        named = f" (destination {self.name!r})" if self.name is not None else ""
        return f"link {fold(self.text)!r} on page {self.page + 1}{named} -> {self.to or 'nowhere'}"


@dataclass(frozen=True)
class Bookmark:
    title: str
    depth: int
    parent: str | None  # title of the enclosing bookmark
    to: Location | None

    def __str__(self) -> str:
        return f"bookmark {self.title!r} -> {self.to or 'nowhere'}"


def _name(value: Any) -> str:
    """A destination's name, given as a PDF name (/Dests dictionary) or a string (/Names tree)."""
    if isinstance(value, NameObject):
        return str(value)[1:]
    if isinstance(value, ByteStringObject):
        return bytes(value).decode("latin-1")
    return str(value)


_TOP_INDEX = {"/XYZ": 3, "/FitH": 2, "/FitBH": 2, "/FitR": 5}  # where each fit type keeps its top


class Document:
    """A PDF read back for its internal links, bookmarks and the text where they land."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.reader = PdfReader(io.BytesIO(data))
        self._glyphs: dict[int, list[Glyph]] = {}
        self._reading: dict[int, list[Line]] = {}  # caches, page by page
        self._squashed: dict[int, str] = {}

    @property
    def page_count(self) -> int:
        return len(self.reader.pages)

    @functools.cached_property
    def _page_numbers(self) -> dict[int, int]:
        return {page.indirect_reference.idnum: index for index, page in enumerate(self.reader.pages)}

    @functools.cached_property
    def named_destinations(self) -> dict[str, ArrayObject]:
        """Every named destination: the /Names /Dests name tree and the older /Dests dictionary."""
        root = self.reader.trailer["/Root"]
        found: dict[str, ArrayObject] = {}

        def explicit(value: Any) -> ArrayObject | None:
            value = value.get_object()
            if isinstance(value, DictionaryObject):
                value = value.get("/D")
                value = value.get_object() if value is not None else None
            return value if isinstance(value, ArrayObject) else None

        def walk(node: Any) -> None:
            node = node.get_object()
            pairs = node.get("/Names") or []
            for key, value in zip(pairs[::2], pairs[1::2]):
                if (array := explicit(value)) is not None:
                    found[_name(key)] = array
            for kid in node.get("/Kids") or []:
                walk(kid)

        names = root.get("/Names")
        if names is not None and "/Dests" in names.get_object():
            walk(names.get_object()["/Dests"])
        dests = root.get("/Dests")
        for key, value in (dests.get_object().items() if dests is not None else []):
            if (array := explicit(value)) is not None:
                found[_name(key)] = array
        return found

    def locate(self, array: ArrayObject) -> Location | None:
        """An explicit destination [page fit ...] as a page index and top edge."""
        first = array[0]
        if isinstance(first, IndirectObject):
            page = self._page_numbers.get(first.idnum)
        elif isinstance(first, (int, NumberObject)):
            page = int(first)
        else:
            page = next((i for i, p in enumerate(self.reader.pages) if p.get_object() is first.get_object()), None)
        if page is None:
            return None
        fit = str(array[1]) if len(array) > 1 else "/XYZ"
        index = _TOP_INDEX.get(fit)
        top = array[index] if index is not None and len(array) > index else None
        return Location(page, fit, float(top) if isinstance(top, (int, float)) else None)

    def glyphs(self, page: int) -> list[Glyph]:
        if page not in self._glyphs:
            self._glyphs[page] = page_glyphs(self.reader, self.reader.pages[page])
        return self._glyphs[page]

    @functools.cached_property
    def links(self) -> list[Link]:
        """Every internal link (/Subtype /Link with a /Dest or a /GoTo action), page by page."""
        found: list[Link] = []
        for index, page in enumerate(self.reader.pages):
            for annotation in page.get("/Annots") or []:
                annotation = annotation.get_object()
                if annotation.get("/Subtype") != "/Link":
                    continue
                dest = annotation.get("/Dest")
                action = annotation.get("/A")
                if dest is None and action is not None and action.get_object().get("/S") == "/GoTo":
                    dest = action.get_object().get("/D")
                if dest is None:
                    continue  # a web address or another kind of action
                dest = dest.get_object()
                name = None if isinstance(dest, ArrayObject) else _name(dest)
                array = dest if name is None else self.named_destinations.get(name)
                rect = Rect.of(annotation["/Rect"])
                found.append(Link(index, rect, name, self.locate(array) if array is not None else None,
                                  self.text_under(index, rect)))
        return found

    @functools.cached_property
    def bookmarks(self) -> list[Bookmark]:
        """Every outline entry, depth first, with the page pypdf resolves it to."""
        found: list[Bookmark] = []

        def walk(items: list[Any], depth: int, parent: str | None) -> None:
            last: str | None = None
            for item in items:
                if isinstance(item, list):
                    walk(item, depth + 1, last)
                    continue
                page = self.reader.get_destination_page_number(item)
                fit = str(getattr(item, "typ", "/XYZ"))
                top = getattr(item, "top", None)
                to = (Location(page, fit, float(top) if isinstance(top, (int, float)) else None)
                      if page is not None and page >= 0 else None)
                found.append(Bookmark(str(item.title), depth, parent, to))
                last = str(item.title)

        walk(self.reader.outline, 0, None)
        return found

    def text_under(self, page: int, rect: Rect) -> str:
        """The characters whose centres lie inside `rect`, line by line."""
        inside = [g for g in self.glyphs(page) if rect.holds(*g.centre)]
        return " ".join(line.text for line in lines_of(inside))

    def _link_rects(self, page: int) -> list[Rect]:
        return [link.rect for link in self.links if link.page == page]

    def reading_lines(self, page: int) -> list[Line]:
        """The page's lines without the text of its own internal links (a contents entry is a link to a
        heading, not the heading)."""
        if page not in self._reading:
            rects = self._link_rects(page)
            self._reading[page] = lines_of([g for g in self.glyphs(page) if not any(r.holds(*g.centre) for r in rects)])
        return self._reading[page]

    def reading_text(self, page: int) -> str:
        return " ".join(line.text for line in self.reading_lines(page))

    def shows(self, page: int, text: str) -> bool:
        """Whether the page shows `text` outside its own links, wrapped anywhere, in any case."""
        if page not in self._squashed:
            self._squashed[page] = squash(self.reading_text(page))
        return squash(text) in self._squashed[page]

    def pages_showing(self, text: str) -> list[int]:
        return [page for page in range(self.page_count) if self.shows(page, text)]

    def text_below(self, page: int, top: float, lines: int = 2) -> str:
        """The first `lines` lines below `top`: what a viewer shows first when it puts `top` at the top of
        the window. A line counts as below if at least its lower half (up to half its type size above
        the baseline) is; ReportLab puts an anchor one leading above its line's baseline, which is
        exactly where the previous line's baseline is."""
        below = [line for line in lines_of(self.glyphs(page))
                 if line.y + 0.5 * max(g.size for g in line.glyphs) <= top + SAME_LINE]
        return " ".join(line.text for line in below[:lines])

    def heading_pages(self, title: str, most_lines: int = 3) -> list[int]:
        """Pages where `title` stands on a line (or a few consecutive lines) of its own, outside links."""
        wanted = squash(title)
        found = []
        for page in range(self.page_count):
            texts = [squash(line.text) for line in self.reading_lines(page)]
            if any("".join(texts[i:i + n]) == wanted for i in range(len(texts)) for n in range(1, most_lines + 1)):
                found.append(page)
        return found

    def rest_of_line(self, link: Link) -> str:
        """What is printed to the right of a link on its last line (a contents entry's page number)."""
        rects = self._link_rects(link.page)
        line = [g for g in self.glyphs(link.page)
                if link.rect.bottom <= g.centre[1] <= link.rect.top and g.x >= link.rect.right - 0.5
                and not any(r.holds(*g.centre) for r in rects)]
        return "".join(g.char for g in sorted(line, key=lambda g: g.x))
