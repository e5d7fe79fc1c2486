"""Any text an author writes either comes out exactly as written in every output, or is a ContentError.

Text goes into a valid content file through PyYAML's own dumper, then through the loader, the font
check and every renderer; nothing else may be raised.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import yaml
from reportlab.lib.units import mm
from hypothesis import HealthCheck, given, settings, strategies as st

from generator.outputs import markup, anki as anki_deck, cards as cards_pdf, handout as handout_pdf, patient as patient_pdf
from generator.outputs import Options
from generator.outputs.pdf import printable
from generator.source.content_format import MAX_CELL_CHARS
from generator.source import inline
from generator.source.errors import ContentError
from generator.source.load import load_text
from tests import pdf_inspect
from tests.conftest import EPOCH, MINIMAL, zip_entries

PRINTABLE = "abcXYZ 0123 <>&\"'{}[]/\\;:=#*%–—’“”≥≤±×µμαβγΔ→°½²·é"
RENDERERS = (handout_pdf.render, patient_pdf.render, cards_pdf.render)
SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _content_with(text: str, escaped: bool = False):
    """The minimal content with `text` in a fact, its plain text, a question and a table cell; `escaped` writes it
    with its inline markers escaped, so that it must come out exactly as given."""
    text = inline.escape(text) if escaped else text
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    fact = data["sections"][0]["facts"][0]
    fact["text"] = fact["plain"] = text
    fact["cards"][0]["question"] = text
    data["sections"][0]["tables"][0]["rows"][0]["cells"]["route"] = text[:MAX_CELL_CHARS]
    source = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    content = load_text(source, "prop.yaml")
    problems = printable.unprintable_fields(content.texts, content.file)
    if problems:
        raise ContentError(problems)
    return content


def _deck_fields(data: bytes, tmp_path: Path) -> str:
    db = tmp_path / "c.anki2"
    db.write_bytes(zip_entries(data)["collection.anki2"])
    with sqlite3.connect(db) as conn:
        return "\n".join(row[0] for row in conn.execute("select flds from notes"))


@SETTINGS
@given(st.text(min_size=1, max_size=300))
def test_any_text_builds_or_is_a_content_error(tmp_path_factory, text: str) -> None:
    try:
        content = _content_with(text)
    except ContentError:
        return
    for render in RENDERERS:
        try:
            render(content, Options(EPOCH))
        except ContentError:
            pass  # a sheet or a card may overflow its paper: a content error, never a crash
    anki_deck.render(content, Options(EPOCH))


@SETTINGS
@given(st.text(alphabet=PRINTABLE, min_size=1, max_size=200).filter(lambda t: t.strip()))
def test_printable_text_comes_out_exactly_as_written(tmp_path_factory, text: str) -> None:
    content = _content_with(text, escaped=True)
    written = inline.plain(content.sections[0].facts[0].text)  # as the loader trimmed it, as it reads
    folded = pdf_inspect.fold(written)
    assert folded in pdf_inspect.text(handout_pdf.render(content, Options(EPOCH)))
    assert folded in pdf_inspect.text(patient_pdf.render(content, Options(EPOCH)))
    question = pdf_inspect.fold(inline.plain(content.sections[0].facts[0].cards[0].question))
    try:
        cards = pdf_inspect.text(cards_pdf.render(content, Options(EPOCH)))
    except ContentError:
        return  # too long for a paper card: reported, never clipped
    squeeze = lambda value: "".join(value.split())  # a word too long for a card line is broken across lines
    assert squeeze(question) in squeeze(cards)
    fields = _deck_fields(anki_deck.render(content, Options(EPOCH)), tmp_path_factory.mktemp("deck"))
    assert markup.anki(written) in fields
    ours = re.sub(r'<a href="https://[^"<>]*">(doi|PubMed|link)</a>', "", fields)  # our own links to sources
    assert "<" not in re.sub(r"</?(?:b|i|sub|sup)>|<br>", "", ours)  # only our own tags (the fixture's formatting)


@SETTINGS
@given(st.text(alphabet=PRINTABLE + "\n", min_size=1, max_size=60), st.integers(min_value=60, max_value=400))
def test_very_long_words_wrap_inside_the_page(tmp_path_factory, prefix: str, length: int) -> None:
    word = "W" * length
    content = _content_with(f"{prefix} {word}", escaped=True)
    data = handout_pdf.render(content, Options(EPOCH))
    width = pdf_inspect.page_sizes(data).pop()[0]
    for _, run, _, x, _, run_width in pdf_inspect.text_runs(data):
        assert x + run_width <= width - 9 * mm, run
