"""The **CLV settings** sheet: the report's assumptions, set in the workbook and read by every host's button.

One row per field of :class:`clv_xl.report.options.ReportOptions` (margin, discount rate, CAC or marketing
spend with new customers, lifespan, currency, language): column A the label (from the report's label table),
column B the value the analyst edits, column C the option's name, which is what is read (so the rows may be
reordered and the labels translated). The sheet is created with the defaults the first time the button runs
on a workbook that has none. Values are checked by ``ReportOptions``: a bad one ends in one short message.

Text values are read the way a French or English analyst types them: ``30 %``, ``30%``, ``0,3`` and ``0.3``
are the same margin.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Literal

import xlwings as xw

from clv_xl.report.assumptions import ASSUMPTION_NAMES, ASSUMPTIONS
from clv_xl.report.number_text import parse_number_text
from clv_xl.report.options import ReportOptions

__all__ = [
    "SETTINGS_SHEET", "SETTING_NAMES", "PERCENT_SETTINGS", "LanguageField", "settings_grid", "read_settings",
    "parse_setting",
]

#: The language choices of a form field (xlwings Lite's App Mode shows a ``Literal`` as a drop-down);
#: blank keeps the settings sheet's.
LanguageField = Literal["", "en", "fr"]

#: Name of the sheet that holds the settings.
SETTINGS_SHEET = "CLV settings"

#: The settings, in the order of the sheet: the report's assumptions (clv_xl.report.assumptions).
SETTING_NAMES: tuple[str, ...] = ASSUMPTION_NAMES

#: Settings shown and typed as percentages.
PERCENT_SETTINGS = frozenset(a.name for a in ASSUMPTIONS if a.kind in ("0%", "pct"))

_TEXT_SETTINGS = frozenset(a.name for a in ASSUMPTIONS if a.kind == "text")

_HEADER = ("Setting", "Value", "Option")
#: Values of a new sheet: ReportOptions' defaults, except the currency, blank so that the data's is used.
_DEFAULTS: dict[str, Any] = {f.name: f.default for f in dataclasses.fields(ReportOptions)} | {"currency": None}


def parse_setting(name: str, value: Any) -> Any:
    """A cell value of the settings sheet as the option's value: blanks are ``None``, number text is a number.

    Examples
    --------
    >>> parse_setting("margin", "30 %"), parse_setting("margin", "0,3"), parse_setting("margin", 0.3)
    (0.3, 0.3, 0.3)
    >>> parse_setting("cac", ""), parse_setting("currency", " eur ")
    (None, 'EUR')
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        number = None if name in _TEXT_SETTINGS else parse_number_text(value)
        if number is not None:
            return number
        text = value.strip()
        return text.upper() if name == "currency" else text.lower() if name in _TEXT_SETTINGS else text
    return value


def settings_grid(lang: str = "en") -> list[list[Any]]:
    """The settings sheet's cells with the defaults: a header row, then label, value, option name.

    Examples
    --------
    >>> grid = settings_grid()
    >>> grid[0], grid[1]
    (['Setting', 'Value', 'Option'], ['Gross margin', 0.3, 'margin'])
    >>> [row[2] for row in grid[1:]] == list(SETTING_NAMES)
    True
    """
    return [list(_HEADER)] + [[a.label(lang), _DEFAULTS.get(a.name), a.name] for a in ASSUMPTIONS]


def _create_sheet(book: xw.Book) -> None:
    """Add the settings sheet with the defaults after the last sheet."""
    sheet = book.sheets.add(name=SETTINGS_SHEET, after=book.sheets[len(book.sheets) - 1])
    grid = settings_grid()
    sheet["A1"].value = grid
    for row, record in enumerate(grid[1:], start=2):
        if record[2] in PERCENT_SETTINGS:
            sheet[f"B{row}"].number_format = "0.0%"


def read_settings(book: xw.Book, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The report options set in the workbook's **CLV settings** sheet; the sheet is created if missing.

    Parameters
    ----------
    book : xlwings.Book
        The calling workbook (any host).
    overrides : mapping, optional
        Option name to a value typed elsewhere (xlwings Lite's form fields), read like a cell; the blank ones
        are left out, the others win over the sheet.

    Returns
    -------
    dict
        The options given (blank cells left out: they take the report's defaults), checked by
        ``ReportOptions``, as keywords of :func:`clv_xl.report.build_report`.

    Raises
    ------
    clv_xl.errors.InvalidArgumentError
        A value is out of range or not a number (one line naming the option).
    """
    chosen: dict[str, Any] = {}
    if SETTINGS_SHEET not in {sheet.name for sheet in book.sheets}:
        _create_sheet(book)
        chosen = {name: value for name, value in _DEFAULTS.items() if value is not None}
    else:
        values = book.sheets[SETTINGS_SHEET].used_range.value
        rows = values if isinstance(values, list) and values and isinstance(values[0], list) else [values]
        for row in rows:
            if isinstance(row, list) and len(row) >= 3 and str(row[2]).strip() in SETTING_NAMES:
                name = str(row[2]).strip()
                parsed = parse_setting(name, row[1])
                if parsed is not None:
                    chosen[name] = parsed
    for name, value in (overrides or {}).items():
        parsed = parse_setting(name, value)
        if parsed is not None:
            chosen[name] = parsed
    ReportOptions(**chosen)  # one short message naming a bad value, before any work
    return chosen
