"""Escaping: any text an author writes comes out exactly as written, never as markup."""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET

from hypothesis import given, strategies as st

from generator.outputs import markup
from generator.source import cloze


@given(st.text())
def test_pdf_escape_is_inert_xml_text(text: str) -> None:
    cleaned = "".join(c for c in text if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF)
    parsed = ET.fromstring(f"<p>{markup.pdf(cleaned)}</p>")
    assert list(parsed) == [] and (parsed.text or "") == cleaned


@given(st.text())
def test_anki_escape_round_trips(text: str) -> None:
    escaped = markup.anki(text)
    assert "<" not in escaped.replace("<br>", "") and '"' not in escaped
    assert html.unescape(escaped.replace("<br>", "\n")) == text


def test_anki_escapes_what_anki_itself_interprets() -> None:
    assert markup.anki("[sound:beep.mp3] \\(x\\)") == "&#91;sound:beep.mp3] &#92;(x&#92;)"


def test_attribute_escaping() -> None:
    assert markup.pdf_attribute('https://x.org/?q="a"&b<') == "https://x.org/?q=&quot;a&quot;&amp;b&lt;"


def test_script_is_neutralised() -> None:
    assert markup.anki('<script>alert("x")</script>') == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    assert markup.pdf("a<b & c>d") == "a&lt;b &amp; c&gt;d"


def test_cloze_helpers() -> None:
    text = "Dose {{c1::1–4.5 mg/kg}} over {{c2::60 seconds::time}}."
    assert cloze.deletions(text) == ["1–4.5 mg/kg", "60 seconds"]
    assert cloze.blanked(text) == "Dose [...] over [time]."
    assert cloze.filled(text) == "Dose 1–4.5 mg/kg over 60 seconds."
    assert cloze.problem("{{c0::zero}}") == "'{{c0::zero}}': cloze numbers run from 1 to 999"  # Anki numbers from c1
