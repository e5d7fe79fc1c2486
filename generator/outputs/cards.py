"""Content -> printable flashcard sheets (PDF bytes): fronts on odd pages, backs on even pages,
placed so that duplex printing puts each answer behind its question; or, without duplex, front and
back side by side with a fold line."""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from generator import __version__
from generator.outputs import Options, citations
from generator.outputs.pdf import fonts
from generator.outputs.pdf.card_layout import CARD_PADDING, SHEET_MARGIN, Box, Grid, cut_marks, make_grid, mirrored
from generator.outputs.pdf.fit_text import (
    BLOCK_GAP, LEADING, RISE, SCRIPT_SCALE, Fitted, Span, fit, line_width, shorten,
)
from generator.outputs.pdf.style import GREY, INK, PAPERS, RULE, STATUS_COLOURS, dated, status_tag
from generator.source import cloze, inline
from generator.source.errors import ContentError
from generator.source.model import BasicCard, Card, Content, Fact, Section, Status

START_SIZE, FLOOR_SIZE = 16, 9
LABEL_SIZE = 7
LABEL_BAND = 4 * mm  # room for the label line at the top of each face
PRINTER_SETTING = {
    "long-edge": "print double-sided, flip on long edge",
    "short-edge": "print double-sided, flip on short edge",
    "none": "print single-sided; cut, then fold each card on the dashed line",
}


@dataclass(frozen=True)
class Face:
    """One side of one card: the label line, the fitted text, and on the back a source line."""

    label: str
    status: Status
    text: Fitted
    source: str = ""


@dataclass(frozen=True)
class PaperCard:
    front: Face
    back: Face


Blocks = list[tuple["str | tuple[inline.Run, ...]", str]]


def _faces(card: Card) -> tuple[Blocks, Blocks]:
    """(formatted text, font) blocks of the front and the back of a card. A cloze text is formatted stretch by
    stretch (between deletions, each answer, each hint), as the loader checked it."""
    if isinstance(card, BasicCard):
        return [(card.question, fonts.REGULAR)], [(card.answer, fonts.BOLD)]

    def joined(parts: list[tuple[inline.Run, ...]]) -> tuple[inline.Run, ...]:
        return tuple(run for part in parts for run in part)

    def blank(deletion: cloze.Deletion) -> tuple[inline.Run, ...]:
        hint = inline.parse(deletion.hint) if deletion.hint else (inline.Run("..."),)
        return (inline.Run("["), *hint, inline.Run("]"))

    deletions = cloze.parse(card.cloze)
    answers = joined([part for i, d in enumerate(deletions)
                      for part in ((inline.Run("; "),) if i else (), inline.parse(d.answer))])
    front = joined(cloze.layout(card.cloze, inline.parse, blank))
    back = joined(cloze.layout(card.cloze, inline.parse, lambda d: inline.parse(d.answer)))
    return [(front, fonts.REGULAR)], [(answers, fonts.BOLD), (back, fonts.REGULAR)]


def _label(section_title: str, card_id: str, width: float) -> str:
    """'Section · card-id' on both faces (the id is stable: it names the card in the deck and the content),
    the section title shortened with an ellipsis to leave room for the id."""
    tail = f" · {card_id}"
    room = width - stringWidth(tail, fonts.REGULAR, LABEL_SIZE)
    if room <= LABEL_SIZE:  # an id as long as the card is wide: the id alone, shortened
        return shorten(card_id, fonts.REGULAR, LABEL_SIZE, width)
    return shorten(section_title, fonts.REGULAR, LABEL_SIZE, room) + tail


def _source(content: Content, fact: Fact, width: float) -> str:
    """'[3, 7] Smith AB, 2020 +1': the fact's citation numbers (as in the handout) and its first source; a
    long name (a publisher's) is shortened, and a group of many numbers ('[3, 5, …]'), never the year."""
    numbers = sorted(content.citation_numbers[ref_id] for ref_id in fact.sources)
    first = content.reference_by_id[min(fact.sources, key=content.citation_numbers.__getitem__)]
    who = first.authors[0] if first.authors else first.publisher or ""
    more = f" +{len(numbers) - 1}" if len(numbers) > 1 else ""
    tail = f", {first.year}{more}"
    group = citations.group(numbers, lambda _, text: text).replace(citations.NO_BREAK, " ")
    if stringWidth(group + tail, fonts.REGULAR, LABEL_SIZE) > width / 2:
        group = f"[{numbers[0]}, …]"
    room = width - stringWidth(f"{group} {tail}", fonts.REGULAR, LABEL_SIZE)
    return f"{group} {shorten(who, fonts.REGULAR, LABEL_SIZE, room)}{tail}"


Placed = tuple[str, Section, Fact, Card]


def print_order(content: Content, grid: Grid) -> list[Placed]:
    """The cards in the order they fill the sheets' cells: section by section, and within a section every
    fact's first card, then every fact's second card, and so on; then each cell takes the first card
    left whose fact is not that of the card beside it or above it on the sheet, because a question and
    a cloze on the same words, printed next to each other, give each other away."""
    section_at = {section.id: i for i, section in enumerate(content.sections)}
    fact_at = {fact.id: j for section in content.sections for j, fact in enumerate(section.facts)}
    card_at = {card.id: k for _, fact in content.facts() for k, card in enumerate(fact.cards)}
    waiting = sorted(content.card_paths(), key=lambda item: (section_at[item[1].id], card_at[item[3].id],
                                                             fact_at[item[2].id]))
    placed: list[Placed] = []
    while waiting:
        row, col = grid.position(len(placed) % grid.per_page)
        near = {placed[-1][2].id} if col else set()
        near |= {placed[-grid.cols][2].id} if row else set()
        pick = next((i for i, (_, _, fact, _) in enumerate(waiting) if fact.id not in near), 0)
        placed.append(waiting.pop(pick))
    return placed


def _status_width(status: Status) -> float:
    if status not in STATUS_COLOURS:
        return 0.0
    return stringWidth(status_tag(status), fonts.BOLD, LABEL_SIZE) + 2 * mm


def prepare(content: Content, options: Options) -> list[PaperCard]:
    """Every card in print order, its text fitted to the face size; cards that do not fit at the floor size
    are errors."""
    fonts.register()
    text_box = _text_box(options)
    prepared, problems = [], []
    for path, section, fact, card in print_order(content, _grid(options)):
        front_blocks, back_blocks = _faces(card)
        front = fit(front_blocks, text_box.width, text_box.height - LABEL_BAND, START_SIZE, FLOOR_SIZE)
        back = fit(back_blocks, text_box.width, text_box.height - 2 * LABEL_BAND, START_SIZE, FLOOR_SIZE)
        if front is None or back is None:
            side = "front" if front is None else "back"
            problems.append(content.problem(path, f"card '{card.id}': its {side} does not fit on the card even at "
                                                  f"{FLOOR_SIZE} pt; shorten it or choose a larger --card-size"))
            continue
        label = _label(section.title, card.id, text_box.width - _status_width(fact.status))
        source = _source(content, fact, text_box.width)
        prepared.append(PaperCard(Face(label, fact.status, front), Face(label, fact.status, back, source)))
    if problems:
        raise ContentError(problems)
    return prepared


def _draw_face(canvas: Canvas, face: Face, box: Box) -> None:
    """The label line and the centred text of one face, as one text object (fewer PDF operators)."""
    inner = box.inset(CARD_PADDING)
    top = inner.y + inner.height
    text = canvas.beginText()
    text.setFont(fonts.REGULAR, LABEL_SIZE)
    text.setFillColor(GREY)
    text.setTextOrigin(inner.x, top - LABEL_SIZE)
    text.textOut(face.label)
    if face.status in STATUS_COLOURS:
        status = status_tag(face.status)
        text.setFont(fonts.BOLD, LABEL_SIZE)
        text.setFillColor(STATUS_COLOURS[face.status])
        text.setTextOrigin(inner.x + inner.width - stringWidth(status, fonts.BOLD, LABEL_SIZE), top - LABEL_SIZE)
        text.textOut(status)
    bottom = inner.y
    if face.source:
        text.setFont(fonts.REGULAR, LABEL_SIZE)
        text.setFillColor(GREY)
        text.setTextOrigin(inner.x, inner.y + LABEL_SIZE * 0.3)  # descenders stay inside the card's padding
        text.textOut(face.source)
        bottom += LABEL_BAND
    fitted = face.text
    body_top = top - LABEL_BAND
    y = body_top - (body_top - bottom - fitted.height) / 2 - fitted.size  # centred in the space left
    centre = inner.x + inner.width / 2
    text.setFillColor(INK)
    size, state = fitted.size, ("", 0.0, 0.0)  # font, size and rise in force: each set only when it changes
    for font, lines in fitted.blocks:
        for line in lines:
            for index, span in enumerate(line or (Span("", font),)):
                # each span in its face; sub- and superscripts smaller and moved off the baseline
                wanted = (span.font, size * SCRIPT_SCALE if span.script else size,
                          size * RISE[span.script] if span.script else 0.0)
                if wanted[:2] != state[:2]:
                    text.setFont(*wanted[:2])
                if wanted[2] != state[2]:
                    text.setRise(wanted[2])
                state = wanted
                if index == 0:
                    text.setTextOrigin(centre - line_width(line, size) / 2, y)
                text.textOut(span.text)
            y -= size * LEADING
        y -= size * LEADING * BLOCK_GAP
    canvas.drawText(text)


SHEET_FORM = "sheet"  # the cut marks, the same on every sheet: drawn once, placed per page


def _define_sheet_form(canvas: Canvas, grid: Grid) -> None:
    """Crop marks outside the grid only: a card's edges are where the cuts fall, with no outline to miss."""
    canvas.beginForm(SHEET_FORM)
    canvas.setStrokeColor(colors.black)
    canvas.setLineWidth(0.4)
    for x1, y1, x2, y2 in cut_marks(grid):
        canvas.line(x1, y1, x2, y2)
    canvas.endForm()


def _draw_fold_line(canvas: Canvas, cell: Box) -> None:
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.3)
    canvas.setDash(3, 3)
    canvas.line(cell.x + cell.width / 2, cell.y, cell.x + cell.width / 2, cell.y + cell.height)
    canvas.restoreState()


def _draw_sheet_furniture(canvas: Canvas, grid: Grid, footer: str) -> None:
    canvas.doForm(SHEET_FORM)
    canvas.setFont(fonts.REGULAR, 8)
    canvas.setFillColor(INK)
    canvas.drawCentredString(grid.page_width / 2, 11 * mm,
                             shorten(footer, fonts.REGULAR, 8, grid.page_width - 2 * SHEET_MARGIN))


def sheets_needed(content: Content, options: Options) -> tuple[int, int]:
    """(sheets of paper, cards a sheet) that these cards take with these options."""
    grid = _grid(options)
    cards = sum(1 for _ in content.cards())
    return -(-cards // grid.per_page), grid.per_page


def _grid(options: Options) -> Grid:
    return make_grid(PAPERS[options.paper], options.card_size, options.duplex)


def _text_box(options: Options) -> Box:
    """The room for text on one face of a card of the chosen size and duplex mode."""
    grid = _grid(options)
    face_width = grid.cell_width / 2 if options.duplex == "none" else grid.cell_width
    return Box(0, 0, face_width, grid.cell_height).inset(CARD_PADDING)


def render(content: Content, options: Options) -> bytes:
    """The card sheets as PDF bytes; byte-identical for identical content and options."""
    fonts.register()
    grid = _grid(options)
    side_by_side = options.duplex == "none"
    face_width = grid.cell_width / 2 if side_by_side else grid.cell_width
    cards = prepare(content, options)
    out = io.BytesIO()
    with dated(options.timestamp):
        canvas = Canvas(out, pagesize=PAPERS[options.paper], invariant=1, lang=content.topic.language,
                        initialFontName=fonts.REGULAR)
    topic = content.topic
    canvas.setTitle(f"{topic.title}: flashcards")
    canvas.setAuthor(", ".join(topic.authors))
    canvas.setSubject(topic.subtitle)
    canvas.setKeywords([topic.id, topic.title, "flashcards"])
    canvas.setCreator(f"factpack {__version__}")
    canvas.setProducer(f"factpack {__version__}")
    canvas.setViewerPreference("DisplayDocTitle", "true")
    _define_sheet_form(canvas, grid)
    sheets = [cards[i:i + grid.per_page] for i in range(0, len(cards), grid.per_page)]
    setting = PRINTER_SETTING[options.duplex]
    for number, sheet in enumerate(sheets, start=1):
        where = f"{topic.title} flashcards · sheet {number} of {len(sheets)}"
        if side_by_side:
            canvas.addPageLabel(number - 1, prefix=f"sheet {number}")  # what a viewer's page box shows
            _draw_sheet_furniture(canvas, grid, f"{where} · {setting}")
            for index, card in enumerate(sheet):
                cell = grid.cell(*grid.position(index))
                _draw_fold_line(canvas, cell)
                _draw_face(canvas, card.front, Box(cell.x, cell.y, face_width, cell.height))
                _draw_face(canvas, card.back, Box(cell.x + face_width, cell.y, face_width, cell.height))
            canvas.showPage()
            continue
        canvas.addPageLabel(2 * number - 2, prefix=f"sheet {number} fronts")  # a reprint of one sheet names
        _draw_sheet_furniture(canvas, grid, f"{where} · fronts · {setting}")  # its pages, not page 17 and 18
        for index, card in enumerate(sheet):
            _draw_face(canvas, card.front, grid.cell(*grid.position(index)))
        canvas.showPage()
        canvas.addPageLabel(2 * number - 1, prefix=f"sheet {number} backs")
        _draw_sheet_furniture(canvas, grid, f"{where} · backs · {setting}")
        for index, card in enumerate(sheet):
            _draw_face(canvas, card.back, grid.cell(*mirrored(grid, *grid.position(index), options.duplex)))
        canvas.showPage()
    canvas.save()
    return fonts.distinct_subset_tags(out.getvalue())
