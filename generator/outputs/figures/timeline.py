"""A timeline: years on a line, each event's year and label beside a tick, above and below the line in
as many rows as it takes for no two labels to overlap."""

from __future__ import annotations

import itertools
from typing import Iterator

from generator.outputs.figures.scene import Label, Line, Scene, Shape, text_width
from generator.source.model import Timeline

SIZE = 10.0  # the handout's smallest type: a figure is read like its text
LEADING = SIZE * 1.2
ROW = 2 * LEADING + 6  # a row holds the year and one line of label, and a little air
MARGIN = 6.0
GAP = 6.0  # between two labels in one row
MAX_ROWS = 4  # on each side; after that a label only needs to keep clear of the labels in its row


def scene(timeline: Timeline, width: float) -> Scene:
    events = timeline.events
    first, last = events[0].year, events[-1].year
    boxes = [max(text_width(str(e.year), SIZE), text_width(e.label, SIZE)) for e in events]
    left, right = MARGIN + boxes[0] / 2, width - MARGIN - boxes[-1] / 2

    def x_of(year: int) -> float:
        return left + (right - left) * (year - first) / max(last - first, 1)

    boxes_in: dict[int, list[tuple[float, float]]] = {}  # row (1 above, -1 below, 2, -2, ...) -> label spans
    ticks_in: dict[int, list[float]] = {}  # row -> the ticks whose leaders rise (or fall) to it
    placed = []
    for event, box in zip(events, boxes):
        tick = x_of(event.year)
        centre = min(max(tick, MARGIN + box / 2), width - MARGIN - box / 2)
        span = (centre - box / 2 - GAP, centre + box / 2 + GAP)
        row = next((r for r in _rows(MAX_ROWS) if _free(r, span, tick, boxes_in, ticks_in)), None)
        if row is None:  # crowded: the first row, counting outwards above, where it overlaps no label
            row = next(r for r in itertools.count(1) if not any(a < span[1] and span[0] < b
                                                                 for a, b in boxes_in.get(r, ())))
        boxes_in.setdefault(row, []).append(span)
        ticks_in.setdefault(row, []).append(tick)
        placed.append((event, centre, row))
    below = -min((row for *_, row in placed if row < 0), default=0)
    above = max((row for *_, row in placed if row > 0), default=0)
    axis = MARGIN + below * ROW
    shapes: list[Shape] = [Line(MARGIN, axis, width - MARGIN, axis, 1.4, "accent")]
    for event, centre, row in placed:
        tick = x_of(event.year)
        if row > 0:
            top = axis + row * ROW
            shapes.append(Line(tick, axis, tick, top - 2 * LEADING, 0.6, "rule"))
        else:
            top = axis + (row + 1) * ROW - 6
            shapes.append(Line(tick, axis, tick, top, 0.6, "rule"))
        shapes.append(Line(tick, axis - 3, tick, axis + 3, 1.4, "accent"))
        shapes.append(Label(centre, top - SIZE, str(event.year), SIZE, "middle", bold=True))
        shapes.append(Label(centre, top - SIZE - LEADING, event.label, SIZE, "middle"))
    return Scene(width, axis + above * ROW + MARGIN, tuple(shapes))


def _free(row: int, span: tuple[float, float], tick: float, boxes_in: dict[int, list[tuple[float, float]]],
          ticks_in: dict[int, list[float]]) -> bool:
    """A label fits in `row` if it overlaps no label there, no leader line from further out crosses it, and
    its own leader crosses no label nearer the line."""
    side = 1 if row > 0 else -1
    nearer = [side * n for n in range(1, abs(row))]
    further = [r for r in ticks_in if r * side > abs(row)]
    return (not any(a < span[1] and span[0] < b for a, b in boxes_in.get(row, ()))
            and not any(span[0] < t < span[1] for r in further for t in ticks_in[r])
            and not any(a < tick < b for r in nearer for a, b in boxes_in.get(r, ())))


def _rows(limit: int) -> Iterator[int]:
    """1, -1, 2, -2, ... up to `limit` on each side: nearest the line first, above before below."""
    for n in range(1, limit + 1):
        yield n
        yield -n
