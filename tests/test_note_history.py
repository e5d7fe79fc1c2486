"""Respect the learner: with the note history (the lock), a rebuild after a content change updates in
Anki exactly the notes whose content changed; the learner's own edits, tags and reviews on every other
note survive; a card removed from the content is shipped once more, tagged as retired.

The real Anki importer (desktop defaults: update notes "if newer") is the oracle.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from anki.collection import Collection

from generator.note_history import read
from generator.source.load import load
from tests.anki_import import import_package, notes
from tests.conftest import EPOCH, MINIMAL

DAY = 86_400
EXTRA_FACT = """      - id: extra-fact
        text: An extra fact that a later version removes.
        status: not-applicable
        sources: [label-a]
        cards:
          - {id: extra-q, question: "Which fact will be removed?", answer: This one}
"""


@pytest.fixture
def collection(tmp_path: Path):
    col = Collection(str(tmp_path / "collection.anki2"))
    yield col
    col.close()


def _content(folder: Path, version: int) -> Path:
    """Version 1: the minimal content with an extra fact. Version 2: one fact reworded, the extra fact
    removed, the section renamed."""
    text = MINIMAL.read_text(encoding="utf-8").replace("    tables:", EXTRA_FACT + "    tables:", 1)
    if version == 2:
        text = (text.replace("anesthesia (US EXAMPLE label)", "anesthesia (the US EXAMPLE label)")
                .replace(EXTRA_FACT, "").replace("title: Uses", "title: Uses and evidence")
                .replace('version: "1.0"', 'version: "2.0"'))
    path = folder / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _build(run_cli, monkeypatch, path: Path, out: Path, epoch: int) -> str:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    result = run_cli("build", path, "--out", out, "--only", "anki")
    assert result.code == 0, result.err
    return result.out


def test_a_content_change_updates_only_the_changed_notes(run_cli, monkeypatch, tmp_path: Path,
                                                         collection: Collection) -> None:
    out = tmp_path / "out"
    v1 = _content(tmp_path, 1)
    printed = _build(run_cli, monkeypatch, v1, out, EPOCH)
    assert f"note history started: {tmp_path / 'demo.lock.json'}" in printed
    first = import_package(collection, out / "demo-topic.apkg")
    assert first.new == 4

    by_card = {note["CardId"]: note for note in notes(collection)}
    mine = by_card["off-label-use-q"]  # the learner's own edit and tag on a note the change leaves alone
    mine["Back"] += " (my mnemonic)"
    mine.tags.append("mine")
    collection.update_note(mine)
    card = mine.cards()[0]
    card.ivl, card.due, card.type, card.queue = 12, 30, 2, 2  # a card in review, 12 days apart
    collection.update_card(card)

    v2 = _content(tmp_path, 2)
    printed = _build(run_cli, monkeypatch, v2, out, EPOCH + DAY)
    assert "1 card left the content and is shipped once more as retired: in Anki, Browse with the search  " \
           "tag:demo-topic::retired  to delete or suspend them" in printed
    second = import_package(collection, out / "demo-topic.apkg")
    assert (second.new, second.updated) == (0, 3)  # the reworded fact's two notes, and the retired one

    after = {note["CardId"]: note for note in notes(collection)}
    assert "(the US EXAMPLE label)" in after["approved-use-q"]["Fact"]
    assert after["off-label-use-q"]["Back"].endswith("(my mnemonic)") and "mine" in after["off-label-use-q"].tags
    kept = after["off-label-use-q"].cards()[0]
    assert (kept.ivl, kept.type) == (12, 2)
    retired = after["extra-q"]
    assert "demo-topic::retired" in retired.tags and "Retired on" in retired["Fact"]
    assert collection.find_notes("tag:demo-topic::retired") == [retired.id]


def test_a_rebuild_of_unchanged_content_changes_nothing_in_anki(run_cli, monkeypatch, tmp_path: Path,
                                                                collection: Collection) -> None:
    out = tmp_path / "out"
    v1 = _content(tmp_path, 1)
    _build(run_cli, monkeypatch, v1, out, EPOCH)
    import_package(collection, out / "demo-topic.apkg")
    (out / ".factpack-manifest.json").unlink()  # render the deck again, a week later
    _build(run_cli, monkeypatch, v1, out, EPOCH + 7 * DAY)
    again = import_package(collection, out / "demo-topic.apkg")
    assert (again.new, again.updated) == (0, 0)


def test_the_lock_keeps_retired_ids_and_builds_stay_reproducible(run_cli, monkeypatch, tmp_path: Path) -> None:
    v1 = _content(tmp_path, 1)
    _build(run_cli, monkeypatch, v1, tmp_path / "a", EPOCH)
    v2 = _content(tmp_path, 2)
    _build(run_cli, monkeypatch, v2, tmp_path / "a", EPOCH + DAY)
    lock = read(tmp_path / "demo.lock.json")
    assert lock.notes["extra-q"].retired_on == "2025-11-26" and lock.notes["extra-q"].retired_in == "2.0"
    assert lock.notes["off-label-use-q"].mtime == EPOCH and lock.notes["approved-use-q"].mtime == EPOCH + DAY
    _build(run_cli, monkeypatch, v2, tmp_path / "b", EPOCH + 5 * DAY)  # the same content and lock, later
    assert (tmp_path / "a" / "demo-topic.apkg").read_bytes() == (tmp_path / "b" / "demo-topic.apkg").read_bytes()


def test_the_lock_goes_beside_the_outputs_when_the_content_folder_cannot_be_written(
        run_cli, monkeypatch, tmp_path: Path) -> None:
    folder = tmp_path / "shipped"
    folder.mkdir()
    v1 = _content(folder, 1)
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != folder)
    printed = _build(run_cli, monkeypatch, v1, tmp_path / "out", EPOCH)
    assert f"note history started: {tmp_path / 'out' / 'demo.lock.json'} (the folder of {v1} cannot be written)" \
           in printed
    assert not (folder / "demo.lock.json").exists()
    again = _build(run_cli, monkeypatch, _content(folder, 2), tmp_path / "out", EPOCH + DAY)
    assert "1 card left the content" in again  # the history read back from beside the outputs


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("title: Uses", "title: Uses and evidence",
     "33:12: sections[0].title: warning: the deck 'Demo topic::Uses' is now 'Demo topic::Uses and evidence': Anki "
     "leaves the cards of 3 notes in the old deck; after importing, Browse 'deck:\"Demo topic::Uses\"', select all "
     "and use Change Deck"),
    ("reverse: true", "reverse: false",
     "43:17: sections[0].facts[0].cards[0]: warning: card 'approved-use-q' no longer has a reverse: learners keep "
     "an empty reverse card; after importing, remove it with Tools > Empty Cards"),
    ("{{c1::induction of anesthesia}}", "{{c2::induction of anesthesia}}",
     "47:17: sections[0].facts[0].cards[1]: warning: card 'approved-use-c' no longer has c1: learners keep an "
     "empty card for it; after importing, remove it with Tools > Empty Cards"),
    ("id: demo-topic", "id: demo-topic-two",
     "4:7: topic: warning: the topic id was 'demo-topic': learners would get every note as a new one next to "
     "the old ones and lose nothing but would study twice; keep the old id"),
    ("        cards:\n          - {id: off-label-use-q, question: \"What does *off-label* use rest on?\", answer: One small trial}\n",
     "", "13:12: topic.version: warning: card 'off-label-use-q' left the content: the next deck ships it once more, "
         "tagged demo-topic::retired, for learners to delete or suspend"),
])
def test_check_warns_about_what_anki_cannot_follow(run_cli, tmp_path: Path, old: str, new: str,
                                                   expected: str) -> None:
    path = tmp_path / "minimal.yaml"
    path.write_text(MINIMAL.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    (tmp_path / "minimal.lock.json").write_bytes(MINIMAL.with_name("minimal.lock.json").read_bytes())
    result = run_cli("check", path)
    assert result.code == 0
    assert f"{path}:{expected}" in result.err.splitlines(), result.err


def _one_fact_edit(run_cli, monkeypatch, path: Path, out: Path, collection: Collection, old: str, new: str,
                   start: int = EPOCH):
    """Build at `start` and import, reword one fact in the content, build a day later and import again: the
    second import's log."""
    _build(run_cli, monkeypatch, path, out, start)
    apkg = next(out.glob("*.apkg"))
    import_package(collection, apkg)
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    _build(run_cli, monkeypatch, path, out, start + DAY)
    return import_package(collection, apkg)


def test_one_fact_edit_in_the_shipped_content_updates_that_facts_notes_only(run_cli, monkeypatch, tmp_path: Path,
                                                                           collection: Collection) -> None:
    from tests.conftest import KETAMINE

    path = tmp_path / "ketamine.yaml"
    path.write_bytes(KETAMINE.read_bytes())
    (tmp_path / "ketamine.lock.json").write_bytes(KETAMINE.with_name("ketamine.lock.json").read_bytes())
    lock = read(path.with_name("ketamine.lock.json"))
    shipped = max(record.mtime for record in lock.notes.values())  # the edit comes after the last release
    log = _one_fact_edit(run_cli, monkeypatch, path, tmp_path / "out", collection,
                         "Ketamine undergoes oxidative metabolism", "Ketamine is metabolized oxidatively", shipped + DAY)
    edited = next(fact for _, fact in load(path).facts() if fact.id == "hw-metabolism")
    assert (log.new, log.updated) == (0, len(edited.cards))


def test_one_fact_edit_in_a_new_topic_updates_that_facts_notes_only(run_cli, monkeypatch, tmp_path: Path,
                                                                   collection: Collection) -> None:
    monkeypatch.chdir(tmp_path)
    assert run_cli("new", "aspirin").code == 0
    log = _one_fact_edit(run_cli, monkeypatch, tmp_path / "content" / "aspirin.yaml", tmp_path / "output", collection,
                         "A precise statement for students", "A precise, reworded statement for students")
    assert (log.new, log.updated) == (0, 2)  # the fact's question card and its cloze card


def test_one_deck_for_the_topic_when_asked(run_cli, monkeypatch, tmp_path: Path, collection: Collection) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    assert run_cli("build", MINIMAL, "--out", tmp_path, "--only", "anki", "--decks", "single").code == 0
    import_package(collection, tmp_path / "demo-topic.apkg")
    decks = {collection.decks.name(card.did) for note in notes(collection) for card in note.cards()}
    assert decks == {"Demo topic"}
    assert "demo-topic::section::uses" in notes(collection)[0].tags


def test_decks_describe_themselves_and_sources_link_in_citation_order(run_cli, monkeypatch, tmp_path: Path,
                                                                      collection: Collection) -> None:
    from generator.outputs import anki as anki_deck

    assert ".night_mode" in anki_deck.CSS and ".nightMode" in anki_deck.CSS  # AnkiDroid's class and the desktop's
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    assert run_cli("build", MINIMAL, "--out", tmp_path, "--only", "anki").code == 0
    import_package(collection, tmp_path / "demo-topic.apkg")
    assert "A small example of the content format" in collection.decks.by_name("Demo topic")["desc"]
    assert collection.decks.by_name("Demo topic::Uses")["desc"] == "What examplamine is used for, and on what evidence."
    sources = {note["CardId"]: note["Sources"] for note in notes(collection)}["off-label-use-q"]
    assert sources.index("[1]") < sources.index("[2]")  # label-a is [1] in the handout, though listed second
    assert '<a href="https://doi.org/10.1000/xyz123">doi</a>' in sources
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/12345678/">PubMed</a>' in sources
