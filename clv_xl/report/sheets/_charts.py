"""What the report's charts share: category labels that stay on one line."""

from __future__ import annotations

from typing import Any

from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RichTextProperties

__all__ = ["slant_labels", "LABEL_ROTATION"]

#: Rotation of slanted axis labels, in 60,000ths of a degree (DrawingML): 45 degrees up to the right.
LABEL_ROTATION = -2_700_000


def slant_labels(axis: Any) -> None:
    """Write the axis's labels at 45 degrees, so a month label (``janv. 2024``) keeps one line among many.

    Left horizontal, Excel and LibreOffice break a label that does not fit its slot at spaces and hyphens
    (``2024`` over ``-01``).

    Examples
    --------
    >>> from openpyxl.chart import BarChart
    >>> chart = BarChart()
    >>> slant_labels(chart.x_axis)
    >>> chart.x_axis.txPr.bodyPr.rot
    -2700000
    """
    axis.txPr = RichText(
        bodyPr=RichTextProperties(rot=LABEL_ROTATION, vert="horz"),
        p=[Paragraph(pPr=ParagraphProperties(defRPr=CharacterProperties()), endParaRPr=CharacterProperties())],
    )
