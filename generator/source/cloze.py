"""What a cloze deletion is in the content format: `{{cN::hidden}}` or `{{cN::hidden::hint}}`."""

from __future__ import annotations

import re

# Anki numbers cloze deletions from c1; {{c0::...}} makes no card.
CLOZE = re.compile(r"\{\{c([1-9]\d*)::(.+?)(?:::(.*?))?\}\}", re.DOTALL)


def deletions(text: str) -> list[str]:
    """The answers hidden by `{{cN::answer::hint}}` deletions, in order."""
    return [m.group(2) for m in CLOZE.finditer(text)]


def blanked(text: str) -> str:
    """The cloze text as a question: each deletion shown as a blank (or its hint)."""
    return CLOZE.sub(lambda m: f"[{m.group(3)}]" if m.group(3) else "[...]", text)


def filled(text: str) -> str:
    """The cloze text as an answer: each deletion replaced by its hidden words."""
    return CLOZE.sub(lambda m: m.group(2), text)
