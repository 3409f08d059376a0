"""Maximum-likelihood search over compressed rows: starts on a subset, Newton polish on all rows, or a full search.

The pieces live in modules by job and are importable from here as before: :mod:`clv_xl.models._multistart`
(the multi-start SLSQP / L-BFGS-B search and its ridge watch), :mod:`clv_xl.models._newton_polish` and
:mod:`clv_xl.models._split_objective` (an objective's value and gradient apart, a numeric gradient).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from clv_xl.errors import ConvergenceError
from clv_xl.models._multistart import BoundError, FitResult, RunAwayError, minimize_multistart
from clv_xl.models._newton_polish import newton_polish
from clv_xl.models._split_objective import SplitObjective, with_numeric_gradient
from clv_xl.models._standard_errors import numeric_hessian

__all__ = [
    "BoundError",
    "FitResult",
    "RunAwayError",
    "SplitObjective",
    "minimize_multistart",
    "newton_polish",
    "search_compressed",
    "with_numeric_gradient",
]


def search_compressed(
    factory: Callable[..., tuple[Any, Any, float]],
    columns: Sequence[np.ndarray],
    weights: np.ndarray,
    starts: Sequence[np.ndarray],
    *,
    polish_above: int = 40_000,
    subset_rows: int = 20_000,
    limit: Callable[[np.ndarray], bool] | None = None,
    full: tuple[Any, Any, float] | None = None,
    **common: Any,
) -> tuple[FitResult | None, np.ndarray | None, Any]:
    """Maximise a likelihood over compressed rows: starts on a subset, Newton polish on all rows, or a full search.

    ``factory(*columns, weights)`` builds ``(fun_and_grad, grad, n)`` on the rows given. Above ``polish_above``
    distinct rows, the starts are explored on an evenly spaced subset of about ``subset_rows`` rows and the best
    solution is polished on all rows with Newton steps that reuse the subset's Hessian (:func:`newton_polish`), so
    the full data only pay for a handful of evaluations; otherwise (or when that fails) every start runs on all rows.
    ``limit``, when given, recognises bound points of a limiting model the caller keeps: when every start ran to
    such a bound on the subset, the full data only confirm it from the subset's best end point (raising the
    subset's :class:`BoundError` with the full data's end point, unless they converge there); a bound of that kind
    reached on all rows from the subset's optimum is raised too (instead of every start's walk to the bound again
    on all rows: 179 evaluations of 560,044 rows on the 10M-order bench data).
    ``full``, when given, is ``factory(*columns, weights)`` already built by the caller (who needs it afterwards;
    on a million rows building it costs several evaluations). ``common`` goes to :func:`minimize_multistart`
    (``model_name``, ``advice``, ``runaway``).

    Returns
    -------
    (FitResult or None, numpy.ndarray or None, callable)
        The optimum (None when every start ran away along the ridge), the best point seen on the ridge (or None),
        and the gradient of the full objective (for standard errors).

    Raises
    ------
    BoundError
        When every start ran to a bound (on the subset, confirmed on all rows, or on all rows).
    ConvergenceError
        When no start converged and none ran away.
    """
    fun, grad, _ = full if full is not None else factory(*columns, weights)
    res: FitResult | None = None
    ran_away: np.ndarray | None = None
    bound: BoundError | None = None
    if weights.size > polish_above:
        take = slice(None, None, -(-weights.size // subset_rows))
        sub_fun, sub_grad, _ = factory(*(col[take] for col in columns), weights[take])
        rough: FitResult | None
        try:
            rough = minimize_multistart(sub_fun, starts, **common)
        except RunAwayError as exc:
            rough, ran_away = None, exc.x
        except BoundError as exc:
            rough, bound = None, (exc if limit is not None and limit(exc.x) else None)
        except ConvergenceError:
            rough = None
        if bound is not None:
            res, ran_away = _confirm_bound(fun, bound, common)
            if res is None and ran_away is None:  # neither confirmed nor converged: every start on all rows
                bound = None
        if rough is not None:
            res = newton_polish(fun, rough.x, numeric_hessian(sub_grad, rough.x))
            if res is None:
                try:
                    res = minimize_multistart(fun, [rough.x], successes_needed=1, **common)
                except RunAwayError as exc:
                    ran_away = exc.x
                except BoundError as exc:
                    if limit is not None and limit(exc.x):
                        raise
                    res = None
                except ConvergenceError:
                    res = None
    if res is None and ran_away is None and bound is None:
        try:
            res = minimize_multistart(fun, starts, **common)
        except RunAwayError as exc:
            ran_away = exc.x
    return res, ran_away, grad


def _confirm_bound(
    fun: Callable[[np.ndarray], tuple[float, np.ndarray]], subset: BoundError, common: dict[str, Any]
) -> tuple[FitResult | None, np.ndarray | None]:
    """From the subset's best bound point on all rows: the optimum, a ridge point, or the subset's error again."""
    try:
        return minimize_multistart(fun, [subset.x], successes_needed=1, margin=0.0, **common), None
    except RunAwayError as exc:
        return None, exc.x
    except BoundError as exc:
        raise BoundError(str(subset), exc.x, exc.fun) from None
    except ConvergenceError:
        return None, None
