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


def text(data: bytes) -> str:
    """All page text with white space folded, so wrapped lines compare like the source."""
    pages = " ".join(page.extract_text() or "" for page in reader(data).pages)
    return re.sub(r"\s+", " ", pages)


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
