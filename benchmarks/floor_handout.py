"""Floor: the handout alone, every fact text as one ReportLab Paragraph in the embedded DejaVu Sans, on A4
(invariant=1, as the project's PDFs; other ReportLab settings at their defaults, see _common.py)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate

from _common import FONT, facts, load, paths


def build(path: Path, out_dir: Path, style: ParagraphStyle) -> Path:
    doc = load(path)
    out = out_dir / f"{doc['topic']['id']}-handout.pdf"
    story = [Paragraph(escape(fact["text"]), style) for fact in facts(doc)]
    SimpleDocTemplate(str(out), pagesize=A4, invariant=1).build(story)
    return out


if __name__ == "__main__":
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT)))
    body = ParagraphStyle("body", fontName="DejaVuSans", fontSize=10.5, leading=14, spaceAfter=5)
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths():
            build(path, Path(tmp), body)
