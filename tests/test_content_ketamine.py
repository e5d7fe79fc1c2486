"""The shipped ketamine fact base meets its editorial rules: sourced, complete, readable, stable."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlparse

import pytest

from generator.authoring import readability
from generator.source.load import load
from generator.source.model import BasicCard, ClozeCard, Content, Status
from tests.conftest import KETAMINE

# Sections whose plain-language texts make up the patient sheet: each must read at grade 8 or lower.
PATIENT_SECTIONS = ("what-it-is", "approved-uses", "administration-monitoring", "side-effects",
                    "long-term-risks", "when-to-get-help", "legal-status", "key-takeaways")
MAX_GRADE = 8.0


@pytest.fixture(scope="module")
def content() -> Content:
    return load(KETAMINE)


def test_minimum_counts(content: Content) -> None:
    facts = list(content.facts())
    cards = [card for _, _, card in content.cards()]
    assert len(facts) >= 60
    assert len(cards) >= 120
    assert len({r.id for r in content.references}) >= 20
    kinds = Counter(type(c) for c in cards)
    assert kinds[BasicCard] >= 40 and kinds[ClozeCard] >= 40


def test_every_fact_is_cited_and_every_reference_used(content: Content) -> None:
    cited = {s for _, fact in content.facts() for s in fact.sources}
    cited |= {s for section in content.sections for t in section.tables for r in t.rows for s in r.sources}
    assert all(fact.sources for _, fact in content.facts())
    assert {r.id for r in content.references} - cited == set(), "references never cited"


def test_every_url_is_well_formed_https(content: Content) -> None:
    for ref in content.references:
        parsed = urlparse(ref.url)
        assert parsed.scheme == "https" and "." in parsed.netloc and " " not in ref.url, ref.id


def test_identifiers_are_well_formed(content: Content) -> None:
    for ref in content.references:
        if ref.doi:
            assert re.fullmatch(r"10\.\d{4,9}/\S+", ref.doi), ref.id
        if ref.pmid:
            assert ref.pmid.isdigit() and len(ref.pmid) <= 8, ref.id


def test_every_card_belongs_to_an_existing_fact_and_ids_are_unique(content: Content) -> None:
    card_ids = [card.id for _, _, card in content.cards()]
    assert len(card_ids) == len(set(card_ids))
    fact_ids = {fact.id for _, fact in content.facts()}
    assert all(fact.id in fact_ids for _, fact, _ in content.cards())


def test_every_fact_has_a_card(content: Content) -> None:
    assert [fact.id for _, fact in content.facts() if not fact.cards] == []


def test_sections_cover_the_required_topics(content: Content) -> None:
    ids = [s.id for s in content.sections]
    assert ids == ["what-it-is", "history", "how-it-works", "approved-uses", "off-label-pain-sedation",
                   "off-label-psychiatry", "administration-monitoring", "side-effects", "long-term-risks",
                   "when-to-get-help", "contraindications", "interactions", "legal-status", "key-takeaways",
                   "glossary"]


def test_statuses_are_used_and_separated(content: Content) -> None:
    statuses = Counter(fact.status for _, fact in content.facts())
    assert statuses[Status.APPROVED] and statuses[Status.OFF_LABEL] and statuses[Status.INVESTIGATIONAL]
    by_section = {s.id: {f.status for f in s.facts} for s in content.sections}
    assert Status.APPROVED not in by_section["off-label-pain-sedation"]
    assert Status.OFF_LABEL not in by_section["approved-uses"]
    assert Status.INVESTIGATIONAL not in by_section["approved-uses"]


def test_approved_facts_name_their_product(content: Content) -> None:
    for _, fact in content.facts():
        if fact.status is Status.APPROVED:
            assert re.search(r"Ketalar|Spravato|esketamine|label|SmPC", fact.text), fact.id


def test_structured_tables_are_sourced(content: Content) -> None:
    tables = {t.id: t for s in content.sections for t in s.tables}
    assert {"routes", "side-effects"} <= set(tables)
    for table in tables.values():
        assert table.rows and all(row.sources for row in table.rows)


@pytest.mark.parametrize("section_id", PATIENT_SECTIONS)
def test_patient_sections_have_plain_text_at_grade_8_or_lower(content: Content, section_id: str) -> None:
    section = next(s for s in content.sections if s.id == section_id)
    assert all(f.plain for f in section.facts), f"{section_id}: a fact without plain text"
    grade = readability.grade(" ".join(f.plain for f in section.facts))
    assert grade <= MAX_GRADE, f"{section_id}: grade {grade:.1f}"


def test_each_patient_sheet_reads_at_grade_8_or_lower(content: Content) -> None:
    for sheet in content.patient_sheets:
        words = [content.fact_by_id[f].plain or "" for f in sheet.fact_ids()] + list(sheet.questions)
        assert readability.grade(" ".join(words)) <= MAX_GRADE, sheet.id


def test_patient_sheets_serve_their_audiences(content: Content) -> None:
    """One sheet for anesthesia or sedation, one for starting esketamine: each says what it is, what happens
    on the day, what to tell the care team, the side effects and when to get help, and has questions to ask."""
    sheets = {sheet.id: sheet for sheet in content.patient_sheets}
    assert set(sheets) == {"anesthesia", "esketamine"}
    for sheet in sheets.values():
        titles = [part.title for part in sheet.sections]
        assert titles[0].startswith("What it is") and "Side effects" in titles and "When to get help" in titles
        assert any(title.startswith("What happens on") for title in titles)
        assert "Before you start, tell your care team" in titles
        assert sheet.questions
    esketamine = sheets["esketamine"]
    assert "esketamine" in esketamine.title.lower() and "Spravato" in esketamine.title
    assert all("Spravato" not in content.fact_by_id[f].plain for f in sheets["anesthesia"].fact_ids())


def test_review_dates_and_disclaimer(content: Content) -> None:
    topic = content.topic
    assert topic.last_reviewed < topic.review_due
    assert "does not replace" in topic.disclaimer
