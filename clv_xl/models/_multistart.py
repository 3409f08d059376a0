"""Maximum-likelihood search on log-parameters from several starts: SLSQP then L-BFGS-B, with a ridge watch."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import optimize

from clv_xl.errors import ConvergenceError
from clv_xl.models._split_objective import SplitObjective

__all__ = ["BoundError", "FitResult", "RunAwayError", "minimize_multistart"]


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
    fun: Callable[[np.ndarray], Any] = fun_and_grad
    jac: Any = True
    if method == "SLSQP":
        options = {"maxiter": 1000, "ftol": 1e-15}
        if isinstance(fun_and_grad, SplitObjective):
            fun, jac = fun_and_grad.value, fun_and_grad.gradient
    else:  # L-BFGS-B asks for both at every point
        options = {"maxiter": 2000, "gtol": gtol, "ftol": 1e-15, "maxcor": 20}
    with np.errstate(all="ignore"):
        return optimize.minimize(fun, x0, jac=jac, method=method, bounds=[bounds] * len(x0), options=options)


class _EndedAt(ConvergenceError):
    """No start converged; ``x`` is the best point (lowest objective ``fun``) of the kind the subclass names."""

    def __init__(self, message: str, x: np.ndarray, fun: float) -> None:
        super().__init__(message)
        self.x = x
        self.fun = fun


class RunAwayError(_EndedAt):
    """No start converged and at least one ran away along a ridge that ``runaway`` recognises.

    ``x`` is the best point reached on the ridge, a starting point for the limiting model.
    """


class BoundError(_EndedAt):
    """No start converged and every start ended with a log-parameter on a bound (a degenerate direction).

    ``x`` is the best point where a start ended on a bound.
    """


class _RanAway(Exception):
    """Raised from inside the optimiser to abandon a start that is running away along a ridge."""


def _watched(
    fun_and_grad: Callable[[np.ndarray], tuple[float, np.ndarray]],
    runaway: Callable[[np.ndarray], bool],
    patience: int,
    seen: list[tuple[float, np.ndarray]],
) -> Callable[[np.ndarray], tuple[float, np.ndarray]]:
    """Wrap an objective so that ``patience`` consecutive evaluations on the ridge abort the optimiser.

    An evaluation is one call for the value (with the gradient, unless the objective is a :class:`SplitObjective`,
    whose gradient is then passed through unwatched: it is only asked for at a point whose value was). The best
    point evaluated on the ridge is appended to ``seen`` when the optimiser is aborted.
    """
    streak = 0
    best: tuple[float, np.ndarray] | None = None

    def watch(x: np.ndarray, value: float) -> None:
        nonlocal streak, best
        if runaway(x) and np.isfinite(value):
            streak += 1
            if best is None or value < best[0]:
                best = (float(value), np.array(x, dtype=float))
            if streak >= patience:
                seen.append(best)
                raise _RanAway
        else:
            streak = 0

    if isinstance(fun_and_grad, SplitObjective):
        split = fun_and_grad

        def watched_value(x: np.ndarray) -> float:
            value = split.value(x)
            watch(x, value)
            return value

        return SplitObjective(watched_value, split.gradient)

    def wrapped(x: np.ndarray) -> tuple[float, np.ndarray]:
        value, grad = fun_and_grad(x)
        watch(x, value)
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
    margin: float = 1.0,
) -> FitResult:
    """Minimise a smooth objective of log-parameters from several starting points.

    Starts are tried in order, each with SLSQP and, if that fails, with L-BFGS-B. (SLSQP comes first because
    L-BFGS-B calls BLAS on every iteration, whose worker threads spin on a busy machine and made fits several
    times slower here; SLSQP's quasi-Newton steps reach the same optimum in as many gradient evaluations.)
    A start *succeeds* when the objective is finite, the largest gradient component is below ``100 * gtol``
    and no log-parameter sits on a bound (a bound hit means the likelihood keeps improving towards a
    degenerate model). The best of the first ``successes_needed`` successes is kept.

    Starts are moved ``margin`` inside the bounds (0 to start on a bound, e.g. to confirm a bound point).

    ``runaway``, when given, recognises points on a known degenerate ridge (the objective keeps decreasing, ever
    more slowly, as some parameters grow without limit). A start that evaluates ``patience`` consecutive points
    on it is abandoned as failed, instead of letting the optimiser crawl along the ridge (on a flat ridge the
    objective changes by less than its rounding error, so neither optimiser's stopping test is ever met and each
    runs to its iteration limit); so is a start that ends on the ridge. The other starts are still tried, so a
    fit that has an interior optimum from some start is unaffected. ``patience`` counts the points whose value
    the optimiser asked for (each line-search trial point is one), not the evaluations of a numeric gradient.
    It must exceed the longest run of consecutive ridge points in any start that goes on to converge: 20 by
    default; Pareto/NBD uses 5 (``ParetoNBD.ridge_patience``: in the test suite's and 40 simulated fits no
    converging start evaluated a single point on its ridge, while a start that runs away stays there for good).

    A :class:`SplitObjective` (e.g. from :func:`with_numeric_gradient`) is handed to SLSQP as a value and a
    gradient apart, so that trial points it rejects cost one evaluation instead of ``1 + 2 * len(x)``; the path,
    and so the result, is the same.

    Raises
    ------
    RunAwayError
        When no start succeeds and at least one ran away along the ridge; carries the best point seen on it.
    BoundError
        When no start succeeds and every one ended on a bound; carries the best such point.
    ConvergenceError
        When no start succeeds otherwise; the message carries ``advice``.
    """
    best: optimize.OptimizeResult | None = None
    bounded: list[tuple[float, np.ndarray]] = []
    successes = 0
    messages: list[str] = []
    ridge: list[tuple[float, np.ndarray]] = []
    objective = fun_and_grad if runaway is None else _watched(fun_and_grad, runaway, patience, ridge)
    lo, hi = bounds
    i = 0
    for i, x0 in enumerate(starts, start=1):
        start = np.clip(np.asarray(x0, dtype=float), lo + margin, hi - margin)
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
                bounded.append((float(res.fun), np.array(res.x, dtype=float)))
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
        if bounded and len(bounded) == len(messages) and np.isfinite(min(bounded, key=lambda item: item[0])[0]):
            fun, x = min(bounded, key=lambda item: item[0])
            raise BoundError(message, x, fun)
        raise ConvergenceError(message)
    return FitResult(x=best.x, fun=float(best.fun), n_starts_tried=i, message=str(best.message))
