"""A scene as SVG text: standalone (a media file for the deck, with its own white background and colours)
or inline in the web page (colours from the page's style sheet, so dark mode and print apply)."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from generator.outputs.figures.scene import PALETTE, Box, Label, Line, Polygon, Scene

ANCHORS = {"start": "start", "middle": "middle", "end": "end"}
FONT = '"DejaVu Sans", "Helvetica Neue", Arial, sans-serif'


def svg(scene: Scene, alt: str, element_id: str, standalone: bool) -> str:
    """`alt` becomes the picture's <title>, which screen readers read; `element_id` names it in the page."""
    title_id = f"{element_id}_title"  # '_' is in no content id: no other element can have this id
    height = scene.height
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(scene.width)} {_n(height)}" '
             f'width="{_n(scene.width)}" height="{_n(height)}" role="img" aria-labelledby="{title_id}" '
             f'class="drawing" font-family={quoteattr(FONT)}>',
             f'<title id="{title_id}">{escape(alt)}</title>']
    if standalone:
        parts.append("<style>" + "".join(f".{name}{{fill:{colour};stroke:{colour}}}" for name, colour in PALETTE.items())
                     + "</style>")
        parts.append(f'<rect width="{_n(scene.width)}" height="{_n(height)}" fill="#ffffff"/>')
    for shape in scene.shapes:
        if isinstance(shape, Line):
            parts.append(f'<line class="{shape.colour}" x1="{_n(shape.x1)}" y1="{_n(height - shape.y1)}" '
                         f'x2="{_n(shape.x2)}" y2="{_n(height - shape.y2)}" stroke-width="{_n(shape.width)}"/>')
        elif isinstance(shape, Box):
            parts.append(f'<rect class="{shape.colour}" x="{_n(shape.x)}" y="{_n(height - shape.y - shape.height)}" '
                         f'width="{_n(shape.width)}" height="{_n(shape.height)}" stroke-width="0"/>')
        elif isinstance(shape, Polygon):
            points = " ".join(f"{_n(x)},{_n(height - y)}" for x, y in shape.points)
            parts.append(f'<polygon class="{shape.colour}" points="{points}" stroke-width="0"/>')
        elif isinstance(shape, Label):
            weight = ' font-weight="bold"' if shape.bold else ""
            parts.append(f'<text class="{shape.colour}" x="{_n(shape.x)}" y="{_n(height - shape.y)}" '
                         f'font-size="{_n(shape.size)}" text-anchor="{ANCHORS[shape.anchor]}" stroke-width="0"'
                         f'{weight}>{escape(shape.text)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _n(value: float) -> str:
    """A coordinate with two decimals at most, the same text on every machine."""
    return f"{value:.2f}".rstrip("0").rstrip(".")
