"""Cell values in, Python values out, and back: the conversions behind every Excel function argument.

What Excel sends: every argument arrives as a 2-D list (``@xw.arg(ndim=2)``) in classic Excel and Office.js;
a plain Python call may pass scalars or arrays. Each conversion turns that into one Python type and raises
:class:`~clv_xl.errors.InvalidArgumentError` naming the argument when it cannot. :data:`CONVERSIONS` maps the
Python type an argument is declared with (``Annotated[float, Arg(...)]``) to its conversion: the type is the
conversion, as in xlwings' own type hints.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from clv_xl.errors import InvalidArgumentError
from clv_xl.validation import shown

__all__ = [
    "CONVERSIONS",
    "CellRange",
    "Conversion",
    "Numbers",
    "cells_to_array",
    "cells_to_date",
    "cells_to_flag",
    "cells_to_number",
    "cells_to_range",
    "cells_to_text",
    "cells_to_whole",
    "excel_date",
    "frame_to_cells",
    "is_empty",
    "single",
    "to_cells",
]

CellRange = list[list[Any]]
"""A range passed on untouched (ids, dates, amounts that the core parses itself)."""
Numbers = np.ndarray | float
"""A number or a range of numbers: a float array (ranges broadcast and shape the result), or the default."""


def is_empty(value: object) -> bool:
    """Tell whether a cell value is empty (``None`` or blank text).

    Examples
    --------
    >>> is_empty("  "), is_empty(0)
    (True, False)
    """
    return value is None or (isinstance(value, str) and not value.strip())


def single(value: object) -> object:
    """Return the only cell of a 1×1 range, or ``value`` itself.

    Examples
    --------
    >>> single([[3]])
    3
    """
    while isinstance(value, list | tuple) and len(value) == 1:
        value = value[0]
    return value


def _locate(name: str, cells: np.ndarray, bad: Callable[[object], bool], problem: str) -> None:
    """Raise for the first cell of ``cells`` (an object array) for which ``bad`` holds."""
    for index, value in np.ndenumerate(cells):
        if bad(value):
            where = f" (row {index[0] + 1}, column {index[1] + 1} of the range)" if cells.size > 1 else ""
            raise InvalidArgumentError(name, problem.format(name=name, value=shown(value), where=where))


def _not_a_number(value: object) -> bool:
    if isinstance(value, bool) or is_empty(value):
        return False
    try:
        float(value)  # type: ignore[arg-type]  # any cell value: a failure is the answer
    except (TypeError, ValueError):
        return True
    except OverflowError:
        return False
    return False


def _too_large(value: object) -> bool:
    try:
        return isinstance(value, int | float | str) and not isinstance(value, bool) and math.isinf(float(value))
    except (TypeError, ValueError):
        return False
    except OverflowError:
        return True


def _holds_bool(value: object) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, list | tuple) and value:
        cells = itertools.chain.from_iterable(value) if isinstance(value[0], list | tuple) else value
        return bool in set(map(type, cells))
    return False


def cells_to_array(name: str, value: object) -> np.ndarray:
    """Convert a cell or range value to a float array; empty cells, text and TRUE/FALSE are errors.

    Parameters
    ----------
    name : str
        The argument's name, for messages.
    value : object
        A number, or a (nested) list of cell values as xlwings passes them.

    Returns
    -------
    ndarray
        Floats; a 2-D list gives a 2-D array, a scalar a 0-d array.

    Raises
    ------
    InvalidArgumentError
        For an empty cell (never read as 0), text that is not a number, TRUE/FALSE, or a number beyond
        what a float holds (above about 1.8e308).

    Examples
    --------
    >>> cells_to_array("amount", [[1], [2.5]]).ravel()
    array([1. , 2.5])
    >>> cells_to_array("amount", [[1], [None]])
    Traceback (most recent call last):
    ...
    clv_xl.errors.InvalidArgumentError: amount has an empty cell (row 2, column 1 of the range): fill it in
    """
    if is_empty(single(value)):
        raise InvalidArgumentError(name, f"{name} is empty: enter a number or point to a cell holding one")
    try:
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        array = None
    if array is not None and np.isfinite(array).all():
        # TRUE/FALSE convert silently to 1/0: look for them only where a 1 or 0 came out
        if not ((array == 0) | (array == 1)).any() or not _holds_bool(value):
            return array
    cells = np.array(value, dtype=object)
    if cells.ndim == 0:
        cells = cells.reshape(1, 1)
    elif cells.ndim == 1:
        cells = cells.reshape(1, -1)
    _locate(name, cells, is_empty, "{name} has an empty cell{where}: fill it in")
    _locate(name, cells, lambda v: isinstance(v, bool), "{name} must be a number; got {value}{where}")
    _locate(name, cells, _not_a_number, "{name} must be a number; got text {value}{where}")
    _locate(name, cells, _too_large, "{name} is too large: {value}{where} is beyond the largest number (1.8e308)")
    _locate(name, cells, lambda v: isinstance(v, float) and math.isnan(v), "{name} must be a number; got NaN{where}")
    raise InvalidArgumentError(name, f"{name} must hold numbers only")


def cells_to_number(name: str, value: object) -> float:
    """Return the one number of a single-cell argument (a model parameter); a range is an error.

    Examples
    --------
    >>> cells_to_number("r", [[0.243]])
    0.243
    >>> cells_to_number("r", [[0.2], [0.3]])
    Traceback (most recent call last):
    ...
    clv_xl.errors.InvalidArgumentError: r must be a single cell; got a range of 2 cells
    """
    array = cells_to_array(name, value)
    if array.size != 1:
        raise InvalidArgumentError(name, f"{name} must be a single cell; got a range of {array.size} cells")
    return float(array.item())


def cells_to_whole(name: str, value: object) -> int:
    """Return the one whole number of a single-cell argument (a count of periods, say).

    Examples
    --------
    >>> cells_to_whole("periods", [[12.0]])
    12
    >>> cells_to_whole("periods", 2.5)
    Traceback (most recent call last):
    ...
    clv_xl.errors.InvalidArgumentError: periods must be a whole number; got 2.5
    """
    number = cells_to_number(name, value)
    if not number.is_integer():
        raise InvalidArgumentError(name, f"{name} must be a whole number; got {number:g}")
    return int(number)


def cells_to_flag(name: str, value: object) -> bool:
    """Convert a single TRUE/FALSE cell (or 1/0, VRAI/FAUX) to a bool.

    Examples
    --------
    >>> cells_to_flag("first_period_counted", [["VRAI"]])
    True
    """
    value = single(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().upper() in {"TRUE", "VRAI", "FALSE", "FAUX"}:
        return value.strip().upper() in {"TRUE", "VRAI"}
    raise InvalidArgumentError(name, f"{name} must be TRUE or FALSE; got {shown(value)}")


def cells_to_text(name: str, value: object) -> str:
    """Return the text of a single-cell argument (a time unit, a period), stripped.

    Examples
    --------
    >>> cells_to_text("time_unit", [[" W "]])
    'W'
    """
    value = single(value)
    if is_empty(value):
        raise InvalidArgumentError(name, f"{name} is empty: enter a value in the cell")
    if isinstance(value, list | tuple):
        raise InvalidArgumentError(name, f"{name} must be a single cell; got a range")
    return str(value).strip()


_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def excel_date(value: object) -> object:
    """Turn an Excel date serial number into a datetime; pass anything else through.

    Office.js sends date cells as serial numbers (days since 1899-12-30); classic Excel sends datetimes.

    Examples
    --------
    >>> excel_date(35703)
    datetime.datetime(1997, 9, 30, 0, 0)
    >>> excel_date("1997-09-30")
    '1997-09-30'
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _EXCEL_EPOCH + dt.timedelta(days=float(value))
    return value


def cells_to_date(name: str, value: object) -> dt.datetime | str:
    """Return a single-cell date: a serial number (Office.js) or datetime (classic) becomes a datetime.

    Text passes through for the core to parse with its one date rule.

    Examples
    --------
    >>> cells_to_date("observation_end", [[35703]])
    datetime.datetime(1997, 9, 30, 0, 0)
    >>> cells_to_date("observation_end", float("inf"))
    Traceback (most recent call last):
    ...
    clv_xl.errors.InvalidArgumentError: observation_end must be a date (an Excel date serial from 1 to 2958465); got inf
    """
    value = single(value)
    if isinstance(value, bool) or isinstance(value, list | tuple):
        raise InvalidArgumentError(name, f"{name} must be a single date cell; got {shown(value)}")
    if isinstance(value, int | float):
        if not (isinstance(value, int) or math.isfinite(value)) or not 0 < value <= 2958465:  # 9999-12-31
            raise InvalidArgumentError(
                name, f"{name} must be a date (an Excel date serial from 1 to 2958465); got {shown(value)}"
            )
        return _EXCEL_EPOCH + dt.timedelta(days=float(value))
    if isinstance(value, dt.datetime | str):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    raise InvalidArgumentError(name, f"{name} must be a date; got {shown(value)}")


def cells_to_range(name: str, value: object) -> CellRange:
    """Pass a range on untouched, after checking it holds something.

    Examples
    --------
    >>> cells_to_range("amounts", [[1], [2]])
    [[1], [2]]
    >>> cells_to_range("amounts", [[None]])
    Traceback (most recent call last):
    ...
    clv_xl.errors.InvalidArgumentError: amounts is empty: select the range that holds it
    """
    if is_empty(single(value)):
        raise InvalidArgumentError(name, f"{name} is empty: select the range that holds it")
    if not isinstance(value, list | tuple):
        return [[value]]
    return list(value)


@dataclass(frozen=True)
class Conversion:
    """How a declared Python type is read from cells.

    Attributes
    ----------
    kind : str
        What the argument takes, in the user's words (shown by ``clv-xl functions NAME``).
    convert : callable
        ``convert(name, value)`` → the Python value, or raises :class:`InvalidArgumentError`.
    broadcasts : bool
        True for ranges of numbers, which broadcast against each other and shape the result.
    """

    kind: str
    convert: Callable[[str, object], Any]
    broadcasts: bool = False


CONVERSIONS: dict[object, Conversion] = {
    Numbers: Conversion("number or range of numbers", cells_to_array, broadcasts=True),
    np.ndarray: Conversion("number or range of numbers", cells_to_array, broadcasts=True),
    float: Conversion("number (one cell)", cells_to_number),
    int: Conversion("whole number (one cell)", cells_to_whole),
    dt.datetime: Conversion("date (one cell)", cells_to_date),
    str: Conversion("text (one cell)", cells_to_text),
    bool: Conversion("TRUE or FALSE (one cell)", cells_to_flag),
    CellRange: Conversion("range (a column of values)", cells_to_range),
}


def _cell_value(value: object) -> object:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def frame_to_cells(frame: pd.DataFrame) -> list[list[Any]]:
    """Turn a DataFrame into a spilled table: a header row, then one row per record.

    Missing values become empty cells; timestamps become datetimes (Excel dates); numpy scalars become
    Python numbers.

    Examples
    --------
    >>> frame_to_cells(pd.DataFrame({"customer_id": ["a"], "revenue": [40.0], "aov": [float("nan")]}))
    [['customer_id', 'revenue', 'aov'], ['a', 40.0, None]]
    """
    header = [str(c) for c in frame.columns]
    columns = [_column_cells(frame.iloc[:, j]) for j in range(frame.shape[1])]
    return [header, *map(list, zip(*columns, strict=True))] if columns else [header, *([] for _ in frame.index)]


def _column_cells(column: pd.Series) -> list[Any]:
    """One column as cell values (what :func:`_cell_value` gives each value), numpy dtypes in one conversion."""
    kind = column.dtype.kind if isinstance(column.dtype, np.dtype) else ""
    if kind == "f":
        values = column.to_numpy()
        cells: list[Any] = values.tolist()
        for i in np.flatnonzero(np.isnan(values)):
            cells[i] = None
        return cells
    if kind in "iub" and kind:
        return column.to_numpy().tolist()
    if kind == "M":  # microseconds (a datetime's resolution) become datetimes, NaT None, in numpy's one pass
        return column.to_numpy().astype("datetime64[us]").astype(object).tolist()
    if isinstance(column.dtype, pd.StringDtype) and column.dtype.na_value is not pd.NA:
        cells = column.tolist()  # text, and NaN where missing
        for i in np.flatnonzero(column.isna().to_numpy()):
            cells[i] = None
        return cells
    return [_cell_value(v) for v in column.tolist()]


def to_cells(result: object) -> list[list[Any]]:
    """Turn a scalar, array or DataFrame result into the 2-D list that fills (or spills into) the calling cells.

    Examples
    --------
    >>> to_cells(300.0)
    [[300.0]]
    """
    if isinstance(result, pd.DataFrame):
        return frame_to_cells(result)
    return np.atleast_2d(np.asarray(result)).tolist()
