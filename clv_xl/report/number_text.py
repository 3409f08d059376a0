"""Numbers typed as text the way English and French analysts type them: ``0.3``, ``0,3``, ``30%``, ``30 %``, ``3 000``.

Used by the command line's options and by the workbook's **CLV settings** sheet, so both accept the same text.
"""

from __future__ import annotations

import re

__all__ = ["parse_number_text"]

_NUMBER_TEXT = re.compile(r"^\s*([-+]?\d[\d\s\u00a0\u202f]*(?:[.,]\d+)?|[-+]?[.,]\d+)\s*(%?)\s*$")


def parse_number_text(text: str) -> float | None:
    """The number written in ``text`` (a percentage divided by 100), or ``None`` if it is not one.

    Spaces (also no-break ones) group thousands; a comma or a point is the decimal separator.

    Examples
    --------
    >>> parse_number_text("0,3"), parse_number_text("30 %"), parse_number_text("30%"), parse_number_text("0.3")
    (0.3, 0.3, 0.3, 0.3)
    >>> parse_number_text("3 000"), parse_number_text("twelve")
    (3000.0, None)
    """
    match = _NUMBER_TEXT.match(text)
    if match is None:
        return None
    number = float(re.sub(r"[\s\u00a0\u202f]", "", match.group(1)).replace(",", "."))
    return number / 100 if match.group(2) else number
