"""Content text -> safe markup. Content is always plain text: it is escaped first, and only our
own markup is added afterwards, so nothing an author writes can become a tag or a script."""

from __future__ import annotations

import html
import re

_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)


def pdf(text: str) -> str:
    """Escape text for a ReportLab Paragraph (its markup is XML-like: & < > are special)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def anki(text: str) -> str:
    """Escape text for an Anki field (raw HTML in the reviewer); newlines become <br>."""
    return html.escape(text, quote=True).replace("\n", "<br>")


def cloze_deletions(text: str) -> list[str]:
    """The answers hidden by `{{cN::answer::hint}}` deletions, in order."""
    return [m.group(2) for m in _CLOZE.finditer(text)]


def cloze_blanked(text: str) -> str:
    """The cloze text as a question: each deletion shown as a blank (or its hint)."""
    return _CLOZE.sub(lambda m: f"[{m.group(3)}]" if m.group(3) else "[...]", text)


def cloze_filled(text: str) -> str:
    """The cloze text as an answer: each deletion replaced by its hidden words."""
    return _CLOZE.sub(lambda m: m.group(2), text)
