"""Content -> the study handout PDF: title block, key points, contents, sections with status labels and
linked citations, tables, and numbered references printed in full (paper cannot click)."""

from __future__ import annotations

import re

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from generator.outputs import Options, citations, figures, ids, markup
from generator.outputs.pdf import fonts
from generator.outputs.pdf import figure as pdf_figure
from generator.outputs.pdf.document import (
    CaptionedTable, ContentsLine, Heading, badge, boxed, legend, render_pdf, styles,
)
from generator.outputs.pdf.style import ACCENT, RULE, SHADE, TEXT_WIDTH
from generator.outputs.typography import keep_units
from generator.source import inline
from generator.source.model import Content, Fact, Figure, Reference, Status, Table as ContentTable, sentence

BODY_SIZE = 10.5
INSET = 10 * mm  # text on 150 mm (about 73 characters a line at 10.5 pt); tables on the full 170 mm
MEASURE = TEXT_WIDTH - 2 * INSET
MARGIN = 20 * mm
LEGEND = {
    Status.APPROVED: "on a current regulatory label for this use",
    Status.OFF_LABEL: "used in practice outside the label",
    Status.INVESTIGATIONAL: "still under study",
}


def _by_number(content: Content, sources: tuple[str, ...]) -> list[tuple[int, str]]:
    """(citation number, reference id) of each source, in the order the numbers print."""
    return sorted((content.citation_numbers[s], s) for s in sources)


LINK_COLOUR = ACCENT.hexval()[2:]


def _cite(content: Content, sources: tuple[str, ...]) -> str:
    """'[1, 3–5]', each number or range linked to its (first) reference in the list."""
    by_number = dict(_by_number(content, sources))
    return citations.group(list(by_number), lambda number, text: (
        f'<a href="#{ids.anchor("ref", by_number[number])}" color="#{LINK_COLOUR}">{text}</a>'))


def _fact(content: Content, fact: Fact, st: dict) -> Paragraph:
    """A fact with its status label, glued to its citations so that they never stand alone on a line, and
    after them the figures that show it ('see Figure 2'), linked."""
    numbers = [(content.figure_numbers[figure.id], figure.id) for figure in content.figures_of_fact.get(fact.id, ())]
    see = figures.see_also(numbers, lambda text, figure_id: (
        f'<a href="#{ids.anchor("figure", figure_id)}" color="#{LINK_COLOUR}">{text}</a>'))
    return Paragraph(f"{badge(fact.status)}{markup.pdf_inline(fact.text)}{citations.NO_BREAK}"
                     f"{_cite(content, fact.sources)}{' (' + see + ')' if see else ''}", st["fact"], bulletText="•")


def _figure(content: Content, figure: Figure, st: dict) -> tuple[Heading, Flowable]:
    """A figure with its numbered caption (a contents entry and link destination) and its sources."""
    number = content.figure_numbers[figure.id]
    caption = Heading(figure.caption, st["figure"], ids.anchor("figure", figure.id), 1,
                      printed=f"Figure {number}. {figure.caption}")
    credit = f" Image: {markup.pdf(figure.attribution)}." if figure.attribution else ""
    data = ""
    if figure.chart is not None:
        table = content.table_by_id[figure.chart.table]
        data = (f'Data: <a href="#{ids.anchor("table", table.id)}" color="#{LINK_COLOUR}">'
                f'Table\u00a0{content.table_numbers[table.id]}</a>. ')
    sources = Paragraph(f"{data}Sources: {_cite(content, figure.sources)}.{credit}", st["figure_sources"])
    return caption, pdf_figure.block(content, figure, [caption, sources], TEXT_WIDTH)


def _table(content: Content, table: ContentTable, caption: Heading, number: int, st: dict) -> list[Flowable]:
    cell, widths = _layout(content, table, st["cell"])
    head = [Paragraph(f"<b>{markup.pdf_inline(c.title)}</b>", cell) for c in table.columns]
    head.append(Paragraph("<b>Sources</b>", cell))
    body = [[Paragraph(markup.pdf_inline(text) or "—", cell) for text in row.cells]
            + [_sources_cell(content, row.sources, cell, widths[-1])] for row in table.rows]
    grid = Table([head] + body, repeatRows=1, hAlign="LEFT", colWidths=widths)
    grid.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), fonts.REGULAR, cell.fontSize),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return [CaptionedTable(caption, grid, f"Table {number} (continued)")]


CELL_PADDING = 12  # left + right padding of a table cell, in points
CELL_SIZES = (10, 9.5, 9, 8.5)  # a table with many columns is set smaller rather than break its words
MAX_SOURCES_WIDTH = TEXT_WIDTH / 4
_BREAKS = re.compile(r"[^\S\u00a0]+")  # where a line may break: white space, but not a no-break space


def _plain_group(content: Content, sources: tuple[str, ...]) -> str:
    return citations.group([number for number, _ in _by_number(content, sources)], lambda _, text: text)


def _sources_cell(content: Content, sources: tuple[str, ...], style: ParagraphStyle, width: float) -> Paragraph:
    """A row's citation group, unbroken; only a group wider than the capped column breaks, after a comma."""
    group = _cite(content, sources)
    if stringWidth(_plain_group(content, sources), fonts.BOLD, style.fontSize) + CELL_PADDING > width:
        group = group.replace("," + citations.NO_BREAK, ", ")
    return Paragraph(group, style)


def _layout(content: Content, table: ContentTable, cell: ParagraphStyle) -> tuple[ParagraphStyle, list[float]]:
    """The cell style and column widths: the largest of CELL_SIZES at which every column is as wide as its
    longest word (no word breaks) and the sources column as its longest citation group (which never
    breaks); the rest of the width shared out by how much text each column holds."""
    # as read, measured in bold: never narrower than the formatted text (italics are as wide, scripts narrower)
    texts = [[inline.plain(t) for t in (c.title, *(r.cells[i] for r in table.rows))] for i, c in enumerate(table.columns)]
    words = [[w for t in col for w in _BREAKS.split(keep_units(t))] for col in texts]  # a number and its unit: one word
    groups = ["Sources"] + [_plain_group(content, row.sources) for row in table.rows]
    for size in CELL_SIZES:
        widest = max(stringWidth(text, fonts.BOLD, size) for text in groups) + CELL_PADDING + 2 * mm
        sources_width = min(widest, MAX_SOURCES_WIDTH)  # a row citing a dozen scattered references breaks its group
        longest = [max((stringWidth(w, fonts.BOLD, size) for w in col), default=0) + CELL_PADDING for col in words]
        if sum(longest) + sources_width <= TEXT_WIDTH or size == CELL_SIZES[-1]:
            break
    style = ParagraphStyle(f"cell {size}", parent=cell, fontSize=size, leading=size * cell.leading / cell.fontSize)
    available = TEXT_WIDTH - sources_width
    if sum(longest) >= available:  # too many long words even at the smallest size: an even share each, the
        base = [min(need, available / len(longest)) for need in longest]  # rest to the widest needs
        rest, wants = available - sum(base), [need - low for need, low in zip(longest, base)]
        return style, [low + rest * want / (sum(wants) or 1) for low, want in zip(base, wants)] + [sources_width]
    weights = [max(len(t) for t in col) ** 0.5 for col in texts]
    spare = available - sum(longest)
    return style, [low + spare * w / sum(weights) for low, w in zip(longest, weights)] + [sources_width]


def _reference(number: int, ref: Reference, st: dict) -> Paragraph:
    venue = ref.published_in.rstrip(".")  # the journal or site in italics, as medical citation styles print it
    parts = [f"{markup.pdf(sentence(ref.credit))} {markup.pdf_inline(sentence(ref.title))}",
             f"<i>{markup.pdf(venue)}</i>. {markup.pdf(ref.locator)}."]  # AMA: Journal. 2021;178(2):193–202.
    if ref.pmid:
        parts.append(f"PMID:\u00a0{_link(f'https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/', ref.pmid)}.")  # label and number together
    if ref.doi:
        parts.append(f"doi:\u00a0{_link(f'https://doi.org/{ref.doi}', ref.doi)}.")
    if ref.url_is_extra:
        parts.append(_url(ref.url, st["reference"]))
    return Paragraph(f'<a name="{ids.anchor("ref", ref.id)}"/>{number}.\u00a0\u00a0{" ".join(parts)}', st["reference"])


def _url(url: str, style: ParagraphStyle) -> str:
    """A URL as a link. One longer than a line would be cut anywhere, mid-name included: it starts a line of
    its own instead and breaks only after a slash; a name longer than a line breaks before a hyphen, so that
    no line ends in a hyphen a reader would take for a word break (the next line starts with it)."""
    width = TEXT_WIDTH - style.leftIndent - style.rightIndent
    if stringWidth(url, style.fontName, style.fontSize) <= width:
        return _link(url, url)
    def fits(text: str) -> bool:
        return stringWidth(text, style.fontName, style.fontSize) <= width

    parts = [piece for part in re.split(r"(?<=/)(?!/)", url)  # after each slash, never inside '//'
             for piece in ([part] if fits(part) else re.split(r"(?<!-)(?=-)", part))]  # a too-long name: before '-'
    lines = [""]
    for part in parts:
        if lines[-1] and not fits(lines[-1] + part):
            lines.append(part)
        else:
            lines[-1] += part
    return "<br/>" + "<br/>".join(_link(url, line) for line in lines)


def _link(url: str, text: str) -> str:
    return f'<a href="{markup.pdf_attribute(url)}" color="#{LINK_COLOUR}">{markup.pdf(text)}</a>'


def _title_block(content: Content, st: dict) -> list[Flowable]:
    topic = content.topic
    dates = (f"Version {topic.version} · Last reviewed {topic.last_reviewed.isoformat()} · "
             f"Review due {topic.review_due.isoformat()}")
    flow: list[Flowable] = [
        Paragraph(markup.pdf(topic.title), st["title"]),
        Paragraph(markup.pdf(topic.subtitle), st["subtitle"]),
    ]
    if topic.audience:
        flow.append(Paragraph("<b>For:</b> " + markup.pdf_inline(topic.audience), st["meta"]))
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
    plain = styles(BODY_SIZE)  # inside the box, which stands on the text's measure: no inset of its own
    inner = [Paragraph("<b>Key points</b>", plain["h2"]), Paragraph(markup.pdf_inline(section.intro), plain["intro"])]
    inner += [_fact(content, f, plain) for f in section.facts]
    return [boxed(inner, BODY_SIZE, MEASURE), Spacer(1, 3 * mm)]


def _contents(headings: list[Heading], st: dict) -> list[Flowable]:
    """The contents list, on one page: one linked line per heading, with its page number."""
    lines = [ContentsLine(heading, st["toc0" if heading.level == 0 else "toc1"]) for heading in headings]
    return [KeepTogether([Paragraph("Contents", st["h1"]), *lines])]


def story(content: Content, st: dict) -> list[Flowable]:
    """Everything the study edition prints, in reading order."""
    flow = _title_block(content, st) + _key_points(content, st)
    flow += [boxed([Paragraph("<b>Disclaimer.</b> " + markup.pdf_inline(content.topic.disclaimer), styles(BODY_SIZE)["meta"])],
                   BODY_SIZE, MEASURE),
             Spacer(1, 2 * mm), Paragraph(legend(LEGEND), st["meta"])]
    body: list[Flowable] = []
    headings: list[Heading] = []
    for section in content.reading_order():
        if section.id == content.key_points:
            continue  # already printed as the key-points box
        headings.append(Heading(section.title, st["h1"], ids.anchor("section", section.id), 0))
        body += [headings[-1], Paragraph(markup.pdf_inline(section.intro), st["intro"])]
        body += [_fact(content, fact, st) for fact in section.facts]
        for table in section.tables:
            number = sum(1 for heading in headings if heading.key.startswith("table-")) + 1
            headings.append(Heading(table.title, st["caption"], ids.anchor("table", table.id), 1,
                                    printed=f"Table {number}. {table.title}"))
            body += _table(content, table, headings[-1], number, st)
        for figure in section.figures:
            caption, block = _figure(content, figure, st)
            headings.append(caption)
            body.append(block)
    headings.append(Heading("References", st["h1"], "references", 0))
    body.append(headings[-1])
    body += [_reference(number, ref, st) for number, ref in content.numbered_references()]
    return flow + _contents(headings, st) + body


def _styles() -> dict:
    st = styles(BODY_SIZE, INSET)
    st["figure"] = ParagraphStyle("figure", parent=st["body"], fontName=fonts.BOLD, spaceBefore=2, spaceAfter=1)
    st["figure_sources"] = ParagraphStyle("figure_sources", parent=st["meta"], spaceAfter=BODY_SIZE)
    return st


def render(content: Content, options: Options) -> bytes:
    """The study handout as PDF bytes; identical bytes for identical content and options."""
    topic = content.topic
    data, _ = render_pdf(content, story(content, _styles()), paper=options.paper,
                         timestamp=options.timestamp,
                         margin=MARGIN, title=topic.title, subject=topic.subtitle,
                         keywords=[topic.id, topic.title, "study handout"], text_size=BODY_SIZE, running_head=True)
    return data
