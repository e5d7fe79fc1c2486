"""The loader: a valid file becomes the typed model; every kind of mistake gets an exact, positioned message."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.outputs import anki_notes
from generator.source.errors import ContentError
from generator.source.load import load
from generator.source.model import BasicCard, ClozeCard, Status
from generator.source.yaml_source import decode
from tests.conftest import MINIMAL

def test_minimal_file_loads_into_the_model() -> None:
    content = load(MINIMAL)
    assert content.topic.id == "demo-topic"
    assert content.topic.language == "en-GB"
    assert content.topic.last_reviewed == dt.date(2026, 11, 25)
    assert [r.id for r in content.references] == ["label-a", "trial-b"]
    assert content.references[1].pmid == "12345678"
    assert content.references[1].doi == "10.1000/xyz123"
    section = content.sections[0]
    fact = section.facts[0]
    assert fact.status is Status.APPROVED
    assert fact.sources == ("label-a",)
    assert fact.tags == ("anesthesia",)
    assert fact.text.endswith("IV & ≥ 1 µg.")
    assert isinstance(fact.cards[0], BasicCard) and fact.cards[0].reverse
    assert isinstance(fact.cards[1], ClozeCard)
    assert section.tables[0].rows[1].cells == ("Intramuscular", "")


def test_text_fields_are_taken_as_written() -> None:
    """YAML 1.1 would turn `answer: No` into False; an author meant the word 'No'."""
    card = load(MINIMAL).sections[0].facts[0].cards[0]
    assert card.answer == "No"
    assert card.question == "What is examplamine approved for? <b>"


def test_citation_numbers_follow_first_citation() -> None:
    content = load(MINIMAL)
    assert content.citation_numbers == {"label-a": 1, "trial-b": 2}
    assert [n for n, _ in content.numbered_references()] == [1, 2]


def test_every_problem_is_collected_in_line_order(tmp_path: Path) -> None:
    text = MINIMAL.read_text(encoding="utf-8")
    text = text.replace("  title: Demo topic", "  titel: Demo topic").replace("year: 2020", "year: soon")
    text = text.replace("status: off-label", "status: maybe")
    path = tmp_path / "many.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load(path)
    lines = [p.line for p in caught.value.problems]
    assert lines == sorted(lines) and len(lines) == 3


@pytest.mark.parametrize(("data", "expected"), [
    (b"format: 1\ntopic: caf\xe9\n", "bom.yaml:2:11: bytes that are not UTF-8 at byte offset 20; save the file as UTF-8"),
    (b"format: 1\n\x00", "bom.yaml:2:1: a NUL byte at byte offset 10; content files are UTF-8 text"),
])
def test_bytes_that_are_not_text_are_refused_with_a_position(data: bytes, expected: str) -> None:
    with pytest.raises(ContentError) as caught:
        decode(data, "bom.yaml")
    assert str(caught.value) == expected


def test_missing_file_is_not_a_traceback(run_cli, tmp_path: Path) -> None:
    result = run_cli("check", tmp_path / "nope.yaml")
    assert result.code == 2
    assert result.err == f"factpack: error: no such content file: {tmp_path / 'nope.yaml'}\n"


def test_titles_fold_white_space_and_citations_keep_question_marks(tmp_path: Path) -> None:
    text = MINIMAL.read_text(encoding="utf-8").replace("    title: Uses", '    title: "Uses\\tand\\n  more"')
    text = text.replace("title: A randomised trial of examplamine", "title: A trick of smoke and mirrors?")
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    content = load(path)
    assert content.sections[0].title == "Uses and more"
    trial = content.reference_by_id["trial-b"]
    assert trial.credit == "Smith AB, Jones CD, Brown EF, et al." and trial.locator == "2020"
    anki_citation = anki_notes.citations(content, content.sections[0].facts[1]).split("<br>")[-1]
    assert anki_citation.startswith("[2] Smith AB, Jones CD, Brown EF, et al. A trick of smoke and mirrors? "
                                    "Journal of Examples; 2020.")  # no full stop after the question mark


def test_a_journal_reference_is_located_by_year_volume_issue_and_pages(tmp_path: Path) -> None:
    text = MINIMAL.read_text(encoding="utf-8").replace(
        "    year: 2020\n", "    year: 2020\n    volume: '178'\n    issue: '2'\n    pages: 193-202\n", 1)
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    located = [ref for ref in load(path).references if ref.volume]
    assert [ref.locator for ref in located] == ["2020;178(2):193–202"]
    supplement = tmp_path / "s.yaml"
    supplement.write_text(text.replace("volume: '178'", "volume: Suppl 2"), encoding="utf-8")
    assert [ref.locator for ref in load(supplement).references if ref.volume] == ["2020;Suppl 2(2):193–202"]
    no_volume = tmp_path / "u.yaml"
    no_volume.write_text(text.replace("    volume: '178'\n", ""), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load(no_volume)
    assert "issue: an issue needs its volume: add 'volume'" in str(caught.value.problems[0])
