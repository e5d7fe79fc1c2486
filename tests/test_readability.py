"""Flesch-Kincaid grade: known values, so the pinned syllable source keeps the figure still."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from generator.authoring import readability


@pytest.mark.parametrize(("word", "count"), [
    ("ketamine", 3), ("anesthesia", 4), ("the", 1), ("doctor", 2), ("xqzt", 1), ("24", 1),
])
def test_syllables(word: str, count: int) -> None:
    assert readability.syllables(word) == count


def test_grade_of_a_known_text() -> None:
    # 13 one-syllable words in 2 sentences: 0.39 * 13/2 + 11.8 * 13/13 - 15.59
    text = "The cat sat on the mat. The dog ran to the big park."
    assert len(readability.words(text)) == 13 and readability.sentences(text) == 2
    assert readability.grade(text) == pytest.approx(0.39 * 13 / 2 + 11.8 - 15.59)


def test_long_words_and_sentences_raise_the_grade() -> None:
    easy = "You get it in a vein. It works fast."
    hard = "Intravenous administration produces anesthesia within approximately thirty seconds."
    assert readability.grade(easy) < 3 < 12 < readability.grade(hard)


@given(st.text())
def test_grade_is_defined_for_any_text(text: str) -> None:
    assert isinstance(readability.grade(text), float)
