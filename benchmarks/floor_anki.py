"""Floor: the .apkg alone, with genanki and one plain model, one note per card, into a temporary folder."""

from __future__ import annotations

import html
import tempfile
from pathlib import Path

import genanki

from _common import cards, load, paths

MODEL = genanki.Model(
    1_700_000_001, "floor basic", fields=[{"name": "Front"}, {"name": "Back"}],
    templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": '{{FrontSide}}<hr id="answer">{{Back}}'}],
)


def build(path: Path, out_dir: Path) -> Path:
    doc = load(path)
    topic = doc["topic"]
    deck = genanki.Deck(1_700_000_002, topic["title"])
    for card_id, front, back in cards(doc):
        deck.add_note(genanki.Note(model=MODEL, fields=[html.escape(front), html.escape(back)],
                                   guid=genanki.guid_for(topic["id"], card_id)))
    out = out_dir / f"{topic['id']}.apkg"
    genanki.Package(deck).write_to_file(str(out), timestamp=0)
    return out


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths():
            build(path, Path(tmp))
