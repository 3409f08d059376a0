"""What every sheet writer shares: the workbook, the content, the anchors and the data ranges."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from clv_xl.i18n.text_format import (
    format_date,
    format_integer,
    format_money,
    format_month,
    format_number,
    format_percent,
)
from clv_xl.report.content import ReportContent
from clv_xl.report.labels import label
from clv_xl.report.stream import StreamedTable
from clv_xl.report.styles import number_format
from clv_xl.report.template import Anchor

__all__ = ["WriteContext", "TablePosition", "column_range", "sheet_ref", "month_label", "fit_headers"]

#: Column width units a bold header character takes (the width unit is a digit of the default font).
_HEADER_CHAR = 1.2
#: Lines a header may take before its column is widened instead.
_HEADER_LINES = 2



def sheet_ref(sheet: str) -> str:
    """A sheet name as a formula writes it: quoted only when it must be.

    Parameters
    ----------
    sheet : str
        Sheet title.

    Returns
    -------
    str
        ``Customers`` or ``'My data'``.

    Examples
    --------
    >>> sheet_ref("Customers"), sheet_ref("Bob's data")
    ('Customers', "'Bob''s data'")
    """
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", sheet) and not re.fullmatch(r"[A-Za-z]{1,3}[0-9]+", sheet):
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


def column_range(sheet: str, col: int, first_row: int, last_row: int) -> str:
    """An absolute one-column range with its sheet, e.g. ``Customers!$D$2:$D$9``.

    Parameters
    ----------
    sheet : str
        Sheet title (quoted when needed).
    col : int
        1-based column.
    first_row, last_row : int
        Row span.

    Returns
    -------
    str
        The reference.

    Examples
    --------
    >>> column_range("Customers", 4, 2, 9)
    'Customers!$D$2:$D$9'
    >>> column_range("My data", 1, 2, 2)
    "'My data'!$A$2:$A$2"
    """
    letter = get_column_letter(col)
    return f"{sheet_ref(sheet)}!${letter}${first_row}:${letter}${last_row}"


@dataclass
class TablePosition:
    """Where a table landed: its sheet, header row, data rows and the column of each field.

    Examples
    --------
    >>> TablePosition("Churn", 3, 4, 9, {"revenue": 10}).ref("revenue")
    'Churn!$J$4:$J$9'
    """

    sheet: str
    header_row: int
    first_row: int
    last_row: int
    columns: dict[str, int]

    def ref(self, key: str) -> str:
        """The absolute range of the data of column ``key``."""
        return column_range(self.sheet, self.columns[key], self.first_row, self.last_row)


@dataclass
class WriteContext:
    """State shared by the sheet writers while one report is filled.

    Attributes
    ----------
    wb : Workbook
        The template being filled.
    content : ReportContent
        What to write.
    anchors : dict
        Named cells of the template contract.
    ranges : dict
        Data ranges written so far, e.g. ``ranges["customers.revenue"]``, for formulas on other sheets.
    streamed : list of StreamedTable
        Big tables to stream in after openpyxl saves.
    notes : list of str
        Notes for the dashboard.
    tables : dict
        Where the small tables landed.
    header_rows : dict
        Header row of each sheet's table, repeated on every printed page.
    partial_ranges : set of str
        Prefixes of ``ranges`` whose tables hold only part of their rows (``"customers"`` past a sheet's rows):
        figures over them are written as values computed on every row, not as formulas.
    """

    wb: Workbook
    content: ReportContent
    anchors: dict[str, Anchor]
    ranges: dict[str, str] = field(default_factory=dict)
    streamed: list[StreamedTable] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tables: dict[str, TablePosition] = field(default_factory=dict)
    header_rows: dict[str, int] = field(default_factory=dict)
    partial_ranges: set[str] = field(default_factory=set)

    @property
    def lang(self) -> str:
        """The report's language."""
        return self.content.options.lang

    def t(self, key: str, **fields: object) -> str:
        """The label ``key`` in the report's language."""
        return label(key, self.lang, **fields)

    def fmt(self, kind: str) -> str:
        """The number format of a kind: int, dec, pct, 0% (whole percent), date, money or text."""
        return number_format(kind, self.content.options.currency, self.lang)

    def number(self, value: float, decimals: int = 2) -> str:
        """A number inside text, in the report's style (``1,234.5`` / ``1 234,5``)."""
        return format_number(value, self.lang, decimals)

    def integer(self, value: float) -> str:
        """A count inside text (``3,000`` / ``3 000``)."""
        return format_integer(value, self.lang)

    def percent(self, fraction: float, decimals: int = 1) -> str:
        """A percentage inside text (``10.0%`` / ``10,0 %``)."""
        return format_percent(fraction, self.lang, decimals)

    def money(self, value: float, decimals: int = 0) -> str:
        """An amount with the report's currency inside text (``$47,918`` / ``47 918 €``)."""
        return format_money(value, self.content.options.currency, self.lang, decimals)

    def date(self, value: object) -> str:
        """A date inside text (``2024-01-31`` / ``31/01/2024``)."""
        return format_date(value, self.lang)

    def month(self, value: object) -> str:
        """A month label (``Jan 2024`` / ``janv. 2024``) for ``2024-01``; other periods are written as they are."""
        return month_label(value, self.lang)


def month_label(value: object, lang: str) -> str:
    """A short month label for a month (``2024-01``, a monthly period, a date); other periods are kept as they are.

    Examples
    --------
    >>> import pandas as pd
    >>> month_label("2024-01", "en"), month_label(pd.Period("2024-02", "M"), "fr"), month_label("2024-W05", "fr")
    ('Jan 2024', 'févr. 2024', '2024-W05')
    """
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return format_month(f"{text}-01", lang)
    monthly = isinstance(value, date) or str(getattr(value, "freqstr", "")).startswith("M")
    return format_month(value, lang) if monthly else text


def fit_headers(ws: Any, row: int, first_col: int, last_col: int, widest: float = 30) -> None:
    """Widen the columns of a header row so no word is cut ("Command / es") and each header fits two lines.

    Each column keeps at least its width; it grows to hold the header's longest word, and up to ``widest`` to hold
    the whole header in two lines; the row is made as tall as the tallest header needs (two lines at least).

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> ws = Workbook().active
    >>> ws["A1"], ws["B1"] = "Commandes", "Clients revenus (après avoir été perdus)"
    >>> ws.column_dimensions["A"].width = ws.column_dimensions["B"].width = 10
    >>> fit_headers(ws, 1, 1, 2)
    >>> ws.column_dimensions["A"].width >= 9 * 1.2 + 2, ws.row_dimensions[1].height
    (True, 30.0)
    """
    lines = _HEADER_LINES
    for col in range(first_col, last_col + 1):
        text = str(ws.cell(row, col).value or "")
        letter = get_column_letter(col)
        width = ws.column_dimensions[letter].width or 8.43
        longest_word = max((len(word) for word in text.split()), default=0)
        width = max(width, longest_word * _HEADER_CHAR + 2, min(len(text) * _HEADER_CHAR / _HEADER_LINES + 2, widest))
        ws.column_dimensions[letter].width = round(width, 1)
        lines = max(lines, math.ceil(len(text) * _HEADER_CHAR / max(width - 2, 1)))
    ws.row_dimensions[row].height = 15 * lines
