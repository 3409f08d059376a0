"""Finding the order data in a workbook: the selection, the Table or block under the active cell, or a sheet.

:func:`find_orders` is what the **Generate report** button reads (:mod:`clv_xl.excel.scripts`). The helpers
that cut a block out of the cells work on plain 2-D lists of cell values and run anywhere; the rest reads
classic and remote (Office.js, xlwings Lite) books alike.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
import xlwings as xw

from clv_xl.errors import ClvXlError, ColumnNotFoundError, DataError
from clv_xl.orders.read import escape_lone_surrogates

__all__ = ["Grid", "current_region", "find_orders", "values_to_frame"]

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
    # a header with a lone surrogate (a broken paste) would fail every column lookup: escaped as read_orders does
    header = [escape_lone_surrogates(str(rows[0][c]).strip()) if not _is_blank(rows[0][c]) else f"column_{c + 1}"
              for c in keep]
    data = [[r[c] for c in keep] for r in rows[1:]]
    index = pd.Index([n for n, _ in numbered[1:]], dtype=object)
    try:
        return pd.DataFrame(data, columns=header, index=index)
    except UnicodeEncodeError:  # a lone surrogate (a broken paste) fits no string dtype: read_orders escapes it
        return pd.DataFrame(data, columns=header, index=index, dtype=object)


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
        found = _read_region(values, region, active_sheet.name, top)
        if found is not None:
            return found

    for sheet in book.sheets:
        values, top, _ = _used_grid(sheet)
        found = _read_region(values, _first_region(values), sheet.name, top)
        if found is not None:
            return found
    raise ColumnNotFoundError(
        "no order data found: select the orders (a header row with customer, date and amount columns, "
        "and one row per order) or put the active cell in them, then click Generate report again"
    )


def _read_region(values: Grid, region: tuple[int, int, int, int] | None, sheet_name: str,
                 top: int) -> pd.DataFrame | None:
    """Read orders from a region of a sheet's used range (first row ``top``); None when it has no order columns."""
    if region is None:
        return None
    r0, c0, r1, c1 = region
    block = [r[c0 : c1 + 1] for r in values[r0 : r1 + 1]]
    try:
        return _read_block(block, f"sheet {sheet_name}", top + r0)
    except ColumnNotFoundError:
        return None


def _first_region(values: Grid) -> tuple[int, int, int, int] | None:
    """Current region of the first filled cell of a grid (row by row)."""
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            if not _is_blank(value):
                return current_region(values, r, c)
    return None
