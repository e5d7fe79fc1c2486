"""Content -> a deterministic Anki package (.apkg bytes). The only module that imports genanki."""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import sqlite3
import zipfile
from typing import Any

import genanki

from generator.note_history import History
from generator.outputs.figures import media_name, scene
from generator.outputs.figures.svg import svg
from generator.outputs import Options, ids, markup
from generator.outputs.anki_notes import (
    BASIC_FIELDS, CLOZE_FIELDS, NoteSpec, deck_name, history_after, note_specs, parent_deck, shipped,
)
from generator.source.model import Content

BASIC_TEMPLATES = ("Card 1", "Card 2 (reverse)")  # frozen once shipped, like the fields
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
.sources a { color: inherit; }
.nightMode .card, .card.nightMode, .night_mode .card, .card.night_mode { color: #e8e8e8; background: #1e1e1e; }
.nightMode .cloze, .night_mode .cloze { color: #8cc4ff; }
.nightMode .fact, .night_mode .fact { color: #d0d0d0; }
.nightMode .status, .night_mode .status { background: #2c3e55; color: #d6e6ff; }
.nightMode .sources, .night_mode .sources { color: #a8a8a8; }
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


MODELS = {"basic": BASIC_MODEL, "cloze": CLOZE_MODEL}
NOTE_TYPES_HASH = hashlib.sha256(json.dumps(
    [[m.model_id, m.name, m.fields, m.templates, m.css] for m in MODELS.values()]).encode("utf-8")).hexdigest()


class _StampedNote(genanki.Note):
    """A note written with its own modification time (genanki gives every note the package's)."""

    def __init__(self, *args: Any, mtime: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mtime = mtime

    def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, id_gen: Any) -> None:
        super().write_to_db(cursor, self.mtime, deck_id, id_gen)


def updated_history(content: Content, options: Options) -> History:
    """The note history after this build (the build writes it to the lock)."""
    return _history(content, note_specs(content), options)


def _history(content: Content, specs: list[NoteSpec], options: Options) -> History:
    return history_after(content, specs, options.history, options.now or options.timestamp, NOTE_TYPES_HASH)


def description(content: Content) -> str:
    """The parent deck's description: what the topic is, its version and review date, the disclaimer."""
    topic = content.topic
    return "".join([
        f"<b>{markup.anki(topic.title)}</b>: {markup.anki(topic.subtitle)}<br>",
        f"Version {markup.anki(topic.version)}; last reviewed {topic.last_reviewed.isoformat()}.<br>",
        f"<i>{markup.anki_inline(topic.disclaimer)}</i>",
    ])


def render(content: Content, options: Options) -> bytes:
    """The .apkg bytes: the topic's deck with its description, one subdeck per section (its intro as the
    description), each note stamped with the time it last changed according to the note history."""
    specs = note_specs(content)  # worked out once, for the history and for the notes shipped
    history = _history(content, specs, options)
    decks = {parent_deck(content): genanki.Deck(ids.deck_id(parent_deck(content)), parent_deck(content),
                                                description=description(content))}
    if options.decks == "sections":
        for section in content.sections:
            name = deck_name(content, section)
            decks[name] = genanki.Deck(ids.deck_id(name), name, description=markup.anki_inline(section.intro))
    notes = shipped(content, specs, history)
    for spec, mtime in notes:
        deck = spec.deck if options.decks == "sections" else parent_deck(content)
        if deck not in decks:  # a retired card whose section is gone: its deck is shipped for it alone
            decks[deck] = genanki.Deck(ids.deck_id(deck), deck)
        decks[deck].add_note(_StampedNote(model=MODELS[spec.model], fields=list(spec.fields), tags=list(spec.tags),
                                          guid=ids.note_guid(content.topic.id, spec.card_id), mtime=mtime))
    fields = "".join(field for spec, _ in notes for field in spec.fields)
    return _package_bytes(genanki.Package(list(decks.values())), history.note_types[1], _media(content, fields))


def _media(content: Content, fields: str) -> dict[str, bytes]:
    """The figures the shipped notes show, by media file name: nothing unused, in a fixed order."""
    media: dict[str, bytes] = {}
    for section in content.sections:
        for figure in section.figures:
            name = media_name(content, figure)
            if f'src="{name}"' in fields:
                media[name] = figure.image.data if figure.image is not None else svg(
                    scene(content, figure), figure.alt, figure.id, standalone=True).encode("utf-8")
    return media


def _package_bytes(package: genanki.Package, timestamp: int, media: dict[str, bytes]) -> bytes:
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
        apkg.writestr(_entry("media"), json.dumps({str(i): name for i, name in enumerate(media)}).encode("utf-8"))
        for i, data in enumerate(media.values()):
            apkg.writestr(_entry(str(i)), data)
    return out.getvalue()


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info
