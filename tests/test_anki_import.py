"""The real Anki importer is the oracle: counts, decks, rendering, and updates in place on re-import."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from anki.collection import Collection

from generator.outputs import anki as anki_deck
from generator.outputs import Options
from generator.source.model import BasicCard, Content
from tests.anki_import import import_package, notes
from tests.conftest import EPOCH


@pytest.fixture
def collection(tmp_path: Path):
    col = Collection(str(tmp_path / "collection.anki2"))
    yield col
    col.close()


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_import_counts_decks_and_rendering(minimal: Content, collection: Collection, tmp_path: Path) -> None:
    log = import_package(collection, _write(tmp_path, "deck.apkg", anki_deck.render(minimal, Options(EPOCH))))
    card_count = len(list(minimal.cards()))
    reverse_count = sum(1 for _, _, c in minimal.cards() if isinstance(c, BasicCard) and c.reverse)
    assert log.new == card_count and log.duplicate == 0
    assert collection.note_count() == card_count
    assert collection.card_count() == card_count + reverse_count
    assert "Demo topic::Uses" in {d.name for d in collection.decks.all_names_and_ids()}
    all_notes = notes(collection)
    assert all(note.cards() for note in all_notes), "a note produced no card"
    assert len({note.guid for note in all_notes}) == len(all_notes)
    for note in all_notes:
        for card in note.cards():
            html = card.answer()
            assert "error" not in card.question().lower() and "{{" not in html
            assert 'class="sources"' in html


def _edited(content: Content) -> Content:
    """One fact reworded, one card added: what a content fix looks like."""
    section = content.sections[0]
    first = section.facts[0]
    reworded = dataclasses.replace(first, text=first.text + " (reworded)")
    second = section.facts[1]
    added = dataclasses.replace(second, cards=second.cards + (BasicCard("new-card", "New question?", "New answer"),))
    return dataclasses.replace(content, sections=(dataclasses.replace(section, facts=(reworded, added)),))


def test_reimport_updates_in_place(minimal: Content, collection: Collection, tmp_path: Path) -> None:
    import_package(collection, _write(tmp_path, "v1.apkg", anki_deck.render(minimal, Options(EPOCH))))
    before = {note.guid: note.id for note in notes(collection)}
    log = import_package(collection, _write(tmp_path, "v2.apkg", anki_deck.render(_edited(minimal), Options(EPOCH + 3600))))
    after = {note.guid: note for note in notes(collection)}
    assert log.new == 1 and log.duplicate == 0
    assert len(after) == len(before) + 1
    assert all(after[guid].id == nid for guid, nid in before.items()), "a note was replaced, not updated"
    updated = [n for n in after.values() if n["Fact"].endswith("(reworded)")]
    assert len(updated) == 2  # both cards of the reworded fact


def test_same_timestamp_reimport_changes_nothing(minimal: Content, collection: Collection, tmp_path: Path) -> None:
    deck = _write(tmp_path, "v1.apkg", anki_deck.render(minimal, Options(EPOCH)))
    import_package(collection, deck)
    log = import_package(collection, deck)
    assert log.new == 0 and log.updated == 0 and collection.note_count() == len(list(minimal.cards()))


def test_shipped_ketamine_deck_imports_cleanly(collection: Collection, tmp_path: Path) -> None:
    from generator.source.load import load
    from tests.conftest import KETAMINE
    content = load(KETAMINE)
    log = import_package(collection, _write(tmp_path, "ketamine.apkg", anki_deck.render(content, Options(EPOCH))))
    cards = list(content.cards())
    assert log.new == len(cards) and log.duplicate == 0 and log.conflicting == 0
    deck_names = {d.name for d in collection.decks.all_names_and_ids()}
    assert {anki_deck.deck_name(content, s) for s in content.sections} <= deck_names
    all_notes = notes(collection)
    assert len({n.guid for n in all_notes}) == len(cards)
    assert all(n.cards() for n in all_notes)
    for note in all_notes:
        assert all(" " not in tag for tag in note.tags)
        for card in note.cards():
            question, answer = card.question(), card.answer()
            assert question.strip() and answer.strip()
            assert "{{" not in question + answer and "error" not in question.lower()
