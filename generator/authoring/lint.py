"""Warnings about content that is valid but probably not what the author wants (`factpack check`).

`--strict` turns them into errors. Characters the fonts cannot print are always errors, since no
PDF could be built with them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from generator.authoring import anki_changes, card_quality, readability
from generator.note_history import History
from generator.outputs import PAPERS, Options
from generator.source import inline
from generator.source.errors import ContentError, Problem
from generator.source.model import BasicCard, Content

MAX_GRADE = 8.0  # Flesch-Kincaid grade for patient text (NIH: 8 or lower)


def _at(content: Content, path: str, message: str) -> Problem:
    return content.problem(path, f"warning: {message}")


def _facts_without_cards(content: Content) -> list[Problem]:
    return [_at(content, f"sections[{i}].facts[{j}].id", f"fact '{fact.id}' has no card")
            for i, section in enumerate(content.sections) for j, fact in enumerate(section.facts) if not fact.cards]


def _uncited_references(content: Content) -> list[Problem]:
    cited = set(content.cited_ids())
    return [_at(content, f"references[{i}].id", f"reference '{ref.id}' is never cited")
            for i, ref in enumerate(content.references) if ref.id not in cited]


def _duplicate_questions(content: Content) -> list[Problem]:
    seen: dict[str, str] = {}
    problems = []
    for i, section in enumerate(content.sections):
        for j, fact in enumerate(section.facts):
            for k, card in enumerate(fact.cards):
                if not isinstance(card, BasicCard):
                    continue
                key = re.sub(r"\W+", " ", inline.plain(card.question).lower()).strip()
                if key in seen:
                    problems.append(_at(content, f"sections[{i}].facts[{j}].cards[{k}].question",
                                        f"the same question as card '{seen[key]}'"))
                seen.setdefault(key, card.id)
    return problems


def _hard_plain_text(content: Content) -> list[Problem]:
    """Each section's plain texts together, and the patient sheet as a whole, at grade 8 or lower."""
    problems = []
    for i, section in enumerate(content.sections):
        plain = " ".join(inline.plain(f.plain) for f in section.facts if f.plain)
        if plain and (grade := readability.grade(plain)) > MAX_GRADE:
            problems.append(_at(content, f"sections[{i}].id", f"plain texts of section '{section.id}' read at "
                                f"Flesch-Kincaid grade {grade:.1f}; aim for {MAX_GRADE:.0f} or lower"))
    for i, sheet in enumerate(content.patient_sheets):
        words = [inline.plain(content.fact_by_id[f].plain or "") for f in sheet.fact_ids()] + [
            inline.plain(question) for question in sheet.questions]
        grade = readability.grade(" ".join(words))
        if grade > MAX_GRADE:
            problems.append(_at(content, f"patient_sheets[{i}].id", f"patient sheet '{sheet.id}' reads at "
                                f"Flesch-Kincaid grade {grade:.1f}; aim for 8 or lower"))
    return problems


def _review_overdue(content: Content, today: dt.date) -> list[Problem]:
    due = content.topic.review_due
    if due < today:
        return [_at(content, "topic.review_due", f"review was due on {due.isoformat()}; check the content "
                                                 f"against its sources and update last_reviewed")]
    return []


def layout_errors(content: Content) -> list[Problem]:
    """Errors that only layout reveals, so that `check` fails where `build` would: each patient sheet must
    fit one sheet on A4 and on Letter, and every card must fit a card of the default size."""
    from generator.outputs import cards, patient  # ReportLab is loaded only by the checks that lay text out

    problems = []
    for paper in PAPERS:
        for sheet in content.patient_sheets:
            try:
                patient.render(content, Options(paper=paper, sheet=sheet.id))
            except ContentError as exc:
                problems += _blocking(exc, f"patient sheet '{sheet.id}'")
    try:
        cards.prepare(content, Options())
    except ContentError as exc:
        problems += _blocking(exc, "the card sheets")
    return problems


def _blocking(exc: ContentError, output: str) -> list[Problem]:
    """The problems, each saying which output it keeps a build from writing (the others are written)."""
    return [dataclasses.replace(p, message=f"{p.message} (blocks {output}; the other outputs are built)")
            for p in exc.problems]


def lint(content: Content, today: dt.date, history: History = History()) -> list[Problem]:
    """Every warning for one content file, in line order; `history` is the deck's note history (the lock)."""
    problems = (_facts_without_cards(content) + _uncited_references(content) + _duplicate_questions(content)
                + card_quality.check(content) + _hard_plain_text(content) + _review_overdue(content, today)
                + anki_changes.changes(content, history))
    return sorted(problems)
