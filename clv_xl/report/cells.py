"""Writing values into openpyxl cells safely: text stays text, whatever it starts with."""

from __future__ import annotations

import math
import re
from typing import Any

from openpyxl.cell.cell import Cell

__all__ = ["clean_text", "put_text", "put_value", "put_formula", "MAX_CELL_TEXT", "ILLEGAL_XML"]

#: Longest text a cell holds.
MAX_CELL_TEXT = 32_767

#: Characters an XML worksheet cannot carry (control characters, lone surrogates, U+FFFE/U+FFFF).
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def clean_text(value: object) -> str:
    """Make any value a string a worksheet can store verbatim.

    Characters XML cannot carry are replaced by U+FFFD; text that looks like an OOXML ``_xHHHH_`` escape is
    itself escaped, so Excel shows it as written; overlong text is cut at 32,767 characters.

    Parameters
    ----------
    value : object
        Anything; converted with ``str``.

    Returns
    -------
    str
        Safe text.

    Examples
    --------
    >>> clean_text("=1+1\\x07")
    '=1+1\\ufffd'
    >>> clean_text("_x0041_")
    '_x005F_x0041_'
    """
    text = str(value)
    if ILLEGAL_XML.search(text):
        text = ILLEGAL_XML.sub("\ufffd", text)
    if "_x" in text:
        text = _ESCAPE_LIKE.sub(r"_x005F_\1", text)
    return text[:MAX_CELL_TEXT]


def put_text(cell: Cell, value: object, style: str | None = None) -> Cell:
    """Write ``value`` as text, never as a formula (``=``, ``+``, ``-``, ``@`` and tabs stay literal).

    Parameters
    ----------
    cell : openpyxl cell
        Target.
    value : object
        Converted with :func:`clean_text`.
    style : str, optional
        A named style.

    Returns
    -------
    openpyxl cell
        ``cell``.

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> ws = Workbook().active
    >>> put_text(ws["A1"], "=HYPERLINK(\\"http://x\\")").data_type
    's'
    """
    cell.value = clean_text(value)
    cell.data_type = "s"
    if style:
        cell.style = style
    return cell


def put_value(cell: Cell, value: Any, number_format: str | None = None, style: str | None = None) -> Cell:
    """Write a number (blank when missing or not finite), or text through :func:`put_text`.

    Parameters
    ----------
    cell : openpyxl cell
        Target.
    value : object
        Number, None/NaN (left blank), or anything else (written as text).
    number_format : str, optional
        Excel number format.
    style : str, optional
        A named style (applied before ``number_format``).

    Returns
    -------
    openpyxl cell
        ``cell``.

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> ws = Workbook().active
    >>> put_value(ws["A1"], float("nan")).value is None, put_value(ws["A2"], 3).value
    (True, 3)
    """
    if style:
        cell.style = style
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        cell.value = None
    elif isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            number = float(value)  # numpy scalars
        except (TypeError, ValueError):
            put_text(cell, value)
        else:
            cell.value = number if math.isfinite(number) else None
    else:
        cell.value = value
    if number_format:
        cell.number_format = number_format
    return cell


def put_formula(cell: Cell, formula: str, number_format: str | None = None, style: str | None = None) -> Cell:
    """Write a formula we built ourselves (starting with ``=``).

    Parameters
    ----------
    cell : openpyxl cell
        Target.
    formula : str
        The formula, ``=`` included.
    number_format : str, optional
        Excel number format.
    style : str, optional
        A named style (applied before ``number_format``).

    Returns
    -------
    openpyxl cell
        ``cell``.

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> put_formula(Workbook().active["A1"], "=1+1").data_type
    'f'
    """
    if not formula.startswith("="):
        raise ValueError(f"a formula starts with '=': {formula!r}")
    if style:
        cell.style = style
    cell.value = formula
    cell.data_type = "f"
    if number_format:
        cell.number_format = number_format
    return cell
