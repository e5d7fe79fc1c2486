"""Content text -> safe markup. Content is always plain text: it is escaped first, and only our
own markup is added afterwards, so nothing an author writes can become a tag or a script."""

from __future__ import annotations

import html
import re

# Anki numbers cloze deletions from c1; {{c0::...}} makes no card.
CLOZE = re.compile(r"\{\{c([1-9]\d*)::(.+?)(?:::(.*?))?\}\}", re.DOTALL)


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


def cloze_deletions(text: str) -> list[str]:
    """The answers hidden by `{{cN::answer::hint}}` deletions, in order."""
    return [m.group(2) for m in CLOZE.finditer(text)]


def cloze_blanked(text: str) -> str:
    """The cloze text as a question: each deletion shown as a blank (or its hint)."""
    return CLOZE.sub(lambda m: f"[{m.group(3)}]" if m.group(3) else "[...]", text)


def cloze_filled(text: str) -> str:
    """The cloze text as an answer: each deletion replaced by its hidden words."""
    return CLOZE.sub(lambda m: m.group(2), text)
