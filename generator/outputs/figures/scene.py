"""The few things a figure is drawn with. Coordinates are points, origin at the bottom left (as in PDF);
colours are names of the palette, so print, screen and dark mode can each choose their own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

PALETTE = {"ink": "#1b1b1b", "accent": "#0a3d6b", "rule": "#b8c4d0", "muted": "#4a4a4a"}
CHAR_WIDTH = 0.6  # DejaVu Sans averages about 0.55 em a character; a little more keeps labels apart


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 1.0
    colour: str = "ink"


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float
    colour: str = "accent"


@dataclass(frozen=True)
class Polygon:
    points: tuple[tuple[float, float], ...]
    colour: str = "ink"


@dataclass(frozen=True)
class Label:
    x: float
    y: float  # the baseline
    text: str
    size: float = 9.0
    anchor: str = "start"  # "start", "middle" or "end"
    bold: bool = False
    colour: str = "ink"


Shape = Union[Line, Box, Polygon, Label]


@dataclass(frozen=True)
class Scene:
    width: float
    height: float
    shapes: tuple[Shape, ...]


def text_width(text: str, size: float) -> float:
    """A generous estimate of a label's width, without loading a font (the deck and the web page do not)."""
    return len(text) * size * CHAR_WIDTH
