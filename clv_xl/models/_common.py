"""Input checks shared by the probabilistic models: time units, arrays of numbers, customer histories, weights.

Nothing here is public API; the models in this package re-export what users need.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from clv_xl.errors import InvalidArgumentError
from clv_xl.models._optimize import minimize_multistart  # noqa: F401  (kept importable here for existing callers)
from clv_xl.validation import TIME_UNITS
from clv_xl.validation import check_time_unit as _canonical_unit

__all__ = [
    "TIME_UNITS",
    "as_float_array",
    "check_customer_arrays",
    "check_whole_frequency",
    "check_weights",
    "check_fitted",
    "check_time_unit",
    "wrap_result",
]

def check_time_unit(time_unit: str) -> float:
    """Return the length in days of ``time_unit``; raise on anything but ``"D"``, ``"W"``, ``"M"``, ``"Y"``.

    Parameters
    ----------
    time_unit : str
        ``"D"`` (days), ``"W"`` (weeks), ``"M"`` (months of 365.25/12 days) or ``"Y"`` (years of 365.25 days).

    Returns
    -------
    float
        Days per unit.

    Examples
    --------
    >>> check_time_unit("W")
    7.0
    """
    return TIME_UNITS[_canonical_unit(time_unit)]


def as_float_array(name: str, values: Any, *, allow_negative: bool = False) -> np.ndarray:
    """Convert a scalar, list, Series or array to a 1-D float64 array, checking it is finite.

    The caller's object is never modified; a new array is returned when a conversion is needed.

    Parameters
    ----------
    name : str
        Argument name used in error messages.
    values : array-like or scalar
        The values.
    allow_negative : bool, default False
        Whether negative values are acceptable.

    Returns
    -------
    numpy.ndarray
        One-dimensional float64 array (a scalar becomes length 1).

    Examples
    --------
    >>> as_float_array("T", [1, 2.5]).tolist()
    [1.0, 2.5]
    """
    if isinstance(values, pd.DataFrame):
        raise InvalidArgumentError(name, f"{name} must be one column of numbers; got a DataFrame")
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidArgumentError(name, f"{name} must contain numbers only; got {exc}") from None
    if arr.ndim == 0:
        arr = arr.reshape(1)
    elif arr.ndim != 1:
        arr = arr.reshape(-1)
    if arr.size == 0:
        raise InvalidArgumentError(name, f"{name} must contain at least one value; got an empty sequence")
    bad = ~np.isfinite(arr)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InvalidArgumentError(
            name, f"{name} must be finite numbers; got {arr[i]:g} at position {i + 1} ({int(bad.sum())} in all)"
        )
    if not allow_negative and (arr < 0).any():
        i = int(np.flatnonzero(arr < 0)[0])
        raise InvalidArgumentError(name, f"{name} must be >= 0; got {arr[i]:g} at position {i + 1}")
    return arr


def check_whole_frequency(x: np.ndarray) -> None:
    """Raise unless every frequency (repeat purchases) is a whole number, naming the first that is not.

    Examples
    --------
    >>> check_whole_frequency(np.array([0.0, 2.0, 1.5]))
    Traceback (most recent call last):
    ...
    clv_xl.errors.InvalidArgumentError: frequency must be whole numbers (repeat purchases); got 1.5 at position 3
    """
    frac = np.abs(x - np.round(x)) > 1e-9
    if frac.any():
        i = int(np.flatnonzero(frac)[0])
        raise InvalidArgumentError(
            "frequency", f"frequency must be whole numbers (repeat purchases); got {x[i]:g} at position {i + 1}"
        )


def check_customer_arrays(frequency: Any, recency: Any, T: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate and broadcast the (frequency, recency, T) triplet of a BG/NBD-style summary.

    Rules: all finite and >= 0; ``frequency`` whole numbers; ``recency <= T``; ``recency == 0`` when
    ``frequency == 0`` (a customer without repeat purchases has no time between first and last purchase).

    Parameters
    ----------
    frequency, recency, T : array-like or scalar
        Repeat purchases, time from first to last purchase, time from first purchase to the end of observation.

    Returns
    -------
    tuple of numpy.ndarray
        Three float64 arrays of equal length.

    Examples
    --------
    >>> x, tx, T = check_customer_arrays(2, 30.43, [38.86, 39.0])
    >>> x.tolist(), tx.tolist(), T.tolist()
    ([2.0, 2.0], [30.43, 30.43], [38.86, 39.0])
    """
    x = as_float_array("frequency", frequency)
    tx = as_float_array("recency", recency)
    t_obs = as_float_array("T", T)
    try:
        x, tx, t_obs = np.broadcast_arrays(x, tx, t_obs)
    except ValueError:
        raise InvalidArgumentError(
            "frequency",
            "frequency, recency and T must have the same length (or be single numbers); "
            f"got lengths {x.size}, {tx.size} and {t_obs.size}",
        ) from None
    check_whole_frequency(x)
    late = tx > t_obs * (1 + 1e-12) + 1e-12
    if late.any():
        i = int(np.flatnonzero(late)[0])
        raise InvalidArgumentError(
            "recency",
            f"recency must be <= T (the last purchase cannot follow the end of observation); "
            f"got recency {tx[i]:g} > T {t_obs[i]:g} at position {i + 1}",
        )
    orphan = (x == 0) & (tx > 0)
    if orphan.any():
        i = int(np.flatnonzero(orphan)[0])
        raise InvalidArgumentError(
            "recency",
            f"recency must be 0 when frequency is 0 (no repeat purchase); got recency {tx[i]:g} "
            f"with frequency 0 at position {i + 1}",
        )
    return np.round(x), np.minimum(tx, t_obs), t_obs


def check_weights(weights: Any, n: int) -> np.ndarray:
    """Validate optional row weights (how many customers each row stands for); ``None`` means all ones.

    Examples
    --------
    >>> check_weights(None, 2).tolist()
    [1.0, 1.0]
    """
    if weights is None:
        return np.ones(n)
    w = as_float_array("weights", weights)
    if w.size != n:
        raise InvalidArgumentError("weights", f"weights must have one value per row ({n}); got {w.size}")
    return w


def check_fitted(model: Any, name: str) -> None:
    """Raise a helpful error when a model is used before :meth:`fit`."""
    if getattr(model, "_params", None) is None:
        raise InvalidArgumentError(
            "model", f"{name} has not been fitted yet; call {name}().fit(...) or pass fitted parameters first"
        )


def wrap_result(result: np.ndarray, *inputs: Any) -> Any:
    """Return ``result`` as a float (all inputs scalar), a Series (a Series input of that length) or an array.

    Examples
    --------
    >>> wrap_result(np.array([2.0]), 1, 3)
    2.0
    >>> wrap_result(np.array([1.0, 2.0]), pd.Series([0, 0], index=["a", "b"])).index.tolist()
    ['a', 'b']
    """
    for value in inputs:
        if isinstance(value, pd.Series) and len(value) == result.size:
            return pd.Series(result, index=value.index)
    if all(np.ndim(value) == 0 for value in inputs):
        return float(result.reshape(-1)[0])
    return result
