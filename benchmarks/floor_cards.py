"""Floor: printable flash cards alone: a ReportLab canvas with a 2 x 4 grid of cards per page, fronts on one
page and backs on the next (columns mirrored for duplex), the text each face of the build prints: a label
line (section and card id) with the status label, the question or the answer (in bold), and on the back the
short source line. Text is wrapped once at 11 pt with `simpleSplit` (the build shrinks text until it fits;
that work is its own) and drawn with `drawString`; crop marks are four lines per card corner.
invariant=1, as the project's PDFs; other ReportLab settings at their defaults, see _common.py."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from _common import FACES, STATUS_LABELS, load, numbers, output_folder, paths, section_cards, short_source

REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"
SIZE, LEADING, LABEL_SIZE = 11, 14, 7
COLUMNS, ROWS, MARGIN, PAD = 2, 4, 10 * mm, 4 * mm
WIDTH, HEIGHT = (A4[0] - 2 * MARGIN) / COLUMNS, (A4[1] - 2 * MARGIN) / ROWS


class Face(NamedTuple):
    label: str
    status: str
    text: str
    font: str
    source: str


def draw_face(canvas: Canvas, face: Face, x: float, y: float) -> None:
    top = y + HEIGHT - PAD - LABEL_SIZE
    canvas.setFont(REGULAR, LABEL_SIZE)
    canvas.drawString(x + PAD, top, face.label)
    if face.status in STATUS_LABELS:
        colour, label = STATUS_LABELS[face.status]
        canvas.setFillColor(HexColor(colour))
        canvas.setFont(BOLD, LABEL_SIZE)
        canvas.drawRightString(x + WIDTH - PAD, top, label)
        canvas.setFillColorRGB(0, 0, 0)
    if face.source:
        canvas.setFont(REGULAR, LABEL_SIZE)
        canvas.drawString(x + PAD, y + PAD, face.source)
    canvas.setFont(face.font, SIZE)
    for n, line in enumerate(simpleSplit(face.text, face.font, SIZE, WIDTH - 2 * PAD)):
        canvas.drawString(x + PAD, top - 2 * LEADING - n * LEADING, line)


def crop_marks(canvas: Canvas, x: float, y: float) -> None:
    for cx, cy in ((x, y), (x + WIDTH, y), (x, y + HEIGHT), (x + WIDTH, y + HEIGHT)):
        canvas.line(cx - 2 * mm, cy, cx + 2 * mm, cy)
        canvas.line(cx, cy - 2 * mm, cx, cy + 2 * mm)


def draw_page(canvas: Canvas, faces: list[Face], mirrored: bool) -> None:
    canvas.setLineWidth(0.4)
    for i, face in enumerate(faces):
        row, column = divmod(i, COLUMNS)
        if mirrored:
            column = COLUMNS - 1 - column
        x, y = MARGIN + column * WIDTH, A4[1] - MARGIN - (row + 1) * HEIGHT
        crop_marks(canvas, x, y)
        draw_face(canvas, face, x, y)
    canvas.showPage()


def build(path: Path, out_dir: Path) -> Path:
    doc = load(path)
    cited, refs = numbers(doc), {ref["id"]: ref for ref in doc["references"]}
    out = out_dir / f"{doc['topic']['id']}-cards.pdf"
    canvas = Canvas(str(out), pagesize=A4, invariant=1)
    pairs = []
    for section, fact, card_id, front, back in section_cards(doc):
        label, status = f"{section['title']} · {card_id}", fact.get("status", "")
        pairs.append((Face(label, status, front, REGULAR, ""),
                      Face(label, status, back, BOLD, short_source(cited, refs, fact))))
    per_page = COLUMNS * ROWS
    for start in range(0, len(pairs), per_page):
        chunk = pairs[start:start + per_page]
        draw_page(canvas, [front for front, _ in chunk], mirrored=False)
        draw_page(canvas, [back for _, back in chunk], mirrored=True)
    canvas.save()
    return out


if __name__ == "__main__":
    pdfmetrics.registerFont(TTFont(REGULAR, str(FACES["regular"])))
    pdfmetrics.registerFont(TTFont(BOLD, str(FACES["bold"])))
    with output_folder() as out:
        for path in paths():
            build(path, out)
