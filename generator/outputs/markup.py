"""Content text -> safe markup. Content is always plain text: it is escaped first, and only our
own markup is added afterwards, so nothing an author writes can become a tag or a script."""

from __future__ import annotations

import html


def pdf(text: str) -> str:
    """Escape text for a ReportLab Paragraph (its markup is XML-like: & < > are special)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def pdf_attribute(text: str) -> str:
    """Escape text for a double-quoted attribute of our own markup, such as a link's href."""
    return pdf(text).replace('"', "&quot;")


def anki(text: str) -> str:
    """Escape text for an Anki field: HTML, plus what Anki itself interprets in field text
    ([sound:...] tags and \\( \\) MathJax); newlines become <br>."""
    escaped = html.escape(text, quote=True).replace("[", "&#91;").replace("\\", "&#92;")
    return escaped.replace("\n", "<br>")
