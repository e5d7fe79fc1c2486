"""How a group of citation numbers prints: in order, runs of three or more as ranges ([1, 3–5, 9]),
glued with no-break spaces so a group never breaks across lines, and each number or range linked to
its (first) reference."""

from __future__ import annotations

from typing import Callable

NO_BREAK = "\u00a0"
RANGE_DASH = "\u2013"


def runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Consecutive numbers as (first, last) runs; runs of two stay two single numbers, as in print."""
    found: list[tuple[int, int]] = []
    for number in sorted(set(numbers)):
        if found and number == found[-1][1] + 1:
            found[-1] = (found[-1][0], number)
        else:
            found.append((number, number))
    singles: list[tuple[int, int]] = []
    for first, last in found:
        singles += [(first, first), (last, last)] if last == first + 1 else [(first, last)]
    return singles


def group(numbers: list[int], linked: Callable[[int, str], str]) -> str:
    """'[1, 3–5]' as markup: `linked(number, text)` wraps each number's or range's text in its link."""
    parts = [linked(first, str(first) if first == last else f"{first}{RANGE_DASH}{last}")
             for first, last in runs(numbers)]
    return "[" + ("," + NO_BREAK).join(parts) + "]"
