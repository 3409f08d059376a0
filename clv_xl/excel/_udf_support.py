"""The machinery behind the Excel functions: arguments declared once, registration, binding, error mapping.

An Excel function is a plain Python function whose every parameter is declared once, in its signature::

    @excel_function(definition="1 / churn")
    def LIFESPAN(churn_rate: Annotated[np.ndarray, Arg("Share of customers lost per period.")]):
        \"\"\"Expected customer lifespan in periods: 1 / churn rate.\"\"\"
        return formulas.lifespan(churn_rate)

The declared type is the conversion (see :data:`clv_xl.excel._cells.CONVERSIONS`: ``np.ndarray`` a number or a
range of numbers, ``float`` one number, ``int`` one whole number, ``dt.datetime`` a date, ``str`` text, ``bool``
TRUE/FALSE, ``CellRange`` a range passed on untouched); :class:`Arg` carries the help text; the default is the
optional default. :func:`excel_function` reads those declarations once, at import (a parameter without one, an
unknown type or a default its conversion refuses fails there), applies xlwings' ``@xw.arg(..., doc=...)`` and
``@xw.func``, and wraps the body: it binds what Excel sends, converts each cell, calls the body, shapes the result
like the ranges passed in and maps errors to what a cell shows. The same records feed ``clv-xl functions``, the
README's function table and the Office.js metadata.

What a cell shows on bad input: a short message naming the argument. In Office.js (xlwings Server or Lite,
where ``XLWINGS_ON_SERVER=true``) the function raises :class:`xlwings.XlwingsError`, which the host turns into
``#VALUE!`` with the message; in classic Excel the message itself is returned as the cell's text.
"""

from __future__ import annotations

import functools
import inspect
import operator
import os
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

import numpy as np
import pandas as pd
import xlwings as xw

from clv_xl.errors import ClvXlError, InvalidArgumentError
from clv_xl.excel._cells import CONVERSIONS, Conversion, is_empty, single, to_cells

__all__ = [
    "CATEGORY",
    "EXCEL_FUNCTIONS",
    "MESSAGE_LIMIT",
    "Arg",
    "ExcelArgument",
    "ExcelFunction",
    "cell_error",
    "excel_function",
    "on_server",
]

CATEGORY = "CLV"
MESSAGE_LIMIT = 200
"""The most characters a cell's error message holds (a longer one is cut, saying so)."""

CellFunction = Callable[..., list[list[Any]]]


@dataclass(frozen=True)
class Arg:
    """The help text of an Excel function argument, shown by the Function Wizard and Office.js autocomplete.

    Used as the metadata of ``Annotated[type, Arg("...")]``: the type says how cells are read, the parameter's
    default (if any) makes the argument optional, and the help text shown gets "Optional, default X." appended
    from it (a ``None`` default must explain itself in ``doc``).
    """

    doc: str

    def __post_init__(self) -> None:
        if len(self.doc.strip()) < 10:
            raise TypeError(f"Arg help text too short to explain anything: {self.doc!r}")


@dataclass(frozen=True)
class ExcelArgument:
    """One argument of an Excel function, read from its declaration."""

    name: str
    doc: str
    optional: bool
    conversion: Conversion
    default: Any = None


@dataclass(frozen=True)
class ExcelFunction:
    """An Excel function: its name, one-line description, definition (with its source) and arguments.

    Examples
    --------
    >>> from clv_xl.excel._cells import CONVERSIONS
    >>> churn = ExcelArgument("churn_rate", "Churn.", False, CONVERSIONS[float])
    >>> ExcelFunction("LIFESPAN", "Expected lifespan.", "1 / churn", (churn,)).signature
    'LIFESPAN(churn_rate)'
    """

    name: str
    summary: str
    definition: str
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


def cell_error(function_name: str, message: str) -> list[list[str]]:
    """Show ``message`` in the calling cell: raise in Office.js, return the text in classic Excel.

    The text is cut to :data:`MESSAGE_LIMIT` characters: a cell is no place for a paragraph.

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
    >>> len(cell_error("CLV", "x" * 5000)[0][0])
    200
    """
    text = " ".join(f"{function_name}: {message}".split())
    if len(text) > MESSAGE_LIMIT:
        text = text[: MESSAGE_LIMIT - 1] + "…"
    if on_server():
        raise xw.XlwingsError(text)
    return [[text]]


def _declared(func: Callable[..., Any], name: str, hint: object) -> tuple[Conversion, str, bool]:
    """Read one parameter's declaration: its conversion, help text and whether ``None`` is allowed."""
    where = f"{func.__name__}({name})"
    if typing.get_origin(hint) is not Annotated:
        raise TypeError(f"{where}: declare the argument as Annotated[type, Arg('help text')]")
    base, *extras = typing.get_args(hint)
    docs = [extra for extra in extras if isinstance(extra, Arg)]
    if len(docs) != 1:
        raise TypeError(f"{where}: give exactly one Arg('help text') in its Annotated[...]")
    members = typing.get_args(base) if typing.get_origin(base) in (typing.Union, types.UnionType) else (base,)
    nullable = type(None) in members  # `type | None`: an empty cell (or the None default) passes None
    if nullable:
        kept = [m for m in members if m is not type(None)]
        base = functools.reduce(operator.or_, kept)
    conversion = CONVERSIONS.get(base)
    if conversion is None:
        known = ", ".join(getattr(t, "__name__", str(t)) for t in CONVERSIONS)
        raise TypeError(f"{where}: no conversion for {base!r}; declare one of: {known}")
    return conversion, docs[0].doc, nullable


def _read_arguments(func: Callable[..., Any]) -> tuple[ExcelArgument, ...]:
    """Read every parameter's declaration; raise ``TypeError`` (at import) on anything amiss."""
    try:
        hints = typing.get_type_hints(func, include_extras=True)
    except (NameError, AttributeError) as exc:  # a misspelt type
        raise TypeError(f"{func.__name__}: a declared type does not exist: {exc}") from None
    arguments = []
    for name, parameter in inspect.signature(func).parameters.items():
        if parameter.kind is not inspect.Parameter.POSITIONAL_OR_KEYWORD:
            raise TypeError(f"{func.__name__}({name}): Excel functions take plain positional arguments only")
        conversion, doc, nullable = _declared(func, name, hints.get(name))
        optional = parameter.default is not inspect.Parameter.empty
        if optional and parameter.default is None and not nullable:
            raise TypeError(f"{func.__name__}({name}): a None default needs `type | None` in the declaration")
        if optional and parameter.default is not None:
            try:
                conversion.convert(name, parameter.default)
            except InvalidArgumentError as exc:
                raise TypeError(f"{func.__name__}({name}): its default is refused: {exc}") from None
        if optional and parameter.default is not None:
            doc = f"{doc} Optional, default {_as_excel(parameter.default)}."
        arguments.append(ExcelArgument(name, doc, optional, conversion, parameter.default if optional else None))
    return tuple(arguments)


def _as_excel(value: object) -> str:
    """A default as a user would type it in a cell.

    Examples
    --------
    >>> _as_excel(1.0), _as_excel(False), _as_excel("D"), _as_excel(0.5)
    ('1', 'FALSE', 'D', '0.5')
    """
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _check_shapes(arrays: dict[str, np.ndarray]) -> tuple[int, ...]:
    """Return the broadcast shape of the ranges passed in, or raise naming ranges that do not fit."""
    try:
        return np.broadcast_shapes(*(a.shape for a in arrays.values()))
    except ValueError:
        shaped = {name: a.shape for name, a in arrays.items() if a.size > 1}
        listed = ", ".join(f"{name} ({'×'.join(map(str, s))})" for name, s in shaped.items())
        raise InvalidArgumentError(
            next(iter(shaped)),
            f"ranges of different sizes: {listed}; use ranges of the same size, or single cells",
        ) from None


def _convert(arguments: tuple[ExcelArgument, ...], values: dict[str, object]) -> tuple[dict[str, Any], tuple]:
    """Convert what Excel sent, argument by argument; return the values and the shape the ranges give."""
    converted: dict[str, Any] = {}
    ranges: dict[str, np.ndarray] = {}
    for argument in arguments:
        value = values[argument.name]
        if argument.optional and is_empty(single(value)):
            converted[argument.name] = argument.default  # an empty cell for an optional argument: its default
            continue
        converted[argument.name] = argument.conversion.convert(argument.name, value)
        if argument.conversion.broadcasts:
            ranges[argument.name] = converted[argument.name]
    return converted, _check_shapes(ranges)


def _finite_cells(result: object) -> None:
    """Refuse a numeric result that overflowed: a cell never shows infinity or a silent NaN."""
    if isinstance(result, pd.DataFrame):
        numbers = result.select_dtypes("number").to_numpy(dtype=np.float64, na_value=np.nan)
        bad = np.isinf(numbers).any()
    elif isinstance(result, np.ndarray | pd.Series | float | int) and not isinstance(result, bool):
        numbers = np.asarray(result, dtype=np.float64)
        bad = not np.isfinite(numbers).all()
    else:
        return
    if bad:
        raise ArithmeticError("the result is beyond the largest number Excel holds: check the arguments' sizes")


def excel_function(*, definition: str) -> Callable[[Callable[..., Any]], CellFunction]:
    """Register a function whose parameters are declared ``Annotated[type, Arg("help")]`` as an Excel function.

    Parameters
    ----------
    definition : str
        The formula or method, with its source; shown in the README's function table.

    Returns
    -------
    callable
        A decorator. It reads the declarations (raising ``TypeError`` at import for a parameter without one,
        a type with no conversion, or a default its conversion refuses), applies ``xw.arg(name, ndim=2,
        doc=...)`` for each argument and ``xw.func(category="CLV")``, records the function in
        :data:`EXCEL_FUNCTIONS`, and returns the cell-facing function: same name, signature and docstring,
        taking cell values and returning the cells to fill (or the message a cell shows).
    """

    def decorate(func: Callable[..., Any]) -> CellFunction:
        arguments = _read_arguments(func)
        signature = inspect.signature(func)
        summary = (func.__doc__ or "").strip().splitlines()[0] if func.__doc__ else ""
        if not summary:
            raise TypeError(f"{func.__name__}: give it a one-line docstring (the description Excel shows)")
        name = func.__name__

        @functools.wraps(func)
        def cell_function(*args: object, **kwargs: object) -> list[list[Any]]:
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError as exc:
                return cell_error(name, f"{exc}; the arguments are {spec.signature}")
            bound.apply_defaults()
            try:
                converted, shape = _convert(arguments, bound.arguments)
                with np.errstate(over="ignore", divide="ignore", invalid="ignore"):  # the result is checked below
                    result = func(**converted)
                _finite_cells(result)
                if isinstance(result, np.ndarray | pd.Series) and np.size(result) == int(np.prod(shape)):
                    result = np.asarray(result).reshape(shape)  # keep the shape of the ranges passed in
                return to_cells(result)
            except ClvXlError as exc:
                return cell_error(name, str(exc))
            except (ArithmeticError, OverflowError) as exc:
                return cell_error(name, f"out of range: {exc}")
            except Exception as exc:  # noqa: BLE001 - a cell must never show a traceback
                return cell_error(name, f"unexpected error ({type(exc).__name__}: {exc})")

        # xlwings must not read the declared types as its own converters: every argument arrives as a 2-D list
        cell_function.__annotations__ = {}
        registered: Any = cell_function
        for argument in arguments:
            registered = xw.arg(argument.name, ndim=2, doc=argument.doc)(registered)
        registered = xw.func(category=CATEGORY)(registered)
        spec = ExcelFunction(name, summary, definition, arguments)
        EXCEL_FUNCTIONS.append(spec)
        return registered

    return decorate
