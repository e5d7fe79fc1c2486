"""Reading our PDFs back the way a viewer would: text, fonts, page sizes, outline."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

STANDARD_14 = {
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica", "Helvetica-Bold",
    "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold", "Times-Italic",
    "Times-BoldItalic", "Symbol", "ZapfDingbats",
}


def reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


FOOTER_LINE = re.compile(r"^(.* · last reviewed \d{4}-\d\d-\d\d|page \d+ of \d+)$")


def text(data: bytes, footers: bool = False) -> str:
    """All page text with white space folded, so wrapped lines compare like the source.
    Running footers are left out unless asked for, so a paragraph that crosses a page reads whole."""
    lines = [line for index, page in enumerate(reader(data).pages)
             for number, line in enumerate((page.extract_text() or "").splitlines())
             if footers or not (FOOTER_LINE.match(line.strip()) or _running_head(index, number, line))]
    folded = re.sub(r"\s+", " ", " ".join(lines))
    # contents page numbers are drawn last on their page: drop their dot leaders so body text reads whole
    return folded if footers else re.sub(r"(?: \.){3,} \d+", "", folded)


def _running_head(page: int, line: int, text: str) -> bool:
    """The handout's running head: 'Topic · Section', the first line of every page but the first."""
    return page > 0 and line == 0 and " · " in text and "last reviewed" not in text


def fold(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def fonts(data: bytes) -> list[tuple[str, bool]]:
    """(base font name, embedded?) for every font any page uses."""
    found = {}
    for page in reader(data).pages:
        resources = page.get("/Resources") or {}
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            name = str(font.get("/BaseFont", "")).lstrip("/")
            descriptor = font.get("/FontDescriptor")
            embedded = bool(descriptor) and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[name] = embedded
    return sorted(found.items())


def page_sizes(data: bytes) -> set[tuple[float, float]]:
    return {(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2)) for p in reader(data).pages}


def outline_titles(data: bytes) -> list[tuple[int, str]]:
    """(depth, title) of every bookmark, in order."""
    result: list[tuple[int, str]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                result.append((depth, item.title))

    walk(reader(data).outline, 0)
    return result


def text_runs(data: bytes) -> list[tuple[int, str, float, float, float, float]]:
    """(page index, text, font size, x, y, width) of every text run, in PDF points from the lower left."""
    return [run[:6] for run in _runs(data)]


def text_runs_with_fonts(data: bytes) -> list[tuple[int, str, float, float, float, float, str]]:
    """As text_runs, plus the base font name (without the subset prefix)."""
    return _runs(data)


def _runs(data: bytes) -> list[tuple[int, str, float, float, float, float, str]]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from generator.outputs.pdf import fonts as our_fonts

    our_fonts.register()
    runs = []
    for index, page in enumerate(reader(data).pages):
        # pypdf reports the text of a form XObject (page numbers are drawn as forms) in the form's own
        # coordinates: remember where the page placed the form (the matrix at its `Do`) until the page resumes
        form: list[float | None] = [None]

        def before(operator, operands, cm, tm):
            if operator == b"Do":
                form[0] = list(cm)
            elif form[0] is not None and list(cm) == form[0]:
                form[0] = None

        def visit(text, cm, tm, font_dict, font_size, index=index):
            text = text.rstrip()
            if not text.strip():
                return
            scale = (tm[0] * cm[0]) or 1
            size = font_size * abs(scale)
            x = tm[4] * cm[0] + cm[4] + (form[0][4] if form[0] else 0)
            y = tm[5] * cm[3] + cm[5] + (form[0][5] if form[0] else 0)
            base = str(font_dict.get("/BaseFont", "")).split("+")[-1] if font_dict else our_fonts.REGULAR
            width = stringWidth(text, base if base in (our_fonts.REGULAR, our_fonts.BOLD) else our_fonts.REGULAR, size)
            runs.append((index, text, size, x, y, width, base))

        page.extract_text(visitor_text=visit, visitor_operand_before=before)
    return runs
