"""The **CLV > Generate report** button, for every Excel host.

:func:`generate_report` takes the order data in front of the user (the selection, the Excel Table or
block of cells under the active cell, or the first sheet whose columns :func:`clv_xl.orders.read_orders`
recognises) and

- in classic Excel (the ``clv_xl_addin.xlam`` ribbon, through RunPython and :mod:`clv_xl.excel.ribbon`) builds
  the report workbook next to the active workbook and opens it;
- in Office.js Excel (xlwings Server) and xlwings Lite writes the report sheets into the open workbook.

Bad data ends in a one-line message box (``book.app.alert``), never a traceback. The function is marked
with ``xlwings.script`` so xlwings Server and xlwings Lite list it as a script; in classic Excel and on
Linux that marker leaves it a plain function.

The helpers that find the orders work on plain 2-D lists of cell values and run anywhere.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import xlwings as xw

from clv_xl.errors import ClvXlError, ColumnNotFoundError, DataError
from clv_xl.excel.lite_sheets import REPORT_SHEETS, FormattedSheet, report_sheets
from clv_xl.report.options import ReportOptions

__all__ = [
    "REPORT_TITLE",
    "REPORT_SHEETS",
    "report_sheets",
    "generate_report",
    "run_report",
    "find_orders",
    "current_region",
    "values_to_frame",
    "report_path_for",
    "write_report_sheets",
    "FormattedSheet",
]

logger = logging.getLogger(__name__)

#: Title of the message boxes shown by the button.
REPORT_TITLE = "CLV report"

Grid = list[list[Any]]


# --------------------------------------------------------------------------------------------------
# Pure helpers: cell grids -> orders
# --------------------------------------------------------------------------------------------------


def _is_blank(value: Any) -> bool:
    """Tell whether a cell value counts as empty (None, "", whitespace, NaN)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, float) and math.isnan(value)


def current_region(values: Sequence[Sequence[Any]], row: int, col: int) -> tuple[int, int, int, int] | None:
    """Find the block of non-empty cells around ``(row, col)``, like Excel's *current region* (Ctrl+*).

    The block grows from the cell while any row or column just outside it has a value next to it
    (diagonals included), exactly as Excel does.

    Parameters
    ----------
    values : sequence of sequences
        Cell values, row by row (ragged rows are fine); ``None``/``""`` are empty.
    row, col : int
        0-based position of the active cell in ``values``.

    Returns
    -------
    tuple of int or None
        ``(top, left, bottom, right)``, 0-based and inclusive, or ``None`` if the cell and all its
        neighbours are empty.

    Examples
    --------
    >>> grid = [["id", "date", "amount", None, "x"],
    ...         ["a", "2024-01-01", 10, None, None],
    ...         ["b", "2024-01-02", 20, None, None],
    ...         [None, None, None, None, None]]
    >>> current_region(grid, 2, 1)
    (0, 0, 2, 2)
    >>> current_region(grid, 3, 4) is None
    True
    """
    nrows = len(values)
    ncols = max((len(r) for r in values), default=0)

    def filled(r: int, c: int) -> bool:
        return 0 <= r < nrows and 0 <= c < len(values[r]) and not _is_blank(values[r][c])

    if not (0 <= row < nrows and 0 <= col < ncols):
        return None
    top, left, bottom, right = row, col, row, col
    while True:
        grown = False
        if top > 0 and any(filled(top - 1, c) for c in range(left - 1, right + 2)):
            top, grown = top - 1, True
        if bottom < nrows - 1 and any(filled(bottom + 1, c) for c in range(left - 1, right + 2)):
            bottom, grown = bottom + 1, True
        if left > 0 and any(filled(r, left - 1) for r in range(top - 1, bottom + 2)):
            left, grown = left - 1, True
        if right < ncols - 1 and any(filled(r, right + 1) for r in range(top - 1, bottom + 2)):
            right, grown = right + 1, True
        if not grown:
            break
    if not any(filled(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1)):
        return None
    return top, left, bottom, right


def values_to_frame(values: Sequence[Sequence[Any]], first_row: int = 1) -> pd.DataFrame:
    """Turn a block of cells whose first row holds the headers into a DataFrame of the rows below.

    Empty rows and columns without a header or value are dropped; values are kept as Excel gave them
    (:func:`clv_xl.orders.read_orders` parses them).

    Parameters
    ----------
    values : sequence of sequences
        Cell values, header row first.
    first_row : int, default 1
        Worksheet row number of the header row, so the index holds the rows' numbers in Excel (and
        error messages point at the right row).

    Returns
    -------
    pandas.DataFrame
        One column per header (blank headers become ``column_<n>``), indexed by Excel row number.

    Raises
    ------
    DataError
        If there is no header row or no data row below it.

    Examples
    --------
    >>> values_to_frame([["Customer", "Date", "Amount", None],
    ...                  [None, None, None, None],
    ...                  ["a", "2024-01-05", 12.5, None]], first_row=3)
      Customer        Date  Amount
    5        a  2024-01-05    12.5
    """
    numbered = [(first_row + i, list(r)) for i, r in enumerate(values) if not all(_is_blank(v) for v in r)]
    rows = [r for _, r in numbered]
    if len(rows) < 2:
        raise DataError("no order rows found: select a block with a header row and at least one order below it")
    width = max(len(r) for r in rows)
    rows = [r + [None] * (width - len(r)) for r in rows]
    keep = [c for c in range(width) if not all(_is_blank(r[c]) for r in rows)]
    header = [str(rows[0][c]).strip() if not _is_blank(rows[0][c]) else f"column_{c + 1}" for c in keep]
    data = [[r[c] for c in keep] for r in rows[1:]]
    index = pd.Index([n for n, _ in numbered[1:]], dtype=object)
    return pd.DataFrame(data, columns=header, index=index)


def _read_block(values: Grid, where: str, first_row: int) -> pd.DataFrame:
    """Read orders from a block of cells whose header is on row ``first_row``; errors name the block."""
    from clv_xl.orders import read_orders

    frame = values_to_frame(values, first_row)
    try:
        return read_orders(frame)
    except ClvXlError as exc:
        try:
            located = type(exc)(*_with_where(exc, where))
        except TypeError:  # a subclass with another signature: keep the original message
            raise exc from None
        raise located from exc


def _with_where(exc: ClvXlError, where: str) -> tuple[Any, ...]:
    """Constructor arguments of ``exc`` with its message prefixed by ``where``."""
    message = f"{where}: {str(exc).removeprefix('the DataFrame: ')}"
    argument = getattr(exc, "argument", None)
    return (argument, message) if argument is not None else (message,)


# --------------------------------------------------------------------------------------------------
# Reading the workbook (classic and remote books alike)
# --------------------------------------------------------------------------------------------------


def _grid(rng: xw.Range) -> Grid:
    """Values of a range as a 2-D list."""
    values = rng.options(ndim=2, empty=None).value
    return [list(r) for r in (values or [])]


def _used_grid(sheet: xw.Sheet) -> tuple[Grid, int, int]:
    """Values of the used range of ``sheet`` and the 1-based row/column of its top-left cell."""
    used = sheet.used_range
    return _grid(used), used.row, used.column


def _contains(outer: xw.Range, row: int, col: int) -> bool:
    """Tell whether the 1-based cell ``(row, col)`` lies in ``outer``."""
    nrows, ncols = outer.shape
    return outer.row <= row < outer.row + nrows and outer.column <= col < outer.column + ncols


def _selection(book: xw.Book) -> xw.Range | None:
    """The selected range of ``book``, or None when the host does not say."""
    try:
        return book.selection
    except Exception:  # a host without a selection (chart, no active window) is not an error
        return None


def find_orders(book: xw.Book) -> pd.DataFrame:
    """Find and read the order data in ``book``.

    Looked for, in this order:

    1. the selection, when it is more than one cell;
    2. the Excel Table under the active cell;
    3. the block of filled cells around the active cell (its *current region*);
    4. the first sheet whose columns :func:`~clv_xl.orders.read_orders` recognises.

    An explicit selection is final: its error is the one reported. A table or block without customer,
    date and amount columns falls through to the next candidate; one whose columns are recognised but
    whose data is bad stops the search with that error.

    Parameters
    ----------
    book : xlwings.Book
        A classic (desktop Excel) or remote (xlwings Server/Lite) workbook.

    Returns
    -------
    pandas.DataFrame
        The canonical orders frame returned by ``read_orders``.

    Raises
    ------
    ClvXlError
        One-line message saying where the data was looked for and what is wrong.
    """
    selection = _selection(book)
    active_sheet = selection.sheet if selection is not None else book.sheets.active
    if selection is not None and selection.shape != (1, 1):
        where = f"selection {selection.address.replace('$', '')}"
        return _read_block(_grid(selection), where, selection.row)

    if selection is not None:
        row, col = selection.row, selection.column
        for table in active_sheet.tables:
            table_range = table.range
            if table_range is not None and _contains(table_range, row, col):
                try:
                    return _read_block(_grid(table_range), f"table {table.name}", table_range.row)
                except ColumnNotFoundError:
                    break
        values, top, left = _used_grid(active_sheet)
        region = current_region(values, row - top, col - left)
        if region is not None:
            r0, c0, r1, c1 = region
            block = [r[c0 : c1 + 1] for r in values[r0 : r1 + 1]]
            try:
                return _read_block(block, f"sheet {active_sheet.name}", top + r0)
            except ColumnNotFoundError:
                pass

    for sheet in book.sheets:
        values, top, _ = _used_grid(sheet)
        region = _first_region(values)
        if region is None:
            continue
        r0, c0, r1, c1 = region
        block = [r[c0 : c1 + 1] for r in values[r0 : r1 + 1]]
        try:
            return _read_block(block, f"sheet {sheet.name}", top + r0)
        except ColumnNotFoundError:
            continue
    raise ColumnNotFoundError(
        "no order data found: select the orders (a header row with customer, date and amount columns, "
        "and one row per order) or put the active cell in them, then click Generate report again"
    )


def _first_region(values: Grid) -> tuple[int, int, int, int] | None:
    """Current region of the first filled cell of a grid (row by row)."""
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            if not _is_blank(value):
                return current_region(values, r, c)
    return None


# --------------------------------------------------------------------------------------------------
# Writing the report
# --------------------------------------------------------------------------------------------------


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


def _is_remote(book: xw.Book) -> bool:
    """Tell whether ``book`` lives in Office.js/xlwings Lite (remote engine) rather than desktop Excel."""
    return getattr(book.app.engine, "type", "") == "remote"


def run_report(book: xw.Book, *, whole_workbook: bool = False, overrides: Mapping[str, Any] | None = None) -> None:
    """Build the CLV report from the orders in ``book``; what the **Generate report** button does.

    Classic Excel: saves ``<workbook> CLV report <date>.xlsx`` next to the workbook and opens it.
    Office.js / xlwings Lite (a remote book): writes the report sheets (``CLV Summary``,
    ``CLV Customers``, ...) into ``book``. Any problem with the data is shown as a one-line message box.

    A plain function in every host (unlike :func:`generate_report`, which xlwings Server and xlwings Lite
    wrap), so other scripts can call it.

    The assumptions (margin, discount rate, CAC, currency, language...) are read from the workbook's
    **CLV settings** sheet, created with the defaults on first use (:mod:`clv_xl.excel.settings`).

    Parameters
    ----------
    book : xlwings.Book
        The calling workbook.
    whole_workbook : bool, default False
        In a remote book, send the full report workbook for clv-xl's Office.js script to insert
        (:mod:`clv_xl.excel.whole_workbook`) instead of writing value sheets (what xlwings Lite can do).
    overrides : mapping, optional
        Options typed in the script's form fields (xlwings Lite), which win over the settings sheet when
        not blank (:func:`clv_xl.excel.settings.read_settings`).
    """
    from clv_xl.excel.settings import read_settings

    try:
        orders = find_orders(book)  # before the settings sheet may be added (it would become the active one)
        options = read_settings(book, overrides)
        if _is_remote(book) and whole_workbook:
            from clv_xl.excel.whole_workbook import send_report

            send_report(book, orders, options)
        elif _is_remote(book):
            from clv_xl.report.from_engine import report_currency  # blank setting: the data's currency, as the CLI

            currency = report_currency(orders.attrs.get("cleaning_report"), options.get("currency"))
            chosen = ReportOptions(**(options | {"currency": currency}))
            write_report_sheets(book, report_sheets(orders, options=chosen))
        else:
            from clv_xl.report import build_report

            path = build_report(orders, report_path_for(book.fullname), **options)
            book.app.books.open(str(path))
    except ClvXlError as exc:
        book.app.alert(str(exc), title=REPORT_TITLE)
    except Exception as exc:  # the user gets one line; the traceback goes to the log
        logger.exception("Generate report failed")
        book.app.alert(f"Could not build the report ({type(exc).__name__}: {exc}).", title=REPORT_TITLE)


@xw.script
def generate_report(book: xw.Book) -> None:
    """The **Generate report** button: :func:`run_report` on the calling workbook.

    Marked with ``xlwings.script``, so xlwings Server and xlwings Lite list it as a script (they pass
    ``book``); on Linux it stays a plain function, and classic Excel's ribbon calls
    :func:`clv_xl.excel.ribbon.main` instead. In Office.js (xlwings Server) it sends the full report
    workbook, which clv-xl's ribbon script inserts.

    Parameters
    ----------
    book : xlwings.Book
        The calling workbook (``xw.Book.caller()`` in classic Excel; injected by xlwings Server).
    """
    run_report(book, whole_workbook=True)
