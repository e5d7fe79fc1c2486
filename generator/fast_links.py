"""Internal link annotations that format straight to bytes.

ReportLab builds and checks a dictionary for every link annotation when it saves the PDF; a handout
with a thousand linked citation numbers spent a sixth of its time there. A plain internal link (no
border, no contents, nothing extra) is written here directly, byte for byte as ReportLab writes it
(tests compare the two); any other annotation keeps ReportLab's own formatting.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfdoc import LinkAnnotation, PDFArray


class PlainLink(LinkAnnotation):
    def format(self, document: Any) -> bytes:
        border = self.Border
        if self.otherkw or self.Contents or not (isinstance(border, PDFArray) and border.sequence == [0, 0, 0]):
            return super().format(document)
        return (b"<<\n/Border [ 0 0 0 ] /Contents () /Dest %s /Rect [ %s ] /Subtype /Link /Type /Annot\n>>"
                % (self.Destination.format(document), fp_str(*self.Rect).encode("ascii")))


def plain(annotation: Any) -> Any:
    """The same annotation, formatted the fast way if it is one of ReportLab's link annotations."""
    if type(annotation) is LinkAnnotation:
        annotation.__class__ = PlainLink
    return annotation
