"""Printed text that must not break where a reader would misread it: a number and its unit.

"0.5 / mg/kg" split over two lines reads as two things; a no-break space (U+00A0) keeps them together.
Only the printed editions (PDF, web page) get it: the deck's fields stay as written, so that a rebuild
never changes a learner's notes for a reason that is not in the content.
"""

from __future__ import annotations

import re

NO_BREAK = "\u00a0"
UNITS = ("mg", "µg", "μg", "mcg", "ng", "g", "kg", "mL", "ml", "L", "dL", "mmHg", "mmol", "mEq", "IU", "units", "unit",
         "seconds", "second", "s", "minutes", "minute", "min", "hours", "hour", "h", "hr", "days", "day", "weeks",
         "week", "months", "month", "years", "year", "°C", "%")
_NUMBER_AND_UNIT = re.compile(r"(?<=\d) (?=(?:" + "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
                              + r")(?![^\W\d_]))")


def keep_units(text: str) -> str:
    """`text` with each space between a number and the unit after it made a no-break space."""
    return _NUMBER_AND_UNIT.sub(NO_BREAK, text)
