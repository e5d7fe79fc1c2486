"""What every PDF of ours shares that needs no layout engine: paper sizes, colours, reproducible dates,
compact page streams. The card sheets draw on a canvas and import only this, not platypus."""

from __future__ import annotations

import time

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from generator.model import Status

rl_config.useA85 = 0  # page streams stay zlib-compressed binary: ASCII85 encoding costs time and 25% size
PAPERS = {"a4": A4, "letter": LETTER}
MIN_EDGE = 9 * mm  # desktop printers lose the outer ~5 mm: no text closer than this to any edge
TEXT_WIDTH = 170 * mm  # A4 less 20 mm margins; Letter gets the same column, centred

STATUS_COLOURS = {
    Status.APPROVED: colors.HexColor("#1d6b35"),
    Status.OFF_LABEL: colors.HexColor("#9a4d00"),
    Status.INVESTIGATIONAL: colors.HexColor("#6b2a8c"),
}
INK = colors.HexColor("#1b1b1b")
ACCENT = colors.HexColor("#0a3d6b")
RULE = colors.HexColor("#b8c4d0")
SHADE = colors.HexColor("#eef3f8")


class _FixedStamp:
    """Stands in for ReportLab's TimeStamp so document dates come from the content, not the clock."""

    def __init__(self, epoch: int) -> None:
        self.t = epoch
        self.lt = time.gmtime(epoch)
        self.YMDhms = tuple(self.lt)[:6]
        self.dhh = self.dmm = 0
        self.tzname = "UTC"


def fixed_timestamp(canvas: Canvas, epoch: int) -> None:
    """Make the document's creation and modification dates `epoch` (with invariant=1: reproducible bytes)."""
    canvas._doc._timeStamp = _FixedStamp(epoch)
