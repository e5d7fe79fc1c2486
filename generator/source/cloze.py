"""What a cloze deletion is in the content format: `{{cN::hidden}}` or `{{cN::hidden::hint}}`.

Read by a scanner that looks at each character a bounded number of times (a pattern with lazy
groups took seconds on one hostile 5,000-character field). As in Anki, a deletion's text runs to
the first `}}`, and a hint follows the first `::` inside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, TypeVar

from generator.source import inline

MAX_NUMBER = 999  # Anki makes card N for {{cN::...}}; far larger numbers make it refuse the deck
_OPEN, _SEPARATOR, _CLOSE = "{{c", "::", "}}"


@dataclass(frozen=True)
class Deletion:
    number: int  # 0 when written as c0, or MAX_NUMBER + 1 for any number above MAX_NUMBER
    answer: str
    hint: str | None
    start: int  # where `{{c` begins in the text
    end: int  # just after the closing `}}`


def parse(text: str) -> list[Deletion]:
    """Every deletion in `text`, in order; `{{c` not followed by digits, `::` and a closing `}}` is text."""
    found: list[Deletion] = []
    start = text.find(_OPEN)
    while start != -1:
        digits_end = start + len(_OPEN)
        while digits_end < len(text) and "0" <= text[digits_end] <= "9":
            digits_end += 1
        digits = text[start + len(_OPEN):digits_end]
        close = text.find(_CLOSE, digits_end + len(_SEPARATOR)) if text.startswith(_SEPARATOR, digits_end) else -1
        if not digits or close == -1:
            start = text.find(_OPEN, start + 1)
            continue
        answer, separator, hint = text[digits_end + len(_SEPARATOR):close].partition(_SEPARATOR)
        number = int(digits) if len(digits) <= len(str(MAX_NUMBER)) else MAX_NUMBER + 1
        found.append(Deletion(min(number, MAX_NUMBER + 1), answer, hint if separator else None, start,
                              close + len(_CLOSE)))
        start = text.find(_OPEN, close + len(_CLOSE))
    return found


def problem(text: str) -> str | None:
    """Why `text` cannot be a cloze card, or None if it can."""
    deletions = parse(text)
    if not deletions:
        return "a cloze card needs at least one deletion such as {{c1::answer}}"
    for deletion in deletions:
        written = text[deletion.start:deletion.end]
        if not 1 <= deletion.number <= MAX_NUMBER:
            return f"'{_short(written)}': cloze numbers run from 1 to {MAX_NUMBER}"
        if not deletion.answer.strip():
            return f"'{_short(written)}': the deletion hides nothing; put the answer after '::'"
    return None


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


T = TypeVar("T")


def layout(text: str, piece: Callable[[str], T], deletion: Callable[[Deletion], T]) -> list[T]:
    """The cloze text as parts: `piece` of each stretch between deletions, `deletion` of each deletion."""
    parts, position = [], 0
    for found in parse(text):
        parts += [piece(text[position:found.start]), deletion(found)]
        position = found.end
    return parts + [piece(text[position:])]


def _same(text: str) -> str:
    return text


def deletions(text: str) -> list[str]:
    """The answers hidden by the deletions, in order."""
    return [deletion.answer for deletion in parse(text)]


def blanked(text: str, piece: Callable[[str], str] = _same) -> str:
    """The cloze text as a question: each deletion shown as a blank (or its hint); `piece` turns each stretch
    of the author's words (inline.plain, say) into what is shown."""
    return "".join(layout(text, piece, lambda d: f"[{piece(d.hint)}]" if d.hint else "[...]"))


def filled(text: str, piece: Callable[[str], str] = _same) -> str:
    """The cloze text as an answer: each deletion replaced by its hidden words."""
    return "".join(layout(text, piece, lambda d: piece(d.answer)))


def pieces(text: str) -> list[tuple[int, int]]:
    """(start, end) of every stretch that holds words of its own: the text between deletions, each answer and
    each hint. Inline formatting must open and close within one of them."""
    spans, position = [], 0
    for deletion in parse(text):
        answer_start = text.index(_SEPARATOR, deletion.start) + len(_SEPARATOR)
        answer_end = answer_start + len(deletion.answer)
        spans += [(position, deletion.start), (answer_start, answer_end)]
        if deletion.hint is not None:
            spans.append((answer_end + len(_SEPARATOR), answer_end + len(_SEPARATOR) + len(deletion.hint)))
        position = deletion.end
    return spans + [(position, len(text))]


def formatting_problem(text: str) -> inline.Problem | None:
    """The first inline marker that does not pair up within its own stretch of the cloze text: formatting may
    sit inside a deletion ({{c1::H~2~O}}) or around it, but never across its edge."""
    for start, end in pieces(text):
        # the characters around a stretch count ('**{{c1::' touches the deletion); with no problem in these
        # terms, each stretch reads alike with or without them, which is how the renderers read it
        found = inline.problem(text[start:end], text[start - 1:start] or " ", text[end:end + 1] or " ")
        if found is None:
            continue
        if inline.problem(text) is None:  # the marker pairs in the whole text: across a deletion's edge
            marker = text[start + found.offset]
            return inline.Problem(start + found.offset, f"'{marker}' pairs with a marker on the other side of a "
                                                        f"cloze deletion's edge ('{{{{c1::', '::' or '}}}}'); open "
                                                        f"and close formatting on one side of it")
        return inline.Problem(start + found.offset, found.message)
    return None
