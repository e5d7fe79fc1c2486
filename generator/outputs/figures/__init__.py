"""Figures as vector scenes: each kind of figure (timeline, chart, structure) is laid out once as a list of
lines, shapes and labels; the PDF draws the scene with ReportLab's graphics, the deck and the web page
write it as SVG. One layout, so every output shows the same picture."""

from __future__ import annotations

import hashlib
from typing import Callable

from generator.outputs.figures import chart, structure, timeline
from generator.outputs.figures.scene import Scene
from generator.source.model import Content, Figure

WIDTH = 480.0  # points: about 170 mm, the handout's full column


def scene(content: Content, figure: Figure, width: float = WIDTH) -> Scene:
    """The drawing of a timeline, chart or structure figure (images are pictures, not scenes)."""
    if figure.timeline is not None:
        return timeline.scene(figure.timeline, width)
    if figure.chart is not None:
        return chart.scene(figure.chart, content.table_by_id[figure.chart.table], width)
    if figure.structure is not None:
        return structure.scene(figure.structure, width)
    raise ValueError(f"figure '{figure.id}' is an image, not a drawing")


DRAWING_VERSION = "1"  # raise when the drawings change, so that decks ship the new pictures


def media_name(content: Content, figure: Figure) -> str:
    """The figure's file name in the deck's media folder: the topic, the figure and a digest of what it shows.
    Anki keeps a media file it already has and updates a note only when its fields change: a picture that
    changes must change its name, and so the note that shows it."""
    digest = hashlib.sha256(f"{DRAWING_VERSION}\n{figure!r}\n".encode())
    if figure.image is not None:
        digest.update(figure.image.data)
    if figure.chart is not None:
        digest.update(repr(content.table_by_id[figure.chart.table]).encode())
    extension = {"jpeg": "jpg"}.get(figure.image.kind, figure.image.kind) if figure.image is not None else "svg"
    return f"{content.topic.id}-{figure.id}-{digest.hexdigest()[:12]}.{extension}"


def see_also(numbers: list[tuple[int, str]], linked: Callable[[str, str], str]) -> str:
    """'see Figure 2' or 'see Figure 1 and Figure 3' (empty for none); `linked(text, figure_id)` makes the
    markup of each 'Figure N', which is what a reader clicks."""
    parts = [linked(f"Figure\u00a0{number}", figure_id) for number, figure_id in sorted(numbers)]
    if not parts:
        return ""
    return "see " + (parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}")
