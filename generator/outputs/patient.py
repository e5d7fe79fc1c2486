"""Content -> one patient edition per audience (`patient_sheets`): plain language, large type, one sheet.

What each sheet prints is chosen in the content; every statement is the `plain` text of a sourced
fact, so a sheet says nothing the study edition cannot back up. The author's own words are only the
titles and the questions a reader may ask. Every sheet ends with a place to write the local emergency
number and the care team's contact, because "get help" is no help without a number to call.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from generator.outputs import Options, ids, markup
from generator.outputs.pdf import figure as pdf_figure
from generator.outputs.pdf import fonts
from generator.outputs.pdf.document import Heading, Unbroken, boxed, render_pdf, styles
from generator.outputs.pdf.style import INK, STATUS_COLOURS, STATUS_MARKS, TEXT_WIDTH
from generator.source.errors import ContentError
from generator.source.model import Content, Fact, PatientSheet, Status

BODY_SIZE = 12  # RNIB Clear Print asks for 12-14 pt; 12 pt on a 170 mm column gives about 70 characters a line
MARGIN = 15 * mm  # top and bottom; the footer sits below, 9 mm from the edge
MAX_PAGES = 2  # both sides of one sheet
PLAIN_LABELS = {  # said in words, not "[Approved]": the shape keeps them apart in grey print
    Status.APPROVED: "Approved for this use:",
    Status.OFF_LABEL: "Not approved for this use:",
    Status.INVESTIGATIONAL: "Still being studied:",
}


def sheet_for(content: Content, options: Options) -> tuple[int, PatientSheet]:
    """The sheet `options.sheet` names (the first when it names none), with its place in the file."""
    for number, sheet in enumerate(content.patient_sheets):
        if sheet.id == options.sheet or not options.sheet:
            return number, sheet
    raise KeyError(f"no patient sheet '{options.sheet}'")


def _label(status: Status) -> str:
    if status not in PLAIN_LABELS:
        return ""
    colour = STATUS_COLOURS[status].hexval()[2:]
    return f'<font color="#{colour}"><b>{STATUS_MARKS[status]}\u00a0{PLAIN_LABELS[status]}</b></font> '


def _bullet(fact: Fact, st: dict) -> Unbroken:
    """A bullet is never split between the two sides of the sheet."""
    return Unbroken(_label(fact.status) + markup.pdf_inline(fact.plain or ""), st["fact"], bulletText="•")


def _section(heading: Heading, bullets: list[Flowable]) -> KeepTogether:
    """A section is read on one side of the sheet: it moves whole to the back rather than break between its
    bullets (a section taller than a page, which the two-page limit rules out, would still break)."""
    return KeepTogether([heading, *bullets])


def _help_box(st: dict) -> Table:
    """How to get help, with lines to write the numbers on, at the full text width."""
    def label(text: str) -> Paragraph:
        return Paragraph(f"<b>{text}:</b>", st["body"])

    rows: list[list[Flowable | str]] = [
        [Paragraph("<b>How to get help.</b> In an emergency, call your local emergency number or go to the "
                   "nearest emergency department. Bring this sheet with you.", st["body"]), "", "", "", ""],
        [label("Emergency number"), "", "", "", ""],
        [label("Your care team"), "", label("Phone"), "", ""],
        ["", "", "", "", ""],  # room under the last line, inside the box
    ]
    widths = [58 * mm, 44 * mm, 24 * mm]
    margin = 5 * mm  # the write-in lines stop short of the box's edge
    box = Table(rows, colWidths=[*widths, TEXT_WIDTH - sum(widths) - margin, margin], hAlign="CENTER",
                rowHeights=[None, BODY_SIZE * 2.1, BODY_SIZE * 2.1, BODY_SIZE * 0.5])
    box.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), fonts.REGULAR, BODY_SIZE),  # empty cells too: never ReportLab's Helvetica
        ("SPAN", (0, 0), (-1, 0)), ("SPAN", (1, 1), (3, 1)),
        ("BOX", (0, 0), (-1, -1), 1.2, INK),
        ("VALIGN", (0, 1), (-1, -1), "BOTTOM"),
        ("LINEBELOW", (1, 1), (3, 1), 0.6, INK), ("LINEBELOW", (1, 2), (1, 2), 0.6, INK),
        ("LINEBELOW", (3, 2), (3, 2), 0.6, INK),
        ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 2), ("TOPPADDING", (0, 0), (-1, 0), 6),
    ]))
    return box


def story(content: Content, sheet: PatientSheet, st: dict) -> list[Flowable]:
    """Main message first, then the sheet's sections, how to get help, the questions to ask, the key points,
    the review dates and the disclaimer."""
    facts = content.fact_by_id
    topic = content.topic
    flow: list[Flowable] = [
        Paragraph(markup.pdf(sheet.title), st["title"]),
        Paragraph("Information for patients and families", st["subtitle"]),
        Spacer(1, 2 * mm),
        boxed([Paragraph(("<b>The main message:</b> " if i == 0 else "") + _label(facts[f].status)
                         + markup.pdf_inline(facts[f].plain or ""), st["body"]) for i, f in enumerate(sheet.main_message)],
              BODY_SIZE),
    ]
    for number, part in enumerate(sheet.sections):
        flow.append(_section(Heading(part.title, st["h1"], ids.anchor("patient", str(number)), 0),
                             [_bullet(facts[f], st) for f in part.facts]))
    for figure in content.figures_on_sheet(sheet.id):
        credit = f" Image: {markup.pdf(figure.attribution)}." if figure.attribution else ""
        flow.append(pdf_figure.block(content, figure, [Paragraph(markup.pdf(figure.caption) + credit, st["body"])],
                                     TEXT_WIDTH))
    flow += [Spacer(1, 3 * mm), KeepTogether(_help_box(st))]
    if sheet.questions:
        flow.append(_section(Heading("Questions you may want to ask", st["h1"], "questions", 0),
                             [Unbroken(markup.pdf_inline(question), st["fact"], bulletText="•")
                              for question in sheet.questions]))
    if sheet.key_points:
        flow.append(_section(Heading("Key points", st["h1"], "key-points", 0),
                             [_bullet(facts[f], st) for f in sheet.key_points]))
    closing = boxed([Paragraph(f"<b>Last checked:</b> {topic.last_reviewed.isoformat()} · "
                               f"<b>Next check due:</b> {topic.review_due.isoformat()}", st["meta"]),
                     Paragraph(markup.pdf_inline(topic.patient_disclaimer or topic.disclaimer), st["meta"])], BODY_SIZE)
    return [*flow, Spacer(1, 2 * mm), KeepTogether(closing)]


def _styles() -> dict:
    """The shared styles, spaced a little tighter so one sheet holds more at a large type size."""
    st = styles(BODY_SIZE)
    st["h1"].spaceBefore, st["h1"].spaceAfter = BODY_SIZE * 0.6, BODY_SIZE * 0.25
    st["fact"].spaceAfter = st["body"].spaceAfter = BODY_SIZE * 0.3
    st["fact"].leading = st["body"].leading = BODY_SIZE * 1.3  # within the 1.2-1.5 that clear-print guides give
    st["meta"] = st["body"]  # patients read the small print too: no text under the body size
    return st


def render(content: Content, options: Options) -> bytes:
    """The patient sheet `options.sheet` as PDF bytes; a sheet that would run past two pages is a content
    error."""
    number, sheet = sheet_for(content, options)
    topic, paper = content.topic, options.paper
    data, pages = render_pdf(content, story(content, sheet, _styles()), paper=paper, timestamp=options.timestamp,
                             margin=MARGIN, title=f"{sheet.title}: information for patients and families",
                             subject=f"{topic.title}, in plain language: {sheet.title}", text_size=BODY_SIZE,
                             keywords=[topic.id, sheet.id, topic.title, "patient information"])
    if pages > MAX_PAGES:
        raise ContentError([content.problem(
            f"patient_sheets[{number}].id", f"patient sheet '{sheet.id}' runs to {pages} pages on {paper} paper; "
                                            f"it must fit on {MAX_PAGES} (one sheet) with each section whole on one "
                                            f"side: choose fewer or shorter facts, or split a long section")])
    return data
