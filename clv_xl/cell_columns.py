"""Columns of spreadsheet cell values (what an Excel function receives) as typed columns, without a Python loop.

Excel hands a function a range as a list of one-cell rows: ``[["a"], ["b"]]``, with dates as datetimes (classic
Excel) or serial numbers (Office.js), numbers as floats and empty cells as ``None``. A column whose cells are all
numbers, or all dates, becomes a float64 or datetime64 column in one conversion, so the order reader takes its
vectorised paths; any other mix stays a column of objects, which the reader parses cell by cell and whose
errors name the cell.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa

from clv_xl.errors import InvalidArgumentError

__all__ = ["CellColumn", "flatten_column", "read_cells"]

_NUMBER_TYPES = frozenset({float, int, np.float64, np.int64})
_DATE_TYPES = frozenset({dt.datetime, pd.Timestamp})
_NONE = type(None)
_TZINFO = operator.attrgetter("tzinfo")
#: Microseconds since 1970 that a nanosecond timestamp holds (pandas' 1677-09-21 to 2262-04-11), bounds excluded.
_NS_RANGE_US = (-(2**63 - 1) // 1000, (2**63 - 1) // 1000)


def flatten_column(values: Sequence[object] | np.ndarray | pd.Series, argument: str) -> list[object]:
    """Flatten a column that may arrive from Excel as a list of one-cell rows (or as one row).

    Examples
    --------
    >>> flatten_column([["a"], ["b"]], "ids"), flatten_column([[1, 2, 3]], "ids"), flatten_column(("x",), "ids")
    (['a', 'b'], [1, 2, 3], ['x'])
    >>> flatten_column([[1, 2], [3, 4]], "ids")
    Traceback (most recent call last):
    ...
    clv_xl.errors.InvalidArgumentError: ids must be a single column or row; got shape (2, 2)
    """
    if isinstance(values, pd.Series | pd.Index):
        return values.tolist()
    if isinstance(values, str) or not isinstance(values, Sequence | np.ndarray):
        raise InvalidArgumentError(argument, f"{argument} must be a column of values; got {type(values).__name__}")
    if isinstance(values, list) and values and set(map(type, values)) == {list}:
        try:
            return [cell for (cell,) in values]  # the usual column of one-cell rows, no 2-D array
        except ValueError:
            pass  # rows of several cells: one row, or a block refused below
    array = np.asarray(values, dtype=object)
    if array.ndim == 2 and 1 in array.shape:
        array = array.reshape(-1)
    if array.ndim != 1:
        raise InvalidArgumentError(argument, f"{argument} must be a single column or row; got shape {array.shape}")
    return array.tolist()


Typed: TypeAlias = np.ndarray | pd.api.extensions.ExtensionArray | list[object]


@dataclass(frozen=True)
class CellColumn:
    """A column of cells read once: its typed values and which cells are empty.

    Attributes
    ----------
    values : ndarray, ExtensionArray or list
        All numbers → float64, all dates → datetime64, all text → str (empty cells allowed); else the list as is.
    empty : ndarray of bool
        Mask of the empty cells: ``None`` or blank text.
    """

    values: Typed
    empty: np.ndarray


def read_cells(values: list[object]) -> CellColumn:
    """Read a flat column of cells once: typed values and the mask of empty cells, one look at the cell types.

    Examples
    --------
    >>> column = read_cells(["a", " ", None])
    >>> column.values.tolist(), column.empty.tolist()
    (['a', ' ', nan], [False, True, True])
    >>> read_cells([1, 2.5]).values.dtype, read_cells([dt.datetime(2024, 1, 5), None]).values.dtype
    (dtype('float64'), dtype('<M8[ns]'))
    >>> read_cells(["2024-01-05", 45000]).values
    ['2024-01-05', 45000]
    >>> read_cells(["a", None, "  ", 0, float("nan"), "", "\u00a0"]).empty.tolist()
    [False, True, True, False, False, True, True]
    """
    kinds = set(map(type, values))
    if kinds - {_NONE} == {str}:  # text, the usual ids: one Arrow array gives both
        return _read_texts(values, _NONE in kinds)
    return CellColumn(_typed(values, kinds), _empty(values, kinds))


def _nones(values: list[object], kinds: set[type]) -> np.ndarray:
    if _NONE in kinds:
        return np.fromiter(map(_NONE.__instancecheck__, values), dtype=bool, count=len(values))
    return np.zeros(len(values), dtype=bool)


def _empty(values: list[object], kinds: set[type]) -> np.ndarray:
    """None, or text that strips to nothing; texts among other kinds are looked at one by one."""
    empty = _nones(values, kinds)
    text_kinds = {kind for kind in kinds if issubclass(kind, str)}
    if text_kinds:
        where = np.flatnonzero(np.fromiter(map(text_kinds.__contains__, map(type, values)), dtype=bool,
                                           count=len(values)))
        empty[where] = [not str.strip(values[i]) for i in where]  # type: ignore[arg-type]  # str by the mask
    return empty


def _read_texts(texts: list[object], has_none: bool) -> CellColumn:
    """A column of text and empty cells: an Arrow string array, and blanks found from the first bytes."""
    empty = _nones(texts, {_NONE} if has_none else set())
    try:
        arrow = pa.array(texts, type=pa.large_string())
    except (UnicodeEncodeError, pa.ArrowException):  # lone surrogates: every text is looked at, cells stay cells
        return CellColumn(texts, _empty(texts, {str, _NONE}))
    maybe = _maybe_blank(arrow)
    maybe = maybe[~empty[maybe]]
    empty[maybe] = [not str.strip(texts[i]) for i in maybe]
    return CellColumn(pd.array(arrow, dtype="str"), empty)


def _maybe_blank(array: pa.LargeStringArray) -> np.ndarray:
    """Positions of the texts that may be blank: empty (or missing), or not starting with an ASCII letter or digit.

    A scan of the first bytes; Python's ``str.strip`` decides for these few.
    """
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int64)[: len(array) + 1]
    data = array.buffers()[2]
    if data is None:
        return np.arange(len(array))
    first = np.frombuffer(data, dtype=np.uint8)[np.minimum(offsets[:-1], max(offsets[-1] - 1, 0))]
    return np.flatnonzero((offsets[1:] == offsets[:-1]) | ~_ALNUM[first])


_ALNUM = np.zeros(256, dtype=bool)
_ALNUM[[*range(ord("0"), ord("9") + 1), *range(ord("A"), ord("Z") + 1), *range(ord("a"), ord("z") + 1)]] = True


def _typed(values: list[object], kinds: set[type]) -> Typed:
    present = kinds - {_NONE}  # empty cells (None) become NaN: the caller has dropped or refused their rows
    if present and present <= _NUMBER_TYPES:
        return np.array(values, dtype=np.float64)
    if present == {dt.datetime}:
        stamps = _naive_datetimes(values, _NONE in kinds)
        if stamps is not None:
            return stamps
    if present and present <= _DATE_TYPES:
        return _timestamps(values)
    return values


def _naive_datetimes(values: list[object], has_none: bool) -> Typed | None:
    """Plain datetimes without a time zone (classic Excel's date cells) through Arrow; None for another case."""
    present = [value for value in values if value is not None] if has_none else values
    if set(map(_TZINFO, present)) != {None}:  # a zone keeps its local wall-clock time: pandas does that
        return None
    try:
        micros = pa.array(values, type=pa.timestamp("us")).to_numpy(zero_copy_only=False)
    except (pa.ArrowException, OverflowError, ValueError):
        return None
    whole = micros.view(np.int64)[~np.isnat(micros)]
    if whole.size and (whole.min() <= _NS_RANGE_US[0] or whole.max() >= _NS_RANGE_US[1]):
        return values  # beyond what the reader holds: it names the cell
    return micros.astype("datetime64[ns]")


def _timestamps(values: list[object]) -> Typed:
    """Datetimes and pandas Timestamps, time zones dropped (local wall-clock time kept); the list if they don't fit."""
    try:
        stamps = pd.to_datetime(pd.Series(values, dtype=object))
        if isinstance(stamps.dtype, pd.DatetimeTZDtype):  # a zone keeps its local wall-clock time
            stamps = stamps.dt.tz_localize(None)
        if stamps.notna().any() and (stamps.min() < pd.Timestamp.min or stamps.max() > pd.Timestamp.max):
            return values  # beyond what the reader holds: it names the cell
        return stamps.to_numpy(dtype="datetime64[ns]")
    except (ValueError, TypeError, OverflowError):  # mixed time zones, out-of-range years: cell by cell
        return values
