"""Content -> the one-sheet patient edition: plain-language text only, large type, at most two pages.

What it prints is chosen in the content (`patient_sheet`); every line is the `plain` text of a
sourced fact, so the sheet says nothing the study edition cannot back up.
"""

from __future__ import annotations

import dataclasses

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from generator.outputs import Options, ids, markup
from generator.outputs.pdf.document import Heading, Unbroken, badge, boxed, legend, render_pdf, styles
from generator.source.errors import ContentError
from generator.source.model import Content, Fact, Status

BODY_SIZE = 12  # RNIB Clear Print asks for 12-14 pt; 12 pt on a 170 mm column gives about 70 characters a line
MARGIN = 18 * mm  # top and bottom; the footer sits below, 9 mm from the edge
MAX_PAGES = 2  # both sides of one sheet
LEGEND = {
    Status.APPROVED: "the medicine is approved for this use",
    Status.OFF_LABEL: "doctors use it this way, but it is not approved for it",
    Status.INVESTIGATIONAL: "still being studied",
}


def _bullet(fact: Fact, st: dict) -> Unbroken:
    """A bullet is never split between the two sides of the sheet."""
    return Unbroken(badge(fact.status) + markup.pdf(fact.plain or ""), st["fact"], bulletText="•")


def story(content: Content, st: dict) -> list[Flowable]:
    """Main message first, then the chosen sections, key points, review date and disclaimer."""
    sheet = content.patient_sheet
    facts = content.fact_by_id
    topic = content.topic
    flow: list[Flowable] = [
        Paragraph(markup.pdf(topic.title), st["title"]),
        Paragraph("Information for patients and families", st["subtitle"]),
        Spacer(1, 2 * mm),
        boxed([Paragraph(("<b>The main message:</b> " if i == 0 else "") + badge(facts[f].status)
                         + markup.pdf(facts[f].plain or ""), st["body"]) for i, f in enumerate(sheet.main_message)],
              BODY_SIZE),
    ]
    for number, part in enumerate(sheet.sections):
        flow.append(Heading(part.title, st["h1"], ids.anchor("patient", str(number)), 0))
        flow += [_bullet(facts[f], st) for f in part.facts]
    flow.append(Heading("Key points", st["h1"], "key-points", 0))
    flow += [_bullet(facts[f], st) for f in sheet.key_points]
    flow += [
        Spacer(1, 2 * mm),
        boxed([Paragraph(legend(LEGEND, {facts[f].status for f in sheet.fact_ids()}), st["meta"]),
               Paragraph(f"<b>Last reviewed:</b> {topic.last_reviewed.isoformat()} · "
                         f"<b>Review due:</b> {topic.review_due.isoformat()}", st["meta"]),
               Paragraph(markup.pdf(topic.disclaimer), st["meta"])], BODY_SIZE),
    ]
    return flow


def _styles() -> dict:
    """The shared styles, spaced a little tighter so one sheet holds more at a large type size."""
    st = styles(BODY_SIZE)
    st["h1"].spaceBefore, st["h1"].spaceAfter = BODY_SIZE * 0.6, BODY_SIZE * 0.25
    st["fact"].spaceAfter = st["body"].spaceAfter = BODY_SIZE * 0.3
    st["fact"].leading = st["body"].leading = BODY_SIZE * 1.3  # within the 1.2-1.5 that clear-print guides give
    st["meta"] = st["body"]  # patients read the small print too: no text under the body size
    return st


def render(content: Content, options: Options) -> bytes:
    """The patient sheet as PDF bytes; a sheet that would run past two pages is a content error."""
    topic, paper = content.topic, options.paper
    data, pages = render_pdf(content, story(content, _styles()), paper=paper, timestamp=options.timestamp,
                             margin=MARGIN, title=f"{topic.title}: information for patients and families",
                             subject=f"{topic.title}, in plain language", text_size=BODY_SIZE,
                             keywords=[topic.id, topic.title, "patient information"])
    if pages > MAX_PAGES:
        problem = content.problem("patient_sheet.main_message[0]",
                                  f"the patient sheet runs to {pages} pages on {paper} paper; "
                                  f"it must fit on {MAX_PAGES} (one sheet): choose fewer or shorter facts")
        raise ContentError([dataclasses.replace(problem, path="patient_sheet")])
    return data
