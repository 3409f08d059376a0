"""The machinery behind the Excel functions: registration, cell conversion and error mapping.

A UDF module stays a list of plain functions: each is decorated with :func:`excel_function`, which applies
xlwings' ``@xw.arg(..., doc=...)`` and ``@xw.func`` and records the function in :data:`EXCEL_FUNCTIONS` (so the
CLI, the README test and the docs know every function even where xlwings' decorators do nothing, as on Linux).
Its body calls :func:`apply_cells`, which converts what Excel sends, calls one core function and maps errors to
what a cell should show.

What Excel sends: every argument arrives as a 2-D list (``@xw.arg(ndim=2)``) in classic Excel and Office.js;
a plain Python call may pass scalars or arrays. An omitted optional argument arrives as its default.

What a cell shows on bad input: a short message naming the argument. In Office.js (xlwings Server or Lite,
where ``XLWINGS_ON_SERVER=true``) the function raises :class:`xlwings.XlwingsError`, which the host turns into
``#VALUE!`` with the message; in classic Excel the message itself is returned as the cell's text.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import itertools
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import xlwings as xw

from clv_xl.errors import ClvXlError, InvalidArgumentError

__all__ = [
    "CATEGORY",
    "EXCEL_FUNCTIONS",
    "ExcelArgument",
    "ExcelFunction",
    "apply_cells",
    "excel_date",
    "frame_to_cells",
    "cell_error",
    "cells_to_array",
    "cells_to_flag",
    "excel_function",
    "on_server",
    "single_number",
    "to_cells",
]

CATEGORY = "CLV"

_F = TypeVar("_F", bound=Callable[..., Any])


@dataclass(frozen=True)
class ExcelArgument:
    """One argument of an Excel function, as the Function Wizard describes it."""

    name: str
    doc: str
    optional: bool


@dataclass(frozen=True)
class ExcelFunction:
    """An Excel function: its name, one-line description and arguments.

    Examples
    --------
    >>> f = ExcelFunction("LIFESPAN", "Expected lifespan.", (ExcelArgument("churn_rate", "Churn.", False),))
    >>> f.signature
    'LIFESPAN(churn_rate)'
    """

    name: str
    summary: str
    arguments: tuple[ExcelArgument, ...]

    @property
    def signature(self) -> str:
        """The call as a user types it, optional arguments in brackets."""
        parts = [f"[{a.name}]" if a.optional else a.name for a in self.arguments]
        return f"{self.name}({', '.join(parts)})"


EXCEL_FUNCTIONS: list[ExcelFunction] = []


def on_server() -> bool:
    """Tell whether xlwings runs server-side (xlwings Server or xlwings Lite, i.e. Office.js)."""
    return os.environ.get("XLWINGS_ON_SERVER", "").lower() == "true"


def excel_function(**argument_docs: str) -> Callable[[_F], _F]:
    """Register a function as an Excel function, with a description for each argument.

    Parameters
    ----------
    **argument_docs : str
        One description per parameter of the decorated function, shown by Excel's Function Wizard and
        by Office.js autocomplete. Every parameter must be described.

    Returns
    -------
    callable
        A decorator that applies ``xw.arg(name, ndim=2, doc=...)`` for each argument, then
        ``xw.func(category="CLV")``, and records the function in :data:`EXCEL_FUNCTIONS`.
    """

    def decorate(func: _F) -> _F:
        parameters = inspect.signature(func).parameters
        missing = set(parameters) ^ set(argument_docs)
        if missing:
            raise TypeError(f"{func.__name__}: describe exactly its parameters; mismatch: {sorted(missing)}")
        for name, doc in argument_docs.items():
            func = xw.arg(name, ndim=2, doc=doc)(func)
        func = xw.func(category=CATEGORY)(func)
        summary = (func.__doc__ or "").strip().splitlines()[0]
        arguments = tuple(
            ExcelArgument(name, argument_docs[name], p.default is not inspect.Parameter.empty)
            for name, p in parameters.items()
        )
        EXCEL_FUNCTIONS.append(ExcelFunction(func.__name__, summary, arguments))
        return func

    return decorate


def cell_error(function_name: str, message: str) -> list[list[str]]:
    """Show ``message`` in the calling cell: raise in Office.js, return the text in classic Excel.

    Parameters
    ----------
    function_name : str
        The Excel function's name, put in front of the message.
    message : str
        What was wrong and how to fix it, in one line.

    Returns
    -------
    list of list of str
        ``[["NAME: message"]]`` (classic Excel and plain Python calls).

    Raises
    ------
    xlwings.XlwingsError
        In Office.js (``XLWINGS_ON_SERVER=true``), so the cell shows ``#VALUE!`` with the message.

    Examples
    --------
    >>> cell_error("LIFESPAN", "churn_rate must be > 0 and <= 1; got 0")
    [['LIFESPAN: churn_rate must be > 0 and <= 1; got 0']]
    """
    text = f"{function_name}: {message}"
    if on_server():
        raise xw.XlwingsError(text)
    return [[text]]


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _locate(name: str, cells: np.ndarray, bad: Callable[[object], bool], problem: str) -> None:
    """Raise for the first cell of ``cells`` (an object array) for which ``bad`` holds."""
    for index, value in np.ndenumerate(cells):
        if bad(value):
            where = f" (row {index[0] + 1}, column {index[1] + 1} of the range)" if cells.size > 1 else ""
            raise InvalidArgumentError(name, problem.format(name=name, value=value, where=where))


def _not_a_number(value: object) -> bool:
    if isinstance(value, bool) or _is_empty(value):
        return False
    try:
        float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True
    return False


def cells_to_array(name: str, value: object) -> np.ndarray:
    """Convert a cell or range value to a float array; empty cells and text are errors.

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
        For an empty cell (never read as 0), text that is not a number, or a TRUE/FALSE value.

    Examples
    --------
    >>> cells_to_array("amount", [[1], [2.5]]).ravel()
    array([1. , 2.5])
    >>> cells_to_array("amount", [[1], [None]])
    Traceback (most recent call last):
    ...
    clv_xl.errors.InvalidArgumentError: amount has an empty cell (row 2, column 1 of the range): fill it in
    """
    if _is_empty(_single(value)):
        raise InvalidArgumentError(name, f"{name} is empty: enter a number or point to a cell holding one")
    try:
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        array = None
    if array is not None and not np.isnan(array).any():
        # TRUE/FALSE convert silently to 1/0: look for them only where a 1 or 0 came out
        if not ((array == 0) | (array == 1)).any() or not _holds_bool(value):
            return array
    cells = np.array(value, dtype=object)
    if cells.ndim == 0:
        cells = cells.reshape(1, 1)
    elif cells.ndim == 1:
        cells = cells.reshape(1, -1)
    _locate(name, cells, _is_empty, "{name} has an empty cell{where}: fill it in")
    _locate(name, cells, lambda v: isinstance(v, bool), "{name} must be a number; got {value}{where}")
    _locate(name, cells, _not_a_number, "{name} must be a number; got text {value!r}{where}")
    raise InvalidArgumentError(name, f"{name} must hold numbers only")


def _holds_bool(value: object) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, list | tuple) and value:
        cells = itertools.chain.from_iterable(value) if isinstance(value[0], list | tuple) else value
        return bool in set(map(type, cells))
    return False


def cells_to_flag(name: str, value: object) -> bool:
    """Convert a single TRUE/FALSE cell (or 1/0, VRAI/FAUX) to a bool.

    Examples
    --------
    >>> cells_to_flag("first_period_counted", [["VRAI"]])
    True
    """
    while isinstance(value, list | tuple) and len(value) == 1:
        value = value[0]
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().upper() in {"TRUE", "VRAI", "FALSE", "FAUX"}:
        return value.strip().upper() in {"TRUE", "VRAI"}
    raise InvalidArgumentError(name, f"{name} must be TRUE or FALSE; got {value!r}")


@functools.cache
def _defaults(func: Callable[..., Any]) -> dict[str, Any]:
    return {
        name: p.default
        for name, p in inspect.signature(func).parameters.items()
        if p.default is not inspect.Parameter.empty
    }


def _check_shapes(arrays: dict[str, np.ndarray]) -> tuple[int, ...]:
    """Return the broadcast shape of the ranges passed in, or raise naming ranges that do not fit."""
    shaped = {name: a.shape for name, a in arrays.items() if a.size > 1}
    try:
        return np.broadcast_shapes(*(a.shape for a in arrays.values()))
    except ValueError:
        listed = ", ".join(f"{name} ({'×'.join(map(str, s))})" for name, s in shaped.items())
        raise InvalidArgumentError(
            next(iter(shaped)),
            f"ranges of different sizes: {listed}; use ranges of the same size, or single cells",
        ) from None


def to_cells(result: object) -> list[list[Any]]:
    """Turn a scalar or array result into the 2-D list that fills (or spills into) the calling cells.

    Examples
    --------
    >>> to_cells(300.0)
    [[300.0]]
    """
    if isinstance(result, pd.DataFrame):
        return frame_to_cells(result)
    return np.atleast_2d(np.asarray(result)).tolist()


def apply_cells(
    function_name: str,
    core: Callable[..., Any],
    arguments: dict[str, object],
    *,
    flags: Sequence[str] = (),
    texts: Sequence[str] = (),
    dates: Sequence[str] = (),
    raw: Sequence[str] = (),
) -> list[list[Any]]:
    """Call ``core`` with converted cell values; return the cells to fill, or the error a cell shows.

    By default an argument becomes a float array (see :func:`cells_to_array`); the keyword lists name the
    arguments converted otherwise.

    Parameters
    ----------
    function_name : str
        The Excel function's name, for error messages.
    core : callable
        The clv-xl function that does the work (it validates its own arguments).
    arguments : dict
        Argument name → raw value as xlwings passed it. An empty value for an argument that has a default in
        ``core`` means "use the default" (an empty cell given for an optional argument).
    flags : sequence of str
        Single-cell TRUE/FALSE arguments, passed on as ``bool``.
    texts : sequence of str
        Single-cell text arguments (such as a time unit), passed on as ``str``.
    dates : sequence of str
        Single-cell date arguments: Excel serial numbers become datetimes, anything else passes through.
    raw : sequence of str
        Columns of mixed values (ids, dates, amounts) that ``core`` parses itself, passed on untouched.

    Returns
    -------
    list of list
        The result, shaped like the broadcast of the ranges passed in; a DataFrame result spills as a
        table with its header.

    Examples
    --------
    >>> from clv_xl.formulas import ltv_cac
    >>> apply_cells("LTV_CAC", ltv_cac, {"ltv": [[150], [300]], "cac": [[50]]})
    [[3.0], [6.0]]
    """
    try:
        defaults = _defaults(core)
        converted: dict[str, Any] = {}
        arrays: dict[str, np.ndarray] = {}
        for name, value in arguments.items():
            if name in defaults and _is_empty(_single(value)):
                converted[name] = defaults[name]
            elif name in raw:
                converted[name] = value
            elif name in flags:
                converted[name] = cells_to_flag(name, value)
            elif name in dates:
                converted[name] = excel_date(_single(value))
            elif name in texts:
                if _is_empty(_single(value)):
                    raise InvalidArgumentError(name, f"{name} is empty: enter a value in the cell")
                converted[name] = str(_single(value)).strip()
            else:
                converted[name] = arrays[name] = cells_to_array(name, value)
        shape = _check_shapes(arrays)
        result = core(**converted)
        if isinstance(result, np.ndarray | pd.Series) and np.size(result) == int(np.prod(shape)):
            result = np.asarray(result).reshape(shape)  # keep the shape of the ranges passed in
        return to_cells(result)
    except ClvXlError as exc:
        return cell_error(function_name, str(exc))
    except Exception as exc:  # noqa: BLE001 - a cell must never show a traceback
        return cell_error(function_name, f"unexpected error ({type(exc).__name__}: {exc})")


def _single(value: object) -> object:
    """Return the only cell of a 1×1 range, or ``value`` itself."""
    while isinstance(value, list | tuple) and len(value) == 1:
        value = value[0]
    return value


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
    rows = [[_cell_value(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    return [header, *rows]


def single_number(name: str, value: np.ndarray) -> float:
    """Return the one number of a single-cell argument (a model parameter); a range is an error.

    Examples
    --------
    >>> single_number("r", np.array([[0.243]]))
    0.243
    """
    if np.size(value) != 1:
        raise InvalidArgumentError(name, f"{name} must be a single cell; got a range of {np.size(value)} cells")
    return float(np.asarray(value).item())
