"""The loader: a valid file becomes the typed model; every kind of mistake gets an exact, positioned message."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.errors import ContentError
from generator.load import load, load_text
from generator.model import BasicCard, ClozeCard, Status
from generator.yaml_source import decode
from tests.conftest import DATA, MINIMAL

INVALID = DATA / "invalid"

# fixture name -> the first message, after "FILE:"
FIRST_MESSAGE = {
    "alias": "9:14: aliases (*name) are not allowed in content files",
    "anchor": "9:14: anchors (&name) are not allowed in content files",
    "card-both-kinds": "41:13: sections[0].facts[0].cards[0]: a card has either 'question' and 'answer', or 'cloze', not both",
    "cloze-without-deletion": "46:20: sections[0].facts[0].cards[1].cloze: a cloze card needs at least one deletion such as {{c1::answer}}",
    "duplicate-id": "52:18: sections[0].facts[1].cards[0].id: duplicate card id 'approved-use-c' (first at line 45)",
    "duplicate-key": "13:3: topic.version: duplicate key 'version' (first at line 12)",
    "empty": "1:1: the file is empty; see docs/content-format.md for an example",
    "format-version": "1:9: format: format 2 is not supported; this factpack reads format 1",
    "invalid-date": "11:15: topic.review_due: '2027-02-30' is not a valid date (use YYYY-MM-DD)",
    "invalid-slug": "47:13: sections[0].facts[1].id: 'Off_label use' is not a valid id: use lowercase letters, digits and hyphens, starting with a letter or digit",
    "invalid-status": "49:17: sections[0].facts[1].status: 'offlabel' is not one of: approved, off-label, investigational, not-applicable (did you mean 'off-label'?)",
    "invalid-url": "20:10: references[0].url: 'javascript:alert(1)' is not an http(s) URL such as https://example.org/page",
    "missing-field": "3:3: topic: missing required field 'title'",
    "patient-fact-without-plain": "67:18: patient_sheet.main_message[0]: fact 'off-label-use' has no 'plain' text for the patient sheet",
    "python-tag": "4:10: YAML tags are not allowed ('!!python/object/apply:os.system')",
    "root-not-mapping": "1:1: expected a mapping, found a list",
    "tab": "4:1: a tab character; indent with spaces",
    "two-documents": "2:1: more than one YAML document ('---'); a content file holds one",
    "unknown-column": "64:43: sections[0].tables[0].rows[1].cells.onste: unknown column 'onste' (did you mean 'onset'?)",
    "unknown-key": "5:3: topic.subtitel: unknown field 'subtitel' (did you mean 'subtitle'?)",
    "unknown-source": "50:28: sections[0].facts[1].sources[1]: unknown reference 'lable-a' (did you mean 'label-a'?)",
    "wrong-type": "8:12: topic.authors: expected a list, found a text",
    "wrong-type-mapping": "33:7: sections[0].intro: expected a text, found a mapping",
    "yaml-syntax": "12:13: YAML syntax error: while parsing a block mapping (line 3), expected <block end>, but found '<scalar>'",
}


def test_every_invalid_fixture_has_an_expected_message() -> None:
    loader_fixtures = {p.stem for p in INVALID.glob("*.yaml")} - {"unprintable"}  # the font check is build's job
    assert loader_fixtures == set(FIRST_MESSAGE)


@pytest.mark.parametrize("name", sorted(FIRST_MESSAGE))
def test_invalid_fixture_gives_exact_message(name: str) -> None:
    path = INVALID / f"{name}.yaml"
    with pytest.raises(ContentError) as caught:
        load(path)
    assert str(caught.value.problems[0]) == f"{path}:{FIRST_MESSAGE[name]}"
    assert len(caught.value.problems) == 1


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


def test_bom_is_accepted() -> None:
    data = b"\xef\xbb\xbf" + MINIMAL.read_bytes()
    assert load_text(decode(data, "bom.yaml"), "bom.yaml").topic.id == "demo-topic"


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
