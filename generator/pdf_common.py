"""What every PDF of ours shares: paper sizes, a fixed timestamp, styles, footer and page counting."""

from __future__ import annotations

import time
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from generator import fonts
from generator.model import Status

PAPERS = {"a4": A4, "letter": LETTER}
MIN_EDGE = 9 * mm  # desktop printers lose the outer ~5 mm: no text closer than this to any edge

STATUS_COLOURS = {
    Status.APPROVED: colors.HexColor("#1d6b35"),
    Status.OFF_LABEL: colors.HexColor("#9a4d00"),
    Status.INVESTIGATIONAL: colors.HexColor("#6b2a8c"),
}
INK = colors.HexColor("#1b1b1b")
ACCENT = colors.HexColor("#0a3d6b")
RULE = colors.HexColor("#b8c4d0")
SHADE = colors.HexColor("#eef3f8")


class _FixedStamp:
    """Stands in for ReportLab's TimeStamp so document dates come from the content, not the clock."""

    def __init__(self, epoch: int) -> None:
        self.t = epoch
        self.lt = time.gmtime(epoch)
        self.YMDhms = tuple(self.lt)[:6]
        self.dhh = self.dmm = 0
        self.tzname = "UTC"


def canvas_class(epoch: int, footer_text: str) -> type[Canvas]:
    """A Canvas that stamps `epoch` as the document date and draws 'page N of M' footers at save time."""

    class FooterCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["invariant"] = 1
            super().__init__(*args, **kwargs)
            self._doc._timeStamp = _FixedStamp(epoch)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._draw_footer(number, total)
                super().showPage()
            super().save()

        def _draw_footer(self, number: int, total: int) -> None:
            width, _ = self._pagesize
            y = MIN_EDGE + 2 * mm
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(MIN_EDGE + 9 * mm, y + 10, width - MIN_EDGE - 9 * mm, y + 10)
            self.setFont(fonts.REGULAR, 8)
            self.setFillColor(INK)
            self.drawString(MIN_EDGE + 9 * mm, y, footer_text)
            self.drawRightString(width - MIN_EDGE - 9 * mm, y, f"page {number} of {total}")
            self.restoreState()

    return FooterCanvas


def styles(base_size: float) -> dict[str, ParagraphStyle]:
    """Paragraph styles in the embedded font only (never ReportLab's Helvetica default)."""
    fonts.register()
    lead = base_size * 1.35
    body = ParagraphStyle("body", fontName=fonts.REGULAR, bulletFontName=fonts.REGULAR, fontSize=base_size,
                          leading=lead, textColor=INK,
                          spaceAfter=base_size * 0.5)
    return {
        "body": body,
        "title": ParagraphStyle("title", parent=body, fontName=fonts.BOLD, fontSize=base_size * 2.2,
                                leading=base_size * 2.6, textColor=ACCENT, spaceAfter=base_size * 0.3),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=base_size * 1.3, leading=base_size * 1.7),
        "meta": ParagraphStyle("meta", parent=body, fontSize=base_size * 0.9, leading=base_size * 1.25),
        "h1": ParagraphStyle("h1", parent=body, fontName=fonts.BOLD, fontSize=base_size * 1.5,
                             leading=base_size * 1.9, textColor=ACCENT, spaceBefore=base_size * 1.2,
                             spaceAfter=base_size * 0.5, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=body, fontName=fonts.BOLD, fontSize=base_size * 1.15,
                             leading=base_size * 1.5, spaceBefore=base_size * 0.8, keepWithNext=1),
        "intro": ParagraphStyle("intro", parent=body, textColor=colors.HexColor("#3a3a3a")),
        "fact": ParagraphStyle("fact", parent=body, leftIndent=base_size * 1.1, bulletIndent=0),
        "cell": ParagraphStyle("cell", parent=body, fontSize=base_size * 0.9, leading=base_size * 1.2, spaceAfter=0),
        "reference": ParagraphStyle("reference", parent=body, fontSize=base_size * 0.9, leading=base_size * 1.22,
                                    leftIndent=base_size * 2, firstLineIndent=-base_size * 2, spaceAfter=base_size * 0.35),
    }


def badge(status: Status) -> str:
    """Our own markup for a status label; empty for statements that need none."""
    if status not in STATUS_COLOURS:
        return ""
    colour = STATUS_COLOURS[status].hexval()[2:]
    return f'<font color="#{colour}"><b>[{status.label}]</b></font> '
