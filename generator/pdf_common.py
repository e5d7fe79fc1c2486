"""What the handout and the patient sheet share: styles, status labels, boxes, headings and contents,
footers with page counts, and laying out a story on paper."""

from __future__ import annotations

import io
import re
from typing import Any, Callable

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, LayoutError, Flowable, Frame, PageTemplate, Paragraph, Table, TableStyle

from generator import fast_links, fonts, markup
from generator.fit_text import shorten
from generator.errors import ContentError, Problem
from generator.model import Content, Status
from generator.pdf_base import ACCENT, INK, MIN_EDGE, PAPERS, RULE, SHADE, STATUS_COLOURS, TEXT_WIDTH, fixed_timestamp
from generator.run_paragraph import Run

CONTENTS_ENTRY = "contents_entry"  # onDraw callback name of a contents line (see contents_line)


def canvas_class(epoch: int, footer_text: str) -> type[Canvas]:
    """A Canvas that stamps `epoch` as the document date and, at save time, when every page is known,
    draws 'page N of M' footers and the page numbers of the contents list: one layout pass is enough."""

    class FooterCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["invariant"] = 1
            super().__init__(*args, **kwargs)
            fixed_timestamp(self, epoch)
            self._pages: list[dict[str, Any]] = []
            self.bookmark_pages: dict[str, int] = {}  # filled as headings are placed
            self._contents_marks: list[tuple[int, float, float, str, float]] = []
            self.setNamedCB(CONTENTS_ENTRY, self._mark_contents_entry)

        def _addAnnotation(self, annotation: Any, name: str | None = None, addtopage: int = 1) -> None:
            super()._addAnnotation(fast_links.plain(annotation), name, addtopage)

        def _mark_contents_entry(self, canvas: Canvas, kind: str, label: str) -> None:
            """Remember where a contents line ended, in page coordinates, to add its page number later."""
            key, size = label.rsplit(",", 1)
            x, y = self._curr_tx_info["cur_x"], self._curr_tx_info["cur_y"]
            a, b, c, d, e, f = self._currentMatrix
            self._contents_marks.append((self.getPageNumber(), a * x + c * y + e, b * x + d * y + f, key, float(size)))

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total, marks, pages = len(self._pages), self._contents_marks, self.bookmark_pages
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._draw_footer(number, total)
                for page, x, y, key, size in marks:
                    if page == number:
                        self._draw_page_number(x, y, pages.get(key, 0), size)
                super().showPage()
            super().save()

        def _draw_page_number(self, x: float, y: float, page: int, size: float) -> None:
            """Dot leaders from the end of the entry to its page number at the column's right edge."""
            right = (self._pagesize[0] + TEXT_WIDTH) / 2
            number = str(page)
            number_width = stringWidth(number, fonts.REGULAR, size)
            dot, dot_width = " .", stringWidth(" .", fonts.REGULAR, size)
            dots = int((right - number_width - x - size) / dot_width)
            self.setFont(fonts.REGULAR, size)
            self.setFillColor(INK)
            self.drawRightString(right - number_width - size * 0.5, y, dot * max(dots, 0))
            self.drawRightString(right, y, number)

        def _draw_footer(self, number: int, total: int) -> None:
            left = (self._pagesize[0] - TEXT_WIDTH) / 2
            y = MIN_EDGE + 2 * mm
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(left, y + 10, left + TEXT_WIDTH, y + 10)
            self.setFont(fonts.REGULAR, 8)
            self.setFillColor(INK)
            count = f"page {number} of {total}"
            room = TEXT_WIDTH - stringWidth(count, fonts.REGULAR, 8) - 6 * mm
            self.drawString(left, y, shorten(footer_text, fonts.REGULAR, 8, room))
            self.drawRightString(left + TEXT_WIDTH, y, count)
            self.restoreState()

    return FooterCanvas


def styles(base_size: float) -> dict[str, ParagraphStyle]:
    """Paragraph styles in the embedded font only (never ReportLab's Helvetica default)."""
    fonts.register()
    lead = base_size * 1.35
    body = ParagraphStyle("body", fontName=fonts.REGULAR, bulletFontName=fonts.REGULAR, bulletFontSize=base_size,
                          fontSize=base_size,
                          leading=lead, textColor=INK,
                          spaceAfter=base_size * 0.5)
    return {
        "body": body,
        "title": ParagraphStyle("title", parent=body, fontName=fonts.BOLD, fontSize=base_size * 2.2,
                                leading=base_size * 2.6, textColor=ACCENT, spaceAfter=base_size * 0.3),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=base_size * 1.3, leading=base_size * 1.7),
        "meta": ParagraphStyle("meta", parent=body, fontSize=max(10, base_size * 0.9), leading=base_size * 1.25),
        "h1": ParagraphStyle("h1", parent=body, fontName=fonts.BOLD, fontSize=base_size * 1.5,
                             leading=base_size * 1.9, textColor=ACCENT, spaceBefore=base_size * 1.2,
                             spaceAfter=base_size * 0.5, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=body, fontName=fonts.BOLD, fontSize=base_size * 1.15,
                             leading=base_size * 1.5, spaceBefore=base_size * 0.8, keepWithNext=1),
        "intro": ParagraphStyle("intro", parent=body, textColor=colors.HexColor("#3a3a3a")),
        "toc0": ParagraphStyle("toc0", parent=body, spaceAfter=0, leading=base_size * 1.5),
        "toc1": ParagraphStyle("toc1", parent=body, fontSize=max(10, base_size * 0.9), leftIndent=base_size * 1.5,
                               spaceAfter=0, leading=base_size * 1.35),
        "fact": ParagraphStyle("fact", parent=body, leftIndent=base_size * 1.1, bulletIndent=0),
        "cell": ParagraphStyle("cell", parent=body, fontSize=max(10, base_size * 0.9), leading=base_size * 1.2,
                               spaceAfter=0),
        "reference": ParagraphStyle("reference", parent=body, fontSize=max(10, base_size * 0.9), leading=base_size * 1.25,
                                    leftIndent=base_size * 2, firstLineIndent=-base_size * 2, spaceAfter=base_size * 0.35),
    }


def badge(status: Status) -> str:
    """Our own markup for a status label; empty for statements that need none."""
    if status not in STATUS_COLOURS:
        return ""
    colour = STATUS_COLOURS[status].hexval()[2:]
    return f'<font color="#{colour}"><b>[{status.label}]</b></font> '


def badge_runs(status: Status) -> list[Run]:
    """A status label as a run of text; none for statements that need none."""
    if status not in STATUS_COLOURS:
        return []
    return [Run(f"[{status.label}]", fonts.BOLD, STATUS_COLOURS[status])]


def legend(explained: dict[Status, str], shown: set[Status] | None = None) -> str:
    """'Labels: [Approved] means ...; ...' for the badge-carrying statuses (only those `shown`, if given)."""
    statuses = [s for s in STATUS_COLOURS if shown is None or s in shown]
    return "<b>Labels:</b> " + "; ".join(badge(s) + explained[s] for s in statuses) + "."


def boxed(flowables: list[Flowable], size: float, background: Any = SHADE) -> Table:
    """A shaded box around some paragraphs (key points, main message, disclaimer)."""
    box = Table([[flowables]], hAlign="LEFT")
    box.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), fonts.REGULAR, size),
        ("BACKGROUND", (0, 0), (-1, -1), background),
        ("BOX", (0, 0), (-1, -1), 0.8, ACCENT),
        ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return box


def heading(text: str, style: ParagraphStyle, key: str, level: int) -> Paragraph:
    """A heading that becomes a PDF bookmark and a contents entry (keys from content ids)."""
    para = Paragraph(f'<a name="{key}"/>{markup.pdf(text)}', style)
    para.bookmark = (key, text, level)
    return para


def contents_line(text: str, key: str, style: ParagraphStyle) -> Paragraph:
    """A linked contents entry; its dot leaders and page number are drawn when the canvas saves."""
    label = f"{key},{style.fontSize}"
    return Paragraph(f'<a href="#{key}">{markup.pdf(text)}</a><onDraw name="{CONTENTS_ENTRY}" label="{label}"/>',
                     style)


class _Doc(BaseDocTemplate):
    """Adds one bookmark per heading, nested by level, and records the page each one landed on."""

    def afterFlowable(self, flowable: Flowable) -> None:
        mark = getattr(flowable, "bookmark", None)
        if mark:
            key, text, level = mark
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=level, closed=False)
            self.canv.bookmark_pages[key] = self.page


def render_pdf(content: Content, story: Callable[[], list[Flowable]], *, paper: str, timestamp: int,
               margin: float, keywords: list[str]) -> tuple[bytes, int]:
    """Lay out `story` on `paper`; return the PDF bytes and the page count.

    The text column is TEXT_WIDTH on every paper (centred), so A4 and Letter wrap lines alike and
    only the page height differs."""
    fonts.register()
    out = io.BytesIO()
    topic = content.topic
    side = (PAPERS[paper][0] - TEXT_WIDTH) / 2
    doc = _Doc(out, pagesize=PAPERS[paper], leftMargin=side, rightMargin=side, topMargin=margin,
               bottomMargin=margin, title=topic.title, author=", ".join(topic.authors), subject=topic.subtitle,
               keywords=keywords, lang=topic.language, displayDocTitle=True, initialFontName=fonts.REGULAR,
               creator="factpack", producer="factpack", invariant=1)
    frame = Frame(side, margin, doc.width, doc.height, id="body", leftPadding=0, rightPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    footer = f"{topic.title} · last reviewed {topic.last_reviewed.isoformat()}"
    try:
        doc.build(story(), canvasmaker=canvas_class(timestamp, footer))
    except LayoutError as exc:
        detail = re.sub(r"\s+", " ", str(exc))[:160]
        raise ContentError([Problem(1, 1, content.file, "", f"something is too large to fit on one page, such as "
                                    f"a table row or a very long heading; shorten it ({detail})")]) from None
    return out.getvalue(), doc.page
