"""Where cards go on a sheet: grid geometry, cut-mark positions and duplex mirroring (pure geometry).

Duplex printers turn the sheet over either about its long edge (the back of column c lands behind
column cols-1-c) or its short edge (the back of row r lands behind row rows-1-r). The grid is centred
on the page in both directions so that mirrored positions line up on paper.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import inch, mm

SHEET_MARGIN = 14 * mm  # grid to paper edge: room for cut marks; text stays >= 9 mm from the edge
FOOTER_BAND = 7.4 * mm  # above and below the grid alike, so the grid stays vertically centred; at most
# 7.4 mm so that two 3 x 5 in index cards, folded (10 in of paper), fit one A4 sheet
CARD_PADDING = 5 * mm  # duplex registration drifts by ~2 mm: keep text well inside each card
CARD_SIZES = {  # name -> (width, height) in points, portrait; None means "fill a 2 x 4 grid"
    "grid": None,
    "index": (3 * inch, 5 * inch),
    "a7": (74 * mm, 105 * mm),
}
DUPLEX_MODES = ("long-edge", "short-edge", "none")


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    def inset(self, by: float) -> "Box":
        return Box(self.x + by, self.y + by, self.width - 2 * by, self.height - 2 * by)


@dataclass(frozen=True)
class Grid:
    """A centred grid of cols x rows cells, each cell_width x cell_height, on a page."""

    page_width: float
    page_height: float
    cols: int
    rows: int
    cell_width: float
    cell_height: float

    @property
    def left(self) -> float:
        return (self.page_width - self.cols * self.cell_width) / 2

    @property
    def bottom(self) -> float:
        return (self.page_height - self.rows * self.cell_height) / 2

    @property
    def per_page(self) -> int:
        return self.cols * self.rows

    def cell(self, row: int, col: int) -> Box:
        """Row 0 is the top row, column 0 the left column."""
        top = self.bottom + self.rows * self.cell_height
        return Box(self.left + col * self.cell_width, top - (row + 1) * self.cell_height,
                   self.cell_width, self.cell_height)

    def position(self, index: int) -> tuple[int, int]:
        """(row, col) of the index-th card on a page, filled row by row."""
        return divmod(index, self.cols)


def mirrored(grid: Grid, row: int, col: int, duplex: str) -> tuple[int, int]:
    """Where the back of the card at (row, col) must print so that it lands behind the front."""
    if duplex == "long-edge":
        return row, grid.cols - 1 - col
    if duplex == "short-edge":
        return grid.rows - 1 - row, col
    raise ValueError(f"no mirrored position in duplex mode {duplex!r}")


def make_grid(page: tuple[float, float], card_size: str, duplex: str) -> Grid:
    """The grid for a paper, card size and duplex mode; in 'none' mode a cell holds front and back."""
    width, height = page
    usable_w = width - 2 * SHEET_MARGIN
    usable_h = height - 2 * (SHEET_MARGIN + FOOTER_BAND)
    pair = 2 if duplex == "none" else 1
    size = CARD_SIZES[card_size]
    if size is None:
        cols, rows = (1, 4) if pair == 2 else (2, 4)
        return Grid(width, height, cols, rows, usable_w / cols, usable_h / rows)
    options = []
    for card_w, card_h in (size, size[::-1]):
        cols, rows = int(usable_w // (card_w * pair)), int(usable_h // card_h)
        if cols and rows:
            options.append((cols * rows, -card_h, Grid(width, height, cols, rows, card_w * pair, card_h)))
    if not options:
        raise ValueError(f"a {card_size} card does not fit on this paper")
    return max(options, key=lambda option: option[:2])[2]


def cut_marks(grid: Grid, length: float = 5 * mm, gap: float = 2 * mm) -> list[tuple[float, float, float, float]]:
    """Short lines outside the grid on every cell boundary: (x1, y1, x2, y2)."""
    top, right = grid.bottom + grid.rows * grid.cell_height, grid.left + grid.cols * grid.cell_width
    lines = []
    for i in range(grid.cols + 1):
        x = grid.left + i * grid.cell_width
        lines += [(x, top + gap, x, top + gap + length), (x, grid.bottom - gap, x, grid.bottom - gap - length)]
    for j in range(grid.rows + 1):
        y = grid.bottom + j * grid.cell_height
        lines += [(grid.left - gap, y, grid.left - gap - length, y), (right + gap, y, right + gap + length, y)]
    return lines
