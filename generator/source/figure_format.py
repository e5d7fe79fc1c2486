"""The figure part of the content format: one of an image file, a timeline, a chart drawn from a table,
or molecular structures from SMILES, each with a caption, required alt text and sources.

What can be checked where the figure is written is checked here (the image file: inside the content
folder, small enough, a PNG, JPEG or plain SVG that decodes; the SMILES: a molecule RDKit can read); what needs
the whole file (the chart's table, the facts and patient sheets named) is checked with the content.
"""

from __future__ import annotations

import io
import re
from xml.etree import ElementTree
from pathlib import Path
from typing import Any

import yaml

from generator.source.model import Chart, Event, Figure, Image, Molecule, Structure, Timeline
from generator.source.nodes import Context, child
from generator.source.specs import PLAIN, SLUG, Field, Id, Integer, ListOf, Record, Ref, Text, slug_text

MAX_IMAGE_BYTES = 2 * 1024 * 1024  # a figure is printed at most a page wide; more is a mistake or an attack
MAX_IMAGE_PIXELS = 25_000_000  # a small file can still decode to a huge bitmap (a decompression bomb)
MAX_EVENTS = 20
MAX_MOLECULES = 4
MAX_SMILES_CHARS = 500
KINDS = ("image", "timeline", "chart", "structure")

SLUG_TEXT = slug_text()
TEXT = Text(inline=PLAIN)  # captions and alt texts are printed as written, in titles and attributes too
LABEL = Text(max_chars=80, one_line=True, inline=PLAIN)  # words on a drawing must fit beside a mark
EVENT_LABEL = Text(max_chars=30, one_line=True, inline=PLAIN)  # a timeline's ends must stay its ends


def _ref(kind: str) -> Ref:
    return Ref(SLUG, SLUG_TEXT.what, kind=kind)


def _read_image(ctx: Context, node: yaml.MappingNode, path: str, values: dict[str, Any]) -> None:
    """The image's bytes, read once: the file must lie inside the content file's folder, be at most
    MAX_IMAGE_BYTES, and decode as a PNG or JPEG of sane size."""
    name = values.get("file")
    if name is None:
        return
    where = child(node, "file")
    folder = Path(ctx.file).resolve().parent
    target = (folder / name).resolve()
    if Path(name).is_absolute() or not target.is_relative_to(folder):
        ctx.error(where, f"{path}.file", f"'{name}' is outside the content file's folder; put the image beside it")
        return
    try:
        size = target.stat().st_size
        if size > MAX_IMAGE_BYTES:
            ctx.error(where, f"{path}.file", f"'{name}' is {size:,} bytes; an image may be at most "
                                             f"{MAX_IMAGE_BYTES:,}")
            return
        data = target.read_bytes()
    except OSError as exc:
        ctx.error(where, f"{path}.file", f"cannot read '{name}': {exc.strerror or exc}")
        return
    kind = _decoded_kind(data)
    if kind is None:
        ctx.error(where, f"{path}.file", f"'{name}' is not a PNG, JPEG or SVG image that can be read and drawn "
                                         f"(an SVG may hold no DTD, script, event handler or link to another file)")
        return
    values["data"], values["kind"] = data, kind


def _decoded_kind(data: bytes) -> str | None:
    """'png', 'jpeg' or 'svg' if the bytes decode fully as one (within MAX_IMAGE_PIXELS), else None."""
    if data.lstrip()[:1] == b"<":  # XML text: a PNG or JPEG never starts with '<'
        return "svg" if svg_problem(data) is None else None
    from PIL import Image as PILImage  # Pillow comes with ReportLab; only content with images needs it

    try:
        with PILImage.open(io.BytesIO(data)) as picture:
            if picture.format not in ("PNG", "JPEG") or picture.width * picture.height > MAX_IMAGE_PIXELS:
                return None
            picture.load()
            return picture.format.lower()
    except (OSError, ValueError, PILImage.DecompressionBombError, SyntaxError):
        return None


UNSAFE_SVG = re.compile(rb"<!DOCTYPE|<!ENTITY|<script|<foreignObject|\son[a-z]+\s*=|javascript:", re.IGNORECASE)
EXTERNAL_REFERENCE = re.compile(rb"""(?:xlink:)?href\s*=\s*["'](?!#|data:image/(?:png|jpeg);)""", re.IGNORECASE)


def svg_problem(data: bytes) -> str | None:
    """Why an SVG cannot be a figure, or None: it must be plain drawing (no DTD or entities, which can
    explode or reach files; no script or event handler; nothing fetched from elsewhere) that ReportLab
    can draw through svglib."""
    if UNSAFE_SVG.search(data) or EXTERNAL_REFERENCE.search(data):
        return "holds a DTD, entity, script, event handler or a link to another file"
    try:  # well-formed XML whose root is <svg> (no DTD, so nothing to expand)
        if ElementTree.fromstring(data).tag != "{http://www.w3.org/2000/svg}svg":
            return "is not SVG (the root must be <svg xmlns=\"http://www.w3.org/2000/svg\">)"
    except ElementTree.ParseError:
        return "is not well-formed XML"
    from svglib.svglib import svg2rlg  # loaded only for content with SVG images

    try:
        drawing = svg2rlg(io.BytesIO(data))
    except Exception:  # svglib raises many kinds on broken files; each means "cannot be drawn"
        return "cannot be read as SVG"
    return None if drawing is not None and drawing.width > 0 and drawing.height > 0 else "cannot be read as SVG"


def _check_smiles(ctx: Context, node: yaml.MappingNode, path: str, values: dict[str, Any]) -> None:
    smiles = values.get("smiles")
    if smiles is not None and (problem := molecule_problem(smiles)):
        ctx.error(child(node, "smiles"), f"{path}.smiles", f"'{smiles}' {problem}")


def molecule_problem(smiles: str) -> str | None:
    """Why a SMILES string cannot be drawn as a skeletal formula, or None."""
    from rdkit import Chem, RDLogger  # RDKit is loaded only for content that draws structures

    RDLogger.DisableLog("rdApp.*")  # its own messages go to stderr; ours say where the problem is
    molecule = Chem.MolFromSmiles(smiles)
    if molecule is None:
        return "is not a SMILES string RDKit can read"
    if molecule.GetNumBonds() == 0:
        return "has no bond between heavy atoms to draw; a structure figure shows at least two bonded atoms"
    return None


def _check_figure(ctx: Context, node: yaml.MappingNode, path: str, values: dict[str, Any]) -> None:
    """Exactly one kind of figure."""
    kinds = [kind for kind in KINDS if kind in values]
    if len(kinds) != 1:
        found = " and ".join(f"'{kind}'" for kind in kinds) or "none"
        ctx.error(node, path, f"a figure has exactly one of 'image', 'timeline', 'chart' or 'structure' ({found} given)")


def _check_timeline(ctx: Context, node: yaml.MappingNode, path: str, values: dict[str, Any]) -> None:
    events = [event for event in values.get("events") or () if event is not None and event.year is not None]
    years = [event.year for event in events]
    if years != sorted(years):
        ctx.error(child(node, "events"), f"{path}.events", "events must be in date order, earliest first")


IMAGE = Record("Image", (
    Field("file", Text(r"^[A-Za-z0-9._/-]+\.(png|jpe?g|svg)$",
                       "a file name of letters, digits, '.', '_', '-' and '/' ending in .png, .jpg, .jpeg or .svg",
                       max_chars=200, one_line=True),
          description="A PNG, JPEG or SVG file in the content file's folder (or below it), at most 2 MiB."),
    Field("credit", TEXT, description="Who made the image."),
    Field("licence", TEXT, description="The licence it is used under, such as CC BY 4.0."),
), model=Image, check=_read_image)

TIMELINE = Record("Timeline", (
    Field("events", ListOf(Record("Event", (
        Field("year", Integer(1000, 2100), description="The year of the event."),
        Field("label", EVENT_LABEL, description="A few words (at most 30 characters) printed beside the mark."),
        Field("fact", Text(SLUG, SLUG_TEXT.what), False, "The fact that states (and sources) this event."),
    ), model=Event), 2, MAX_EVENTS), description="The events, earliest first."),
), model=Timeline, check=_check_timeline)

CHART = Record("Chart", (
    Field("table", Text(SLUG, SLUG_TEXT.what), description="The table whose rows become the bars."),
    Field("label", SLUG_TEXT, description="The column that names each bar."),
    Field("value", SLUG_TEXT, description="A column of numbers: the bar's length, or the low end of a range."),
    Field("high", SLUG_TEXT, False, "A column of numbers: the high end of each range."),
    Field("unit", Text(max_chars=30, one_line=True, inline=PLAIN), description="The unit of the numbers, such as % or minutes."),
), model=Chart)

STRUCTURE = Record("Structure", (
    Field("molecules", ListOf(Record("Molecule", (
        Field("name", LABEL, description="Printed under the drawing."),
        Field("smiles", Text(max_chars=MAX_SMILES_CHARS, one_line=True, inline=PLAIN),
              description="The molecule as a SMILES string, with @/@@ for a stereocentre."),
    ), model=Molecule, check=_check_smiles), 1, MAX_MOLECULES), description="Drawn side by side."),
), model=Structure)

FIGURE = Record("Figure", (
    Field("id", Id(SLUG, SLUG_TEXT.what, kind="figure", max_chars=100), description="Stable id of this figure."),
    Field("caption", TEXT, description="Printed after 'Figure N.'; says what the figure shows."),
    Field("alt", TEXT, description="What the figure shows, in words, for readers who cannot see it."),
    Field("sources", ListOf(_ref("reference"), 1), description="References that support what it shows."),
    Field("facts", ListOf(Text(SLUG, SLUG_TEXT.what)), False,
          "Facts it belongs to: the handout refers to it after them, their Anki cards show it."),
    Field("patient_sheets", ListOf(Text(SLUG, SLUG_TEXT.what)), False, "Patient sheets that print it."),
    Field("image", IMAGE, False, "A picture file."),
    Field("timeline", TIMELINE, False, "Dated events drawn on a line."),
    Field("chart", CHART, False, "A bar or range chart from a table."),
    Field("structure", STRUCTURE, False, "Molecules drawn from SMILES."),
), model=Figure, check=_check_figure, exclusive=tuple((kind,) for kind in KINDS))
