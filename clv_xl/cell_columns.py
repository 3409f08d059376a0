"""Columns of spreadsheet cell values (what an Excel function receives) as typed columns, without a Python loop.

Excel hands a function a range as a list of one-cell rows: ``[["a"], ["b"]]``, with dates as datetimes (classic
Excel) or serial numbers (Office.js), numbers as floats and empty cells as ``None``. A column whose cells are all
numbers, or all dates, becomes a float64 or datetime64 column in one conversion, so the order reader takes its
vectorised paths; any other mix stays a column of objects, which the reader parses cell by cell and whose
errors name the cell.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from clv_xl.errors import InvalidArgumentError

__all__ = ["flatten_column", "typed_column", "empty_cells"]

_NUMBER_TYPES = frozenset({float, int, np.float64, np.int64})
_DATE_TYPES = frozenset({dt.datetime, pd.Timestamp})
_NONE = type(None)


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
    if isinstance(values, list) and values and set(map(type, values)) == {list} and set(map(len, values)) == {1}:
        return list(itertools.chain.from_iterable(values))  # the usual column of one-cell rows, no 2-D array
    array = np.asarray(values, dtype=object)
    if array.ndim == 2 and 1 in array.shape:
        array = array.reshape(-1)
    if array.ndim != 1:
        raise InvalidArgumentError(argument, f"{argument} must be a single column or row; got shape {array.shape}")
    return array.tolist()


def empty_cells(values: list[object]) -> np.ndarray:
    """Mask of the empty cells: ``None`` or blank text.

    Examples
    --------
    >>> empty_cells(["a", None, "  ", 0, float("nan"), "", "\u00a0"]).tolist()
    [False, True, True, False, False, True, True]
    """
    kinds = set(map(type, values))
    empty = np.zeros(len(values), dtype=bool)
    if _NONE in kinds:
        empty = np.fromiter(map(_NONE.__instancecheck__, values), dtype=bool, count=len(values))
    text_kinds = {kind for kind in kinds if issubclass(kind, str)}
    if not text_kinds:
        return empty
    if kinds == {str}:
        where = _maybe_blank(values)
    else:
        where = np.flatnonzero(np.fromiter(map(text_kinds.__contains__, map(type, values)), dtype=bool,
                                           count=len(values)))
    empty[where] = [not str.strip(values[i]) for i in where]
    return empty


def _maybe_blank(texts: list[object]) -> np.ndarray:
    """Positions of the texts that may be blank: empty, or not starting with an ASCII letter or digit.

    A scan of the first bytes; Python's ``str.strip`` decides for these few.
    """
    try:
        array = pa.array(texts, type=pa.large_string())
    except (UnicodeEncodeError, pa.ArrowException):  # lone surrogates: look at every text
        return np.arange(len(texts))
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int64)[: len(texts) + 1]
    data = array.buffers()[2]
    if data is None:
        return np.arange(len(texts))
    first = np.frombuffer(data, dtype=np.uint8)[np.minimum(offsets[:-1], max(offsets[-1] - 1, 0))]
    return np.flatnonzero((offsets[1:] == offsets[:-1]) | ~_ALNUM[first])


_ALNUM = np.zeros(256, dtype=bool)
_ALNUM[[*range(ord("0"), ord("9") + 1), *range(ord("A"), ord("Z") + 1), *range(ord("a"), ord("z") + 1)]] = True


def typed_column(values: list[object]) -> np.ndarray | pd.api.extensions.ExtensionArray | list[object]:
    """All numbers → float64, all dates → datetime64, all text → str (empty cells allowed); else the list as is.

    Examples
    --------
    >>> typed_column([1, 2.5]).dtype, typed_column([dt.datetime(2024, 1, 5), None]).dtype
    (dtype('float64'), dtype('<M8[ns]'))
    >>> typed_column(["2024-01-05", 45000])
    ['2024-01-05', 45000]
    """
    kinds = set(map(type, values))
    present = kinds - {_NONE}  # empty cells (None) become NaN: the caller has dropped or refused their rows
    if present and present <= _NUMBER_TYPES:
        return np.array(values, dtype=np.float64)
    if present == {str}:
        return pd.array(values, dtype="str")
    if kinds - {_NONE} and kinds <= _DATE_TYPES | {_NONE}:
        try:
            stamps = pd.to_datetime(pd.Series(values, dtype=object))
            if isinstance(stamps.dtype, pd.DatetimeTZDtype):  # a zone keeps its local wall-clock time
                stamps = stamps.dt.tz_localize(None)
            if stamps.notna().any() and (stamps.min() < pd.Timestamp.min or stamps.max() > pd.Timestamp.max):
                return values  # beyond what the reader holds: it names the cell
            return stamps.to_numpy(dtype="datetime64[ns]")
        except (ValueError, TypeError, OverflowError):  # mixed time zones, out-of-range years: cell by cell
            return values
    return values
