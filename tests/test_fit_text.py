"""Fitting text to a card: wrapped lines never exceed the width, no character is lost, sizes shrink in steps."""

from __future__ import annotations

from hypothesis import given, strategies as st
from reportlab.pdfbase.pdfmetrics import stringWidth

from generator.outputs.pdf import fonts
from generator.outputs.pdf.fit_text import LEADING, fit, line_text, line_width, wrap

fonts.register()
WORDS = st.text(alphabet="abcdefghij WXYZ≥µα–’", min_size=0, max_size=400)


@given(WORDS, st.floats(min_value=30, max_value=300))
def test_no_line_is_wider_than_the_box_and_no_character_is_lost(text: str, width: float) -> None:
    lines = [line_text(line) for line in wrap(text, fonts.REGULAR, 12, width)]
    assert all(stringWidth(line, fonts.REGULAR, 12) <= width for line in lines)
    assert "".join("".join(lines).split()) == "".join(text.split())


def test_words_break_only_when_too_long() -> None:
    assert [line_text(line) for line in wrap("short words here", fonts.REGULAR, 10, 1000)] == ["short words here"]
    pieces = [line_text(line) for line in wrap("W" * 200, fonts.REGULAR, 10, 100)]
    assert len(pieces) > 1 and "".join(pieces) == "W" * 200


def test_fit_shrinks_in_steps_down_to_the_floor() -> None:
    text = "word " * 60
    big = fit([(text, fonts.REGULAR)], 200, 400, 16, 9)
    small = fit([(text, fonts.REGULAR)], 200, 150, 16, 9)
    assert big is not None and small is not None and small.size < big.size
    assert small.size == int(small.size) and small.height <= 150
    assert fit([(text * 10, fonts.REGULAR)], 200, 150, 16, 9) is None


def test_long_words_shrink_the_text_before_they_break() -> None:
    word = "Arylcyclohexylamines"
    fitted = fit([(word, fonts.BOLD)], stringWidth(word, fonts.BOLD, 12) + 1, 400, 16, 9)
    assert fitted.size == 12 and [line_text(line) for line in fitted.blocks[0][1]] == [word]
    tiny = fit([(word, fonts.BOLD)], stringWidth(word, fonts.BOLD, 9) / 2, 400, 16, 9)
    assert tiny.size == 9 and "".join(map(line_text, tiny.blocks[0][1])) == word  # broken only at the floor


def test_height_counts_lines_and_gaps() -> None:
    fitted = fit([("a", fonts.BOLD), ("b", fonts.REGULAR)], 200, 400, 10, 9)
    assert fitted.height == (2 + 0.5) * 10 * LEADING
