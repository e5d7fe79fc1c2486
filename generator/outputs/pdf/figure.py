"""A figure on paper: its drawing (ReportLab graphics, vector) or its picture, its numbered caption with
sources beneath, kept whole on one page and named so that text and contents can link to it."""

from __future__ import annotations

import io

from reportlab.graphics.shapes import Drawing, Line as RLLine, Polygon as RLPolygon, Rect, String
from reportlab.lib import colors
from reportlab.platypus import Flowable, Image as RLImage, KeepTogether, Spacer

from generator.outputs import figures
from generator.outputs.figures.scene import PALETTE, Box, Label, Line, Polygon, Scene
from generator.outputs.pdf import fonts
from generator.source.model import Content, Figure

FACES = {False: fonts.REGULAR, True: fonts.BOLD}
MAX_HEIGHT = 340.0  # points: half an A4 text column, so a figure and its caption always fit one page


def drawing(scene: Scene) -> Drawing:
    """The scene in ReportLab's vector graphics, in the embedded fonts."""
    fonts.register()
    picture = Drawing(scene.width, scene.height, initialFontName=fonts.REGULAR)  # else the renderer sets Helvetica
    for shape in scene.shapes:
        colour = colors.HexColor(PALETTE[shape.colour])
        if isinstance(shape, Line):
            picture.add(RLLine(shape.x1, shape.y1, shape.x2, shape.y2, strokeColor=colour, strokeWidth=shape.width))
        elif isinstance(shape, Box):
            picture.add(Rect(shape.x, shape.y, shape.width, shape.height, fillColor=colour, strokeColor=None))
        elif isinstance(shape, Polygon):
            picture.add(RLPolygon([v for point in shape.points for v in point], fillColor=colour, strokeColor=None))
        elif isinstance(shape, Label):
            picture.add(String(shape.x, shape.y, shape.text, fontName=FACES[shape.bold], fontSize=shape.size,
                               fillColor=colour, textAnchor=shape.anchor))
    return picture


def picture(content: Content, figure: Figure, width: float) -> Flowable:
    """The figure at most `width` wide: a drawing, or the image scaled to fit the width and MAX_HEIGHT."""
    if figure.image is None:
        return drawing(figures.scene(content, figure, width))
    if figure.image.kind == "svg":
        return svg_drawing(figure.image.data, width)
    image = RLImage(io.BytesIO(figure.image.data))
    scale = min(width / image.imageWidth, MAX_HEIGHT / image.imageHeight, 1.0)  # one pixel a point at most
    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
    return image


def svg_drawing(data: bytes, width: float) -> Drawing:
    """An SVG file as vector graphics (svglib), fitted like a picture, its text in the embedded faces: svglib
    would set it in Helvetica, which is neither embedded nor able to print every character."""
    from svglib.svglib import svg2rlg  # only content with SVG images needs it

    picture = svg2rlg(io.BytesIO(data))
    scale = min(width / picture.width, MAX_HEIGHT / picture.height, 1.0)
    picture.scale(scale, scale)
    picture.width, picture.height = picture.width * scale, picture.height * scale
    picture.initialFontName, picture.hAlign = fonts.REGULAR, "CENTER"
    _embedded_faces(picture)
    return picture


def _embedded_faces(node: object) -> None:
    for child in getattr(node, "contents", ()):
        if isinstance(child, String):
            bold = "bold" in child.fontName.lower()
            italic = "italic" in child.fontName.lower() or "oblique" in child.fontName.lower()
            child.fontName = {(False, False): fonts.REGULAR, (True, False): fonts.BOLD, (False, True): fonts.ITALIC,
                              (True, True): fonts.BOLD_ITALIC}[bold, italic]
        _embedded_faces(child)


def block(content: Content, figure: Figure, caption: list[Flowable], width: float) -> Flowable:
    """Picture and caption together, never split across pages."""
    return KeepTogether([Spacer(1, 12), picture(content, figure, width), Spacer(1, 6), *caption])  # clear of a table above
