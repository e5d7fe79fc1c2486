"""A number and its unit stay on one line in print: only the space between them changes, nothing else."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from generator.outputs.typography import NO_BREAK, UNITS, keep_units


@pytest.mark.parametrize("text, expected", [
    ("0.5 mg/kg over 60 seconds", f"0.5{NO_BREAK}mg/kg over 60{NO_BREAK}seconds"),
    ("56 mg or 84 mg", f"56{NO_BREAK}mg or 84{NO_BREAK}mg"),
    ("at least 2 hours", f"at least 2{NO_BREAK}hours"),
    ("41% vs 9 %", f"41% vs 9{NO_BREAK}%"),
    ("1 in 8 people", "1 in 8 people"),  # not a unit
    ("5 hospitals and 3 steps", "5 hospitals and 3 steps"),  # a word that starts like a unit is not one
    ("in 1962 ketamine", "in 1962 ketamine"),
    ("mg 5", "mg 5"),
])
def test_the_space_between_a_number_and_its_unit_does_not_break(text: str, expected: str) -> None:
    assert keep_units(text) == expected


@given(st.lists(st.one_of(st.sampled_from(UNITS), st.from_regex(r"[0-9]{1,3}", fullmatch=True), st.text(max_size=6)),
                max_size=12))
def test_only_spaces_after_digits_change_and_a_second_pass_changes_nothing(words: list[str]) -> None:
    text = " ".join(words)
    kept = keep_units(text)
    assert len(kept) == len(text)
    for before, after, index in zip(text, kept, range(len(text))):
        if before != after:
            assert (before, after) == (" ", NO_BREAK) and text[index - 1].isdigit()
    assert keep_units(kept) == kept
