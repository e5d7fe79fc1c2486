"""What every PDF of ours shares: paper sizes, the text column, colours, and reproducible dates."""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm

from generator.source.model import Status

PAPERS = {"a4": A4, "letter": LETTER}
MIN_EDGE = 9 * mm  # desktop printers lose the outer ~5 mm: no text closer than this to any edge
TEXT_WIDTH = 170 * mm  # A4 less 20 mm margins; Letter gets the same column, centred

STATUS_COLOURS = {
    Status.APPROVED: colors.HexColor("#1d6b35"),
    Status.OFF_LABEL: colors.HexColor("#9a4d00"),
    Status.INVESTIGATIONAL: colors.HexColor("#6b2a8c"),
}
# a shape as well as a colour, so the labels stay apart when printed in grey
STATUS_MARKS = {Status.APPROVED: "\u2713", Status.OFF_LABEL: "\u25c6", Status.INVESTIGATIONAL: "\u25b2"}
INK = colors.HexColor("#1b1b1b")
ACCENT = colors.HexColor("#0a3d6b")
RULE = colors.HexColor("#b8c4d0")
SHADE = colors.HexColor("#eef3f8")
GREY = colors.HexColor("#5a5a5a")


def status_tag(status: Status) -> str:
    """'[✓ Approved]': the printed label of a status that needs one."""
    return f"[{STATUS_MARKS[status]}\u00a0{status.label}]"


@contextmanager
def dated(timestamp: int) -> Iterator[None]:
    """Documents created inside carry `timestamp` as their creation and modification date.

    ReportLab's documented way to date a document is the SOURCE_DATE_EPOCH variable, read when a
    canvas is made; it is set only for that moment and put back, so a renderer stays a function of
    its arguments."""
    earlier = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(timestamp)
    try:
        yield
    finally:
        if earlier is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = earlier
