"""Shared helpers of the probabilistic models: input checks, de-duplication and the multi-start optimiser.

Nothing here is public API; the models in this package re-export what users need.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize

from clv_xl.errors import ConvergenceError, InvalidArgumentError
from clv_xl.validation import TIME_UNITS
from clv_xl.validation import check_time_unit as _canonical_unit

__all__ = [
    "TIME_UNITS",
    "newton_polish",
    "dot",
    "row_codes",
    "as_float_array",
    "check_customer_arrays",
    "check_whole_frequency",
    "check_fitted",
    "check_time_unit",
    "compress_rows",
    "minimize_multistart",
    "RunAwayError",
]

def dot(u: np.ndarray, v: np.ndarray) -> float:
    """Inner product of two 1-D float arrays without BLAS.

    ``numpy.dot`` hands long vectors to a multi-threaded BLAS, whose threads spin and wait on a busy machine
    (a fit ran 10x slower on 2 shared cores); a fused multiply-and-sum loop is as fast single-threaded.

    Examples
    --------
    >>> dot(np.array([1.0, 2.0]), np.array([3.0, 4.0]))
    11.0
    """
    return float(np.einsum("i,i->", u, v))


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


def row_codes(*columns: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Distinct rows of equal-length columns and, for each input row, the position of its distinct row.

    Examples
    --------
    >>> rows, codes = row_codes(np.array([1.0, 2.0, 1.0]), np.array([5.0, 5.0, 5.0]))
    >>> [r.tolist() for r in rows], codes.tolist()
    ([[1.0, 2.0], [5.0, 5.0]], [0, 1, 0])
    """
    key = np.zeros(columns[0].size, dtype=np.int64)
    cardinality = 1
    for col in columns:
        codes, uniques = pd.factorize(col, sort=False)
        if cardinality * len(uniques) >= 2**62:  # keep the combined key inside int64
            key, seen = pd.factorize(key, sort=False)
            cardinality = len(seen)
        key = key * np.int64(len(uniques)) + codes.astype(np.int64)
        cardinality *= len(uniques)
    codes, _ = pd.factorize(key, sort=False)
    n_unique = int(codes.max()) + 1 if codes.size else 0
    # Any row of a group represents it (they are identical), so a plain scatter is enough.
    first = np.empty(n_unique, dtype=np.int64)
    first[codes] = np.arange(codes.size)
    return [col[first] for col in columns], codes


def compress_rows(*columns: np.ndarray, weights: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Collapse identical rows into unique rows with summed weights (hash based, O(n)).

    Parameters
    ----------
    *columns : numpy.ndarray
        Equal-length columns.
    weights : numpy.ndarray
        Weight of each row.

    Returns
    -------
    (list of numpy.ndarray, numpy.ndarray)
        The unique rows (one array per column) and their total weights. Rows of weight 0 are dropped.

    Examples
    --------
    >>> cols, w = compress_rows(np.array([1.0, 1.0, 2.0]), np.array([3.0, 3.0, 4.0]), weights=np.ones(3))
    >>> [c.tolist() for c in cols], w.tolist()
    ([[1.0, 2.0], [3.0, 4.0]], [2.0, 1.0])
    """
    rows, codes = row_codes(*columns)
    total = np.bincount(codes, weights=weights, minlength=rows[0].size)
    keep = total > 0
    rows = [col[keep] for col in rows]
    return rows, total[keep]


def check_fitted(model: Any, name: str) -> None:
    """Raise a helpful error when a model is used before :meth:`fit`."""
    if getattr(model, "_params", None) is None:
        raise InvalidArgumentError(
            "model", f"{name} has not been fitted yet; call {name}().fit(...) or pass fitted parameters first"
        )


@dataclass
class FitResult:
    """Outcome of :func:`minimize_multistart`."""

    x: np.ndarray
    fun: float
    n_starts_tried: int
    message: str


def _minimize_once(
    fun_and_grad: Callable[[np.ndarray], tuple[float, np.ndarray]],
    x0: np.ndarray,
    bounds: tuple[float, float],
    gtol: float,
    method: str,
) -> optimize.OptimizeResult:
    options: dict[str, Any]
    if method == "SLSQP":
        options = {"maxiter": 1000, "ftol": 1e-15}
    else:
        options = {"maxiter": 2000, "gtol": gtol, "ftol": 1e-15, "maxcor": 20}
    with np.errstate(all="ignore"):
        return optimize.minimize(fun_and_grad, x0, jac=True, method=method, bounds=[bounds] * len(x0), options=options)


class RunAwayError(ConvergenceError):
    """No start converged and at least one ran away along a ridge that ``runaway`` recognises.

    Attributes
    ----------
    x : numpy.ndarray
        The best point (lowest objective) reached on the ridge, a starting point for the limiting model.
    fun : float
        The objective there.
    """

    def __init__(self, message: str, x: np.ndarray, fun: float) -> None:
        super().__init__(message)
        self.x = x
        self.fun = fun


class _RanAway(Exception):
    """Raised from inside the optimiser to abandon a start that is running away along a ridge."""


def _watched(
    fun_and_grad: Callable[[np.ndarray], tuple[float, np.ndarray]],
    runaway: Callable[[np.ndarray], bool],
    patience: int,
    seen: list[tuple[float, np.ndarray]],
) -> Callable[[np.ndarray], tuple[float, np.ndarray]]:
    """Wrap an objective so that ``patience`` consecutive evaluations on the ridge abort the optimiser.

    The best point evaluated on the ridge is appended to ``seen`` when the optimiser is aborted.
    """
    streak = 0
    best: tuple[float, np.ndarray] | None = None

    def wrapped(x: np.ndarray) -> tuple[float, np.ndarray]:
        nonlocal streak, best
        value, grad = fun_and_grad(x)
        if runaway(x) and np.isfinite(value):
            streak += 1
            if best is None or value < best[0]:
                best = (float(value), np.array(x, dtype=float))
            if streak >= patience:
                seen.append(best)
                raise _RanAway
        else:
            streak = 0
        return value, grad

    return wrapped


def minimize_multistart(
    fun_and_grad: Callable[[np.ndarray], tuple[float, np.ndarray]],
    starts: Sequence[np.ndarray],
    *,
    bounds: tuple[float, float] = (-18.0, 18.0),
    gtol: float = 1e-7,
    successes_needed: int = 2,
    model_name: str,
    advice: str,
    runaway: Callable[[np.ndarray], bool] | None = None,
    patience: int = 20,
) -> FitResult:
    """Minimise a smooth objective of log-parameters from several starting points.

    Starts are tried in order, each with SLSQP and, if that fails, with L-BFGS-B. (SLSQP comes first because
    L-BFGS-B calls BLAS on every iteration, whose worker threads spin on a busy machine and made fits several
    times slower here; SLSQP's quasi-Newton steps reach the same optimum in as many gradient evaluations.)
    A start *succeeds* when the objective is finite, the largest gradient component is below ``100 * gtol``
    and no log-parameter sits on a bound (a bound hit means the likelihood keeps improving towards a
    degenerate model). The best of the first ``successes_needed`` successes is kept.

    ``runaway``, when given, recognises points on a known degenerate ridge (the objective keeps decreasing, ever
    more slowly, as some parameters grow without limit). A start that evaluates ``patience`` consecutive points
    on it is abandoned as failed, instead of letting the optimiser crawl along the ridge (on a flat ridge the
    objective changes by less than its rounding error, so neither optimiser's stopping test is ever met and each
    runs to its iteration limit); so is a start that ends on the ridge. The other starts are still tried, so a
    fit that has an interior optimum from some start is unaffected.

    Raises
    ------
    RunAwayError
        When no start succeeds and at least one ran away along the ridge; carries the best point seen on it.
    ConvergenceError
        When no start succeeds otherwise; the message carries ``advice``.
    """
    best: optimize.OptimizeResult | None = None
    successes = 0
    messages: list[str] = []
    ridge: list[tuple[float, np.ndarray]] = []
    objective = fun_and_grad if runaway is None else _watched(fun_and_grad, runaway, patience, ridge)
    lo, hi = bounds
    i = 0
    for i, x0 in enumerate(starts, start=1):
        start = np.clip(np.asarray(x0, dtype=float), lo + 1, hi - 1)
        why = ""
        ok = False
        for method in ("SLSQP", "L-BFGS-B"):
            try:
                res = _minimize_once(objective, start, bounds, gtol, method)
            except _RanAway:
                why = "the estimates ran away along a ridge"
                break
            except (FloatingPointError, ValueError, np.linalg.LinAlgError) as exc:  # pragma: no cover
                why = str(exc)
                continue
            if runaway is not None and np.isfinite(res.fun) and runaway(res.x):
                # ended on the ridge (at a bound, or where the objective is too flat to move): no interior optimum
                ridge.append((float(res.fun), np.array(res.x, dtype=float)))
                why = "the estimates ran away along a ridge"
                break
            jac = np.asarray(res.jac, dtype=float)
            grad_ok = bool(np.all(np.isfinite(jac))) and float(np.max(np.abs(jac))) < 100 * gtol
            on_bound = bool(np.any(np.abs(res.x - lo) < 1e-6) or np.any(np.abs(res.x - hi) < 1e-6))
            ok = bool(np.isfinite(res.fun)) and grad_ok and not on_bound
            if ok:
                break
            why = "a parameter ran to its limit" if on_bound else str(res.message)
            if on_bound:  # a degenerate direction: the other method would only find it again
                break
        if not ok:
            messages.append(f"start {i}: {why}")
            continue
        successes += 1
        if best is None or res.fun < best.fun:
            best = res
        if successes >= successes_needed:
            break
    if best is None:
        message = (
            f"{model_name} could not be fitted: the optimiser did not converge from any of "
            f"{len(starts)} starting points ({'; '.join(messages)}). {advice}"
        )
        if ridge:
            fun, x = min(ridge, key=lambda item: item[0])
            raise RunAwayError(message, x, fun)
        raise ConvergenceError(message)
    return FitResult(x=best.x, fun=float(best.fun), n_starts_tried=i, message=str(best.message))


def newton_polish(
    fun_and_grad: Callable[[np.ndarray], tuple[float, np.ndarray]],
    x0: np.ndarray,
    hessian: np.ndarray,
    *,
    bounds: tuple[float, float] = (-18.0, 18.0),
    gtol: float = 1e-8,
    max_iter: int = 60,
) -> FitResult | None:
    """Refine ``x0`` by Newton steps with a fixed approximate Hessian (the chord method) and backtracking.

    Meant for the last iterations of a fit started on a subset of the data: the Hessian of the subset's mean
    objective is close to that of the full data, so each step costs one evaluation on all rows and the
    gradient shrinks geometrically. Returns None (the caller falls back to a full optimisation) when the
    Hessian is not positive definite, a step cannot decrease the objective, or ``max_iter`` is reached.
    """
    lo, hi = bounds
    try:
        if np.any(np.linalg.eigvalsh(hessian) <= 0):
            return None
        inverse = np.linalg.inv(hessian)
    except np.linalg.LinAlgError:
        return None
    x = np.asarray(x0, dtype=float)
    with np.errstate(all="ignore"):
        f, g = fun_and_grad(x)
        for _ in range(max_iter):
            if not (np.isfinite(f) and np.all(np.isfinite(g))):
                return None
            if float(np.max(np.abs(g))) < gtol:
                return FitResult(x=x, fun=float(f), n_starts_tried=1, message="Newton polish converged")
            step = -(inverse * g).sum(axis=1)
            slope = float((g * step).sum())
            if slope >= 0:
                return None
            t = 1.0
            while True:
                x_new = np.clip(x + t * step, lo, hi)
                f_new, g_new = fun_and_grad(x_new)
                # Armijo, with room for rounding once the objective stops changing in double precision
                if np.isfinite(f_new) and f_new <= f + 1e-4 * t * slope + 1e-13 * abs(f):
                    break
                t /= 2
                if t < 1e-6:
                    # no decrease possible in double precision: accept if already stationary enough
                    if float(np.max(np.abs(g))) < 100 * gtol:
                        return FitResult(x=x, fun=float(f), n_starts_tried=1, message="Newton polish stalled")
                    return None
            x, f, g = x_new, f_new, g_new
    return None


def numeric_hessian(grad: Callable[[np.ndarray], np.ndarray], x: np.ndarray, step: float = 1e-5) -> np.ndarray:
    """Central-difference Hessian of a function whose analytic gradient is ``grad``; symmetrised.

    Examples
    --------
    >>> h = numeric_hessian(lambda v: np.array([2 * v[0], 6 * v[1]]), np.array([1.0, 1.0]))
    >>> np.round(h, 6).tolist()
    [[2.0, 0.0], [0.0, 6.0]]
    """
    k = x.size
    h = np.empty((k, k))
    for j in range(k):
        e = np.zeros(k)
        e[j] = step
        h[:, j] = (grad(x + e) - grad(x - e)) / (2 * step)
    return (h + h.T) / 2


def standard_errors_from_hessian(hess_log: np.ndarray, params: np.ndarray) -> np.ndarray:
    """Standard errors of positive parameters from the Hessian of the negative log-likelihood in log-space.

    At the optimum the gradient vanishes, so the delta method gives ``cov(theta) = D cov(log theta) D`` with
    ``D = diag(theta)``. Returns NaN where the Hessian is not positive definite.
    """
    try:
        cov_log = np.linalg.inv(hess_log)
    except np.linalg.LinAlgError:
        return np.full(params.size, np.nan)
    var = np.diag(cov_log) * params**2
    if np.any(~np.isfinite(var)) or np.any(var <= 0) or np.any(np.linalg.eigvalsh(hess_log) <= 0):
        return np.full(params.size, np.nan)
    return np.sqrt(var)
