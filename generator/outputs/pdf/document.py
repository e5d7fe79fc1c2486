"""What the handout and the patient sheet share: styles, status labels, boxes, headings, the contents
list, 'page N of M' footers, and laying out a story on paper in one pass through ReportLab's platypus.

Numbers that are only known at the end (the page count, the page of each contents entry) are drawn
as named forms: a page refers to the form while it is laid out, and the forms are defined when the
document is saved. Every link, bookmark and outline entry is recorded on the page being drawn.
"""

from __future__ import annotations

import io
import re
from functools import partial
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, LayoutError, PageTemplate, Paragraph, Table, TableStyle

from generator import __version__
from generator.outputs import markup
from generator.outputs.pdf import fonts
from generator.outputs.pdf.fit_text import shorten
from generator.outputs.pdf.style import (
    ACCENT, INK, MIN_EDGE, PAPERS, RULE, SHADE, STATUS_COLOURS, TEXT_WIDTH, dated, status_tag,
)
from generator.source.errors import ContentError, Problem
from generator.source.model import Content, Status

FOOTER_SIZE = 8
NUMBER_ROOM = 12 * mm  # the contents' page-number column, dot leaders stop short of it


def styles(base_size: float, inset: float = 0.0) -> dict[str, ParagraphStyle]:
    """Paragraph styles in the embedded font only (never ReportLab's Helvetica default). Text is set `inset`
    from each side of the frame: a measure of about 60-75 characters, while tables and boxes may use the
    frame's whole width."""
    fonts.register()
    lead = base_size * 1.35
    body = ParagraphStyle("body", fontName=fonts.REGULAR, bulletFontName=fonts.REGULAR, bulletFontSize=base_size,
                          fontSize=base_size, leading=lead, textColor=INK, spaceAfter=base_size * 0.5,
                          leftIndent=inset, rightIndent=inset, bulletIndent=inset,
                          allowWidows=0, allowOrphans=0)  # never a paragraph's single line alone on a page
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
        "caption": ParagraphStyle("caption", parent=body, fontName=fonts.BOLD, fontSize=base_size * 1.15,
                                  leading=base_size * 1.5, spaceBefore=base_size * 0.8),  # kept with its table
        "intro": ParagraphStyle("intro", parent=body, textColor=colors.HexColor("#3a3a3a")),
        "toc0": ParagraphStyle("toc0", parent=body, spaceAfter=0, leading=base_size * 1.5),
        "toc1": ParagraphStyle("toc1", parent=body, fontSize=max(10, base_size * 0.9),
                               leftIndent=inset + base_size * 1.5, spaceAfter=0, leading=base_size * 1.35),
        "fact": ParagraphStyle("fact", parent=body, leftIndent=inset + base_size * 1.1),
        "cell": ParagraphStyle("cell", parent=body, fontSize=10, leading=12.5, spaceAfter=0, leftIndent=0,
                               rightIndent=0, bulletIndent=0),
        "reference": ParagraphStyle("reference", parent=body, fontSize=max(10, base_size * 0.9),
                                    leading=base_size * 1.25, leftIndent=inset + base_size * 2,
                                    firstLineIndent=-base_size * 2, spaceAfter=base_size * 0.35),
    }


def badge(status: Status) -> str:
    """Our own markup for a status label; empty for statements that need none."""
    if status not in STATUS_COLOURS:
        return ""
    colour = STATUS_COLOURS[status].hexval()[2:]
    return f'<font color="#{colour}"><b>{status_tag(status)}</b></font> '


def legend(explained: dict[Status, str], shown: set[Status] | None = None) -> str:
    """'Labels: [Approved] means ...; ...' for the badge-carrying statuses (only those `shown`, if given)."""
    statuses = [s for s in STATUS_COLOURS if shown is None or s in shown]
    return "<b>Labels:</b> " + "; ".join(badge(s) + explained[s] for s in statuses) + "."


def boxed(flowables: list[Flowable], size: float, width: float = TEXT_WIDTH, background: Any = SHADE) -> Table:
    """A shaded box `width` wide, centred, around some paragraphs (key points, main message, disclaimer):
    one row a paragraph, so a box longer than the space left continues on the next page instead of failing
    the layout."""
    box = Table([[flowable] for flowable in flowables], hAlign="CENTER", colWidths=[width])
    box.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), fonts.REGULAR, size),
        ("BACKGROUND", (0, 0), (-1, -1), background),
        ("BOX", (0, 0), (-1, -1), 0.8, ACCENT),
        ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), size * 0.35),
        ("TOPPADDING", (0, 0), (-1, 0), 6), ("BOTTOMPADDING", (0, -1), (-1, -1), 4),
    ]))
    return box


class Heading(Paragraph):
    """A heading that is a link destination (`key`, from content ids), an outline entry and a contents entry;
    it may print more than its title (a table's number: 'Table 2. Title')."""

    def __init__(self, text: str, style: ParagraphStyle, key: str, level: int, printed: str | None = None) -> None:
        super().__init__(f'<a name="{key}"/>{markup.pdf(printed or text)}', style)
        self.key, self.title, self.level = key, text, level
        self.label = printed or text  # what its contents line shows: 'Table 2. Title' says what it leads to


class Unbroken(Paragraph):
    """A paragraph that is never split across pages: it moves whole to the next one (a patient's bullet)."""

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        return []


class CaptionedTable(Flowable):
    """A table under its caption that breaks across pages (its header row repeated) instead of moving whole
    to the next page and leaving a gap; the caption always stands with at least the first rows, and the
    rows on the next page stand under `continued` ('Table 2 (continued)')."""

    def __init__(self, caption: Paragraph, table: Table, continued: str) -> None:
        super().__init__()
        self.caption, self.table, self.continued = caption, table, continued

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return available_width, 0xFFFFFF  # never drawn as one: `split` hands platypus the pieces

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        caption_height = (self.caption.getSpaceBefore() + self.caption.wrap(available_width, available_height)[1]
                          + self.caption.getSpaceAfter())
        _, table_height = self.table.wrap(available_width, available_height)
        if caption_height + table_height <= available_height:
            return [self.caption, self.table]
        pieces = self.table.split(available_width, available_height - caption_height)
        if not pieces:
            return []
        first, *rest = pieces
        carried_on = Paragraph(markup.pdf(self.continued), self.caption.style)
        return [self.caption, first, *(CaptionedTable(carried_on, table, self.continued) for table in rest)]


class ContentsLine(Flowable):
    """One linked line of the contents: the heading's text, dot leaders and its page number."""

    def __init__(self, heading: Heading, style: ParagraphStyle) -> None:
        super().__init__()
        self.heading, self.style = heading, style
        self.lines: list[str] = []

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width - self.style.rightIndent  # the page number stands at the measure's edge
        text_width = self.width - self.style.leftIndent - NUMBER_ROOM
        self.lines = simpleSplit(self.heading.label, self.style.fontName, self.style.fontSize, text_width)
        self.height = len(self.lines) * self.style.leading
        return self.width, self.height

    def draw(self) -> None:
        canv, style = self.canv, self.style
        size, left = style.fontSize, style.leftIndent
        canv.setFont(style.fontName, size)
        canv.setFillColor(style.textColor)
        baseline = self.height
        for line in self.lines:
            baseline -= style.leading
            canv.drawString(left, baseline + (style.leading - size) * 0.6, line)
        last_y = baseline + (style.leading - size) * 0.6
        end = left + stringWidth(self.lines[-1], style.fontName, size) if self.lines else left
        dot = stringWidth(" .", style.fontName, size)
        dots = int((self.width - NUMBER_ROOM + size - end - size) / dot)
        canv.drawRightString(self.width - NUMBER_ROOM + size, last_y, " ." * max(dots, 0))
        canv.saveState()
        canv.translate(self.width, last_y)
        canv.doForm(contents_form(self.heading.key))
        canv.restoreState()
        canv.linkRect("", self.heading.key, (0, 0, self.width, self.height), relative=1, thickness=0)
        canv.contents_keys.add(self.heading.key)


def contents_form(key: str) -> str:
    return f"contents-{key}"


def page_form(number: int) -> str:
    return f"page-{number}"


def head_form(number: int) -> str:
    return f"head-{number}"


class _Canvas(Canvas):
    """A canvas that draws each page's footer, and defines the number forms when it is saved."""

    def __init__(self, *args: Any, footer_text: str, page_width: float, text_size: float, running_head: str | None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.footer_text, self.page_width, self.text_size = footer_text, page_width, text_size
        self.running_head = running_head  # the topic, printed over every page but the first with its section
        self.pages_done = 0
        self.heading_pages: dict[str, int] = {}
        self.contents_keys: set[str] = set()
        self.sections_begun: list[str] = []  # top-level headings placed on the page being laid out
        self.section = ""  # the section the page began in
        self.heads: list[str] = []  # each page's running head, known when the page is done

    def place_head(self, page_height: float) -> None:
        """At the start of a page (so it reads first), the running head: a form whose text, the section the
        page begins in or the first one that begins on it, is known only when the page is done."""
        if not self.running_head or self.getPageNumber() == 1:
            return
        left, y = (self.page_width - TEXT_WIDTH) / 2, page_height - MIN_EDGE - FOOTER_SIZE - 2 * mm
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(left, y - 4, left + TEXT_WIDTH, y - 4)
        self.translate(left, y)
        self.doForm(head_form(self.getPageNumber()))
        self.restoreState()

    def end_page(self) -> None:
        """At the end of a page: its footer, and the text of its running head."""
        self.draw_footer()
        begun = self.sections_begun or [self.section]
        self.heads.append(f"{self.running_head} · {begun[0]}" if begun[0] else str(self.running_head))
        self.section, self.sections_begun = begun[-1], []

    def draw_footer(self) -> None:
        self.pages_done += 1
        left = (self.page_width - TEXT_WIDTH) / 2
        y = MIN_EDGE + 2 * mm
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(left, y + 10, left + TEXT_WIDTH, y + 10)
        self.setFont(fonts.REGULAR, FOOTER_SIZE)
        self.setFillColor(INK)
        room = TEXT_WIDTH - stringWidth("page 999 of 999", fonts.REGULAR, FOOTER_SIZE) - 6 * mm
        self.drawString(left, y, shorten(self.footer_text, fonts.REGULAR, FOOTER_SIZE, room))
        self.translate(left + TEXT_WIDTH, y)
        self.doForm(page_form(self.pages_done))
        self.restoreState()

    def save(self) -> None:
        total = self.pages_done
        for number in range(1, total + 1):
            self._number_form(page_form(number), f"page {number} of {total}", FOOTER_SIZE)
        for key in sorted(self.contents_keys):
            self._number_form(contents_form(key), str(self.heading_pages.get(key, "")), self.text_size)
        if self.running_head:
            for number, head in enumerate(self.heads[1:], start=2):
                self.beginForm(head_form(number), lowerx=0, lowery=-FOOTER_SIZE, upperx=TEXT_WIDTH,
                               uppery=2 * FOOTER_SIZE)
                self.setFont(fonts.REGULAR, FOOTER_SIZE)
                self.setFillColor(INK)
                self.drawString(0, 0, shorten(head, fonts.REGULAR, FOOTER_SIZE, TEXT_WIDTH))
                self.endForm()
        super().save()

    def _number_form(self, name: str, text: str, size: float) -> None:
        """A form holding `text` right-aligned at its origin."""
        self.beginForm(name, lowerx=-200, lowery=-size, upperx=0, uppery=2 * size)
        self.setFont(fonts.REGULAR, size)
        self.setFillColor(INK)
        self.drawRightString(0, 0, text)
        self.endForm()


class _Doc(BaseDocTemplate):
    """Records the page each heading lands on and adds it to the outline, nested by level."""

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Heading):
            self.canv.heading_pages[flowable.key] = self.page
            self.canv.addOutlineEntry(flowable.title, flowable.key, level=flowable.level, closed=False)
            if flowable.level == 0:
                self.canv.sections_begun.append(flowable.title)


def render_pdf(content: Content, story: list[Flowable], *, paper: str, timestamp: int, margin: float,
               title: str, subject: str, keywords: list[str], text_size: float,
               running_head: bool = False) -> tuple[bytes, int]:
    """Lay out `story` on `paper`; return the PDF bytes and the page count.

    The text column is TEXT_WIDTH on every paper (centred), so A4 and Letter wrap lines alike and
    only the page height differs."""
    fonts.register()
    out = io.BytesIO()
    topic = content.topic
    page_width = PAPERS[paper][0]
    side = (page_width - TEXT_WIDTH) / 2
    doc = _Doc(out, pagesize=PAPERS[paper], leftMargin=side, rightMargin=side, topMargin=margin,
               bottomMargin=margin, title=title, author=", ".join(topic.authors), subject=subject,
               keywords=keywords, lang=topic.language, displayDocTitle=True, initialFontName=fonts.REGULAR,
               creator=f"factpack {__version__}", producer=f"factpack {__version__}", invariant=1)
    frame = Frame(side, margin, doc.width, doc.height, id="body", leftPadding=0, rightPadding=0)
    page_height = PAPERS[paper][1]
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=lambda canv, _: canv.place_head(page_height),
                                       onPageEnd=lambda canv, _: canv.end_page())])
    canvas_class = partial(_Canvas, footer_text=f"{topic.title} · last reviewed {topic.last_reviewed.isoformat()}",
                           page_width=page_width, text_size=text_size,
                           running_head=topic.title if running_head else None)
    try:
        with dated(timestamp):
            doc.build(story, canvasmaker=canvas_class)
    except LayoutError as exc:
        detail = re.sub(r"\s+", " ", str(exc))[:160]
        raise ContentError([Problem(1, 1, content.file, "", f"something is too large to fit on one page, such as "
                                    f"a table row or a very long heading; shorten it ({detail})")]) from None
    return fonts.distinct_subset_tags(out.getvalue()), doc.page
