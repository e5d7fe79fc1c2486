"""The notes of the deck as data, and how the note history (the lock) moves on from one build to the next.

Kept apart from genanki so the build can bring the lock up to date without loading the deck writer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import unicodedata
from dataclasses import dataclass

from generator.note_history import History, NoteRecord
from generator.outputs import markup
from generator.outputs.figures import media_name
from generator.source.model import BasicCard, Card, Content, Fact, Reference, Section, sentence

# Frozen once shipped: renaming a field or template makes Anki clone the note type and stop updating notes.
BASIC_FIELDS = ("Front", "Back", "AddReverse", "Fact", "Status", "Sources", "FactId", "CardId")
CLOZE_FIELDS = ("Text", "Fact", "Status", "Sources", "FactId", "CardId")
FIELDS = {"basic": BASIC_FIELDS, "cloze": CLOZE_FIELDS}


@dataclass(frozen=True)
class NoteSpec:
    """One note as it is shipped: its note type, field texts (HTML), tags and deck."""

    card_id: str
    model: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    deck: str


def deck_name(content: Content, section: Section) -> str:
    """`Topic::Section`: Anki matches decks by name, so names come from content titles (which the loader
    keeps free of '::' and of ':' at either end), in canonical Unicode (NFC) as Anki compares them."""
    return unicodedata.normalize("NFC", f"{content.topic.title}::{section.title}")


def parent_deck(content: Content) -> str:
    return unicodedata.normalize("NFC", content.topic.title)


def tags_for(content: Content, section: Section, fact: Fact) -> list[str]:
    """Hierarchical tags without spaces: topic::section::id, topic::status::x, topic::tag::x."""
    root = content.topic.id
    tags = [f"{root}::section::{section.id}", f"{root}::status::{fact.status.value}"]
    return tags + [f"{root}::tag::{tag}" for tag in fact.tags]


def citations(content: Content, fact: Fact) -> str:
    """The fact's sources in citation-number order (as in the handout), each with its links."""
    numbered = sorted((content.citation_numbers[ref_id], content.reference_by_id[ref_id]) for ref_id in fact.sources)
    return "<br>".join(f"[{number}] {_citation(ref)}{_links(ref)}" for number, ref in numbered)


def _citation(ref: Reference) -> str:
    """'Credit. Title. Venue; 2021;178(2):193–202.' as field text: its title may be formatted; credit and venue
    are plain text. (A reference without a volume reads 'Venue; 2021.', as it always has.)"""
    return " ".join([markup.anki(sentence(ref.credit)), markup.anki_inline(sentence(ref.title)),
                     markup.anki(sentence(f"{ref.published_in}; {ref.locator}"))])


def _links(ref: Reference) -> str:
    links = [("doi", f"https://doi.org/{ref.doi}")] if ref.doi else []
    links += [("PubMed", f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/")] if ref.pmid else []
    links += [("link", ref.url)]
    return " " + " · ".join(f'<a href="{html.escape(url, quote=True)}">{label}</a>' for label, url in links)


def figures_html(content: Content, fact: Fact) -> str:
    """The figures that show this fact, as pictures from the deck's media folder with their alt text, numbered
    caption and (for an image) its credit, on a white ground so a transparent picture reads in night mode
    (printed on the back of its cards, under the fact)."""
    shown = []
    for figure in content.figures_of_fact.get(fact.id, ()):
        credit = f" Image: {markup.anki(figure.attribution)}." if figure.attribution else ""
        shown.append(f'<div class="figure"><img src="{media_name(content, figure)}" '
                     f'alt="{html.escape(figure.alt, quote=True)}" '
                     f'style="max-width:100%;height:auto;background:#ffffff;padding:4px"><br>'
                     f'Figure {content.figure_numbers[figure.id]}. {markup.anki(figure.caption)}{credit}</div>')
    return "".join(shown)


def _fact_fields(content: Content, section: Section, fact: Fact) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """What every card of a fact shares: the back's fact, status and sources fields, its tags and deck."""
    fields = (markup.anki_inline(fact.text) + figures_html(content, fact), markup.anki(fact.status.label),
              citations(content, fact), fact.id)
    return fields, tuple(tags_for(content, section, fact)), deck_name(content, section)


def _spec(card: Card, shared: tuple[tuple[str, ...], tuple[str, ...], str]) -> NoteSpec:
    fact_fields, tags, deck = shared
    if isinstance(card, BasicCard):
        model, own = "basic", (markup.anki_inline(card.question), markup.anki_inline(card.answer),
                               "y" if card.reverse else "")
    else:
        model, own = "cloze", (markup.anki_cloze(card.cloze),)
    return NoteSpec(card.id, model, own + fact_fields + (card.id,), tags, deck)


def note_specs(content: Content) -> list[NoteSpec]:
    """Every card of the content as a note, in reading order (a fact's shared fields made once)."""
    specs = []
    for section in content.sections:
        for fact in section.facts:
            if fact.cards:
                shared = _fact_fields(content, section, fact)
                specs += [_spec(card, shared) for card in fact.cards]
    return specs


def _hash(model: str, fields: tuple[str, ...], tags: tuple[str, ...]) -> str:
    """What an update can change in the learner's collection: the note type, fields and tags. (A deck is not
    among them: Anki leaves an updated note's cards in the deck they are in.)"""
    return hashlib.sha256(json.dumps([model, fields, tags], ensure_ascii=False).encode("utf-8")).hexdigest()


def history_after(content: Content, specs: list[NoteSpec], history: History, now: int,
                  note_types_hash: str) -> History:
    """The history once this content (its notes: `note_specs(content)`) is shipped at time `now`: a note
    whose text or tags changed gets `now`, every other note keeps its time; a card gone from the content
    is retired (kept, so its id is never reused); the note types get `now` only if their fields,
    templates or CSS changed."""
    notes: dict[str, NoteRecord] = {}
    for spec in specs:
        digest = _hash(spec.model, spec.fields, spec.tags)
        old = history.notes.get(spec.card_id)
        mtime = old.mtime if old and old.hash == digest and not old.retired_on else now
        notes[spec.card_id] = NoteRecord(digest, mtime, spec.model, _kept(spec.model, spec.fields), spec.tags, spec.deck)
    for card_id, old in history.notes.items():
        if card_id not in notes:
            notes[card_id] = old if old.retired_on else _retired(content, old, now)
    types = history.note_types if history.note_types[0] == note_types_hash else (note_types_hash, now)
    return History(notes, types)


KEPT = {"basic": ("Front", "Back", "AddReverse", "FactId", "CardId"), "cloze": ("Text", "FactId", "CardId")}


def _kept(model: str, fields: tuple[str, ...]) -> tuple[str, ...]:
    """The fields the lock keeps of a note: enough to ship it once more if its card leaves the content."""
    return tuple(fields[FIELDS[model].index(name)] for name in KEPT[model])


def _retired(content: Content, old: NoteRecord, now: int) -> NoteRecord:
    """A note whose card left the content: its back says so, and a tag finds every such note at once."""
    day = dt.datetime.fromtimestamp(now, dt.timezone.utc).date().isoformat()
    kept = dict(zip(KEPT[old.model], old.fields))
    kept["Fact"] = f"<i>Retired on {day}: this card is no longer in the content. Delete or suspend it.</i>"
    fields = tuple(kept.get(name, "") for name in FIELDS[old.model])
    tags = (*old.tags, retired_tag(content))
    return NoteRecord(_hash(old.model, fields, tags), now, old.model, fields, tags, old.deck, day,
                      content.topic.version)


def retired_tag(content: Content) -> str:
    return f"{content.topic.id}::retired"


def shipped(content: Content, specs: list[NoteSpec], history: History) -> list[tuple[NoteSpec, int]]:
    """The notes this build ships with their times: every current card (`specs`), and the cards retired by
    this content version (their kept fields, the retirement line on the back)."""
    found = [(spec, history.notes[spec.card_id].mtime) for spec in specs]
    current = {spec.card_id for spec, _ in found}
    for card_id, record in history.notes.items():
        if card_id not in current and record.retired_in == content.topic.version:
            found.append((NoteSpec(card_id, record.model, record.fields, record.tags, record.deck), record.mtime))
    return found
