"""The deck as genanki writes it: note types frozen, one note per card id, stable GUIDs, identical rebuilds."""

from __future__ import annotations


import sqlite3
from pathlib import Path

from generator.outputs import ids, anki as anki_deck
from generator.outputs import Options
from generator.source.model import Content
from tests.conftest import EPOCH, zip_entries


def _notes(data: bytes, tmp_path: Path) -> list[tuple[str, str, str]]:
    db = tmp_path / "collection.anki2"
    db.write_bytes(zip_entries(data)["collection.anki2"])
    with sqlite3.connect(db) as conn:
        return conn.execute("select guid, flds, tags from notes order by id").fetchall()


def test_note_types_are_frozen() -> None:
    """Changing any of these makes Anki clone the note type and stop updating students' notes."""
    assert (ids.BASIC_MODEL_ID, ids.CLOZE_MODEL_ID) == (1_607_392_319, 1_489_221_473)
    assert anki_deck.BASIC_FIELDS == ("Front", "Back", "AddReverse", "Fact", "Status", "Sources", "FactId", "CardId")
    assert anki_deck.CLOZE_FIELDS == ("Text", "Fact", "Status", "Sources", "FactId", "CardId")
    assert anki_deck.BASIC_TEMPLATES == ("Card 1", "Card 2 (reverse)")
    assert anki_deck.CLOZE_TEMPLATES == ("Cloze",)
    assert [t["name"] for t in anki_deck.BASIC_MODEL.templates] == list(anki_deck.BASIC_TEMPLATES)
    assert [f["name"] for f in anki_deck.CLOZE_MODEL.fields] == list(anki_deck.CLOZE_FIELDS)


def test_one_note_per_card_with_guid_from_its_id(minimal: Content, tmp_path: Path) -> None:
    rows = _notes(anki_deck.render(minimal, Options(EPOCH)), tmp_path)
    card_ids = [card.id for _, _, card in minimal.cards()]
    assert len(rows) == len(card_ids)
    assert {guid for guid, _, _ in rows} == {ids.note_guid("demo-topic", cid) for cid in card_ids}
    assert {flds.split("\x1f")[-1] for _, flds, _ in rows} == set(card_ids)


def test_guid_depends_on_ids_only() -> None:
    assert ids.note_guid("ketamine", "a") == ids.note_guid("ketamine", "a")
    assert ids.note_guid("ketamine", "a") != ids.note_guid("ketamine", "b")
    assert ids.note_guid("ketamine", "a") != ids.note_guid("other", "a")


def test_text_is_escaped_and_tags_are_hierarchical(minimal: Content, tmp_path: Path) -> None:
    rows = _notes(anki_deck.render(minimal, Options(EPOCH)), tmp_path)
    front = rows[0][1].split("\x1f")[0]
    assert front == "What is examplamine approved for? &lt;b&gt;"
    assert "IV &amp; ≥ 1 µg." in rows[0][1]
    assert rows[0][2].split() == ["demo-topic::section::uses", "demo-topic::status::approved",
                                  "demo-topic::tag::anesthesia"]


def test_identical_rebuild_and_timestamp_matters(minimal: Content) -> None:
    first = anki_deck.render(minimal, Options(EPOCH))
    assert anki_deck.render(minimal, Options(EPOCH)) == first
    assert anki_deck.render(minimal, Options(EPOCH + 60)) != first


def test_zip_is_normalised(minimal: Content) -> None:
    import io
    import zipfile
    with zipfile.ZipFile(io.BytesIO(anki_deck.render(minimal, Options(EPOCH)))) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}


def test_deck_names_come_from_titles(minimal: Content) -> None:
    assert anki_deck.deck_name(minimal, minimal.sections[0]) == "Demo topic::Uses"


def test_templates_hold_no_script_and_style_has_night_mode() -> None:
    for model in (anki_deck.BASIC_MODEL, anki_deck.CLOZE_MODEL):
        for template in model.templates:
            assert "<script" not in (template["qfmt"] + template["afmt"]).lower()
    assert ".nightMode" in anki_deck.CSS


def test_deck_description_names_topic_version_review_and_disclaimer(minimal: Content) -> None:
    text = anki_deck.description(minimal)
    for part in ("Demo topic", "Version 1.0", "last reviewed 2026-11-25", "For education only"):
        assert part in text


def test_deck_names_are_in_canonical_unicode(minimal: Content) -> None:
    import dataclasses
    section = dataclasses.replace(minimal.sections[0], title="Cafe\u0301")  # e + combining acute
    assert anki_deck.deck_name(minimal, section) == "Demo topic::Caf\u00e9"

