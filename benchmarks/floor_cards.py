"""Floor: printable flash cards alone: a ReportLab canvas with a 2 x 4 grid of card boxes per page,
questions on a front page and answers on the back page (columns mirrored for duplex printing).
invariant=1, as the project's PDFs; other ReportLab settings at their defaults, see _common.py."""

from __future__ import annotations

import tempfile
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from _common import FONT, cards, load, paths

FONT_NAME, SIZE, LEADING = "DejaVuSans", 11, 14
COLUMNS, ROWS, MARGIN, PAD = 2, 4, 10 * mm, 4 * mm
WIDTH, HEIGHT = (A4[0] - 2 * MARGIN) / COLUMNS, (A4[1] - 2 * MARGIN) / ROWS


def draw_page(canvas: Canvas, texts: list[str], mirrored: bool) -> None:
    canvas.setFont(FONT_NAME, SIZE)
    for i, text in enumerate(texts):
        row, column = divmod(i, COLUMNS)
        if mirrored:
            column = COLUMNS - 1 - column
        x, y = MARGIN + column * WIDTH, A4[1] - MARGIN - (row + 1) * HEIGHT
        canvas.rect(x, y, WIDTH, HEIGHT)
        top = y + HEIGHT - PAD - SIZE
        for n, line in enumerate(simpleSplit(text, FONT_NAME, SIZE, WIDTH - 2 * PAD)):
            canvas.drawString(x + PAD, top - n * LEADING, line)
    canvas.showPage()


def build(path: Path, out_dir: Path) -> Path:
    doc = load(path)
    out = out_dir / f"{doc['topic']['id']}-cards.pdf"
    canvas = Canvas(str(out), pagesize=A4, invariant=1)
    every = list(cards(doc))
    per_page = COLUMNS * ROWS
    for start in range(0, len(every), per_page):
        chunk = every[start:start + per_page]
        draw_page(canvas, [front for _, front, _ in chunk], mirrored=False)
        draw_page(canvas, [back for _, _, back in chunk], mirrored=True)
    canvas.save()
    return out


if __name__ == "__main__":
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT)))
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths():
            build(path, Path(tmp))
