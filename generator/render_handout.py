"""Content -> the study handout PDF: title block, key points, contents, sections with status labels and
linked citations, tables, and numbered references printed in full (paper cannot click)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from generator import fonts, ids, markup
from generator.model import Content, Fact, Reference, Status, Table as ContentTable
from generator.pdf_base import ACCENT, INK, RULE, SHADE, TEXT_WIDTH
from generator.pdf_common import badge_runs, boxed, contents_line, heading, legend, render_pdf, styles
from generator.run_paragraph import Run, RunParagraph

BODY_SIZE = 10.5
MARGIN = 20 * mm
LEGEND = {
    Status.APPROVED: "on a current regulatory label for this use",
    Status.OFF_LABEL: "used in practice outside the label",
    Status.INVESTIGATIONAL: "still under study",
}


def _by_number(content: Content, sources: tuple[str, ...]) -> list[tuple[int, str]]:
    """(citation number, reference id) of each source, in the order the numbers print."""
    return sorted((content.citation_numbers[s], s) for s in sources)


def _cite(content: Content, sources: tuple[str, ...]) -> str:
    """' [1, 4]' with each number linked to its reference (markup, for table cells)."""
    links = [f'<a href="#{ids.anchor("ref", ref_id)}" color="#0a3d6b">{n}</a>'
             for n, ref_id in _by_number(content, sources)]
    return " [" + ", ".join(links) + "]"


def _cite_runs(content: Content, sources: tuple[str, ...]) -> list[Run]:
    """' [1, 4]' as runs, each number linked to its reference."""
    runs = [Run(" [", fonts.REGULAR, INK)]
    for position, (number, ref_id) in enumerate(_by_number(content, sources)):
        if position:
            runs.append(Run(", ", fonts.REGULAR, INK))
        runs.append(Run(str(number), fonts.REGULAR, ACCENT, ids.anchor("ref", ref_id)))
    return runs + [Run("]", fonts.REGULAR, INK)]


def _fact(content: Content, fact: Fact, st: dict) -> RunParagraph:
    runs = [*badge_runs(fact.status), Run(" " + fact.text, fonts.REGULAR, INK), *_cite_runs(content, fact.sources)]
    return RunParagraph(runs, st["fact"], bullet="•")


def _table(content: Content, table: ContentTable, st: dict) -> list[Flowable]:
    head = [Paragraph(f"<b>{markup.pdf(c.title)}</b>", st["cell"]) for c in table.columns]
    head.append(Paragraph("<b>Sources</b>", st["cell"]))
    body = [[Paragraph(markup.pdf(cell) or "—", st["cell"]) for cell in row.cells]
            + [Paragraph(_cite(content, row.sources).strip(), st["cell"])] for row in table.rows]
    grid = Table([head] + body, repeatRows=1, hAlign="LEFT", colWidths=_widths(table, st))
    grid.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), fonts.REGULAR, 10),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    caption = heading(table.title, st["h2"], ids.anchor("table", table.id), 1)
    return [KeepTogether([caption, grid])] if len(table.rows) <= 8 else [caption, grid]


CELL_PADDING = 12  # left + right padding of a table cell, in points


def _widths(table: ContentTable, st: dict) -> list[float]:
    """Column widths: each at least as wide as its longest word (so no word breaks), the rest shared out
    by how much text each column holds; the sources column stays narrow."""
    cell = st["cell"]
    sources_width = stringWidth("Sources", fonts.BOLD, cell.fontSize) + CELL_PADDING + 2 * mm
    texts = [[c.title, *(r.cells[i] for r in table.rows)] for i, c in enumerate(table.columns)]
    longest = [max((stringWidth(w, fonts.BOLD, cell.fontSize) for t in col for w in t.split()), default=0)
               + CELL_PADDING for col in texts]
    available = TEXT_WIDTH - sources_width
    if sum(longest) >= available:  # too many long words: an even share each, the rest to the widest needs
        base = [min(need, available / len(longest)) for need in longest]
        rest, wants = available - sum(base), [need - low for need, low in zip(longest, base)]
        return [low + rest * want / (sum(wants) or 1) for low, want in zip(base, wants)] + [sources_width]
    weights = [max(len(t) for t in col) ** 0.5 for col in texts]
    spare = available - sum(longest)
    return [low + spare * w / sum(weights) for low, w in zip(longest, weights)] + [sources_width]


def _reference(number: int, ref: Reference, st: dict) -> RunParagraph:
    parts = [ref.citation]
    if ref.pmid:
        parts.append(f"PMID: {ref.pmid}.")
    if ref.doi:
        parts.append(f"doi: {ref.doi}.")
    runs = [Run(f"{number}.\u00a0\u00a0" + " ".join(parts) + " ", fonts.REGULAR, INK),
            Run(ref.url, fonts.REGULAR, ACCENT, url=ref.url)]
    return RunParagraph(runs, st["reference"], anchor=ids.anchor("ref", ref.id))


def _title_block(content: Content, st: dict) -> list[Flowable]:
    topic = content.topic
    dates = (f"Version {topic.version} · Last reviewed {topic.last_reviewed.isoformat()} · "
             f"Review due {topic.review_due.isoformat()}")
    flow: list[Flowable] = [
        Paragraph(markup.pdf(topic.title), st["title"]),
        Paragraph(markup.pdf(topic.subtitle), st["subtitle"]),
    ]
    if topic.audience:
        flow.append(Paragraph("<b>For:</b> " + markup.pdf(topic.audience), st["meta"]))
    flow += [
        Paragraph(markup.pdf(dates), st["meta"]),
        Paragraph("<b>Authors:</b> " + markup.pdf(", ".join(topic.authors)) + " · <b>Reviewers:</b> "
                  + markup.pdf(", ".join(topic.reviewers)), st["meta"]),
        Spacer(1, 3 * mm),
    ]
    return flow


def _key_points(content: Content, st: dict) -> list[Flowable]:
    section = next((s for s in content.sections if s.id == content.key_points), None)
    if section is None:
        return []
    inner = [Paragraph("<b>Key points</b>", st["h2"]), Paragraph(markup.pdf(section.intro), st["intro"])]
    inner += [_fact(content, f, st) for f in section.facts]
    return [boxed(inner, BODY_SIZE), Spacer(1, 3 * mm)]


def _contents(content: Content, flow: list[Flowable], st: dict) -> list[Flowable]:
    """The contents list: one linked line per heading of `flow`, page numbers added when the canvas saves."""
    lines = [contents_line(text, key, st["toc0" if level == 0 else "toc1"]) for key, text, level in _bookmarks(flow)]
    return [Paragraph("Contents", st["h1"]), *lines]


def story(content: Content, st: dict) -> list[Flowable]:
    """Everything the study edition prints, in reading order."""
    flow = _title_block(content, st) + _key_points(content, st)
    flow += [boxed([Paragraph("<b>Disclaimer.</b> " + markup.pdf(content.topic.disclaimer), st["meta"])], BODY_SIZE),
             Spacer(1, 2 * mm), Paragraph(legend(LEGEND), st["meta"])]
    body: list[Flowable] = []
    for section in content.reading_order():
        if section.id == content.key_points:
            continue  # already printed as the key-points box
        body.append(heading(section.title, st["h1"], ids.anchor("section", section.id), 0))
        body.append(RunParagraph([Run(section.intro, fonts.REGULAR, st["intro"].textColor)], st["intro"]))
        body += [_fact(content, fact, st) for fact in section.facts]
        for table in section.tables:
            body += _table(content, table, st)
    body.append(heading("References", st["h1"], "references", 0))
    body += [_reference(number, ref, st) for number, ref in content.numbered_references()]
    return flow + _contents(content, body, st) + body


def _bookmarks(flowables: list[Flowable]) -> list[tuple[str, str, int]]:
    """Every heading's (key, text, level), including those kept together with a table."""
    found = []
    for flowable in flowables:
        if hasattr(flowable, "bookmark"):
            found.append(flowable.bookmark)
        found += _bookmarks(getattr(flowable, "_content", []))
    return found


def render(content: Content, timestamp: int, paper: str = "a4") -> bytes:
    """The study handout as PDF bytes; identical bytes for identical content, timestamp and paper."""
    st = styles(BODY_SIZE)
    keywords = [content.topic.id] + [s.title for s in content.sections]
    data, _ = render_pdf(content, lambda: story(content, st), paper=paper, timestamp=timestamp, margin=MARGIN,
                         keywords=keywords)
    return data
