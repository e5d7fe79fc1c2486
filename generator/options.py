"""How to print: options the command line passes to renderers (content stays separate)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PrintOptions:
    paper: str = "a4"  # a4 | letter
    card_size: str = "grid"  # grid (2 x 4, fills the sheet) | index (3 x 5 in) | a7
    duplex: str = "long-edge"  # long-edge | short-edge | none
