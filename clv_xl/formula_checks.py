"""The checks every closed-form metric of :mod:`clv_xl.formulas` runs on its arguments and its result.

An argument must be numeric and finite, inside its allowed interval; arguments must broadcast together;
a result that overflowed is refused; a call with scalars only returns a ``float``. Each refusal is an
:class:`~clv_xl.errors.InvalidArgumentError` whose message names the argument, what is allowed and what
arrived (its first offending element, never the whole input).

Examples
--------
>>> check("churn_rate", [0.1, 0.2], low=0, high=1, low_open=True).tolist()
[0.1, 0.2]
>>> check("churn_rate", [0.1, 0], low=0, high=1, low_open=True)
Traceback (most recent call last):
...
clv_xl.errors.InvalidArgumentError: churn_rate must be > 0 and <= 1; got 0
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, Union

import numpy as np
import numpy.typing as npt

from clv_xl.errors import InvalidArgumentError

__all__ = ["ArrayLike", "Result", "check", "metric", "number", "require", "result", "same_shape"]

ArrayLike = Union[float, int, "npt.ArrayLike"]
Result = Union[float, "npt.NDArray[np.float64]"]


def not_numeric(name: str, value: ArrayLike) -> InvalidArgumentError:
    """The error for a value that is not numeric, naming its first offending element (never the whole input)."""
    if np.ndim(value) == 0:
        return InvalidArgumentError(name, f"{name} must be a number; got {value!r}")
    for index, item in np.ndenumerate(np.asarray(value, dtype=object)):
        try:
            float(item)
        except (TypeError, ValueError):
            where = ", ".join(map(str, index))
            return InvalidArgumentError(name, f"{name} must hold numbers only; got {item!r} at position {where}")
    return InvalidArgumentError(name, f"{name} must hold numbers of one shape (a scalar or a regular array)")


def number(name: str, value: ArrayLike) -> np.ndarray:
    """Return ``value`` as a float array, or raise if it is not numeric or holds NaN/inf."""
    if value is None or isinstance(value, bool):
        raise InvalidArgumentError(name, f"{name} must be a number; got {value!r}")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise not_numeric(name, value) from None
    if not np.all(np.isfinite(arr)):
        bad = arr[~np.isfinite(arr)].flat[0]
        raise InvalidArgumentError(name, f"{name} must be a finite number; got {bad}")
    return arr


def check(
    name: str,
    value: ArrayLike,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> np.ndarray:
    """Validate that every element of ``value`` lies in the interval given; return it as floats.

    The fast path costs one ``min`` and one ``max`` pass (NaN fails every comparison, so it falls
    through to the slow path, which finds the first offending element for the message).
    """
    arr = number_fast(name, value)
    if arr.size:
        lowest, highest = arr.min(), arr.max()
        low_ok = low is None or (lowest > low if low_open else lowest >= low)
        high_ok = (highest < high if high_open else highest <= high) if high is not None else highest < np.inf
        if low_ok and high_ok:
            return arr
    arr = number(name, arr)
    bad = np.zeros(arr.shape, dtype=bool)
    if low is not None:
        bad |= (arr <= low) if low_open else (arr < low)
    if high is not None:
        bad |= (arr >= high) if high_open else (arr > high)
    if np.any(bad):
        parts = []
        if low is not None:
            parts.append(f"{'>' if low_open else '>='} {low:g}")
        if high is not None:
            parts.append(f"{'<' if high_open else '<='} {high:g}")
        got = arr[bad].flat[0]
        raise InvalidArgumentError(name, f"{name} must be {' and '.join(parts)}; got {got:g}")
    return arr


def number_fast(name: str, value: ArrayLike) -> np.ndarray:
    """Return ``value`` as a float array without checking finiteness (see :func:`check`)."""
    if value is None or isinstance(value, bool):
        raise InvalidArgumentError(name, f"{name} must be a number; got {value!r}")
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise not_numeric(name, value) from None


def same_shape(**arrays: np.ndarray) -> None:
    """Raise naming the arguments when their shapes do not broadcast together (numpy rules)."""
    try:
        np.broadcast_shapes(*(a.shape for a in arrays.values()))
    except ValueError:
        shaped = ", ".join(f"{name} {a.shape}" for name, a in arrays.items() if a.ndim)
        first = next(name for name, a in arrays.items() if a.ndim)
        raise InvalidArgumentError(first, f"arguments of different lengths: {shaped}; give arrays of one length "
                                          "(or shapes that broadcast), or single numbers") from None


def result(value: np.ndarray, *inputs: ArrayLike) -> Result:
    """Return a Python float when every input was a scalar, else the array; refuse a result that overflowed.

    Every metric returns through here, so no metric ever hands back infinity or NaN for finite inputs
    (``clv(1e308, 10, 10)``, ``lifespan(1e-320)``): the result is checked once, here.

    Examples
    --------
    >>> result(np.array(np.inf), 1e-320)  # lifespan(1e-320) = 1 / 1e-320
    Traceback (most recent call last):
    ...
    clv_xl.errors.InvalidArgumentError: the result is beyond the largest number (about 1.8e308): the arguments are \
too large, or a divisor too close to 0
    """
    if not np.all(np.isfinite(value)):
        raise InvalidArgumentError(
            "result",
            "the result is beyond the largest number (about 1.8e308): the arguments are too large, "
            "or a divisor too close to 0",
        )
    if all(np.ndim(x) == 0 for x in inputs):
        return float(value)
    return np.asarray(value, dtype=np.float64)


_P = ParamSpec("_P")


def metric(func: Callable[_P, Result]) -> Callable[_P, Result]:
    """Compute a metric with numpy's overflow warnings off: :func:`result` refuses an overflowed result instead."""

    @functools.wraps(func)
    def checked(*args: _P.args, **kwargs: _P.kwargs) -> Result:
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            return func(*args, **kwargs)

    return checked


def require(condition: np.ndarray, name: str, message: str) -> None:
    """Raise for ``name`` with ``message`` where ``condition`` is False anywhere."""
    if not np.all(condition):
        raise InvalidArgumentError(name, message)
