"""Writing the report into Excel: the classic report's file name, and report sheets written into an open book.

Text is written so that Excel keeps it as text (never a formula, number or date it was not); NaN and NaT
become empty cells. Used by the **Generate report** button (:mod:`clv_xl.excel.scripts`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import xlwings as xw

from clv_xl.excel.lite_sheets import FormattedSheet
from clv_xl.excel.orders_in_book import Grid

__all__ = ["report_path_for", "write_report_sheets"]


def report_path_for(workbook_path: str | Path, today: dt.date | None = None) -> Path:
    """Where the classic button saves the report: next to the workbook, never over an existing file.

    Parameters
    ----------
    workbook_path : str or pathlib.Path
        Full name of the active workbook (an unsaved ``Book1`` has no folder: the home folder is used).
    today : datetime.date, optional
        Date put in the name; defaults to today.

    Returns
    -------
    pathlib.Path
        ``<folder>/<workbook stem> CLV report <date>.xlsx``, with `` (2)``, `` (3)``... if taken.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     first = report_path_for(pathlib.Path(tmp) / "orders.xlsx", dt.date(2026, 11, 22))
    ...     _ = first.write_bytes(b"")
    ...     second = report_path_for(pathlib.Path(tmp) / "orders.xlsx", dt.date(2026, 11, 22))
    ...     first.name, second.name
    ('orders CLV report 2026-11-22.xlsx', 'orders CLV report 2026-11-22 (2).xlsx')
    """
    path = Path(workbook_path)
    folder = path.parent if path.parent != Path(".") and path.parent.is_dir() else Path.home()
    stem = f"{path.stem} CLV report {(today or dt.date.today()).isoformat()}"
    candidate = folder / f"{stem}.xlsx"
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem} ({n}).xlsx"
        n += 1
    return candidate


def _write_formats(sheet: xw.Sheet, spec: FormattedSheet) -> None:
    """Apply a FormattedSheet's formats, formulas and Table to a sheet whose values are written."""
    rows = len(spec.content) + (1 if isinstance(spec.content, pd.DataFrame) else 0)
    columns = spec.content.shape[1] if isinstance(spec.content, pd.DataFrame) else max(map(len, spec.content))
    for col, number_format in spec.column_formats.items():
        if rows > 1:
            sheet.range((2, col + 1), (rows, col + 1)).number_format = number_format
    for (row, col), number_format in spec.cell_formats.items():
        sheet.range((row + 1, col + 1)).number_format = number_format
    for (row, col), formula in spec.formulas.items():
        sheet.range((row + 1, col + 1)).formula = formula
    if spec.table and rows > 1:
        sheet.tables.add(source=sheet.range((1, 1), (rows, columns)), name=spec.table)


def write_report_sheets(book: xw.Book, sheets: Mapping[str, pd.DataFrame | Grid | FormattedSheet]) -> list[str]:
    """Write report sheets into ``book``, replacing earlier ones of the same name.

    Parameters
    ----------
    book : xlwings.Book
        Any workbook (used by the Office.js / Lite button).
    sheets : mapping of str to DataFrame or 2-D list
        Sheet name (at most 31 characters) to its content, written from A1 (DataFrames with their
        header and without index).

    Returns
    -------
    list of str
        Names of the sheets written, in order.
    """
    existing = {s.name for s in book.sheets}
    written: list[str] = []
    last = book.sheets[len(book.sheets) - 1]
    for name, content in sheets.items():
        if name in existing:
            book.sheets[name].delete()
            last = book.sheets[len(book.sheets) - 1]
        sheet = book.sheets.add(name=name, after=last)
        spec = content if isinstance(content, FormattedSheet) else None
        values: pd.DataFrame | Grid = spec.content if spec is not None else content
        if isinstance(values, pd.DataFrame):
            sheet["A1"].options(index=False).value = _excel_frame(values)
        elif values:
            sheet["A1"].value = [[_excel_value(v) for v in row] for row in values]
        if spec is not None:
            _write_formats(sheet, spec)
        last = sheet
        written.append(name)
    if written:
        book.sheets[written[0]].activate()
    return written


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_LOOKS_LIKE_A_NUMBER_OR_DATE = re.compile(r"^\s*[-+]?[\d\s.,/:%€$£eE-]+\s*$")


def _text_cell(text: str) -> str:
    """Text as a cell keeps it: a leading apostrophe stops Excel reading it as a formula, number or date.

    Excel (desktop and Office.js) parses written strings the way it parses typing: ``=cmd|...`` would become a
    formula, ``0001`` the number 1, ``03/04`` a date. The apostrophe is Excel's own text marker and is not part
    of the cell's value.

    Examples
    --------
    >>> _text_cell("=1+1"), _text_cell("0001"), _text_cell("alice@example.com")
    ("'=1+1", "'0001", 'alice@example.com')
    """
    if text.startswith(_FORMULA_STARTS) or _LOOKS_LIKE_A_NUMBER_OR_DATE.match(text):
        return "'" + text
    return text


def _excel_value(value: Any) -> Any:
    """A Python/pandas scalar as something every xlwings engine writes (NaN/NaT -> empty, text kept as text)."""
    if value is None:
        return None
    if isinstance(value, str):
        return _text_cell(value)
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def _excel_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``frame`` with string headers and NaN/NaT replaced by empty cells."""
    out = frame.copy()
    out.columns = [str(c) for c in out.columns]
    out = out.astype(object).where(out.notna(), None)
    for column in out.columns:
        texts = out[column].map(lambda v: isinstance(v, str))
        if texts.any():
            out.loc[texts, column] = out.loc[texts, column].map(_text_cell)
    return out
