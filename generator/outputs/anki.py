"""Content -> a deterministic Anki package (.apkg bytes). The only module that imports genanki."""

from __future__ import annotations

import io
import itertools
import sqlite3
import unicodedata
import zipfile

import genanki

from generator.outputs import Options, ids, markup
from generator.source.model import BasicCard, Card, Content, Fact, Section

# Frozen once shipped: renaming a field or template makes Anki clone the note type and stop updating notes.
BASIC_FIELDS = ("Front", "Back", "AddReverse", "Fact", "Status", "Sources", "FactId", "CardId")
CLOZE_FIELDS = ("Text", "Fact", "Status", "Sources", "FactId", "CardId")
BASIC_TEMPLATES = ("Card 1", "Card 2 (reverse)")
CLOZE_TEMPLATES = ("Cloze",)

_FOOTER = """
<div class="fact">{{Fact}}</div>
{{#Status}}<div class="status">{{Status}}</div>{{/Status}}
<div class="sources">{{Sources}}</div>"""

CSS = """\
.card { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; font-size: 20px;
  line-height: 1.45; text-align: left; color: #1b1b1b; background: #ffffff;
  max-width: 40em; margin: 0 auto; padding: 0.5em; }
.cloze { font-weight: bold; color: #0a4d8c; }
hr#answer { margin: 0.8em 0; }
.fact { margin-top: 0.9em; font-size: 0.8em; color: #333333; }
.status { display: inline-block; margin-top: 0.6em; padding: 0.1em 0.5em; border-radius: 0.3em;
  font-size: 0.7em; font-weight: bold; background: #e6eef7; color: #0a3d6b; }
.sources { margin-top: 0.6em; font-size: 0.65em; color: #555555; }
.nightMode .card, .card.nightMode { color: #e8e8e8; background: #1e1e1e; }
.nightMode .cloze { color: #8cc4ff; }
.nightMode .fact { color: #d0d0d0; }
.nightMode .status { background: #2c3e55; color: #d6e6ff; }
.nightMode .sources { color: #a8a8a8; }
@media (max-width: 480px) { .card { font-size: 18px; } }
"""

BASIC_MODEL = genanki.Model(
    ids.BASIC_MODEL_ID, "factpack Basic",
    fields=[{"name": name} for name in BASIC_FIELDS],
    templates=[
        {"name": BASIC_TEMPLATES[0], "qfmt": "{{Front}}",
         "afmt": '{{FrontSide}}<hr id="answer">{{Back}}' + _FOOTER},
        {"name": BASIC_TEMPLATES[1], "qfmt": "{{#AddReverse}}{{Back}}{{/AddReverse}}",
         "afmt": '{{FrontSide}}<hr id="answer">{{Front}}' + _FOOTER},
    ],
    css=CSS,
)

CLOZE_MODEL = genanki.Model(
    ids.CLOZE_MODEL_ID, "factpack Cloze",
    fields=[{"name": name} for name in CLOZE_FIELDS],
    templates=[{"name": CLOZE_TEMPLATES[0], "qfmt": "{{cloze:Text}}", "afmt": "{{cloze:Text}}" + _FOOTER}],
    css=CSS,
    model_type=genanki.Model.CLOZE,
)


def deck_name(content: Content, section: Section) -> str:
    """`Topic::Section`: Anki matches decks by name, so names come from content titles (which the loader
    keeps free of '::' and of ':' at either end), in canonical Unicode (NFC) as Anki compares them."""
    return unicodedata.normalize("NFC", f"{content.topic.title}::{section.title}")


def tags_for(content: Content, section: Section, fact: Fact) -> list[str]:
    """Hierarchical tags without spaces: topic::section::id, topic::status::x, topic::tag::x."""
    root = content.topic.id
    tags = [f"{root}::section::{section.id}", f"{root}::status::{fact.status.value}"]
    return tags + [f"{root}::tag::{tag}" for tag in fact.tags]


def citations(content: Content, fact: Fact) -> str:
    """The fact's sources as short escaped citations, numbered as in the handout."""
    parts = []
    for ref_id in fact.sources:
        ref = content.reference_by_id[ref_id]
        number = content.citation_numbers[ref_id]
        parts.append(f"[{number}] " + markup.anki(ref.citation))
    return "<br>".join(parts)


def _note(content: Content, section: Section, fact: Fact, card: Card) -> genanki.Note:
    shared = [
        markup.anki(fact.text),
        markup.anki(fact.status.label),
        citations(content, fact),
        fact.id,
        card.id,
    ]
    if isinstance(card, BasicCard):
        model, fields = BASIC_MODEL, [markup.anki(card.question), markup.anki(card.answer), "y" if card.reverse else ""]
    else:
        model, fields = CLOZE_MODEL, [markup.anki(card.cloze)]
    return genanki.Note(model=model, fields=fields + shared, tags=tags_for(content, section, fact),
                        guid=ids.note_guid(content.topic.id, card.id))


def description(content: Content) -> str:
    topic = content.topic
    return "".join([
        f"<b>{markup.anki(topic.title)}</b>: {markup.anki(topic.subtitle)}<br>",
        f"Version {markup.anki(topic.version)}; last reviewed {topic.last_reviewed.isoformat()}.<br>",
        f"<i>{markup.anki(topic.disclaimer)}</i>",
    ])


def render(content: Content, options: Options) -> bytes:
    """The .apkg bytes: one subdeck per section; notes stamped with the content's time so re-imports update."""
    decks = []
    for section in content.sections:
        name = deck_name(content, section)
        deck = genanki.Deck(ids.deck_id(name), name, description=description(content))
        for fact in section.facts:
            for card in fact.cards:
                deck.add_note(_note(content, section, fact, card))
        decks.append(deck)
    return _package_bytes(genanki.Package(decks), options.timestamp)


def _package_bytes(package: genanki.Package, timestamp: int) -> bytes:
    """The .apkg: genanki writes the collection into an in-memory SQLite database, which is zipped with
    entries in a fixed order and fixed dates, so rebuilds are identical. (genanki's own write_to_file
    zips with the current date and needs a scratch file.)"""
    connection = sqlite3.connect(":memory:")
    try:
        package.write_to_db(connection.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
        connection.commit()
        collection = connection.serialize()
    finally:
        connection.close()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as apkg:
        apkg.writestr(_entry("collection.anki2"), collection)
        apkg.writestr(_entry("media"), b"{}")  # no media files
    return out.getvalue()


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info
