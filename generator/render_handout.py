"""Content -> the study handout PDF (bytes): title block, sections, facts with status and citations,
tables, numbered references with their full URLs (paper cannot click)."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate, Flowable, Frame, KeepTogether, PageTemplate, Paragraph, Spacer, Table, TableStyle,
)

from generator import fonts, ids, markup
from generator.model import Content, Fact, Reference, Status, Table as ContentTable
from generator.pdf_common import ACCENT, PAPERS, RULE, SHADE, STATUS_COLOURS, badge, canvas_class, styles

BODY_SIZE = 10.5
MARGIN = 20 * mm


class _Doc(BaseDocTemplate):
    """Adds one PDF bookmark per heading, nested by level, keyed by content ids."""

    def afterFlowable(self, flowable: Flowable) -> None:
        key = getattr(flowable, "bookmark_key", None)
        if key:
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.bookmark_title, key, level=flowable.bookmark_level, closed=False)


def _heading(text: str, style: Any, key: str, level: int) -> Paragraph:
    para = Paragraph(f'<a name="{key}"/>{markup.pdf(text)}', style)
    para.bookmark_key, para.bookmark_title, para.bookmark_level = key, text, level
    return para


def _cite(content: Content, sources: tuple[str, ...]) -> str:
    numbers = sorted(content.citation_numbers[s] for s in sources)
    by_number = {content.citation_numbers[s]: s for s in sources}
    links = [f'<a href="#{ids.anchor("ref", by_number[n])}" color="#0a3d6b">{n}</a>' for n in numbers]
    return " [" + ", ".join(links) + "]"


def _fact(content: Content, fact: Fact, st: dict) -> Paragraph:
    return Paragraph(badge(fact.status) + markup.pdf(fact.text) + _cite(content, fact.sources), st["fact"],
                     bulletText="•")


def _table(content: Content, table: ContentTable, st: dict) -> list[Flowable]:
    head = [Paragraph(f"<b>{markup.pdf(c.title)}</b>", st["cell"]) for c in table.columns] + [
        Paragraph("<b>Sources</b>", st["cell"])]
    body = [[Paragraph(markup.pdf(cell) or "—", st["cell"]) for cell in row.cells]
            + [Paragraph(_cite(content, row.sources).strip(), st["cell"])] for row in table.rows]
    grid = Table([head] + body, repeatRows=1, hAlign="LEFT")
    grid.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), fonts.REGULAR, BODY_SIZE * 0.9),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    caption = _heading(table.title, st["h2"], ids.anchor("table", table.id), 1)
    return [KeepTogether([caption, grid])] if len(table.rows) <= 8 else [caption, grid]


def _reference(number: int, ref: Reference, st: dict) -> Paragraph:
    parts = [ref.citation]
    if ref.pmid:
        parts.append(f"PMID: {ref.pmid}.")
    if ref.doi:
        parts.append(f"doi: {ref.doi}.")
    text = " ".join(markup.pdf(p) for p in parts)
    url = markup.pdf(ref.url)
    return Paragraph(f'<a name="{ids.anchor("ref", ref.id)}"/>{number}.&nbsp;&nbsp;{text} '
                     f'<a href="{url}" color="#0a3d6b">{url}</a>', st["reference"])


def _title_block(content: Content, st: dict) -> list[Flowable]:
    topic = content.topic
    meta = [f"Version {topic.version}", f"Last reviewed {topic.last_reviewed.isoformat()}",
            f"Review due {topic.review_due.isoformat()}"]
    flow: list[Flowable] = [
        Paragraph(markup.pdf(topic.title), st["title"]),
        Paragraph(markup.pdf(topic.subtitle), st["subtitle"]),
    ]
    if topic.audience:
        flow.append(Paragraph("<b>For:</b> " + markup.pdf(topic.audience), st["meta"]))
    flow += [
        Paragraph(" · ".join(markup.pdf(m) for m in meta), st["meta"]),
        Paragraph("<b>Authors:</b> " + markup.pdf(", ".join(topic.authors)) + " · <b>Reviewers:</b> "
                  + markup.pdf(", ".join(topic.reviewers)), st["meta"]),
        Spacer(1, 3 * mm),
        _boxed(Paragraph("<b>Disclaimer.</b> " + markup.pdf(topic.disclaimer), st["meta"])),
        Spacer(1, 2 * mm),
        Paragraph(_legend(), st["meta"]),
    ]
    return flow


def _legend() -> str:
    explained = {
        Status.APPROVED: "on a current regulatory label for this use",
        Status.OFF_LABEL: "used in practice outside the label",
        Status.INVESTIGATIONAL: "still under study",
    }
    return "<b>Labels:</b> " + "; ".join(badge(s) + explained[s] for s in STATUS_COLOURS) + "."


def _boxed(flowable: Flowable) -> Table:
    box = Table([[flowable]], hAlign="LEFT")
    box.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), fonts.REGULAR, BODY_SIZE),
        ("BACKGROUND", (0, 0), (-1, -1), SHADE),
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
    ]))
    return box


def story(content: Content, st: dict) -> list[Flowable]:
    flow = _title_block(content, st)
    for section in content.sections:
        flow.append(_heading(section.title, st["h1"], ids.anchor("section", section.id), 0))
        flow.append(Paragraph(markup.pdf(section.intro), st["intro"]))
        flow += [_fact(content, fact, st) for fact in section.facts]
        for table in section.tables:
            flow += _table(content, table, st)
    flow.append(_heading("References", st["h1"], "references", 0))
    flow += [_reference(number, ref, st) for number, ref in content.numbered_references()]
    return flow


def render(content: Content, timestamp: int, paper: str = "a4") -> bytes:
    """The study handout as PDF bytes; identical bytes for identical content, timestamp and paper."""
    fonts.register()
    st = styles(BODY_SIZE)
    out = io.BytesIO()
    topic = content.topic
    doc = _Doc(out, pagesize=PAPERS[paper], leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
               bottomMargin=MARGIN, title=topic.title, author=", ".join(topic.authors), subject=topic.subtitle,
               keywords=[topic.id], lang=topic.language, displayDocTitle=True, initialFontName=fonts.REGULAR,
               initialFontSize=BODY_SIZE, creator="factpack", producer="factpack", invariant=1)
    frame = Frame(MARGIN, MARGIN, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    footer = f"{topic.title} · last reviewed {topic.last_reviewed.isoformat()}"
    doc.build(story(content, st), canvasmaker=canvas_class(timestamp, footer))
    return out.getvalue()

