"""Content text -> safe markup. Content is always plain text: it is escaped first, and only our
own markup is added afterwards, so nothing an author writes can become a tag or a script.

Text fields that allow inline formatting (docs/content-format.md) are parsed into runs
(`generator.source.inline`); each run is escaped, then wrapped in the tags of its style and of no
other. Titles, names and versions reach the renderers as plain text and use the plain escapes.
"""

from __future__ import annotations

import html as html_module
from typing import Callable

import markupsafe

from generator.outputs.typography import keep_units
from generator.source import cloze, inline

# (opening, closing) tags for each style, outermost first; ReportLab's paragraph markup names
# superscript <super>, HTML <sup>
_PDF_TAGS = (("bold", "<b>", "</b>"), ("italic", "<i>", "</i>"), ("sub", "<sub>", "</sub>"),
             ("sup", "<super>", "</super>"))
_HTML_TAGS = (("bold", "<b>", "</b>"), ("italic", "<i>", "</i>"), ("sub", "<sub>", "</sub>"),
              ("sup", "<sup>", "</sup>"))


def pdf(text: str) -> str:
    """Escape text for a ReportLab Paragraph (its markup is XML-like: & < > are special)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def pdf_attribute(text: str) -> str:
    """Escape text for a double-quoted attribute of our own markup, such as a link's href."""
    return pdf(text).replace('"', "&quot;")


def anki(text: str) -> str:
    """Escape text for an Anki field: HTML, plus what Anki itself interprets in field text
    ([sound:...] tags and \\( \\) MathJax); newlines become <br>."""
    escaped = html_module.escape(text, quote=True).replace("[", "&#91;").replace("\\", "&#92;")
    return escaped.replace("\n", "<br>")


def _formatted(text: str, escape: Callable[[str], str], tags: tuple[tuple[str, str, str], ...]) -> str:
    parts = []
    for run in inline.parse(text):
        styles = [(opening, closing) for name, opening, closing in tags if getattr(run, name)]
        parts += [opening for opening, _ in styles] + [escape(run.text)] + [closing for _, closing in reversed(styles)]
    return "".join(parts)


def pdf_inline(text: str) -> str:
    """A formatted text field as ReportLab paragraph markup: <b> <i> <sub> <super> around escaped runs, a
    number kept on the line of its unit."""
    return _formatted(text, lambda part: pdf(keep_units(part)), _PDF_TAGS)


def anki_inline(text: str) -> str:
    """A formatted text field as an Anki field: <b> <i> <sub> <sup> around runs escaped as `anki` does."""
    return _formatted(text, anki, _HTML_TAGS)


def anki_cloze(text: str) -> str:
    """A cloze text as an Anki field: each stretch (between deletions, an answer, a hint) formatted on its
    own, the deletion syntax `{{c1::`, `::`, `}}` kept as written for Anki's cloze filter."""
    parts, position = [], 0
    for start, end in cloze.pieces(text):
        parts += [anki(text[position:start]), anki_inline(text[start:end])]
        position = end
    return "".join(parts) + anki(text[position:])


def html_inline(text: str) -> markupsafe.Markup:
    """A formatted text field for the web page (a Jinja filter): only escaped runs and our own tags, a number
    kept on the line of its unit."""
    return markupsafe.Markup(_formatted(text, lambda part: str(markupsafe.escape(keep_units(part))), _HTML_TAGS))
