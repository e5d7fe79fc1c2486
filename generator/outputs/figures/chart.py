"""A horizontal bar chart (or range chart) from a table: one bar per row, named by the label column, its
length from the value column (a range from value to high), the number printed at its end, and a scale."""

from __future__ import annotations

import math

from generator.outputs.figures.scene import Box, Label, Line, Scene, Shape, text_width
from generator.source import inline
from generator.source.model import Chart, Table

SIZE = 10.0  # the handout's smallest type: a figure is read like its text
BAR = 12.0
STEP = 20.0
MARGIN = 6.0


def number(cell: str) -> float:
    return float(cell.strip())


def _text(value: float) -> str:
    """A number as people write it: no exponent, no trailing zeros ('1234567', '0.5')."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _with_unit(text: str, unit: str) -> str:
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def scene(chart: Chart, table: Table, width: float) -> Scene:
    columns = [column.id for column in table.columns]
    label_at, value_at = columns.index(chart.label), columns.index(chart.value)
    high_at = columns.index(chart.high) if chart.high else None
    cells = [(inline.plain(row.cells[label_at]), inline.plain(row.cells[value_at]).strip(),
              inline.plain(row.cells[high_at]).strip() if high_at is not None else None) for row in table.rows]
    rows = [(name, number(value), number(high) if high is not None else None) for name, value, high in cells]
    names = max(text_width(name, SIZE) for name, _, _ in rows) + 8
    top_value = max(high if high is not None else value for _, value, high in rows)
    scale_end, tick = _scale(top_value)
    plot_left = MARGIN + names
    ends = [_with_unit(f"{value}–{high}" if high is not None else value, chart.unit) for _, value, high in cells]
    plot_width = width - plot_left - MARGIN - max(text_width(end, SIZE) for end in ends) - 6
    axis = MARGIN + SIZE * 1.6
    height = axis + STEP * len(rows) + 4

    def x_of(value: float) -> float:
        return plot_left + plot_width * value / scale_end

    shapes: list[Shape] = []
    for i in range(int(round(scale_end / tick)) + 1):
        x = x_of(i * tick)
        shapes.append(Line(x, axis - 3, x, axis, 0.8, "ink"))  # ticks only: no grid line runs through a label
        shapes.append(Label(x, MARGIN, f"{_text(i * tick)}", SIZE, "middle", colour="muted"))
    shapes.append(Line(plot_left, axis, plot_left + plot_width, axis, 0.8, "ink"))
    for i, ((name, value, high), end) in enumerate(zip(rows, ends)):
        y = height - STEP * (i + 1)
        start, stop = (x_of(value), x_of(high)) if high is not None else (plot_left, x_of(value))
        shapes.append(Label(plot_left - 8, y + BAR / 2 - SIZE * 0.35, name, SIZE, "end"))
        shapes.append(Box(start, y, max(stop - start, 1.5), BAR, "accent"))
        shapes.append(Label(stop + 4, y + BAR / 2 - SIZE * 0.35, end, SIZE))
    return Scene(width, height, tuple(shapes))


def _scale(top: float) -> tuple[float, float]:
    """A round end for the scale at or above `top`, and the step between ticks (1, 2 or 5 times a power of 10)."""
    rough = top / 4 if top > 0 else 1
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    return step * math.ceil(top / step) if top > 0 else step, step
