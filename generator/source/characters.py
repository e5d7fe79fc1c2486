"""Which characters content text may hold: only what readers see, in the order it is written.

Control characters and invisible format characters are refused (a right-to-left override makes
Anki show "10 mg" where the PDF shows "01 mg"), except the few real text needs: soft hyphen and the
zero-width (non-)joiners of emoji and some scripts. A text must also show something: an answer made
only of spaces, zero-width characters, braille blanks or a lone combining mark is refused.
"""

from __future__ import annotations

import re
import unicodedata

ALLOWED_FORMAT = frozenset("\u00ad\u200c\u200d")  # soft hyphen, zero-width non-joiner and joiner
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Control characters (other than tab and line break) and Unicode's format characters (category Cf)
# less ALLOWED_FORMAT; a test checks this list against the Unicode database Python ships.
_REFUSED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u200e\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")
_SURELY_VISIBLE = re.compile("[A-Za-z0-9]")
_BLANK = frozenset("\u2800\u3164\u115f\u1160\uffa0")  # letters and symbols that print nothing
_UNSEEN_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Mc", "Me"})


def problem(text: str) -> str | None:
    """Why `text` cannot be content text, or None."""
    refused = _REFUSED.search(text)
    if refused:
        char = refused.group()
        if char in BIDI_CONTROLS:
            return (f"holds the bidirectional control U+{ord(char):04X}, which changes the order readers see; "
                    f"remove it")
        return f"holds the invisible character U+{ord(char):04X} ({unicodedata.name(char, 'a control character')}); remove it"
    if not _SURELY_VISIBLE.search(text) and not any(_seen(char) for char in text):
        return "shows nothing: it holds only spaces, invisible characters or marks without a letter"
    return None


def _seen(char: str) -> bool:
    return char not in _BLANK and unicodedata.category(char) not in _UNSEEN_CATEGORIES

