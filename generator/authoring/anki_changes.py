"""What a content change will do to learners' collections that Anki cannot follow by itself, found by
comparing the content with its note history (the lock): `factpack check` warns with the consequence
and what to do in Anki."""

from __future__ import annotations

from generator.note_history import History
from generator.outputs.anki_notes import FIELDS, deck_name, note_specs
from generator.source import cloze
from generator.source.errors import Problem
from generator.source.model import Content


def changes(content: Content, history: History) -> list[Problem]:
    """A warning for each renamed deck, reverse card turned off, cloze number removed, changed topic id and
    card removed since the notes in `history` were shipped."""
    live = {card_id: record for card_id, record in history.notes.items() if not record.retired_on}
    if not live:
        return []
    problems = _topic(content, history)
    paths = {card.id: path for path, _, _, card in content.card_paths()}
    moved: dict[tuple[str, str], int] = {}
    for spec in note_specs(content):
        old = live.get(spec.card_id)
        if old is None:
            continue
        if old.deck != spec.deck:
            moved[(old.deck, spec.deck)] = moved.get((old.deck, spec.deck), 0) + 1
        if old.model == spec.model == "basic" and old.fields[2] and not spec.fields[FIELDS["basic"].index("AddReverse")]:
            problems.append(_warn(content, paths[spec.card_id], f"card '{spec.card_id}' no longer has a reverse: "
                                  "learners keep an empty reverse card; after importing, remove it with Tools > "
                                  "Empty Cards"))
        if old.model == spec.model == "cloze":
            gone = _numbers(old.fields[0]) - _numbers(spec.fields[0])
            if gone:
                listed = ", ".join(f"c{n}" for n in sorted(gone))
                problems.append(_warn(content, paths[spec.card_id], f"card '{spec.card_id}' no longer has {listed}: "
                                      "learners keep an empty card for it; after importing, remove it with Tools > "
                                      "Empty Cards"))
    for (before, after), count in sorted(moved.items()):
        section = next(i for i, s in enumerate(content.sections) if deck_name(content, s) == after)
        problems.append(_warn(content, f"sections[{section}].title",
                              f"the deck '{before}' is now '{after}': Anki leaves the cards of {count} note"
                              f"{'s' * (count != 1)} in the old deck; after importing, Browse 'deck:\"{before}\"', "
                              f"select all and use Change Deck"))
    current = {spec.card_id for spec in note_specs(content)}
    for card_id in sorted(set(live) - current):
        problems.append(_warn(content, "topic.version", f"card '{card_id}' left the content: the next deck ships it "
                              f"once more, tagged {content.topic.id}::retired, for learners to delete or suspend"))
    return problems


def _topic(content: Content, history: History) -> list[Problem]:
    """Notes are found by a GUID made from the topic id and the card id: another topic id makes every note new."""
    prefixes = {tag.split("::")[0] for record in history.notes.values() for tag in record.tags[:1]}
    if prefixes and content.topic.id not in prefixes:
        old = ", ".join(sorted(prefixes))
        return [_warn(content, "topic.id", f"the topic id was '{old}': learners would get every note as a new one "
                      f"next to the old ones and lose nothing but would study twice; keep the old id")]
    return []


def _numbers(text: str) -> set[int]:
    return {deletion.number for deletion in cloze.parse(text)}


def _warn(content: Content, path: str, message: str) -> Problem:
    return content.problem(path, f"warning: {message}")
