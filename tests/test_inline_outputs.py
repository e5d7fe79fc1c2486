"""Inline formatting in every output: real italic, bold, sub- and superscript in the PDFs and on paper cards,
<i> <b> <sub> <sup> in Anki and on the web page, everything else still escaped; marks that do not pair are
refused at load with the mark's own line and column; titles stay plain text wherever they name something."""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from anki.collection import Collection
from hypothesis import given, settings, strategies as st

from generator.outputs import Options, markup
from generator.outputs import anki as anki_deck, cards as cards_pdf, handout as handout_pdf, html as html_edition
from generator.outputs import patient as patient_pdf
from generator.outputs.pdf import fonts
from generator.outputs.pdf.fit_text import fit, line_width
from generator.source import inline
from generator.source.load import load_text
from generator.source.model import Content
from tests import pdf_inspect
from tests.anki_import import import_package, notes
from tests.conftest import EPOCH, MINIMAL, zip_entries

MINIMAL_TEXT = MINIMAL.read_text(encoding="utf-8")


def _variant(*edits: tuple[str, str]) -> str:
    text = MINIMAL_TEXT
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


FORMATTED = _variant(
    ("text: Examplamine is approved for the induction", "text: Examplamine is approved for the *induction*"),
    ('"Examplamine is approved for the {{c1::induction of anesthesia}}."',
     '"Examplamine is {{c1::H~2~O}} approved for the {{c2::*induction*::what **kind**}}."'),
    ("title: Uses", "title: Uses \\*"),
)


@pytest.fixture(scope="module")
def formatted() -> Content:
    return load_text(FORMATTED, "formatted.yaml")


def _runs_by_text(data: bytes) -> dict[str, list[tuple[str, float, float]]]:
    found: dict[str, list[tuple[str, float, float]]] = {}
    for _, text, size, _, y, _, font in pdf_inspect.text_runs_with_fonts(data):
        found.setdefault(text.strip(), []).append((font, size, y))
    return found


# Loading: positions, titles

@pytest.mark.parametrize(("old", "new", "expected"), [
    ("plain: Doctors use it to put", "plain: Doctors *use it to put",
     "38:24: sections[0].facts[0].plain: '*' opens italic that never closes; write \\* for a literal asterisk"),
    ("answer: One small trial}", "answer: One small trial*}",
     "54:106: sections[0].facts[1].cards[0].answer: '*' closes italic that was never opened; write \\* for a "
     "literal asterisk"),
    ("{{c1::induction of anesthesia}}", "{{c1::*induction* of anesthesia}}**",
     "48:86: sections[0].facts[0].cards[1].cloze: '**' opens bold that never closes; write \\* for a literal "
     "asterisk"),
    ("{{c1::induction of anesthesia}}", "*{{c1::induction* of anesthesia}}",
     "48:53: sections[0].facts[0].cards[1].cloze: '*' pairs with a marker on the other side of a cloze "
     "deletion's edge ('{{c1::', '::' or '}}'); open and close formatting on one side of it"),
    ("title: Uses", "title: '*Uses*'",
     "33:13: sections[0].title: '*' formats text, but this field prints as plain text (titles, names and versions "
     "do); write \\* for a literal '*'"),
    ("  version: \"1.0\"", "  version: \"1.0^b^\"",
     "13:16: topic.version: '^' formats text, but this field prints as plain text (titles, names and versions "
     "do); write \\^ for a literal '^'"),
    ("    intro: What examplamine", "    intro: >-\n      What\n      x^2 + y examplamine",
     "36:8: sections[0].intro: '^' opens a superscript that reaches a space; a superscript holds no spaces (write "
     "H~2~O or 10^6^), or write \\^ for a literal caret"),
])
def test_marks_that_do_not_pair_are_refused_at_the_mark(run_cli, tmp_path: Path, old: str, new: str,
                                                          expected: str) -> None:
    path = tmp_path / "marks.yaml"
    path.write_text(_variant((old, new)), encoding="utf-8")
    check = run_cli("check", path)
    build = run_cli("build", path, "--out", tmp_path / "out")
    assert check.code == build.code == 1
    assert check.err.splitlines()[0] == f"{path}:{expected}"
    assert build.err.splitlines()[0] == check.err.splitlines()[0]
    assert not (tmp_path / "out").exists()


def test_the_shipped_content_holds_no_stray_mark() -> None:
    """Every formatting mark in the shipped file formats something: none is printed as a character."""
    from generator.source.load import load
    from tests.conftest import KETAMINE

    content = load(KETAMINE)
    texts = [text for _, fact in content.facts() for text in (fact.text, fact.plain or "")]
    assert any("**" in text for text in texts)  # the glossary's terms are bold
    assert not any(mark in inline.plain(text) for text in texts for mark in "*~^")


def test_titles_are_plain_text_wherever_they_name_something(formatted: Content) -> None:
    assert formatted.sections[0].title == "Uses *"  # the escape resolved at load: renderers print it as is
    assert anki_deck.deck_name(formatted, formatted.sections[0]) == "Demo topic::Uses *"
    outline = pdf_inspect.outline_titles(handout_pdf.render(formatted, Options(EPOCH)))
    assert (0, "Uses *") in outline
    page = html_edition.render(formatted, Options(EPOCH)).decode("utf-8")
    assert '<h2 id="section-uses_heading">Uses *</h2>' in page


# PDFs

def test_the_handout_sets_italic_sub_and_superscript_in_the_embedded_faces(formatted: Content) -> None:
    data = handout_pdf.render(formatted, Options(EPOCH))
    runs = _runs_by_text(data)
    assert any(font == fonts.ITALIC for font, _, _ in runs["induction"])
    used = dict(pdf_inspect.fonts(data))
    assert not set(used) & pdf_inspect.STANDARD_14
    assert all(used.values()) and any(name.endswith(fonts.ITALIC) for name in used)  # Oblique embedded
    body = [size for font, size, _ in runs["Examplamine is approved for the"] if font == fonts.REGULAR][0]
    scripts = [(size, y) for text in ("2", "2 patients given O") for font, size, y in runs.get(text, [])]
    assert scripts and all(size < body for size, _ in scripts)  # '10^2^' and 'O~2~' in the fact, smaller


def test_the_handout_text_reads_without_marks(formatted: Content) -> None:
    text = pdf_inspect.text(handout_pdf.render(formatted, Options(EPOCH)))
    assert "Examplamine is approved for the induction of anesthesia" in text
    assert "Off-label use for pain rests on one small trial (102 patients given O2)." in text
    assert "*" not in text.replace("Uses *", "")


def test_the_patient_sheet_sets_bold_in_the_bold_face(minimal: Content) -> None:
    runs = _runs_by_text(patient_pdf.render(minimal, Options(EPOCH)))
    assert any(font == fonts.BOLD for font, _, _ in runs["sleep"])


def test_paper_cards_set_formatting_and_measure_it(formatted: Content, minimal: Content) -> None:
    runs = _runs_by_text(cards_pdf.render(minimal, Options(EPOCH)))
    assert any(font == fonts.ITALIC for font, _, _ in runs["off-label"])
    runs = _runs_by_text(cards_pdf.render(formatted, Options(EPOCH)))
    fronts = [size for font, size, _ in runs["Examplamine is H"] if font == fonts.REGULAR]
    subscript = [(size, y) for font, size, y in runs["2"] if font == fonts.REGULAR]
    assert fronts and any(size < fronts[0] for size, _ in subscript)
    assert any(font == fonts.BOLD_ITALIC for font, _, _ in runs["induction"])  # the answer block is bold
    assert any(font == fonts.BOLD for font, _, _ in runs["kind"])  # '**kind**' in the hint


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="abcWXYZ≥µ–", min_size=1, max_size=12),
                          st.sampled_from(["{}", "*{}*", "**{}**", "***{}***", "x~{}~", "x^{}^"])),
                min_size=1, max_size=30), st.floats(min_value=40, max_value=300))
def test_formatted_lines_never_exceed_the_card(words: list[tuple[str, str]], width: float) -> None:
    source = " ".join(pattern.format(word) for word, pattern in words)
    fitted = fit([(source, fonts.REGULAR), (source, fonts.BOLD)], width, 10_000, 16, 9)
    assert fitted is not None
    for _, lines in fitted.blocks:
        assert all(line_width(line, fitted.size) <= width + 1e-6 for line in lines)
    kept = "".join("".join(span.text for line in lines for span in line) for _, lines in fitted.blocks[:1])
    assert "".join(kept.split()) == "".join(inline.plain(source).split())  # no character lost


# Anki

def _fields(data: bytes, tmp_path: Path) -> list[str]:
    db = tmp_path / "c.anki2"
    db.write_bytes(zip_entries(data)["collection.anki2"])
    with sqlite3.connect(db) as conn:
        return [row[0] for row in conn.execute("select flds from notes order by sfld")]


def test_anki_fields_hold_our_tags_around_escaped_text(formatted: Content, tmp_path: Path) -> None:
    fields = "\n".join(_fields(anki_deck.render(formatted, Options(EPOCH)), tmp_path))
    assert "What does <i>off-label</i> use rest on?" in fields
    assert "one small trial (10<sup>2</sup> patients given O<sub>2</sub>)." in fields
    assert "Examplamine is {{c1::H<sub>2</sub>O}} approved for the {{c2::<i>induction</i>::what <b>kind</b>}}." in fields
    assert "What is examplamine approved for? &lt;b&gt;" in fields


def test_the_real_anki_imports_and_shows_the_formatting(formatted: Content, tmp_path: Path) -> None:
    path = tmp_path / "deck.apkg"
    path.write_bytes(anki_deck.render(formatted, Options(EPOCH)))
    collection = Collection(str(tmp_path / "collection.anki2"))
    try:
        log = import_package(collection, path)
        assert log.new == 3 and log.conflicting == 0
        assert "Demo topic::Uses *" in {deck.name for deck in collection.decks.all_names_and_ids()}
        cloze = next(note for note in notes(collection) if "{{c1::" in note.fields[0])
        first, second = sorted(cloze.cards(), key=lambda card: card.ord)
        assert "H<sub>2</sub>O" in first.answer() and "H<sub>2</sub>O" not in first.question()
        assert "what <b>kind</b>" in second.question()  # the hint, formatted, in the blank
        assert "<i>induction</i>" in second.answer()
    finally:
        collection.close()


HOSTILE = ["*<script>alert(1)</script>*", "**<img src=x onerror=alert(1)>**", "~<b>~", "^[sound:x.mp3]^",
           "*\\(x\\)*", "**{{Front}}**", '*" onclick="x*']


@pytest.mark.parametrize("text", HOSTILE)
def test_formatting_never_lets_markup_through(text: str) -> None:
    assert inline.problem(text) is None
    anki = markup.anki_inline(text)
    assert "<script" not in anki and "<img" not in anki and "[sound" not in anki and "\\(" not in anki
    assert '"' not in anki
    page = str(markup.html_inline(text))
    assert "<script" not in page and "<img" not in page and '"' not in page
    ET.fromstring(f"<p>{markup.pdf_inline(text)}</p>")  # well-formed: only our own tags


@settings(max_examples=200)
@given(st.text(alphabet="ab <>&\"'[]\\(){}*~^:\n", max_size=60))
def test_only_our_tags_in_any_formatted_field(text: str) -> None:
    import re

    tags = r"</?(?:b|i|sub|sup)>"
    assert "<" not in re.sub(tags + "|<br>", "", markup.anki_inline(text))
    assert "<" not in re.sub(tags, "", str(markup.html_inline(text)))
    parsed = ET.fromstring(f"<p>{markup.pdf_inline(text)}</p>")
    assert {element.tag for element in parsed.iter()} <= {"p", "b", "i", "sub", "super"}
    assert "".join(parsed.itertext()) == inline.plain(text)
    assert markup.anki_cloze(text).count("<") == markup.anki_cloze(text).count(">")


# Web page

def test_the_page_formats_only_through_escaped_runs(tmp_path: Path) -> None:
    source = _variant(("text: Examplamine is approved for the induction",
                       "text: Examplamine is *<script>x</script>* for the induction"))
    page = html_edition.render(load_text(source, "page.yaml"), Options(EPOCH)).decode("utf-8")
    assert "Examplamine is <i>&lt;script&gt;x&lt;/script&gt;</i> for the induction" in page
    assert "10<sup>2</sup> patients given O<sub>2</sub>" in page
    assert "put people to <b>sleep</b> for surgery" in page
    assert "<script" not in page
