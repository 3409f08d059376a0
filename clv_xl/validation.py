"""The checks that several entry points share, in one place so they cannot drift apart.

Time units, dates, horizons, order frames and customer-summary frames are checked here and only here:
``summarize``, ``calibration_holdout``, ``predicted_clv``/``forecast_table``, the Excel functions and the CLI all
call these functions, so they accept and refuse the same values with the same message. Every check raises
:class:`~clv_xl.errors.InvalidArgumentError` with one short message naming the argument, what is allowed and what
arrived; a value echoed in a message is cut to a readable length by :func:`shown`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Collection, Sequence
from typing import Any

import numpy as np
import pandas as pd

from clv_xl.errors import InvalidArgumentError

__all__ = [
    "MAX_HORIZON_YEARS",
    "ORDER_COLUMNS",
    "TIME_UNITS",
    "check_choice",
    "check_horizon",
    "check_summary",
    "check_time_unit",
    "is_canonical_orders",
    "parse_date",
    "shown",
]

_SHOWN_LIMIT = 40

#: Days in one unit of each ``time_unit``: D days, W weeks, M months (365.25 / 12 days), Y years (365.25 days).
TIME_UNITS: dict[str, float] = {"D": 1.0, "W": 7.0, "M": 365.25 / 12, "Y": 365.25}
#: The longest forecast horizon accepted, in years: beyond it a customer-base forecast means nothing.
MAX_HORIZON_YEARS = 100
#: Columns of a canonical orders frame (from :func:`clv_xl.orders.read_orders`).
ORDER_COLUMNS: tuple[str, ...] = ("customer_id", "order_date", "amount")


def shown(value: object, limit: int = _SHOWN_LIMIT) -> str:
    """The ``repr`` of a value as a message shows it: cut to ``limit`` characters, saying how long it was.

    Parameters
    ----------
    value : object
        What arrived (a cell value, an argument).
    limit : int
        The most characters of its ``repr`` to show.

    Returns
    -------
    str
        ``repr(value)``, or its start followed by ``… (N characters)`` when longer than ``limit``.

    Examples
    --------
    >>> shown("W")
    "'W'"
    >>> print(shown("x" * 100_000))
    'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… (100,000 characters)
    """
    if isinstance(value, str) and len(value) > limit:
        return f"{value[: limit - 2]!r}"[:-1] + f"… ({len(value):,} characters)"
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def check_choice(value: object, choices: Collection[str], argument: str) -> str:
    """Return the canonical spelling of a one-letter code (a time unit, a cohort period): its upper case.

    The one spelling rule of clv-xl: ``"w"``, ``" W "`` and ``"W"`` are the same code everywhere.

    Parameters
    ----------
    value : object
        What arrived.
    choices : collection of str
        The codes, in upper case, in the order the message lists them.
    argument : str
        The argument's name, for the message.

    Examples
    --------
    >>> check_choice(" q", ("M", "Q"), "period")
    'Q'
    >>> check_choice("weeks", ("D", "W"), "time_unit")
    Traceback (most recent call last):
    ...
    clv_xl.errors.InvalidArgumentError: time_unit must be one of D, W; got 'weeks'
    """
    code = value.strip().upper() if isinstance(value, str) else ""
    if code not in choices:
        raise InvalidArgumentError(
            argument,
            f"{argument} must be one of {', '.join(choices)}; got {shown(value)}",
        )
    return code


def check_time_unit(time_unit: object, argument: str = "time_unit") -> str:
    """Return the canonical spelling of a time unit: one letter D, W, M or Y, in any case (see :func:`check_choice`).

    Examples
    --------
    >>> check_time_unit("w"), TIME_UNITS[check_time_unit("M")]
    ('W', 30.4375)
    """
    return check_choice(time_unit, TIME_UNITS, argument)


def check_horizon(horizon: object, time_unit: str) -> float:
    """Return a forecast horizon in ``time_unit``: above 0 and at most :data:`MAX_HORIZON_YEARS` years.

    Examples
    --------
    >>> check_horizon(52, "W")
    52.0
    >>> check_horizon(1e6, "W")
    Traceback (most recent call last):
    ...
    clv_xl.errors.InvalidArgumentError: horizon must be above 0 and at most 100 years (5217 W); got 1e+06
    """
    unit = check_time_unit(time_unit)
    most = math.floor(MAX_HORIZON_YEARS * TIME_UNITS["Y"] / TIME_UNITS[unit])
    problem = f"horizon must be above 0 and at most {MAX_HORIZON_YEARS} years ({most} {unit})"
    if isinstance(horizon, bool):
        raise InvalidArgumentError("horizon", f"{problem}; got {horizon}")
    try:
        value = float(horizon)  # type: ignore[arg-type]  # any object: a failure is the answer
    except (TypeError, ValueError, OverflowError):
        raise InvalidArgumentError("horizon", f"{problem}; got {shown(horizon)}") from None
    if not (math.isfinite(value) and 0 < value <= most):
        raise InvalidArgumentError("horizon", f"{problem}; got {value:g}")
    return value


_SLASHED_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\s*$")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def _unslashed(text: str, argument: str) -> str:
    """Rewrite ``dd/mm/yyyy`` or ``mm/dd/yyyy`` as ISO when only one reading exists; refuse an ambiguous one."""
    slashed = _SLASHED_DATE.match(text)
    if not slashed:
        return text
    first, second, year = (int(g) for g in slashed.groups())
    year += 2000 if year < 100 else 0
    if first <= 12 and second <= 12 and first != second:
        raise InvalidArgumentError(
            argument,
            f"{argument} {text!r} could be {first} {_MONTHS[second - 1]} or {_MONTHS[first - 1]} {second}: "
            f"write it as YYYY-MM-DD ({year}-{second:02d}-{first:02d} or {year}-{first:02d}-{second:02d})",
        )
    day, month = (first, second) if first > 12 or second <= 12 else (second, first)
    return f"{year:04d}-{month:02d}-{day:02d}"


def parse_date(value: object, argument: str) -> pd.Timestamp:
    """Read a date argument (``observation_end``, ``calibration_end``, ...) by the one date rule of clv-xl.

    ISO text, ``dd/mm/yyyy`` or ``mm/dd/yyyy`` when only one reading exists, datetimes and Timestamps are
    dates; ``01/02/2024`` (day and month both possible) is refused rather than guessed; a number is refused
    (nanoseconds since 1970? an Excel serial?), and so are NaN and infinity. Time zones are dropped.

    Examples
    --------
    >>> parse_date("31/12/2024", "observation_end"), parse_date("2024-02-01", "observation_end")
    (Timestamp('2024-12-31 00:00:00'), Timestamp('2024-02-01 00:00:00'))
    >>> parse_date("01/02/2024", "observation_end")
    Traceback (most recent call last):
    ...
    clv_xl.errors.InvalidArgumentError: observation_end '01/02/2024' could be 1 February or January 2: write it as \
YYYY-MM-DD (2024-02-01 or 2024-01-02)
    """
    problem = f"{argument} must be a date like 2024-12-31; got {shown(value)}"
    if isinstance(value, bool | int | float | np.number):
        raise InvalidArgumentError(argument, problem)
    if isinstance(value, str):
        value = _unslashed(value, argument)
    elif not isinstance(value, dt.date | np.datetime64):
        raise InvalidArgumentError(argument, problem)
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError, OverflowError):
        stamp = pd.NaT
    if stamp is pd.NaT:
        raise InvalidArgumentError(argument, problem)
    return stamp.tz_localize(None) if stamp.tzinfo is not None else stamp


def is_canonical_orders(orders: Any) -> bool:
    """Tell whether ``orders`` already is a canonical orders frame (what ``read_orders`` returns).

    ``customer_id`` text, ``order_date`` datetime64[ns], ``amount`` float64, none missing.

    Examples
    --------
    >>> dates = pd.to_datetime(["2024-01-01"]).astype("datetime64[ns]")
    >>> is_canonical_orders(pd.DataFrame({"customer_id": ["a"], "order_date": dates, "amount": [1.0]}))
    True
    >>> is_canonical_orders(pd.DataFrame({"customer": ["a"]}))
    False
    """
    return bool(
        isinstance(orders, pd.DataFrame)
        and set(ORDER_COLUMNS) <= set(orders.columns)
        and orders["order_date"].dtype == "datetime64[ns]"
        and orders["amount"].dtype == "float64"
        and pd.api.types.is_string_dtype(orders["customer_id"].dtype)
        and not orders[list(ORDER_COLUMNS)].isna().any().any()
    )


def check_summary(
    summary: Any, required: Sequence[str], time_unit: str | None = None, argument: str = "summary"
) -> pd.DataFrame:
    """Check a per-customer frame (a summary, a calibration/holdout split): ``required`` columns, one row or more.

    When the summary records the unit it was made in (``summary.attrs["time_unit"]``, set by ``summarize``)
    and ``time_unit`` is given, both must be the same unit (spelled by :func:`check_time_unit`'s rule).

    Examples
    --------
    >>> frame = pd.DataFrame({"frequency": [1], "recency": [2.0], "T": [3.0]})
    >>> frame.attrs["time_unit"] = "W"
    >>> check_summary(frame, ["frequency", "T"], "w").shape
    (1, 3)
    >>> check_summary(frame, ["frequency", "T"], "D")
    Traceback (most recent call last):
    ...
    clv_xl.errors.InvalidArgumentError: time_unit must be the unit the summary was made in ('W'); got 'D'. \
Re-run summarize(..., time_unit='D') or pass time_unit='W'.
    """
    listed = ", ".join(required)
    if not isinstance(summary, pd.DataFrame):
        raise InvalidArgumentError(
            argument,
            f"{argument} must be a DataFrame with columns {listed} (e.g. from clv_xl.customers.summarize); "
            f"got {type(summary).__name__}",
        )
    missing = [c for c in required if c not in summary.columns]
    if missing:
        raise InvalidArgumentError(
            argument,
            f"{argument} must have columns {listed}; missing {', '.join(missing)} "
            f"(columns present: {shown(', '.join(map(str, summary.columns)), 80)})",
        )
    if summary.empty:
        raise InvalidArgumentError(argument, f"{argument} must have at least one customer; got an empty frame")
    recorded = summary.attrs.get("time_unit")
    if recorded is not None and time_unit is not None:
        recorded, wanted = check_time_unit(recorded), check_time_unit(time_unit)
        if recorded != wanted:
            raise InvalidArgumentError(
                "time_unit",
                f"time_unit must be the unit the summary was made in ({recorded!r}); got {wanted!r}. "
                f"Re-run summarize(..., time_unit={wanted!r}) or pass time_unit={recorded!r}.",
            )
    return summary
